"""The ``kasm-constructs`` command line (also ``python -m kasm_constructs``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from kasm_constructs.cli import audit, preflight, validate

__all__ = [
    "build_parser",
    "main",
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``kasm-constructs`` subcommand."""
    parser = argparse.ArgumentParser(
        prog=audit.PROG, description="Tools that come with the kasm-constructs library."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    audit.configure_parser(
        commands.add_parser(
            "audit",
            help="check manifest files against the Pod Security Standards",
            description="Check every pod in JSON or YAML manifests, read exactly as kubectl "
            "reads them, against the Pod Security Standards. Exit status: 0 all allowed, "
            "1 any denied, 2 unreadable or malformed input.",
        )
    )
    preflight.configure_parser(
        commands.add_parser(
            "preflight",
            help="list what synthesized manifests need the cluster to have",
            description="List what the objects in synthesized output need from the cluster "
            "before they can run (Secrets and their keys, StorageClasses, IngressClasses, "
            "Gateways, namespaces, API groups, ...), minus what the output defines. Reads files "
            "only, no cluster. Exit status: 0 with the listing, 2 unreadable input.",
        )
    )
    validate.configure_parser(
        commands.add_parser(
            "validate",
            help="check custom resources against the pinned CRDs (schemas and CEL rules)",
            description="Check every custom resource in JSON or YAML manifests, read exactly as "
            "kubectl reads them, against the schema of its pinned CRD (Gateway API, "
            "cert-manager, Envoy Gateway, KEDA), as the API server would on a create: unknown "
            "fields, types, enums, patterns, formats, list keys, and the CRD's CEL rules when "
            "cel-expr-python is installed. Needs jsonschema: pip install "
            "'kasm-constructs[validate]' (or [cel], with the CEL rules). Exit status: 0 all "
            "valid, 1 any invalid, 2 unreadable or malformed input, or a missing dependency.",
        )
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader left (`... | head`): stop quietly, and keep Python from failing to flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
