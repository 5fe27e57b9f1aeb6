"""Every scenario: a snapshot of its YAML, Pod Security "restricted" for 1.23-1.37, and the
Kubernetes schemas for 1.25-1.37 in strict mode. Field-level intent lives in the other test
modules; the snapshot catches everything else that changes."""

from __future__ import annotations

from pathlib import Path

import cdk8s
import pytest
import yaml

from kasm_constructs.policy.pod_security import SUPPORTED_VERSIONS, evaluate, pod_template
from tests.helpers import kubectl_reading, needs_kubectl, synth_yaml
from tests.judges import KUBERNETES_VERSIONS, crd_schema_errors, schema_errors
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


def test_every_pod_is_restricted_at_every_version(scenario: tuple[str, str]) -> None:
    name, text = scenario
    pods = [doc for doc in yaml.safe_load_all(text) if doc and pod_template(doc)]
    assert pods, f"{name} has no workload"
    for doc in pods:
        exempted = {
            key.rsplit("/", 1)[1]
            for key in doc["metadata"].get("annotations", {})
            if key.startswith("pod-security.kasm-constructs.io/")
        }
        for version in SUPPORTED_VERSIONS:
            violations = [
                v for v in evaluate(doc, "restricted", version) if v.check not in exempted
            ]
            assert violations == [], (name, version)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_schema_strict(scenario: tuple[str, str], version: str) -> None:
    _, text = scenario
    assert schema_errors(yaml.safe_load_all(text), version) == []


def test_crd_kinds_pass_their_crd_schema(scenario: tuple[str, str]) -> None:
    _, text = scenario
    assert crd_schema_errors(yaml.safe_load_all(text))[0] == []
