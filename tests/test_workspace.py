"""HardenedWorkspace: the hardened fields, resources, environment and metadata."""

from __future__ import annotations

import inspect

import cdk8s
import cdk8s_plus_28 as kplus

from kasm_constructs import HardenedWorkspace, Home, Probe
from kasm_constructs._pipeline.model import WorkspaceOptions
from kasm_constructs.options.declare import declared
from tests.helpers import Manifest, container, env, mounts, one, pod_spec, synth, volumes
from tests.scenario_cases import VNC


def _desktop(**kwargs: object) -> list[Manifest]:
    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(
            chart, "desktop", **{"image": "kasmweb/desktop:1.16.0", "secret_env": VNC, **kwargs}
        )  # type: ignore[arg-type]

    return synth(build)


def test_pod_and_container_security_context() -> None:
    workload = one(_desktop(), "Deployment")
    assert pod_spec(workload)["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "runAsGroup": 1000,
        "fsGroup": 1000,
        "fsGroupChangePolicy": "OnRootMismatch",
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert container(workload)["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "runAsGroup": 1000,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert pod_spec(workload)["automountServiceAccountToken"] is False
    assert pod_spec(workload)["enableServiceLinks"] is False
    assert "hostUsers" not in pod_spec(workload)


def test_ids_are_configurable() -> None:
    workload = one(_desktop(run_as_user=2000, run_as_group=3000, fs_group=4000), "Deployment")
    context = pod_spec(workload)["securityContext"]
    assert (context["runAsUser"], context["runAsGroup"], context["fsGroup"]) == (2000, 3000, 4000)
    assert container(workload)["securityContext"]["runAsUser"] == 2000


def test_net_bind_service_only_below_1024() -> None:
    high = container(one(_desktop(ports={"vnc": 6901, "extra": 1024}), "Deployment"))
    assert "add" not in high["securityContext"]["capabilities"]
    low = one(_desktop(ports={"https": 443}), "Deployment")
    assert container(low)["securityContext"]["capabilities"] == {
        "drop": ["ALL"],
        "add": ["NET_BIND_SERVICE"],
    }
    assert low["metadata"]["annotations"]["checkov.io/skip3"].startswith("CKV_K8S_25=")


def test_every_writable_path_is_a_sized_emptydir_and_the_user_list_is_exact() -> None:
    workload = one(_desktop(writable_paths={"/tmp": "100Mi", "/opt/cache": "1Gi"}), "Deployment")
    by_path = mounts(workload)
    assert set(by_path) == {"/tmp", "/opt/cache", "/home/kasm-user", "/dev/shm"}
    assert volumes(workload)[by_path["/tmp"]]["emptyDir"] == {"sizeLimit": "100Mi"}
    assert volumes(workload)[by_path["/opt/cache"]]["emptyDir"] == {"sizeLimit": "1Gi"}
    for volume in volumes(workload).values():
        assert volume["emptyDir"]["sizeLimit"]


def test_secrets_by_reference_never_by_value() -> None:
    workload = one(_desktop(secret_env={**VNC, "TOKEN": ("api", "token")}), "Deployment")
    assert env(workload)["VNC_PW"] == {
        "secretKeyRef": {"name": "kasm-secrets", "key": "vnc-password"}
    }
    assert env(workload)["TOKEN"] == {"secretKeyRef": {"name": "api", "key": "token"}}
    assert workload["metadata"]["annotations"]["checkov.io/skip2"] == (
        "CKV_K8S_35=the image reads VNC_PW, TOKEN from its environment; bound by secretKeyRef, "
        "never by value"
    )


def test_extra_env_overrides_image_defaults() -> None:
    values = env(
        one(_desktop(env={"XDG_CACHE_HOME": "/home/kasm-user/.cache", "A": "1"}), "Deployment")
    )
    assert values["XDG_CACHE_HOME"] == "/home/kasm-user/.cache"
    assert values["A"] == "1"
    assert values["TMPDIR"] == "/tmp"


def test_resources_as_given_with_ephemeral_storage_from_the_emptydirs() -> None:
    workload = one(
        _desktop(
            requests={"cpu": "250m", "memory": "1Gi"},
            limits={"cpu": "1", "memory": "2Gi", "nvidia.com/gpu": "1"},
            writable_paths={"/tmp": "1Gi", "/var/run/pulse": "64Mi"},
            home=Home.ephemeral("2Gi"),
        ),
        "Deployment",
    )
    resources = container(workload)["resources"]
    # 1Gi + 64Mi + 2Gi of disk-backed emptyDirs; the memory-backed /dev/shm does not count.
    assert resources["requests"] == {"cpu": "250m", "memory": "1Gi", "ephemeral-storage": "3136Mi"}
    assert resources["limits"] == {
        "cpu": "1",
        "memory": "2Gi",
        "nvidia.com/gpu": "1",
        "ephemeral-storage": "4160Mi",
    }


def test_given_ephemeral_storage_is_kept() -> None:
    resources = container(
        one(
            _desktop(requests={"ephemeral-storage": "1Gi"}, limits={"ephemeral-storage": "8Gi"}),
            "Deployment",
        )
    )["resources"]
    assert resources == {
        "requests": {"ephemeral-storage": "1Gi"},
        "limits": {"ephemeral-storage": "8Gi"},
    }


def test_default_resources_are_the_seeds() -> None:
    resources = container(one(_desktop(), "Deployment"))["resources"]
    assert (resources["requests"]["cpu"], resources["requests"]["memory"]) == ("1", "2Gi")
    assert (resources["limits"]["cpu"], resources["limits"]["memory"]) == ("2", "4Gi")


def test_shm_is_memory_backed_and_sized() -> None:
    workload = one(_desktop(shm_size="1Gi"), "Deployment")
    assert mounts(workload)["/dev/shm"] == "dshm"
    assert volumes(workload)["dshm"]["emptyDir"] == {"medium": "Memory", "sizeLimit": "1Gi"}


def test_labels_annotations_pull_policy_and_secrets() -> None:
    docs = _desktop(
        name="alice",
        labels={"team": "a"},
        annotations={"owner": "alice@example.com"},
        image_pull_policy="IfNotPresent",
        image_pull_secrets=["registry"],
    )
    workload = one(docs, "Deployment")
    for doc in docs:
        assert doc["metadata"]["name"] == "alice"
        assert doc["metadata"]["labels"]["team"] == "a"
        assert doc["metadata"]["annotations"]["owner"] == "alice@example.com"
    template = workload["spec"]["template"]["metadata"]
    assert template["labels"]["team"] == "a"
    assert template["annotations"] == {"owner": "alice@example.com"}
    assert container(workload)["imagePullPolicy"] == "IfNotPresent"
    assert pod_spec(workload)["imagePullSecrets"] == [{"name": "registry"}]


def test_recommended_labels_and_selector() -> None:
    workload = one(_desktop(name="alice"), "Deployment")
    labels = workload["metadata"]["labels"]
    assert labels == {
        "app.kubernetes.io/name": "kasm-workspace",
        "app.kubernetes.io/instance": "alice",
        "app.kubernetes.io/component": "desktop",
        "app.kubernetes.io/part-of": "kasm-workspaces",
        "app.kubernetes.io/managed-by": "cdk8s",
        "app.kubernetes.io/version": "1.16.0",
    }
    assert workload["spec"]["selector"] == {
        "matchLabels": {
            "app.kubernetes.io/name": "kasm-workspace",
            "app.kubernetes.io/instance": "alice",
        }
    }


def test_custom_probes_and_disabled_probe() -> None:
    c = container(
        one(
            _desktop(
                readiness_probe=Probe.from_tcp_socket(6901, period_seconds=3),
                liveness_probe=Probe.disabled(),
            ),
            "Deployment",
        )
    )
    assert c["readinessProbe"]["tcpSocket"] == {"port": 6901}
    assert c["readinessProbe"]["periodSeconds"] == 3
    assert "livenessProbe" not in c
    assert c["startupProbe"]["tcpSocket"] == {"port": "vnc"}


def test_workload_is_the_cdk8s_plus_object_and_patches_are_plain_json() -> None:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    workspace = HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
    assert isinstance(workspace.workload, kplus.Deployment)
    assert isinstance(workspace.service, kplus.Service)
    assert isinstance(workspace.service_account, kplus.ServiceAccount)
    assert workspace.workload.node.id == "Resource"
    cdk8s.ApiObject.of(workspace.workload).add_json_patch(
        cdk8s.JsonPatch.add("/spec/template/spec/priorityClassName", "desktops"),
        cdk8s.JsonPatch.add("/spec/template/spec/containers/0/resources/limits/memory", "8Gi"),
        # cdk8s-plus's converter reads this field as setHostnameAsFqdn and would drop it.
        cdk8s.JsonPatch.replace("/spec/template/spec/setHostnameAsFQDN", True),
    )
    workload = one([d for d in cdk8s.Testing.synth(chart)], "Deployment")
    assert pod_spec(workload)["priorityClassName"] == "desktops"
    assert container(workload)["resources"]["limits"]["memory"] == "8Gi"
    assert pod_spec(workload)["setHostnameAsFQDN"] is True


def test_cdk8s_plus_scheduling_api_is_kept() -> None:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    workspace = HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
    workspace.workload.scheduling.attract(
        kplus.Node.labeled(kplus.NodeLabelQuery.is_("gpu", "true"))
    )
    workload = one(cdk8s.Testing.synth(chart), "Deployment")
    terms = pod_spec(workload)["affinity"]["nodeAffinity"]
    selector = terms["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert selector == [
        {"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["true"]}]}
    ]


def test_the_signature_and_docs_come_from_the_one_declaration() -> None:
    """``inspect.signature`` and ``help`` show every declared option with its default, and the
    docstring documents each (``WorkspaceOptions`` is the only place they are written)."""
    parameters = inspect.signature(HardenedWorkspace).parameters  # not jsii's (*args, **kwargs)
    assert list(parameters)[:2] == ["scope", "id"]
    keywords = {name: p.default for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    fields = {
        d.name: inspect.Parameter.empty if d.required else d.option.default
        for d in declared(WorkspaceOptions)
    }
    assert keywords == fields
    doc = HardenedWorkspace.__doc__ or ""
    for d in declared(WorkspaceOptions):
        assert f"\n        {d.name}: " in doc
    assert "image: str," in str(inspect.signature(HardenedWorkspace))
