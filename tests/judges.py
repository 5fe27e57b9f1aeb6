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

KUBERNETES_VERSIONS = [f"1.{minor}.0" for minor in range(25, 38)]


def schema_errors(documents: Iterable[dict[str, Any] | None], version: str) -> list[str]:
    """``kubernetes-validate --strict`` for one Kubernetes version; one message per problem.
    CRD kinds are checked by :func:`crd_schema_errors` instead."""
    errors = []
    for doc in documents:
        if not doc or f"{doc['apiVersion']}/{doc['kind']}" in CRD_KINDS:
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


# --- CRD kinds: the openAPIV3Schema of the pinned CRDs ------------------------------------------
#: The structural schemas of the CRD kinds the library writes, extracted from the pinned CRDs in
#: ../shared/crds (a clone has no ../shared, so they are committed; tests/test_examples.py fails
#: when they differ from the CRDs). Regenerate with `python -m tests.judges`.
CRD_SCHEMAS = Path(__file__).parent / "fixtures" / "crd-schemas.json"
#: apiVersion/kind of every CRD kind the library writes.
CRD_KINDS = (
    "gateway.networking.k8s.io/v1/HTTPRoute",
    "gateway.networking.k8s.io/v1/BackendTLSPolicy",
    "gateway.networking.k8s.io/v1/ReferenceGrant",
    "cert-manager.io/v1/Certificate",
)


def extract_crd_schemas(crd_dir: Path) -> dict[str, Any]:
    """apiVersion/kind -> openAPIV3Schema, for :data:`CRD_KINDS`, from the CRD files."""
    import yaml  # noqa: PLC0415

    schemas = {}
    for path in sorted(crd_dir.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        for version in crd["spec"]["versions"]:
            key = f"{crd['spec']['group']}/{version['name']}/{crd['spec']['names']['kind']}"
            if key in CRD_KINDS and version["served"]:
                schemas[key] = version["schema"]["openAPIV3Schema"]
    return schemas


def crd_schema_errors(documents: Iterable[dict[str, Any] | None]) -> tuple[list[str], int]:
    """JSON-schema errors of the CRD kinds among ``documents`` (OpenAPI 3.0 schemas are JSON
    Schema draft 4; CEL rules are the API server's), and how many documents were checked."""
    import jsonschema  # noqa: PLC0415

    schemas = json.loads(CRD_SCHEMAS.read_text(encoding="utf-8"))
    errors, checked = [], 0
    for doc in documents:
        key = f"{doc['apiVersion']}/{doc['kind']}" if doc else None
        if key in schemas:
            checked += 1
            validator = jsonschema.Draft4Validator(schemas[key])
            errors += [
                f"{key} {doc['metadata']['name']}: {e.message}"  # type: ignore[index]
                for e in validator.iter_errors(doc)
            ]
    return errors, checked


if __name__ == "__main__":
    shared = Path(__file__).resolve().parents[2] / "shared" / "crds"
    CRD_SCHEMAS.write_text(json.dumps(extract_crd_schemas(shared), sort_keys=True) + "\n")
    print(f"wrote {CRD_SCHEMAS}")
