"""checkov over every scenario and every committed example, in one run.

What may fail is stated here, per file: only CKV_K8S_43 for an image without a digest (the
user's choice, left visible on purpose), and what a scenario adds by patch on purpose.
Everything the library waives must show up as *skipped*, with its reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kasm_constructs.policy.waivers import CHECKOV_WAIVERS
from tests.helpers import REPO, synth_yaml
from tests.judges import checkov_findings
from tests.scenario_cases import SCENARIOS

EXAMPLE_OUTPUTS = sorted([*REPO.glob("dist/*.yaml"), *REPO.glob("examples/*/dist/*.yaml")])
#: Findings a scenario causes on purpose, beyond an undigested image's CKV_K8S_43.
INTENDED = {"exempted": {"CKV_K8S_25"}}  # the scenario patches in SYS_PTRACE


@pytest.fixture(scope="module")
def scanned(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, dict[str, set[str]]]]:
    directory = tmp_path_factory.mktemp("checkov")
    for name, build in SCENARIOS.items():
        (directory / f"scenario-{name}.yaml").write_text(synth_yaml(build))
    for path in EXAMPLE_OUTPUTS:
        relative = path.relative_to(REPO).as_posix().replace("/", "-")
        (directory / f"example-{relative}").write_text(path.read_text())
    return directory, checkov_findings(directory)


def _expected_failures(text: str) -> set[str]:
    images = [
        c["image"]
        for doc in yaml.safe_load_all(text)
        if doc and doc["kind"] in ("Deployment", "StatefulSet")
        for c in doc["spec"]["template"]["spec"]["containers"]
    ]
    return {"CKV_K8S_43"} if any("@sha256:" not in image for image in images) else set()


def test_examples_are_scanned() -> None:
    assert len(EXAMPLE_OUTPUTS) >= 3


def test_only_intended_findings_fail(
    scanned: tuple[Path, dict[str, dict[str, set[str]]]],
) -> None:
    directory, findings = scanned
    for path in sorted(directory.glob("*.yaml")):
        scenario = path.stem.removeprefix("scenario-")
        expected = _expected_failures(path.read_text()) | INTENDED.get(scenario, set())
        result = findings.get(path.name, {"failed": set()})
        assert result["failed"] == expected, path.name


def test_digest_pinned_has_zero_failed_checks(
    scanned: tuple[Path, dict[str, dict[str, set[str]]]],
) -> None:
    _, findings = scanned
    assert findings["scenario-digest-pinned.yaml"]["failed"] == set()
    assert "CKV_K8S_43" in findings["scenario-digest-pinned.yaml"]["passed"]


def test_network_policy_and_token_findings_are_closed(
    scanned: tuple[Path, dict[str, dict[str, set[str]]]],
) -> None:
    _, findings = scanned
    for name, result in findings.items():
        assert {"CKV2_K8S_6", "CKV_K8S_38"} & result["failed"] == set(), name
        assert "CKV_K8S_38" in result["passed"], name


def test_waivers_are_skipped_not_passed(
    scanned: tuple[Path, dict[str, dict[str, set[str]]]],
) -> None:
    _, findings = scanned
    desktop = findings["scenario-desktop-1.16.yaml"]
    assert desktop["skipped"] == {"CKV_K8S_40", "CKV_K8S_35"}
    assert findings["scenario-low-port.yaml"]["skipped"] == {
        "CKV_K8S_40",
        "CKV_K8S_35",
        "CKV_K8S_25",
    }
    # uid 101 and no secret: only the uid waiver.
    assert findings["scenario-generic.yaml"]["skipped"] == {"CKV_K8S_40"}
    waived = {w.check for w in CHECKOV_WAIVERS}
    for name, result in findings.items():
        assert result["skipped"] <= waived, name
