"""The guard and ``python -m kasm_constructs audit`` give the same verdict on everything
``cdk8s synth`` writes: every scenario and every example. And where the guard refuses a
workload, the audit, given what would have been written, denies it for the same checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kasm_constructs.policy import guard as _guard
from kasm_constructs.policy.pod_security import (
    evaluate_exempted,
    exemptions_from_annotations,
    pod_template,
)
from tests.helpers import REPO, child_env, synth_yaml
from tests.scenario_cases import SCENARIOS

OUTPUTS = sorted([*REPO.glob("dist/*.yaml"), *REPO.glob("examples/*/dist/*.yaml")])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every scenario's output and every committed example output, in one directory."""
    directory = tmp_path_factory.mktemp("written")
    for name, build in SCENARIOS.items():
        (directory / f"scenario-{name}.yaml").write_text(synth_yaml(build))
    for path in OUTPUTS:
        (directory / path.relative_to(REPO).as_posix().replace("/", "-")).write_text(
            path.read_text()
        )
    return directory


def _audit(directory: Path, *flags: str) -> tuple[int, list[dict[str, Any]]]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kasm_constructs",
            "audit",
            "--output",
            "json",
            *flags,
            str(directory),
        ],
        capture_output=True,
        text=True,
        env=child_env(),
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def _guard_verdicts(directory: Path) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """(file, object name) -> (refused checks, accepted checks), as the guard judges them."""
    verdicts = {}
    for path in sorted(directory.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or pod_template(doc) is None:
                continue
            exemptions = exemptions_from_annotations(doc["metadata"].get("annotations", {}))
            refused, accepted = evaluate_exempted(doc, exemptions)
            verdicts[(path.name, doc["metadata"]["name"])] = (
                {v.check for v in refused},
                {v.check for v in accepted},
            )
    return verdicts


def test_guard_and_audit_agree_on_everything_synth_writes(written: Path) -> None:
    status, report = _audit(written)
    audit = {
        (Path(r["file"]).name, r["name"]): (
            {v["check"] for v in r["violations"]},
            {v["check"] for v in r["exempted"]},
        )
        for r in report
        if r["status"] != "skipped"
    }
    guard = _guard_verdicts(written)
    assert audit == guard
    assert len(guard) >= len(SCENARIOS) + len(OUTPUTS)  # every workload was judged
    assert status == 0  # the guard let all of it through, and so does the audit
    # The one exemption among them is shown, not hidden: and a strict audit denies it.
    assert {k for k, (_, accepted) in audit.items() if accepted} == {
        ("scenario-exempted.yaml", "kasm-desktop-c8a51aa7")
    }
    strict_status, strict = _audit(written, "--ignore-exemptions")
    assert strict_status == 1
    assert [r["name"] for r in strict if r["status"] == "denied"] == ["kasm-desktop-c8a51aa7"]


@pytest.mark.parametrize(
    ("path", "value", "check"),
    [
        (("spec", "template", "spec", "hostNetwork"), True, "hostNamespaces"),
        (
            ("spec", "template", "spec", "containers", 0, "securityContext", "privileged"),
            True,
            "privileged",
        ),
        (("spec", "template", "spec", "securityContext", "runAsUser"), 0, "runAsUser"),
    ],
)
def test_what_the_guard_refuses_the_audit_denies(
    path: tuple[Any, ...], value: Any, check: str, tmp_path: Path
) -> None:
    (doc,) = [
        d
        for d in yaml.safe_load_all((REPO / "dist/kasm.k8s.yaml").read_text())
        if d and d["kind"] == "StatefulSet"
    ]
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    policy = _guard.Policy("kasm/workspace", "1.37", {})
    assert any(f"rule {check}:" in e for e in _guard.judge(doc, policy))
    (tmp_path / "patched.yaml").write_text(yaml.safe_dump(doc))
    status, report = _audit(tmp_path)
    assert status == 1
    assert check in {v["check"] for v in report[0]["violations"]}
