"""Every scenario: a snapshot of its YAML, Pod Security "restricted" for 1.23-1.37, and the
Kubernetes schemas for 1.25-1.37 in strict mode. Field-level intent lives in the other test
modules; the snapshot catches everything else that changes."""

from __future__ import annotations

from pathlib import Path

import cdk8s
import pytest
import yaml

from kasm_constructs.policy.pod_security import (
    LATEST_VERSION,
    SUPPORTED_VERSIONS,
    Violation,
    evaluate,
    evaluate_exempted,
    exemptions_from_annotations,
    pod_template,
)
from tests.helpers import Manifest, kubectl_reading, needs_kubectl, synth_yaml
from tests.judges import KUBERNETES_VERSIONS, crd_errors, schema_errors
from tests.scenario_cases import SCENARIOS


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def scenario(request: pytest.FixtureRequest) -> tuple[str, str]:
    name: str = request.param
    return name, synth_yaml(SCENARIOS[name])


@needs_kubectl
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_kubectl_reads_what_was_rendered(name: str, tmp_path: Path) -> None:
    """The oracle: kubectl reads each scenario's YAML as exactly the JSON its charts rendered,
    user values and JSON patches included."""
    app = cdk8s.App()
    SCENARIOS[name](app)
    path = tmp_path / "scenario.yaml"
    path.write_text(app.synth_yaml())
    assert kubectl_reading(path) == [m for chart in app.charts for m in chart.to_json()]


def test_snapshot(scenario: tuple[str, str], snapshot: object) -> None:
    _, text = scenario
    assert text == snapshot


def refused_at(doc: Manifest, version: str) -> list[Violation]:
    """What Pod Security "restricted" at ``version`` refuses in ``doc``, after the exemptions
    recorded on it, with the library's own semantics (those of the guard and the audit): an
    exemption covers only its check, or only the values it names, and never relaxes the
    baseline check that its restricted check overrides."""
    exemptions = exemptions_from_annotations(doc["metadata"].get("annotations", {}))
    refused, _ = evaluate_exempted(doc, exemptions, version)
    return refused


def test_every_pod_is_restricted_at_every_version(scenario: tuple[str, str]) -> None:
    name, text = scenario
    pods = [doc for doc in yaml.safe_load_all(text) if doc and pod_template(doc)]
    assert pods, f"{name} has no workload"
    for doc in pods:
        for version in SUPPORTED_VERSIONS:
            assert refused_at(doc, version) == [], (name, version)


def test_an_exemption_accepts_only_what_it_names() -> None:
    """The judgement above can fail: the exempted scenario's exemption of
    capabilities_restricted names SYS_PTRACE, so its manifest with SYS_ADMIN added is refused at
    every version, as the guard refuses it. (A judgement that took the exemption's annotation as
    a blanket pass for its check would accept it: capabilities_restricted is the only restricted
    check that reports it.)"""
    (doc,) = [
        d for d in yaml.safe_load_all(synth_yaml(SCENARIOS["exempted"])) if d and pod_template(d)
    ]
    assert refused_at(doc, LATEST_VERSION) == []
    added = doc["spec"]["template"]["spec"]["containers"][0]["securityContext"]["capabilities"]
    assert added["add"] == ["SYS_PTRACE"]
    added["add"].append("SYS_ADMIN")
    for version in SUPPORTED_VERSIONS:
        assert {v.check for v in evaluate(doc, "restricted", version)} == {
            "capabilities_restricted"
        }
        refused = refused_at(doc, version)
        assert {v.check for v in refused} == {"capabilities_baseline", "capabilities_restricted"}
        assert all("SYS_ADMIN" in v.values for v in refused), (version, refused)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_schema_strict(scenario: tuple[str, str], version: str) -> None:
    _, text = scenario
    assert schema_errors(yaml.safe_load_all(text), version) == []


def test_custom_resources_pass_their_pinned_crd(scenario: tuple[str, str]) -> None:
    """The schema and the CEL rules of the pinned CRD of each custom resource."""
    _, text = scenario
    assert crd_errors(yaml.safe_load_all(text))[0] == []
