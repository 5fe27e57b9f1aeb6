"""The committed example output: up to date, valid, and at parity with the seed."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import cdk8s
import pytest
import yaml

from kasm_constructs.manifests.kinds import BUILTIN_GROUPS
from tests.helpers import (
    REPO,
    Manifest,
    container,
    env,
    kubectl_reading,
    mounts,
    needs_kubectl,
    one,
    pod_spec,
    volumes,
)
from tests.judges import KUBERNETES_VERSIONS, crd_errors, schema_errors
from tests.seed_deviations import SEED_DEVIATIONS

SEED = REPO / "tests" / "fixtures" / "seed-deployment.yaml"
#: example folder -> its cdk8s app; each writes to <folder>/dist (see its cdk8s.yaml).
EXAMPLES = {
    "dist": REPO / "main.py",
    **{f"examples/{app.parent.name}/dist": app for app in sorted(REPO.glob("examples/*/main.py"))},
}


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _synth_to(main: Path, outdir: Path) -> dict[str, str]:
    app = cdk8s.App(outdir=str(outdir))
    _load(main).build(app)
    app.synth()
    return {p.name: p.read_text() for p in sorted(outdir.glob("*.yaml"))}


@pytest.mark.parametrize("folder", sorted(EXAMPLES))
def test_committed_output_is_up_to_date(folder: str, tmp_path: Path) -> None:
    fresh = _synth_to(EXAMPLES[folder], tmp_path)
    committed = {p.name: p.read_text() for p in sorted((REPO / folder).glob("*.yaml"))}
    assert fresh, "the example synthesized nothing"
    assert committed == fresh, f"{folder} is stale: run `make synth` and commit it"


@needs_kubectl
@pytest.mark.parametrize("folder", sorted(EXAMPLES))
def test_kubectl_reads_the_output_as_the_app_wrote_it(folder: str, tmp_path: Path) -> None:
    """The oracle: what kubectl sends the API server, from the committed YAML, is exactly the
    JSON each chart rendered (YAML 1.1 scalars, merge keys and all)."""
    app = cdk8s.App(outdir=str(tmp_path))
    _load(EXAMPLES[folder]).build(app)
    rendered = {f"{chart.node.id}.k8s.yaml": chart.to_json() for chart in app.charts}
    assert sorted(rendered) == sorted(p.name for p in (REPO / folder).glob("*.yaml"))
    for name, manifests in rendered.items():
        assert kubectl_reading(REPO / folder / name) == manifests, name


def _documents(folder: str) -> list[Manifest]:
    return [
        doc
        for path in sorted((REPO / folder).glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("folder", sorted(EXAMPLES))
def test_output_passes_kubernetes_validate_strict(folder: str, version: str) -> None:
    assert schema_errors(_documents(folder), version) == []


def test_custom_resources_pass_the_pinned_crds() -> None:
    """HTTPRoute, BackendTLSPolicy, Certificate, SecurityPolicy, HTTPRouteFilter and
    ScaledObject of every example, against the schema and the CEL rules of their pinned CRD
    (the package's validator, ``kasm-constructs validate``)."""
    documents = [doc for folder in EXAMPLES for doc in _documents(folder)]
    errors, checked = crd_errors(documents)
    assert errors == []
    kinds = {
        d["kind"] for d in documents if d["apiVersion"].rpartition("/")[0] not in BUILTIN_GROUPS
    }
    assert kinds == {
        "HTTPRoute",
        "BackendTLSPolicy",
        "Certificate",
        "SecurityPolicy",
        "HTTPRouteFilter",
        "ScaledObject",
    }
    assert checked == sum(d["kind"] in kinds for d in documents) > 60
    # The schemas do reject: a route whose backend has no name fails; so do the CEL rules: a
    # policy with both CA references and the well-known CAs.
    route = next(d for d in documents if d["kind"] == "HTTPRoute" and "backendRefs" in str(d))
    broken = json.loads(json.dumps(route))
    del broken["spec"]["rules"][0]["backendRefs"][0]["name"]
    name = route["metadata"]["name"]
    assert crd_errors([broken])[0] == [
        f"gateway.networking.k8s.io/v1 HTTPRoute {name}: spec.rules[0].backendRefs[0]: "
        "'name' is a required property"
    ]
    policy = next(d for d in documents if d["kind"] == "BackendTLSPolicy")
    both = json.loads(json.dumps(policy))
    both["spec"]["validation"]["wellKnownCACertificates"] = "System"
    (error,) = crd_errors([both])[0]
    assert error == (
        f"gateway.networking.k8s.io/v1 BackendTLSPolicy {policy['metadata']['name']}: "
        "spec.validation: "
        "must not contain both CACertificateRefs and WellKnownCACertificates"
    )


# --- seed parity -----------------------------------------------------------------------------
_KEYS = {
    "containers": "name",
    "ports": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
}


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Leaf settings by path; list items keyed by name (volumeMounts by mountPath), so
    ``spec.template.spec.containers[name=x].ports[name=vnc].containerPort``."""
    if isinstance(value, dict):
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            if isinstance(item, list) and key in _KEYS and all(isinstance(i, dict) for i in item):
                for element in item:
                    leaves.update(flatten(element, f"{child}[{_KEYS[key]}={element[_KEYS[key]]}]"))
            else:
                leaves.update(flatten(item, child))
        return leaves
    return {path: value}


@pytest.fixture(scope="module")
def example_workload() -> Manifest:
    workloads = [d for d in _documents("dist") if d["kind"] in ("Deployment", "StatefulSet")]
    assert len(workloads) == 1
    return workloads[0]


def _covered(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((f"{prefix}.", f"{prefix}["))


def test_every_seed_setting_appears_unless_listed(example_workload: Manifest) -> None:
    seed = flatten(yaml.safe_load(SEED.read_text()))
    ours = flatten(example_workload)
    prefixes = [prefix for d in SEED_DEVIATIONS for prefix in d.paths]
    missing = {
        path: value
        for path, value in seed.items()
        if not any(_covered(path, prefix) for prefix in prefixes) and ours.get(path) != value
    }
    assert missing == {}
    assert len(seed) > 30  # the flattening really walked the seed


def test_every_listed_deviation_is_real(example_workload: Manifest) -> None:
    seed = flatten(yaml.safe_load(SEED.read_text()))
    ours = flatten(example_workload)
    for deviation in SEED_DEVIATIONS:
        for prefix in deviation.paths:
            covered = {p: v for p, v in seed.items() if _covered(p, prefix)}
            assert covered, f"{prefix} matches no seed setting"
            assert any(ours.get(p) != v for p, v in covered.items()), f"{prefix}: drop it"


def test_readme_shows_the_same_deviations() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Differences from the seed", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    expected = [f"| {d.seed} | {d.ours} | {d.why} |" for d in SEED_DEVIATIONS]
    assert rows[1:] == expected


def test_example_choices(example_workload: Manifest) -> None:
    """The deviations above, as fields: what the example actually does instead."""
    assert example_workload["kind"] == "StatefulSet"
    claims = example_workload["spec"]["volumeClaimTemplates"]
    assert [
        (c["metadata"]["name"], c["spec"]["resources"]["requests"]["storage"]) for c in claims
    ] == [("home", "10Gi")]
    assert mounts(example_workload)["/home/kasm-user"] == "home"
    assert "add" not in container(example_workload)["securityContext"]["capabilities"]
    assert [p["containerPort"] for p in container(example_workload)["ports"]] == [6901]
    assert volumes(example_workload)["var-run-pulse"]["emptyDir"]["sizeLimit"] == "100Mi"
    assert env(example_workload)["XDG_CACHE_HOME"] == "/tmp/.cache"
    assert re.fullmatch(r"kasm-workspace", pod_spec(example_workload)["serviceAccountName"])


def test_teams_example_composes(example_workload: Manifest) -> None:
    docs = _documents("examples/teams/dist")
    namespaces = {d["metadata"]["name"] for d in docs if d["kind"] == "Namespace"}
    assert namespaces == {"team-a", "team-b"}
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] in namespaces, doc["metadata"]["name"]
    team_b = [d for d in docs if d["metadata"].get("namespace") == "team-b"]
    assert one(team_b, "StatefulSet")["metadata"]["labels"]["team"] == "b"
    assert one(team_b, "ConfigMap")["metadata"]["labels"]["team"] == "b"


def test_cdk8s_cli_synth_is_quiet_and_matches(tmp_path: Path) -> None:
    """`cdk8s synth` as the Quick start runs it: pinned Node, no upgrade check, no banner."""
    cli = REPO / "node_modules" / ".bin" / "cdk8s"
    if not cli.exists():
        pytest.skip("node_modules is not installed: run `make synth`")
    for name in ("cdk8s.yaml", "main.py"):
        shutil.copy(REPO / name, tmp_path / name)
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(cli.parent), str(Path(sys.executable).parent), os.environ["PATH"]]
        ),
        "PYTHONPATH": str(REPO),
        "CDK8S_CHECK_UPGRADE": "false",
    }
    result = subprocess.run(
        [str(cli), "synth"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for noise in ("end-of-life", "A new version", "Traceback", "npm"):
        assert noise not in output
    fresh = {p.name: p.read_text() for p in sorted((tmp_path / "dist").glob("*.yaml"))}
    assert fresh == {p.name: p.read_text() for p in sorted((REPO / "dist").glob("*.yaml"))}
