"""``_apiserver.problems``: what the API server would reject in a written workload, on
hand-written manifests, without jsii."""

from __future__ import annotations

from typing import Any

import pytest

from kasm_constructs import Home
from kasm_constructs.policy.apiserver import ANNOTATIONS_LIMIT, problems
from tests.unit.make import manifest, settings

POD = "spec.template.spec"


def workload(**pod: Any) -> dict[str, Any]:
    """A small valid Deployment, with ``pod`` fields replacing the pod spec's."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "desk"},
        "spec": {
            "selector": {"matchLabels": {"app": "desk"}},
            "template": {
                "metadata": {"labels": {"app": "desk", "extra": "x"}},
                "spec": {
                    "containers": [
                        {
                            "name": "desk",
                            "image": "img",
                            "resources": {"limits": {"cpu": 2, "memory": "4Gi"}},
                            "volumeMounts": [{"mountPath": "/tmp", "name": "tmp"}],
                            "readinessProbe": {"tcpSocket": {"port": "vnc"}},
                        }
                    ],
                    "volumes": [{"emptyDir": {"sizeLimit": "1Gi"}, "name": "tmp"}],
                    **pod,
                },
            },
        },
    }


def container(manifest: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = manifest["spec"]["template"]["spec"]["containers"][0]
    return found


@pytest.mark.parametrize(
    "overrides",
    [{}, {"home": Home.per_replica("10Gi"), "replicas": 2}, {"home": Home.claim("kasm-home")}],
    ids=["kasmweb", "per-replica", "claim"],
)
def test_what_a_workspace_renders_is_accepted(overrides: dict[str, Any]) -> None:
    assert problems(manifest(settings(**overrides))) == []


def test_the_hand_written_workload_is_accepted() -> None:
    assert problems(workload()) == []


@pytest.mark.parametrize(
    ("manifest_", "expected"),
    [
        ({"kind": "Deployment"}, "field spec: missing or not an object"),
        ({"spec": []}, "field spec: missing or not an object"),
        ({"spec": {"template": {}}}, "field spec.template.spec: missing or not an object"),
        ({"spec": {"template": {"spec": 1}}}, "field spec.template.spec: missing or not an object"),
    ],
)
def test_a_missing_spec_is_one_problem(manifest_: dict[str, Any], expected: str) -> None:
    assert problems(manifest_) == [expected]


@pytest.mark.parametrize("where", ["metadata", "spec.template.metadata"])
def test_annotations_over_256_kib(where: str) -> None:
    m = workload()
    target = m["metadata"] if where == "metadata" else m["spec"]["template"]["metadata"]
    target["annotations"] = {"a": "x" * ANNOTATIONS_LIMIT}
    assert problems(m) == [
        f"field {where}.annotations: {ANNOTATIONS_LIMIT + 1} bytes of annotations; the API server "
        f"accepts at most {ANNOTATIONS_LIMIT} (256 KiB)"
    ]
    target["annotations"] = {"a": "x" * (ANNOTATIONS_LIMIT - 1)}
    assert problems(m) == []


def test_a_selector_that_does_not_select_the_pods() -> None:
    m = workload()
    m["spec"]["template"]["metadata"]["labels"]["app"] = "other"
    (problem,) = problems(m)
    assert problem.startswith("field spec.template.metadata.labels: the selector {'app': 'desk'}")
    assert "differ at {'app': 'desk'}" in problem


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("resources", "limits", "memory"), {"value": "8Gi"}, "resources.limits.memory"),
        (("resources", "limits", "cpu"), "two", "resources.limits.cpu"),
        (("resources", "limits", "cpu"), True, "resources.limits.cpu"),
    ],
)
def test_a_quantity_that_is_not_one(path: tuple[str, ...], value: Any, field: str) -> None:
    m = workload()
    node = container(m)
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    (problem,) = problems(m)
    assert problem.startswith(f"field {POD}.containers[0].{field} is ")
    assert "not a quantity" in problem
    assert 'write plain values ("8Gi", not {"value": "8Gi"})' in problem


def test_an_empty_dir_size_that_is_not_a_quantity() -> None:
    m = workload(volumes=[{"emptyDir": {"sizeLimit": {"value": "1Gi"}}, "name": "tmp"}])
    (problem,) = problems(m)
    assert problem.startswith(f'field {POD}.volumes[0].emptyDir.sizeLimit is {{"value": "1Gi"}}')
    # an emptyDir without a size is fine
    assert problems(workload(volumes=[{"emptyDir": {}, "name": "tmp"}])) == []


@pytest.mark.parametrize("port", [0, 65536, "VNC", "6901", True, None, "a" * 16])
def test_a_probe_port_that_is_not_a_port(port: Any) -> None:
    m = workload()
    container(m)["readinessProbe"] = {"httpGet": {"path": "/", "port": port}}
    (problem,) = problems(m)
    assert problem.startswith(f"field {POD}.containers[0].readinessProbe.httpGet.port is ")
    assert "not a port" in problem


@pytest.mark.parametrize("port", [1, 65535, "vnc", "web-1"])
def test_a_probe_port_that_is_one(port: Any) -> None:
    m = workload()
    container(m)["livenessProbe"] = {"tcpSocket": {"port": port}}
    assert problems(m) == []


def test_lifecycle_and_init_container_ports_are_checked_too() -> None:
    m = workload(initContainers=[{"name": "init", "startupProbe": {"tcpSocket": {"port": 0}}}])
    container(m)["lifecycle"] = {"preStop": {"httpGet": {"path": "/", "port": -1}}}
    assert [p.split(" is ")[0] for p in problems(m)] == [
        f"field {POD}.initContainers[0].startupProbe.tcpSocket.port",
        f"field {POD}.containers[0].lifecycle.preStop.httpGet.port",
    ]


def test_a_volume_defined_twice() -> None:
    m = workload(volumes=[{"emptyDir": {}, "name": "tmp"}, {"emptyDir": {}, "name": "tmp"}])
    assert problems(m) == [f'field {POD}.volumes[1].name: volume "tmp" is defined twice']


def test_a_mount_of_a_volume_the_pod_does_not_define() -> None:
    m = workload(volumes=[])
    (problem,) = problems(m)
    assert problem.startswith(
        f'field {POD}.containers[0].volumeMounts[0].name: mounts volume "tmp", which the pod '
        "does not define"
    )


def test_a_volume_claim_template_defines_a_volume() -> None:
    m = workload(volumes=[])
    m["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "tmp"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}}
    ]
    assert problems(m) == []
    m["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "lots"
    (problem,) = problems(m)
    assert problem.startswith(
        'field spec.volumeClaimTemplates[0].spec.resources.requests.storage is "lots", not a '
        "quantity"
    )


def test_a_path_mounted_twice_in_one_container() -> None:
    m = workload(volumes=[{"emptyDir": {}, "name": "tmp"}, {"emptyDir": {}, "name": "other"}])
    container(m)["volumeMounts"].append({"mountPath": "/tmp", "name": "other"})
    assert problems(m) == [
        f'field {POD}.containers[0].volumeMounts[1].mountPath: "/tmp" is mounted twice in one '
        "container"
    ]


def test_a_windows_pod_may_not_set_linux_only_fields() -> None:
    m = workload(os={"name": "windows"}, hostUsers=False, securityContext={"runAsUser": 1000})
    container(m)["securityContext"] = {"readOnlyRootFilesystem": True}
    assert problems(m) == [
        f"field {POD}.os.name is windows, but a Windows pod may not set the Linux-only fields "
        f"{POD}.hostUsers, {POD}.securityContext.runAsUser, "
        f"{POD}.containers[0].securityContext.readOnlyRootFilesystem"
    ]
    assert problems(workload(os={"name": "windows"})) == []
    assert problems(workload(os={"name": "linux"}, hostUsers=False)) == []


def test_every_problem_is_reported() -> None:
    m = workload(volumes=[])
    container(m)["resources"]["limits"]["memory"] = "8 Gi"
    container(m)["readinessProbe"]["tcpSocket"]["port"] = 0
    m["metadata"]["annotations"] = {"a": "x" * ANNOTATIONS_LIMIT}
    assert len(problems(m)) == 4
