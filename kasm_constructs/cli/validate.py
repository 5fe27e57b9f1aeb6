"""``kasm-constructs validate``: custom resources checked against the pinned CRDs, offline.

Files are read exactly as ``kubectl apply -f`` reads them
(:mod:`kasm_constructs.manifests.kubeyaml`), and every object of a kind that a pinned CRD defines
(Gateway API, cert-manager, Envoy Gateway, KEDA: :mod:`kasm_constructs.manifests.crds`) is
validated against the CRD's schema and, with ``cel-expr-python`` installed, its CEL rules
(:mod:`kasm_constructs.manifests.crdvalidate`). Built-in kinds are left to the API server's
own schemas (``kubernetes-validate``); other kinds are reported as skipped.

Exit status: 0 when every custom resource checked is valid, 1 when any is invalid, 2 when a
file cannot be read or is malformed, or jsonschema (``kasm-constructs[validate]``) is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from kasm_constructs.cli.audit import read_paths
from kasm_constructs.manifests.crds import split_api_version
from kasm_constructs.manifests.kinds import BUILTIN_GROUPS
from kasm_constructs.manifests.kubeyaml import KubeObject, ManifestError, format_path

if TYPE_CHECKING:
    from kasm_constructs.manifests.crdvalidate import CustomResourceValidator, Verdict

__all__ = [
    "EXIT_ERROR",
    "EXIT_INVALID",
    "EXIT_VALID",
    "Finding",
    "ObjectResult",
    "configure_parser",
    "format_json",
    "format_text",
    "load_validator",
    "run",
    "validate_object",
    "validate_paths",
]

PROG: Final = "kasm-constructs validate"
EXIT_VALID: Final = 0
EXIT_INVALID: Final = 1
EXIT_ERROR: Final = 2
OUTPUTS: Final = ("text", "json")
INSTALL_VALIDATE: Final = "pip install 'kasm-constructs[validate]'"
INSTALL_CEL: Final = "pip install 'kasm-constructs[cel]'"


class MissingDependencyError(RuntimeError):
    """An optional dependency the command needs is not installed."""


@dataclass(frozen=True)
class Finding:
    """One reason the API server would refuse an object, where it is written (1-based)."""

    field: str
    message: str
    line: int
    column: int
    #: The CEL rule that says it; None for the schema's own checks.
    rule: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class ObjectResult:
    """The outcome for one custom resource: checked against a pinned CRD, or skipped."""

    file: str
    line: int
    api_version: str
    kind: str
    name: str | None
    namespace: str | None
    #: The pinned CRD's file (``gateway-api-v1.5.1-httproutes.yaml``); None when skipped.
    crd: str | None = None
    findings: tuple[Finding, ...] = ()
    skipped: str | None = None
    rules_evaluated: int = 0
    #: (where the rule is declared, rule, why it was not evaluated).
    rules_unchecked: tuple[tuple[str, str, str], ...] = ()
    #: Schema errors kept the CEL rules from being evaluated, as in the API server.
    rules_skipped: bool = False

    @property
    def status(self) -> str:
        if self.skipped is not None:
            return "skipped"
        return "invalid" if self.findings else "valid"

    @property
    def label(self) -> str:
        namespace = f" ({self.namespace})" if self.namespace else ""
        return f"{self.kind}/{self.name or '<unnamed>'}{namespace}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "apiVersion": self.api_version,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "status": self.status,
            "crd": self.crd,
            "violations": [finding.to_json() for finding in self.findings],
            "celRulesEvaluated": self.rules_evaluated,
        }
        if self.skipped is not None:
            data["reason"] = self.skipped
        return data


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the validate options and arguments to ``parser`` and make :func:`run` its handler."""
    parser.add_argument(
        "--output", choices=OUTPUTS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--require-cel",
        action="store_true",
        help="exit 2 when the CEL rules cannot be evaluated (cel-expr-python is missing: "
        f"{INSTALL_CEL}) instead of reporting them as not evaluated",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help="JSON or YAML manifest file, directory (searched recursively for *.yaml, *.yml, "
        "*.json) or - for standard input",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate ``args.files`` and print the report; return the exit status."""
    try:
        validator = load_validator(require_cel=args.require_cel)
        results = validate_paths(args.files, validator)
    except (MissingDependencyError, ManifestError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.output == "json":
        print(json.dumps(format_json(results, validator), indent=2))
    else:
        print(format_text(results, validator))
    return EXIT_INVALID if any(r.status == "invalid" for r in results) else EXIT_VALID


def load_validator(*, require_cel: bool = False) -> CustomResourceValidator:
    """The validator of the shipped CRDs, with the CEL rules when cel-expr-python is installed;
    raises MissingDependencyError without jsonschema (or, with ``require_cel``, cel-expr-python)."""
    try:
        from kasm_constructs.manifests.crdvalidate import (  # noqa: PLC0415 - optional extra
            CustomResourceValidator,
        )
    except ImportError as error:
        raise MissingDependencyError(
            f"validating custom resources needs jsonschema and google-re2 ({error}): "
            f"{INSTALL_VALIDATE}"
        ) from error
    from kasm_constructs.manifests.crdcel import CelRules  # noqa: PLC0415

    try:
        cel = CelRules()
    except ImportError as error:
        if require_cel:
            raise MissingDependencyError(
                f"--require-cel: the CEL rules need cel-expr-python ({error}): {INSTALL_CEL}"
            ) from error
        missing = f"cel-expr-python is not installed ({INSTALL_CEL})"
        return CustomResourceValidator(cel=None, cel_missing=missing)
    return CustomResourceValidator(cel=cel)


def validate_paths(paths: Iterable[str], validator: CustomResourceValidator) -> list[ObjectResult]:
    """The results for every custom resource in ``paths``, read as the audit reads them
    (:func:`kasm_constructs.cli.audit.read_paths`): raises ManifestError for a file kubectl
    would not read, a directory without manifests, or no object at all."""
    results = (validate_object(obj, validator) for obj in read_paths(paths, verb="validate"))
    return [result for result in results if result is not None]


def validate_object(obj: KubeObject, validator: CustomResourceValidator) -> ObjectResult | None:
    """The result for one object; None for a built-in kind (not this command's to judge)."""
    api_version = str(obj.value.get("apiVersion", ""))
    group, _ = split_api_version(api_version)
    if group in BUILTIN_GROUPS:
        return None
    result = ObjectResult(obj.source, obj.line, api_version, obj.kind, obj.name, obj.namespace)
    verdict = validator.validate(obj.value)
    if verdict is None:
        return _replace(result, skipped=f"no pinned CRD defines {obj.kind}.{group}")
    return _replace(
        result,
        crd=verdict.crd.source,
        findings=_findings(obj, verdict),
        rules_evaluated=verdict.rules_evaluated,
        rules_unchecked=tuple((r.where, r.rule, r.reason) for r in verdict.rules_unchecked),
        rules_skipped=verdict.rules_skipped,
    )


def _findings(obj: KubeObject, verdict: Verdict) -> tuple[Finding, ...]:
    findings = []
    for violation in verdict.violations:
        line, column = obj.position(violation.path)
        where = format_path(violation.path) or "(object)"
        findings.append(Finding(where, violation.message, line, column, violation.rule))
    return tuple(sorted(findings, key=lambda f: (f.line, f.column)))


def _replace(result: ObjectResult, **changes: Any) -> ObjectResult:
    return ObjectResult(**{**result.__dict__, **changes})


# --- reports ------------------------------------------------------------------------------------


def _unchecked_rules(results: Sequence[ObjectResult]) -> dict[tuple[str, str, str], str]:
    """(kind, where, rule) -> why, for each distinct rule not evaluated."""
    unchecked: dict[tuple[str, str, str], str] = {}
    for result in results:
        for where, rule, reason in result.rules_unchecked:
            unchecked.setdefault((result.kind, where, rule), reason)
    return unchecked


def format_text(results: Sequence[ObjectResult], validator: CustomResourceValidator) -> str:
    """A line per custom resource, its violations, then a summary and the CEL rules' status."""
    lines: list[str] = []
    for result in results:
        where = f"{result.file}:{result.line}"
        if result.skipped is not None:
            lines.append(f"SKIPPED {where} {result.label}: {result.skipped}")
            continue
        lines.append(f"{result.status.upper()} {where} {result.label}")
        for f in result.findings:
            rule = f" [CEL rule: {f.rule}]" if f.rule else ""
            lines.append(f"  - {result.file}:{f.line}:{f.column} {f.field}: {f.message}{rule}")
        if result.rules_skipped:
            lines.append("  (its CEL rules are evaluated once the schema errors are fixed)")
    checked = [result for result in results if result.skipped is None]
    invalid = sum(result.status == "invalid" for result in checked)
    skipped = len(results) - len(checked)
    resources = "custom resource" if len(checked) == 1 else "custom resources"
    summary = (
        f"{len(checked)} {resources} checked against the pinned CRDs: "
        f"{len(checked) - invalid} valid, {invalid} invalid"
    )
    lines.append(summary + (f"; {skipped} skipped (no pinned CRD)" if skipped else ""))
    lines.extend(_cel_summary(results, validator))
    return "\n".join(lines)


def _cel_summary(results: Sequence[ObjectResult], validator: CustomResourceValidator) -> list[str]:
    evaluated = sum(result.rules_evaluated for result in results)
    unchecked = _unchecked_rules(results)
    if validator.cel is None:
        if not unchecked:
            return []
        rules = "rule applies" if len(unchecked) == 1 else "rules apply"
        return [f"CEL rules: not evaluated ({len(unchecked)} {rules}): {validator.cel_missing}"]
    lines = [f"CEL rules: {evaluated} {'evaluation' if evaluated == 1 else 'evaluations'}"]
    if unchecked:
        rules = "rule" if len(unchecked) == 1 else "rules"
        lines[0] += f"; {len(unchecked)} {rules} not evaluated:"
        lines.extend(
            f"  - {kind} {where}: {rule} ({reason})"
            for (kind, where, rule), reason in sorted(unchecked.items())
        )
    return lines


def format_json(
    results: Sequence[ObjectResult], validator: CustomResourceValidator
) -> dict[str, Any]:
    """The results as JSON: ``objects``, one per custom resource, and ``cel``."""
    return {
        "objects": [result.to_json() for result in results],
        "cel": {
            "available": validator.cel is not None,
            "reason": None if validator.cel is not None else validator.cel_missing,
            "evaluations": sum(result.rules_evaluated for result in results),
            "notEvaluated": [
                {"kind": kind, "where": where, "rule": rule, "reason": reason}
                for (kind, where, rule), reason in sorted(_unchecked_rules(results).items())
            ],
        },
    }
