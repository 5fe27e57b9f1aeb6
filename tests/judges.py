"""The judges: kubernetes-validate (built-in schemas), the package's own custom resource
validator (the pinned CRDs' schemas with jsonschema, their CEL rules with cel-expr-python) and
checkov (scanner)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import kubernetes_validate

from kasm_constructs.manifests.crdcel import CelRules
from kasm_constructs.manifests.crds import split_api_version
from kasm_constructs.manifests.crdvalidate import CustomResourceValidator
from kasm_constructs.manifests.kinds import BUILTIN_GROUPS
from kasm_constructs.manifests.kubeyaml import format_path

KUBERNETES_VERSIONS = [f"1.{minor}.0" for minor in range(25, 38)]


def schema_errors(documents: Iterable[dict[str, Any] | None], version: str) -> list[str]:
    """``kubernetes-validate --strict`` for one Kubernetes version; one message per problem.
    Custom resources are checked by :func:`crd_errors` instead."""
    errors = []
    for doc in documents:
        if not doc or not _is_built_in(doc):
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{doc['kind']}/{doc['metadata'].get('name')}: {error.message}")
    return errors


def checkov_executable() -> str | None:
    """checkov lives in its own venv (see Makefile); fall back to PATH."""
    configured = os.environ.get("KASM_CONSTRUCTS_CHECKOV")
    if configured and Path(configured).exists():
        return configured
    return shutil.which("checkov")


def checkov_findings(directory: Path) -> dict[str, dict[str, set[str]]]:
    """Run checkov once over every YAML file under ``directory``.

    Returns file -> {"failed": {check ids}, "skipped": {check ids}}.
    """
    executable = checkov_executable()
    assert executable, "checkov is not installed: run `make test`"
    result = subprocess.run(
        [
            executable,
            "--directory",
            str(directory),
            "--framework",
            "kubernetes",
            "--skip-download",
            "--output",
            "json",
            "--compact",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    assert result.returncode in (0, 1), result.stderr
    reports = json.loads(result.stdout) if result.stdout.strip() else []
    if isinstance(reports, dict):
        reports = [reports]
    findings: dict[str, dict[str, set[str]]] = {}
    for report in reports:
        for outcome in ("failed", "skipped", "passed"):
            for check in report.get("results", {}).get(f"{outcome}_checks", []):
                entry = findings.setdefault(
                    Path(check["file_path"]).name,
                    {"failed": set(), "skipped": set(), "passed": set()},
                )
                entry[outcome].add(check["check_id"])
    return findings


# --- custom resources: the pinned CRDs' schemas and CEL rules ----------------------------------


@functools.cache
def crd_validator() -> CustomResourceValidator:
    """The package's validator (``kasm-constructs validate``) with the CEL rules: the tests
    require cel-expr-python (requirements-dev.txt)."""
    return CustomResourceValidator(cel=CelRules())


def crd_errors(documents: Iterable[dict[str, Any] | None]) -> tuple[list[str], int]:
    """What the API server would refuse in the custom resources among ``documents`` (the
    schema of their pinned CRD and its CEL rules; a kind no pinned CRD defines, or a rule that
    could not be evaluated, is an error too), and how many custom resources there were."""
    errors, checked = [], 0
    for doc in documents:
        if not doc or _is_built_in(doc):
            continue
        checked += 1
        where = f"{doc['apiVersion']} {doc['kind']} {doc['metadata'].get('name')}"
        verdict = crd_validator().validate(doc)
        if verdict is None:
            errors.append(f"{where}: no pinned CRD defines it")
            continue
        errors += [f"{where}: {format_path(v.path)}: {v.message}" for v in verdict.violations]
        errors += [f"{where}: unevaluated: {r.rule} ({r.reason})" for r in verdict.rules_unchecked]
    return errors, checked


def _is_built_in(doc: dict[str, Any]) -> bool:
    return split_api_version(doc["apiVersion"])[0] in BUILTIN_GROUPS
