"""Rule-by-rule tests of the Pod Security Standards evaluator, on manifests built in code."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from kasm_constructs.policy.pod_security import (
    LATEST_VERSION,
    SUPPORTED_VERSIONS,
    Violation,
    evaluate,
    pod_template,
)

Manifest = dict[str, Any]


def container(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "image": "registry.example/desktop:1",
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
    }


def restricted_pod() -> Manifest:
    """A Pod that meets "restricted" at every supported version."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "desktop", "namespace": "kasm"},
        "spec": {
            "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
            "initContainers": [container("init")],
            "containers": [container("app"), container("sidecar")],
        },
    }


def mutated(change: Callable[[dict[str, Any]], object]) -> Manifest:
    """The restricted Pod with ``change`` applied to its spec."""
    pod = restricted_pod()
    change(pod["spec"])
    return pod


def app_context(spec: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = spec["containers"][0]["securityContext"]
    return context


def checks(violations: list[Violation]) -> set[str]:
    return {violation.check for violation in violations}


def as_workload(pod: Manifest, kind: str) -> Manifest:
    """Wrap a Pod's metadata and spec in a workload of ``kind``."""
    template = {"metadata": pod["metadata"], "spec": pod["spec"]}
    if kind == "CronJob":
        spec: dict[str, Any] = {
            "schedule": "@daily",
            "jobTemplate": {"spec": {"template": template}},
        }
    elif kind == "PodTemplate":
        return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "t"}, "template": template}
    else:
        spec = {"template": template}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w"}, "spec": spec}


# --- The compliant baseline of all tests --------------------------------------------------------


@pytest.mark.parametrize("version", [*SUPPORTED_VERSIONS, "latest"])
@pytest.mark.parametrize("level", ["baseline", "restricted"])
def test_compliant_pod_is_allowed_everywhere(level: str, version: str) -> None:
    assert evaluate(restricted_pod(), level, version) == []


def test_defaults_are_restricted_and_latest() -> None:
    pod = mutated(lambda spec: app_context(spec).pop("allowPrivilegeEscalation"))
    assert evaluate(pod) == evaluate(pod, "restricted", LATEST_VERSION)
    assert checks(evaluate(pod)) == {"allowPrivilegeEscalation"}
    assert LATEST_VERSION == SUPPORTED_VERSIONS[-1] == "1.37"
    assert SUPPORTED_VERSIONS[0] == "1.23"
    assert len(SUPPORTED_VERSIONS) == 15


# --- One mutation, one violation --------------------------------------------------------------


def set_in_app(key: str, value: object) -> Callable[[dict[str, Any]], object]:
    return lambda spec: app_context(spec).__setitem__(key, value)


MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], object], str, str, str | None]] = [
    # (test id, change to the spec, check, field, container)
    (
        "hostNetwork",
        lambda spec: spec.__setitem__("hostNetwork", True),
        "hostNamespaces",
        "spec.hostNetwork",
        None,
    ),
    (
        "hostPID",
        lambda spec: spec.__setitem__("hostPID", True),
        "hostNamespaces",
        "spec.hostPID",
        None,
    ),
    (
        "privileged",
        set_in_app("privileged", True),
        "privileged",
        "spec.containers[0].securityContext.privileged",
        "app",
    ),
    (
        "capability NET_RAW",
        lambda spec: app_context(spec)["capabilities"].__setitem__("add", ["NET_RAW"]),
        "capabilities_restricted",
        "spec.containers[0].securityContext.capabilities.add",
        "app",
    ),
    (
        "no drop ALL",
        lambda spec: app_context(spec)["capabilities"].__setitem__("drop", ["NET_RAW"]),
        "capabilities_restricted",
        "spec.containers[0].securityContext.capabilities.drop",
        "app",
    ),
    (
        "hostPort",
        lambda spec: spec["containers"][1].__setitem__(
            "ports", [{"containerPort": 80}, {"containerPort": 443, "hostPort": 443}]
        ),
        "hostPorts",
        "spec.containers[1].ports[1].hostPort",
        "sidecar",
    ),
    (
        "AppArmor field",
        set_in_app("appArmorProfile", {"type": "Unconfined"}),
        "appArmorProfile",
        "spec.containers[0].securityContext.appArmorProfile.type",
        "app",
    ),
    (
        "SELinux type",
        lambda spec: spec["securityContext"].__setitem__("seLinuxOptions", {"type": "spc_t"}),
        "seLinuxOptions",
        "spec.securityContext.seLinuxOptions.type",
        None,
    ),
    (
        "SELinux role",
        set_in_app("seLinuxOptions", {"role": "system_r"}),
        "seLinuxOptions",
        "spec.containers[0].securityContext.seLinuxOptions.role",
        "app",
    ),
    (
        "procMount",
        set_in_app("procMount", "Unmasked"),
        "procMount_restricted",
        "spec.containers[0].securityContext.procMount",
        "app",
    ),
    (
        "seccomp Unconfined",
        set_in_app("seccompProfile", {"type": "Unconfined"}),
        "seccompProfile_restricted",
        "spec.containers[0].securityContext.seccompProfile.type",
        "app",
    ),
    (
        "sysctl",
        lambda spec: spec["securityContext"].__setitem__(
            "sysctls", [{"name": "kernel.shm_rmid_forced", "value": "1"}, {"name": "kernel.msgmax"}]
        ),
        "sysctls",
        "spec.securityContext.sysctls[1].name",
        None,
    ),
    (
        "hostProcess",
        set_in_app("windowsOptions", {"hostProcess": True}),
        "windowsHostProcess",
        "spec.containers[0].securityContext.windowsOptions.hostProcess",
        "app",
    ),
    (
        "probe host",
        lambda spec: spec["containers"][0].__setitem__(
            "startupProbe", {"httpGet": {"host": "10.0.0.1", "port": 8080}}
        ),
        "hostProbesAndHostLifecycle",
        "spec.containers[0].startupProbe.httpGet.host",
        "app",
    ),
    (
        "lifecycle host",
        lambda spec: spec["containers"][0].__setitem__(
            "lifecycle", {"preStop": {"tcpSocket": {"host": "db", "port": 5432}}}
        ),
        "hostProbesAndHostLifecycle",
        "spec.containers[0].lifecycle.preStop.tcpSocket.host",
        "app",
    ),
    (
        "hostPath volume",
        lambda spec: spec.__setitem__(
            "volumes",
            [{"name": "cache", "emptyDir": {}}, {"name": "dev", "hostPath": {"path": "/"}}],
        ),
        "restrictedVolumes",
        "spec.volumes[1].hostPath",
        None,
    ),
    (
        "nfs volume",
        lambda spec: spec.__setitem__("volumes", [{"name": "home", "nfs": {"server": "nas"}}]),
        "restrictedVolumes",
        "spec.volumes[0].nfs",
        None,
    ),
    (
        "allowPrivilegeEscalation unset",
        lambda spec: app_context(spec).pop("allowPrivilegeEscalation"),
        "allowPrivilegeEscalation",
        "spec.containers[0].securityContext.allowPrivilegeEscalation",
        "app",
    ),
    (
        "allowPrivilegeEscalation true",
        set_in_app("allowPrivilegeEscalation", True),
        "allowPrivilegeEscalation",
        "spec.containers[0].securityContext.allowPrivilegeEscalation",
        "app",
    ),
    (
        "runAsNonRoot false on a container",
        set_in_app("runAsNonRoot", False),
        "runAsNonRoot",
        "spec.containers[0].securityContext.runAsNonRoot",
        "app",
    ),
    (
        "runAsUser 0 on the pod",
        lambda spec: spec["securityContext"].__setitem__("runAsUser", 0),
        "runAsUser",
        "spec.securityContext.runAsUser",
        None,
    ),
]


@pytest.mark.parametrize(
    ("change", "check", "field", "container"),
    [pytest.param(*case[1:], id=case[0]) for case in MUTATIONS],
)
def test_single_mutation_is_one_violation(
    change: Callable[[dict[str, Any]], object], check: str, field: str, container: str | None
) -> None:
    violations = evaluate(mutated(change))
    assert [(v.check, v.field, v.container) for v in violations] == [(check, field, container)]
    assert violations[0].message


def test_messages_name_the_container_and_the_allowed_value() -> None:
    pod = mutated(lambda spec: app_context(spec).pop("allowPrivilegeEscalation"))
    [violation] = evaluate(pod)
    assert violation.message == (
        'container "app" must set securityContext.allowPrivilegeEscalation=false'
    )
    [violation] = evaluate(mutated(set_in_app("seccompProfile", {"type": "Unconfined"})))
    assert '"Unconfined"' in violation.message
    assert '"RuntimeDefault"' in violation.message


# --- Levels and overrides -----------------------------------------------------------------------


def test_baseline_ignores_restricted_only_rules() -> None:
    pod = mutated(lambda spec: spec.update(securityContext={}, volumes=[{"name": "h", "nfs": {}}]))
    for item in [*pod["spec"]["containers"], *pod["spec"]["initContainers"]]:
        item.pop("securityContext")
    assert evaluate(pod, "baseline") == []
    assert checks(evaluate(pod, "restricted")) == {
        "allowPrivilegeEscalation",
        "capabilities_restricted",
        "restrictedVolumes",
        "runAsNonRoot",
        "seccompProfile_restricted",
    }


@pytest.mark.parametrize(
    ("change", "baseline_check", "restricted_check"),
    [
        pytest.param(
            lambda spec: spec.__setitem__("volumes", [{"name": "h", "hostPath": {"path": "/"}}]),
            "hostPathVolumes",
            "restrictedVolumes",
            id="hostPath",
        ),
        pytest.param(
            lambda spec: app_context(spec)["capabilities"].__setitem__("add", ["SYS_ADMIN"]),
            "capabilities_baseline",
            "capabilities_restricted",
            id="capabilities",
        ),
        pytest.param(
            set_in_app("seccompProfile", {"type": "Unconfined"}),
            "seccompProfile_baseline",
            "seccompProfile_restricted",
            id="seccomp",
        ),
        pytest.param(
            set_in_app("procMount", "Unmasked"), "procMount", "procMount_restricted", id="procMount"
        ),
    ],
)
def test_restricted_check_replaces_its_baseline_counterpart(
    change: Callable[[dict[str, Any]], object], baseline_check: str, restricted_check: str
) -> None:
    pod = mutated(change)
    assert checks(evaluate(pod, "baseline")) == {baseline_check}
    assert checks(evaluate(pod, "restricted")) == {restricted_check}


def test_procmount_restricted_starts_at_1_35() -> None:
    pod = mutated(set_in_app("procMount", "Unmasked"))
    assert checks(evaluate(pod, "restricted", "1.34")) == {"procMount"}
    assert checks(evaluate(pod, "restricted", "1.35")) == {"procMount_restricted"}


def test_baseline_capabilities_allow_list_is_exact_and_case_sensitive() -> None:
    def adding(*capabilities: str) -> Manifest:
        return mutated(
            lambda spec: app_context(spec)["capabilities"].__setitem__("add", capabilities)
        )

    assert evaluate(adding("CHOWN", "NET_BIND_SERVICE", "SYS_CHROOT"), "baseline") == []
    assert checks(evaluate(adding("CHOWN"), "restricted")) == {"capabilities_restricted"}
    assert evaluate(adding("NET_BIND_SERVICE"), "restricted") == []
    for spelling in ("chown", "CAP_CHOWN", "NET_RAW"):
        [violation] = evaluate(adding(spelling), "baseline")
        assert violation.check == "capabilities_baseline"
        assert f'"{spelling}"' in violation.message


# --- Version-dependent rules --------------------------------------------------------------------


def with_sysctl(name: str) -> Manifest:
    return mutated(
        lambda spec: spec["securityContext"].__setitem__("sysctls", [{"name": name, "value": "1"}])
    )


@pytest.mark.parametrize(
    ("sysctl", "first_version"),
    [
        ("kernel.shm_rmid_forced", "1.23"),
        ("net.ipv4.ip_unprivileged_port_start", "1.23"),
        ("net.ipv4.ip_local_reserved_ports", "1.27"),
        ("net.ipv4.tcp_keepalive_time", "1.29"),
        ("net.ipv4.tcp_keepalive_intvl", "1.29"),
        ("net.ipv4.tcp_keepalive_probes", "1.29"),
        ("net.ipv4.tcp_fin_timeout", "1.29"),
        ("net.ipv4.tcp_rmem", "1.32"),
        ("net.ipv4.tcp_wmem", "1.32"),
        ("net.ipv4.tcp_slow_start_after_idle", "1.37"),
        ("net.ipv4.tcp_notsent_lowat", "1.37"),
    ],
)
def test_sysctl_becomes_safe_at_its_version(sysctl: str, first_version: str) -> None:
    pod = with_sysctl(sysctl)
    first = SUPPORTED_VERSIONS.index(first_version)
    for version in SUPPORTED_VERSIONS[first:]:
        assert evaluate(pod, "baseline", version) == [], version
    for version in SUPPORTED_VERSIONS[:first]:
        assert checks(evaluate(pod, "baseline", version)) == {"sysctls"}, version


def test_unknown_sysctl_is_never_safe() -> None:
    pod = with_sysctl("kernel.msgmax")
    assert all(evaluate(pod, "baseline", version) for version in SUPPORTED_VERSIONS)


def test_selinux_container_engine_t_from_1_31() -> None:
    pod = mutated(set_in_app("seLinuxOptions", {"type": "container_engine_t", "level": "s0:c1"}))
    assert checks(evaluate(pod, "baseline", "1.30")) == {"seLinuxOptions"}
    assert evaluate(pod, "baseline", "1.31") == []
    for allowed in ("container_t", "container_init_t", "container_kvm_t"):
        assert (
            evaluate(mutated(set_in_app("seLinuxOptions", {"type": allowed})), "baseline", "1.23")
            == []
        )


def test_probe_host_checked_from_1_34() -> None:
    pod = mutated(
        lambda spec: spec["initContainers"][0].__setitem__(
            "livenessProbe", {"tcpSocket": {"host": "example.com", "port": 1}}
        )
    )
    assert evaluate(pod, "baseline", "1.33") == []
    [violation] = evaluate(pod, "baseline", "1.34")
    assert violation.check == "hostProbesAndHostLifecycle"
    assert violation.container == "init"
    assert violation.field == "spec.initContainers[0].livenessProbe.tcpSocket.host"
    empty_host = {"httpGet": {"host": "", "port": 1}}
    pod = mutated(lambda spec: spec["containers"][0].__setitem__("readinessProbe", empty_host))
    assert evaluate(pod, "baseline", "1.34") == []


def user_namespace_pod(change: Callable[[dict[str, Any]], object]) -> Manifest:
    def both(spec: dict[str, Any]) -> None:
        spec["hostUsers"] = False
        change(spec)

    return mutated(both)


def test_user_namespace_relaxes_run_as_non_root_from_1_35() -> None:
    pod = user_namespace_pod(lambda spec: spec["securityContext"].pop("runAsNonRoot"))
    assert checks(evaluate(pod, "restricted", "1.34")) == {"runAsNonRoot"}
    assert evaluate(pod, "restricted", "1.35") == []


def test_user_namespace_relaxes_run_as_user_from_1_35() -> None:
    pod = user_namespace_pod(set_in_app("runAsUser", 0))
    assert checks(evaluate(pod, "restricted", "1.34")) == {"runAsUser"}
    assert evaluate(pod, "restricted", "1.35") == []


def test_user_namespace_relaxes_proc_mount_for_baseline_only() -> None:
    pod = user_namespace_pod(set_in_app("procMount", "Unmasked"))
    assert checks(evaluate(pod, "baseline", "1.34")) == {"procMount"}
    assert evaluate(pod, "baseline", "1.35") == []
    assert checks(evaluate(pod, "restricted", "1.35")) == {"procMount_restricted"}


def test_host_users_true_relaxes_nothing() -> None:
    pod = mutated(lambda spec: spec.update(hostUsers=True, securityContext={"runAsUser": 0}))
    assert {"runAsNonRoot", "runAsUser", "seccompProfile_restricted"} <= checks(evaluate(pod))


def windows_pod() -> Manifest:
    """The restricted Pod on Windows, without the Linux-only settings."""

    def change(spec: dict[str, Any]) -> None:
        spec["os"] = {"name": "windows"}
        spec["securityContext"] = {"runAsNonRoot": True}
        for item in [*spec["containers"], *spec["initContainers"]]:
            item.pop("securityContext")

    return mutated(change)


def test_windows_pods_skip_linux_only_rules_from_1_25() -> None:
    assert checks(evaluate(windows_pod(), "restricted", "1.24")) == {
        "allowPrivilegeEscalation",
        "capabilities_restricted",
        "seccompProfile_restricted",
    }
    assert evaluate(windows_pod(), "restricted", "1.25") == []


def test_windows_pods_still_need_run_as_non_root() -> None:
    pod = windows_pod()
    pod["spec"]["securityContext"] = {}
    assert checks(evaluate(pod)) == {"runAsNonRoot"}


def test_linux_os_gets_no_exemption() -> None:
    pod = windows_pod()
    pod["spec"]["os"] = {"name": "linux"}
    assert "allowPrivilegeEscalation" in checks(evaluate(pod))


# --- Pod- and container-level settings ----------------------------------------------------------


def test_run_as_non_root_may_be_set_on_every_container_instead_of_the_pod() -> None:
    def per_container(spec: dict[str, Any]) -> None:
        spec["securityContext"].pop("runAsNonRoot")
        for item in [*spec["containers"], *spec["initContainers"]]:
            item["securityContext"]["runAsNonRoot"] = True

    assert evaluate(mutated(per_container)) == []
    pod = mutated(per_container)
    pod["spec"]["containers"][1]["securityContext"].pop("runAsNonRoot")
    [violation] = evaluate(pod)
    assert violation.container == "sidecar"
    assert violation.message.startswith('pod or container "sidecar" must set')


def test_pod_run_as_non_root_false_is_reported_on_the_pod() -> None:
    pod = mutated(lambda spec: spec["securityContext"].__setitem__("runAsNonRoot", False))
    violations = evaluate(pod)
    assert ("runAsNonRoot", "spec.securityContext.runAsNonRoot", None) in [
        (v.check, v.field, v.container) for v in violations
    ]


def test_seccomp_may_be_set_on_every_container_instead_of_the_pod() -> None:
    def per_container(spec: dict[str, Any]) -> None:
        spec["securityContext"].pop("seccompProfile")
        for item in [*spec["containers"], *spec["initContainers"]]:
            item["securityContext"]["seccompProfile"] = {
                "type": "Localhost",
                "localhostProfile": "p",
            }

    assert evaluate(mutated(per_container)) == []
    pod = mutated(per_container)
    pod["spec"]["initContainers"][0]["securityContext"].pop("seccompProfile")
    assert [(v.check, v.container) for v in evaluate(pod)] == [
        ("seccompProfile_restricted", "init")
    ]


def test_run_as_user_zero_on_a_container_and_non_zero_values() -> None:
    assert evaluate(mutated(set_in_app("runAsUser", 1000))) == []
    [violation] = evaluate(mutated(set_in_app("runAsUser", 0)))
    assert (violation.check, violation.container) == ("runAsUser", "app")


def test_apparmor_allowed_values() -> None:
    for profile in ({"type": "RuntimeDefault"}, {"type": "Localhost", "localhostProfile": "k"}):
        assert evaluate(mutated(set_in_app("appArmorProfile", profile))) == []
    pod = mutated(lambda spec: spec["securityContext"].__setitem__("appArmorProfile", {}))
    assert [(v.check, v.container) for v in evaluate(pod)] == [("appArmorProfile", None)]


def test_restricted_volume_types() -> None:
    allowed = [
        {"name": "a"},
        {"name": "b", "emptyDir": {}},
        {"name": "c", "configMap": {"name": "x"}},
        {"name": "d", "secret": {"secretName": "x"}},
        {"name": "e", "projected": {"sources": []}},
        {"name": "f", "downwardAPI": {"items": []}},
        {"name": "g", "persistentVolumeClaim": {"claimName": "x"}},
        {"name": "h", "ephemeral": {"volumeClaimTemplate": {}}},
        {"name": "i", "csi": {"driver": "x"}},
        {"name": "j", "image": {"reference": "registry.example/data:1"}},
    ]
    assert evaluate(mutated(lambda spec: spec.__setitem__("volumes", allowed))) == []
    denied = [{"name": "git", "gitRepo": {"repository": "x"}}]
    assert checks(evaluate(mutated(lambda spec: spec.__setitem__("volumes", denied)))) == {
        "restrictedVolumes"
    }


# --- Every container, every workload kind -------------------------------------------------------


@pytest.mark.parametrize(
    ("containers_field", "container_name"),
    [("initContainers", "init"), ("containers", "sidecar"), ("ephemeralContainers", "debug")],
)
def test_every_kind_of_container_is_checked(containers_field: str, container_name: str) -> None:
    pod = restricted_pod()
    spec = pod["spec"]
    spec.setdefault("ephemeralContainers", [container("debug")])
    index = [item["name"] for item in spec[containers_field]].index(container_name)
    spec[containers_field][index]["securityContext"]["privileged"] = True
    [violation] = evaluate(pod)
    assert violation.check == "privileged"
    assert violation.container == container_name
    assert violation.field == f"spec.{containers_field}[{index}].securityContext.privileged"
    assert f'container "{container_name}"' in violation.message


@pytest.mark.parametrize(
    ("kind", "spec_path"),
    [
        ("Deployment", "spec.template.spec"),
        ("StatefulSet", "spec.template.spec"),
        ("DaemonSet", "spec.template.spec"),
        ("ReplicaSet", "spec.template.spec"),
        ("ReplicationController", "spec.template.spec"),
        ("Job", "spec.template.spec"),
        ("CronJob", "spec.jobTemplate.spec.template.spec"),
        ("PodTemplate", "template.spec"),
    ],
)
def test_workload_fields_point_into_the_given_manifest(kind: str, spec_path: str) -> None:
    pod = mutated(lambda spec: spec.__setitem__("hostIPC", True))
    pod["spec"]["containers"][1]["securityContext"].pop("allowPrivilegeEscalation")
    workload = as_workload(pod, kind)
    assert [(v.field, v.container) for v in evaluate(workload)] == [
        (f"{spec_path}.hostIPC", None),
        (f"{spec_path}.containers[1].securityContext.allowPrivilegeEscalation", "sidecar"),
    ]
    metadata, spec = pod_template(workload) or ({}, {})
    assert metadata["name"] == "desktop"
    assert spec["hostIPC"] is True


def test_apparmor_annotation_on_a_deployment_template() -> None:
    pod = restricted_pod()
    key = "container.apparmor.security.beta.kubernetes.io/app"
    pod["metadata"]["annotations"] = {key: "unconfined", "other": "x"}
    [violation] = evaluate(as_workload(pod, "Deployment"))
    assert violation.check == "appArmorProfile"
    assert violation.field == f"spec.template.metadata.annotations[{key}]"
    assert violation.container == "app"
    for allowed in ("runtime/default", "localhost/kasm", ""):
        pod["metadata"]["annotations"] = {key: allowed}
        assert evaluate(pod) == []


@pytest.mark.parametrize("kind", ["Service", "ConfigMap", "Namespace", None])
def test_kinds_without_a_pod_are_ignored(kind: str | None) -> None:
    manifest: Manifest = {"apiVersion": "v1", "kind": kind, "spec": {"hostNetwork": True}}
    assert pod_template(manifest) is None
    assert evaluate(manifest) == []


def test_pod_template_of_a_pod_is_its_metadata_and_spec() -> None:
    pod = restricted_pod()
    assert pod_template(pod) == (pod["metadata"], pod["spec"])


def test_malformed_and_null_fields_do_not_crash() -> None:
    pod: Manifest = {
        "kind": "Deployment",
        "spec": {
            "template": {
                "metadata": None,
                "spec": {"securityContext": None, "containers": [None, {"securityContext": None}]},
            }
        },
    }
    assert checks(evaluate(pod)) == {
        "allowPrivilegeEscalation",
        "capabilities_restricted",
        "runAsNonRoot",
        "seccompProfile_restricted",
    }
    assert evaluate({"kind": "Deployment"}) == []


def test_evaluate_does_not_modify_the_manifest() -> None:
    pod = mutated(lambda spec: spec.__setitem__("hostPID", True))
    before = copy.deepcopy(pod)
    evaluate(pod)
    assert pod == before


def test_violations_are_immutable_values() -> None:
    violation = Violation("privileged", "m", "spec.x", "app")
    assert violation == Violation("privileged", "m", "spec.x", "app")
    assert len({violation, Violation("privileged", "m", "spec.x", "app")}) == 1
    with pytest.raises(AttributeError):
        violation.check = "other"  # type: ignore[misc]


# --- Argument checking --------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["Restricted", "privileged", "", "strict"])
def test_unknown_level_is_rejected(level: str) -> None:
    with pytest.raises(ValueError, match=r"level must be 'baseline' or 'restricted', got") as error:
        evaluate(restricted_pod(), level)
    assert repr(level) in str(error.value)


@pytest.mark.parametrize("version", ["1.22", "1.38", "v1.29", "1.29.1", "", "LATEST"])
def test_unknown_version_is_rejected(version: str) -> None:
    with pytest.raises(ValueError, match=r"version must be 'latest' or .* 1\.23 to 1\.37") as error:
        evaluate(restricted_pod(), "restricted", version)
    assert repr(version) in str(error.value)


def test_argument_errors_are_raised_even_for_kinds_without_a_pod() -> None:
    with pytest.raises(ValueError, match="level"):
        evaluate({"kind": "Service"}, "none")
    with pytest.raises(ValueError, match="version"):
        evaluate({"kind": "Service"}, "baseline", "1.0")
