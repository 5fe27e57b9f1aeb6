"""``kasm-constructs audit``: check manifest files against the Pod Security Standards.

Reads JSON or (multi-document) YAML files, such as the output of ``cdk8s synth``, evaluates every
object that runs a pod with :func:`kasm_constructs.pod_security.evaluate` and reports the result.
Exit status: 0 when every pod is allowed, 1 when any is denied, 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pod_security import (
    LATEST_VERSION,
    LEVELS,
    SUPPORTED_VERSIONS,
    Violation,
    evaluate,
    pod_template,
)

PROG = "kasm-constructs"
EXIT_ALLOWED = 0
EXIT_DENIED = 1
EXIT_ERROR = 2


class AuditError(Exception):
    """An input file that cannot be read or parsed; the message says which and why."""


@dataclass(frozen=True)
class ManifestResult:
    """The verdict for one object that runs a pod."""

    file: str
    kind: str
    name: str | None
    namespace: str | None
    violations: tuple[Violation, ...]

    @property
    def allowed(self) -> bool:
        return not self.violations

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "allowed": self.allowed,
            "violations": [{"check": v.check, "message": v.message} for v in self.violations],
        }


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the audit options and arguments to ``parser`` and make :func:`run` its handler."""
    parser.add_argument(
        "--level",
        choices=LEVELS,
        default="restricted",
        help="Pod Security Standards level to enforce (default: restricted)",
    )
    parser.add_argument(
        "--version",
        choices=[*SUPPORTED_VERSIONS, "latest"],
        default="latest",
        metavar="1.NN",
        help=f"policy version, {SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]} or latest "
        f"(default: latest, which is {LATEST_VERSION})",
    )
    parser.add_argument(
        "--output", choices=("text", "json"), default="text", help="report format (default: text)"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON or YAML manifest file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Audit ``args.files`` and print the report; return the exit status."""
    version = LATEST_VERSION if args.version == "latest" else str(args.version)
    try:
        results = [
            result for file in args.files for result in audit_file(file, args.level, version)
        ]
    except AuditError as error:
        print(f"{PROG} audit: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.output == "json":
        print(json.dumps([result.to_json() for result in results], indent=2))
    else:
        print(format_text(results, args.level, version))
    return EXIT_ALLOWED if all(result.allowed for result in results) else EXIT_DENIED


def audit_file(file: str, level: str, version: str) -> list[ManifestResult]:
    """Evaluate every pod-bearing object in ``file``; raise AuditError if it cannot be read."""
    return [
        ManifestResult(
            file=file,
            kind=str(manifest["kind"]),
            name=_metadata_field(manifest, "name"),
            namespace=_metadata_field(manifest, "namespace"),
            violations=tuple(evaluate(manifest, level, version)),
        )
        for manifest in _objects(load_documents(Path(file)), file)
        if pod_template(manifest) is not None
    ]


def load_documents(path: Path) -> list[Any]:
    """Parse a JSON or YAML file into its documents; raise AuditError when that fails."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AuditError(f"cannot read {path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise AuditError(f"cannot read {path}: {error.strerror or error}") from error
    if not text.strip():
        return []
    try:
        return [json.loads(text)]
    except ValueError:
        pass  # not JSON, so read it as YAML
    return _load_yaml(path)


def _load_yaml(path: Path) -> list[Any]:
    try:
        import cdk8s  # noqa: PLC0415 - starts Node.js through jsii; only YAML input needs it

        documents = cdk8s.Yaml.load(str(path.resolve()))
    except Exception as error:  # jsii turns JavaScript errors into RuntimeError and others
        raise AuditError(f"cannot parse {path} as YAML: {_first_line(error)}") from error
    return list(documents)


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def _objects(documents: Sequence[Any], file: str) -> Iterator[Mapping[str, Any]]:
    """The Kubernetes objects in ``documents``: empty ones skipped, ``*List`` kinds unpacked."""
    for number, document in enumerate(documents, start=1):
        if document is None:
            continue
        if not isinstance(document, Mapping) or not isinstance(document.get("kind"), str):
            raise AuditError(f"{file}: document {number} is not a Kubernetes object with a kind")
        if document["kind"].endswith("List") and isinstance(document.get("items"), list):
            yield from _objects(document["items"], f"{file} ({document['kind']})")
        else:
            yield document


def _metadata_field(manifest: Mapping[str, Any], key: str) -> str | None:
    metadata = manifest.get("metadata")
    value = metadata.get(key) if isinstance(metadata, Mapping) else None
    return None if value is None else str(value)


def format_text(results: Sequence[ManifestResult], level: str, version: str) -> str:
    """The human-readable report: a line per object, its violations, then a summary."""
    lines: list[str] = []
    for result in results:
        verdict = "ALLOWED" if result.allowed else "DENIED"
        namespace = f" ({result.namespace})" if result.namespace else ""
        lines.append(
            f"{verdict} {result.file} {result.kind}/{result.name or '<unnamed>'}{namespace}"
        )
        lines.extend(f"  - {v.check} at {v.field}: {v.message}" for v in result.violations)
    denied = sum(not result.allowed for result in results)
    objects = "object" if len(results) == 1 else "objects"
    lines.append(
        f'{len(results)} pod-bearing {objects} checked against Pod Security "{level}" '
        f"(v{version}): {len(results) - denied} allowed, {denied} denied"
    )
    return "\n".join(lines)
