"""The third-party judges: kubernetes-validate (schemas) and checkov (scanner)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import kubernetes_validate

KUBERNETES_VERSIONS = [f"1.{minor}.0" for minor in range(28, 38)]


def schema_errors(documents: Iterable[dict[str, Any] | None], version: str) -> list[str]:
    """``kubernetes-validate --strict`` for one Kubernetes version; one message per problem."""
    errors = []
    for doc in documents:
        if not doc:
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
