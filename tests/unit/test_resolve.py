"""``resolve``: arguments -> checked, defaulted Settings, without jsii. (Every refused argument
is in tests/test_args_*.py and goes through resolve in test_resolve_cases.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from kasm_constructs import ConfigurationError, Home, NetworkPeer, Probe, SecretKeyRef
from kasm_constructs._pipeline.model import WorkspaceOptions
from kasm_constructs._pipeline.render import objects
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.options.declare import declared
from kasm_constructs.options.home import ClaimTemplate, Volume
from kasm_constructs.policy.pod_security import EXEMPTION_ANNOTATION, PodSecurityExemption
from tests.argument_cases import GENERIC_IMAGE, HOME, VNC, raised
from tests.unit.make import CHART_LABELS, settings

KASM_ENV = {
    "XDG_RUNTIME_DIR": "/tmp/runtime-kasm-user",
    "XDG_CACHE_HOME": "/tmp/.cache",
    "TMPDIR": "/tmp",
    # the side services on ports of their own: off
    **{f"KASM_SVC_{s}": "0" for s in ("AUDIO", "AUDIO_INPUT", "UPLOADS", "GAMEPAD", "WEBCAM")},
}
VERSION = "app.kubernetes.io/version"


def test_the_options_are_declared_once_with_their_defaults_and_docs() -> None:
    """Every keyword of HardenedWorkspace is one key of WorkspaceOptions: a type, a default (or
    required) and a doc; ``resolve`` fills the defaults from there."""
    options = declared(WorkspaceOptions)
    assert [d.name for d in options if d.required] == ["image"]
    assert all(d.option.doc.strip() for d in options)
    assert len({d.name for d in options}) == len(options)


def test_the_defaults_of_a_kasmweb_image() -> None:
    s = settings()
    assert s.name == "desk"
    assert s.kind == "Deployment"
    assert dict(s.selector_labels) == {
        "app.kubernetes.io/name": "kasm-workspace",
        "app.kubernetes.io/instance": "desk",
    }
    assert dict(s.labels) == {
        **s.selector_labels,
        "app.kubernetes.io/component": "desktop",
        "app.kubernetes.io/part-of": "kasm-workspaces",
        "app.kubernetes.io/managed-by": "cdk8s",
        VERSION: "1.16.0",
    }
    # the chart's labels first, on the pods only (cdk8s puts them on every object)
    assert list(s.pod_labels.items()) == [*CHART_LABELS.items(), *s.labels.items()]
    assert (s.image, s.image_pull_policy, list(s.image_pull_secrets)) == (
        "kasmweb/desktop:1.16.0",
        "Always",
        [],
    )
    assert (s.replicas, s.run_as_user, s.run_as_group, s.fs_group) == (1, 1000, 1000, 1000)
    assert dict(s.ports) == {"vnc": 6901}
    assert s.web_port == 6901
    assert list(s.capabilities_add) == []
    assert dict(s.env) == KASM_ENV
    assert dict(s.secret_env) == {"VNC_PW": SecretKeyRef("kasm-secrets", "vnc-password")}
    assert list(s.volumes) == [
        Volume("home", HOME, size_limit="4Gi"),
        Volume("tmp", "/tmp", size_limit="1Gi"),
        Volume("var-run-pulse", "/var/run/pulse", size_limit="64Mi"),
        Volume("dshm", "/dev/shm", size_limit="512Mi", memory=True),
    ]
    assert (s.claim_template, s.recreate) == (None, False)
    # ephemeral-storage: the disk-backed emptyDirs (4Gi + 1Gi + 64Mi), plus 1Gi for logs
    assert dict(s.requests) == {"cpu": "1", "memory": "2Gi", "ephemeral-storage": "5184Mi"}
    assert dict(s.limits) == {"cpu": "2", "memory": "4Gi", "ephemeral-storage": "6208Mi"}
    assert (s.service, s.network_policy, s.pod_disruption_budget, s.spread) == (
        True,
        True,
        False,
        False,
    )
    assert (s.host_users, s.service_account_name, s.egress_internet) == (True, None, False)
    assert list(s.ingress_from) == []
    assert s.pod_security_version == "1.37"
    assert dict(s.annotations) == {}
    assert [v.split("=")[0] for v in s.workload_annotations.values()] == [
        "CKV_K8S_40",
        "CKV_K8S_35",
    ]


def test_default_probes_are_tcp_on_the_first_port() -> None:
    probes = settings(ports={"web": 8443, "vnc": 6901}).probes
    assert list(probes) == ["startupProbe", "readinessProbe", "livenessProbe"]
    assert [probe["tcpSocket"] for probe in probes.values()] == [{"port": "web"}] * 3
    timings = ("periodSeconds", "timeoutSeconds", "failureThreshold")
    # the startup budget: the image's 300 s, every 5 s
    assert [tuple(probes[key][t] for t in timings) for key in probes] == [
        (5, 3, 60),
        (10, 3, 3),
        (30, 5, 6),
    ]


def test_given_and_disabled_probes() -> None:
    probes = settings(
        readiness_probe=Probe.from_http_get("/healthz", "vnc", period_seconds=7),
        liveness_probe=Probe.disabled(),
    ).probes
    assert list(probes) == ["startupProbe", "readinessProbe"]
    assert probes["readinessProbe"]["httpGet"] == {
        "path": "/healthz",
        "port": "vnc",
        "scheme": "HTTP",
    }
    assert probes["readinessProbe"]["periodSeconds"] == 7


def test_the_stale_lock_wrapper_execs_the_entrypoint_with_cmd() -> None:
    s = settings()
    assert s.command is not None and s.args is not None
    assert list(s.command[:2]) == ["/bin/sh", "-c"]
    assert s.command[2] == 'rm -f -- /tmp/.X1-lock /tmp/.X11-unix/X1; exec "$@"'
    assert list(s.command[3:]) == [
        "kasm-entrypoint",
        "/dockerstartup/kasm_default_profile.sh",
        "/dockerstartup/vnc_startup.sh",
        "/dockerstartup/kasm_startup.sh",
    ]
    assert list(s.args) == ["--wait"]
    # a given command replaces the wrapper, and args are then the user's alone
    given = settings(command=["/bin/true"])
    assert (given.command, given.args) == (["/bin/true"], None)


def test_an_image_without_a_profile() -> None:
    s = settings(image=GENERIC_IMAGE, image_profile="generic")
    assert list(s.volumes) == [
        Volume("tmp", "/tmp", size_limit="1Gi"),
        Volume("dshm", "/dev/shm", size_limit="512Mi", memory=True),
    ]
    assert dict(s.ports) == {}
    assert (s.service, s.web_port, dict(s.probes)) == (False, None, {})
    assert (s.command, s.args) == (None, None)
    assert dict(s.env) == {}
    assert VERSION in s.labels and s.labels[VERSION] == "1.25"


def test_a_claim_for_one_replica_is_replaced_not_surged() -> None:
    s = settings(home=Home.claim("kasm-home"))
    assert s.volumes[0] == Volume("home", HOME, claim="kasm-home")
    assert (s.recreate, s.kind) == (True, "Deployment")
    # a claim is not ephemeral storage
    assert s.requests["ephemeral-storage"] == "1088Mi"


def test_a_read_write_many_claim_serves_several_replicas() -> None:
    s = settings(home=Home.claim("shared", access_mode="ReadWriteMany"), replicas=3)
    assert s.volumes[0] == Volume("home", HOME, claim="shared")
    assert (s.recreate, s.replicas, s.pod_disruption_budget, s.spread) == (False, 3, True, True)


def test_a_claim_per_replica_makes_a_statefulset() -> None:
    s = settings(home=Home.per_replica("10Gi", storage_class="fast"), replicas=2)
    assert s.claim_template == ClaimTemplate(HOME, "10Gi", "ReadWriteOnce", "fast")
    assert s.kind == "StatefulSet"
    assert [v.name for v in s.volumes] == ["tmp", "var-run-pulse", "dshm"]
    # its governing Service comes first
    assert [kind for kind, _ in objects(s)] == [
        "ServiceAccount",
        "Service",
        "StatefulSet",
        "NetworkPolicy",
        "PodDisruptionBudget",
    ]


def test_a_home_at_a_path_of_its_own() -> None:
    s = settings(
        image=GENERIC_IMAGE, image_profile="generic", home=Home.ephemeral("2Gi", path="/data")
    )
    assert s.volumes[0] == Volume("home", "/data", size_limit="2Gi")


def test_writable_paths_replace_the_images_and_get_distinct_names() -> None:
    s = settings(writable_paths={"/tmp": "100Mi", "/TMP": "1Mi", "/opt/cache": "1Gi"})
    assert [(v.name, v.mount_path, v.size_limit) for v in s.volumes[1:-1]] == [
        ("tmp", "/tmp", "100Mi"),
        ("tmp-2", "/TMP", "1Mi"),
        ("opt-cache", "/opt/cache", "1Gi"),
    ]


def test_a_port_below_1024_adds_only_net_bind_service_and_its_waiver() -> None:
    s = settings(ports={"https": 443, "vnc": 6901})
    assert list(s.capabilities_add) == ["NET_BIND_SERVICE"]
    (waiver,) = [v for v in s.workload_annotations.values() if v.startswith("CKV_K8S_25=")]
    assert "443" in waiver and "6901" not in waiver


def test_env_overrides_the_images_and_a_secret_replaces_a_plain_variable() -> None:
    s = settings(
        env={"XDG_CACHE_HOME": "/tmp/cache", "GREETING": "hi"},
        secret_env={**VNC, "TMPDIR": SecretKeyRef("kasm-secrets", "tmpdir")},
    )
    assert dict(s.env) == {
        **{k: v for k, v in KASM_ENV.items() if k != "TMPDIR"},
        "XDG_CACHE_HOME": "/tmp/cache",
        "GREETING": "hi",
    }
    assert list(s.secret_env) == ["VNC_PW", "TMPDIR"]


def test_given_resources_are_kept_as_given_and_ephemeral_storage_only_added() -> None:
    s = settings(
        requests={"memory": "1Gi", "cpu": "500m", "ephemeral-storage": "2Gi"},
        limits={"memory": "2Gi", "cpu": "1", "nvidia.com/gpu": "1"},
    )
    assert dict(s.requests) == {"memory": "1Gi", "cpu": "500m", "ephemeral-storage": "2Gi"}
    assert list(s.limits) == ["memory", "cpu", "nvidia.com/gpu", "ephemeral-storage"]
    # the larger of the request and the emptyDirs, plus 1Gi
    assert s.limits["ephemeral-storage"] == "6208Mi"


def test_metadata_and_exemptions() -> None:
    s = settings(
        labels={"team": "b"},
        annotations={"note": "x"},
        pod_security_exemptions={"runAsUser": "the image needs it"},
    )
    assert next(iter(s.labels)) == "team"
    assert s.pod_labels["team"] == "b"  # the workspace's label wins over the chart's
    assert dict(s.annotations) == {"note": "x"}
    assert s.workload_annotations["note"] == "x"
    assert s.workload_annotations[f"{EXEMPTION_ANNOTATION}runAsUser"] == "the image needs it"
    assert dict(s.pod_security_exemptions) == {
        "runAsUser": PodSecurityExemption("the image needs it")
    }


def test_switches() -> None:
    peer = NetworkPeer.from_namespace("ingress-nginx")
    s = settings(
        host_users=False,
        service_account_name="desktop-sa",
        egress_internet=True,
        ingress_from=(peer,),
        service=False,
        network_policy=False,
        topology_spread=False,
        pod_disruption_budget=False,
        replicas=2,
        pod_security_version="1.30",
    )
    assert (s.host_users, s.service_account_name, s.egress_internet) == (False, "desktop-sa", True)
    assert list(s.ingress_from) == [peer]
    assert (s.service, s.network_policy, s.spread, s.pod_disruption_budget) == (
        False,
        False,
        False,
        False,
    )
    assert s.pod_security_version == "1.30"
    assert objects(s) == [("Deployment", "desk")]


def test_int32_max_replicas_are_accepted() -> None:
    """The counterpart of the case replicas=2**31 (tests/test_args_image.py)."""
    assert settings(replicas=2**31 - 1).replicas == 2**31 - 1


# --- edge cases decided at the pure step: no ports, the version label, the default name ---------
def test_no_ports_means_no_service_and_no_probes() -> None:
    s = settings(ports={})
    assert (s.service, s.web_port, dict(s.probes)) == (False, None, {})
    assert [kind for kind, _ in objects(s)] == ["ServiceAccount", "Deployment", "NetworkPolicy"]


@pytest.mark.parametrize(
    ("image", "version"),
    [
        ("kasmweb/desktop:1.16.0", "1.16.0"),
        ("kasmweb/desktop:1.16.0-rolling", "1.16.0-rolling"),
        ("kasmweb/desktop:1.16.0-", None),
        ("kasmweb/desktop:_beta", None),
        ("kasmweb/desktop:" + "1" * 64, None),
        ("kasmweb/desktop@sha256:" + "4f" * 32, None),
    ],
)
def test_only_a_tag_that_is_a_label_value_becomes_the_version_label(
    image: str, version: str | None
) -> None:
    # a tag without a version names no profile: it is named, as a user would
    s = settings(image=image, image_profile="kasmweb-1.16")
    assert s.image == image
    assert s.labels.get(VERSION) == version
    assert s.pod_labels.get(VERSION) == version


def test_a_default_name_that_is_not_a_dns1035_label_is_refused() -> None:
    arguments: dict[str, Any] = {"image": "kasmweb/desktop:1.16.0", "secret_env": VNC}
    error: Any = raised(
        lambda: resolve(arguments, default_name="2024-kasm-desktop-c8d2f1a0", chart_labels={})
    )
    assert isinstance(error, ConfigurationError)
    assert error.parameter == "name"
    assert str(error).startswith(
        "name: got '2024-kasm-desktop-c8d2f1a0'; that is the default name, made from the "
        "construct path"
    )
    # a name given explicitly is used instead
    named = resolve(
        {**arguments, "name": "desktop"},
        default_name="2024-kasm-desktop-c8d2f1a0",
        chart_labels={},
    )
    assert named.name == "desktop"
