"""The ``kasm-constructs`` command line (also ``python -m kasm_constructs``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from kasm_constructs import audit


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
