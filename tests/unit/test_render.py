"""``_render``: Settings -> the bodies a workspace owns, field by field, without jsii."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from kasm_constructs import Home, NetworkPeer, Probe, SecretKeyRef
from kasm_constructs._pipeline.render import (
    container,
    network_policy_spec,
    objects,
    pod_disruption_budget_spec,
    pod_spec,
    workload_fields,
)
from kasm_constructs.options.network import NON_PUBLIC_RANGES
from tests.argument_cases import GENERIC_IMAGE, HOME, VNC
from tests.unit.make import settings

#: Maps (user data, kept in the order given); every other object is a typed Kubernetes object.
MAPS = frozenset({"labels", "matchLabels", "limits", "requests", "annotations"})

SETTINGS = {
    "kasmweb": {},
    "generic": {"image": GENERIC_IMAGE, "image_profile": "generic"},
    "per-replica": {"home": Home.per_replica("10Gi", storage_class="fast"), "replicas": 3},
    "claim": {"home": Home.claim("kasm-home")},
    "everything": {
        "ports": {"https": 443, "vnc": 6901},
        "writable_paths": {"/tmp": "1Gi", "/opt/cache": "2Gi"},
        "env": {"GREETING": "hi"},
        "secret_env": {**VNC, "TOKEN": SecretKeyRef("api", "token")},
        "limits": {"memory": "4Gi", "cpu": "2"},
        "image_pull_secrets": ["regcred"],
        "host_users": False,
        "service_account_name": "desktop-sa",
        "replicas": 2,
        "readiness_probe": Probe.from_http_get("/", "vnc", scheme="HTTPS"),
        "liveness_probe": Probe.from_exec(["true"]),
    },
}


def typed_objects(node: Any, key: str = "") -> list[tuple[str, list[str]]]:
    """(where, keys) of every typed object under ``node`` (maps are skipped)."""
    found: list[tuple[str, list[str]]] = []
    if isinstance(node, Mapping):
        if key in MAPS:
            return found
        found.append((key, list(node)))
        for child_key, child in node.items():
            found += typed_objects(child, child_key)
    elif isinstance(node, list):
        for item in node:
            found += typed_objects(item, key)
    return found


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_typed_objects_have_their_keys_in_alphabetical_order(name: str) -> None:
    """cdk8s-plus writes typed objects with sorted keys; so does the renderer, so a workload
    reads the same whichever part of it was rendered where."""
    owned = workload_fields(settings(**SETTINGS[name]))
    found = typed_objects(owned)
    assert len(found) > 10
    for where, keys in found:
        assert keys == sorted(keys), where


def test_maps_keep_the_order_they_were_given_in() -> None:
    body = container(settings(limits={"memory": "4Gi", "cpu": "2"}, labels={"z": "1", "a": "2"}))
    assert list(body["resources"]["limits"]) == ["memory", "cpu", "ephemeral-storage"]
    assert list(body["resources"]["requests"]) == ["cpu", "memory", "ephemeral-storage"]


def test_the_container_is_hardened() -> None:
    body = container(settings(run_as_user=2000, run_as_group=3000))
    assert body["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "runAsGroup": 3000,
        "runAsNonRoot": True,
        "runAsUser": 2000,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    low = container(settings(ports={"https": 443}))
    assert low["securityContext"]["capabilities"] == {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}


def test_the_pod_is_hardened() -> None:
    spec = pod_spec(settings(run_as_user=2000, run_as_group=3000, fs_group=4000))
    assert spec["securityContext"] == {
        "fsGroup": 4000,
        "fsGroupChangePolicy": "OnRootMismatch",
        "runAsGroup": 3000,
        "runAsNonRoot": True,
        "runAsUser": 2000,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert spec["enableServiceLinks"] is False
    for absent in (
        "hostUsers",
        "imagePullSecrets",
        "serviceAccountName",
        "topologySpreadConstraints",
    ):
        assert absent not in spec
    assert pod_spec(settings(host_users=False))["hostUsers"] is False


def test_the_grace_period_is_left_to_kubernetes_unless_given() -> None:
    assert "terminationGracePeriodSeconds" not in pod_spec(settings())
    spec = pod_spec(settings(termination_grace_period_seconds=120))
    assert spec["terminationGracePeriodSeconds"] == 120


def test_the_container_runs_what_was_resolved() -> None:
    s = settings(**SETTINGS["everything"])
    body = container(s)
    assert (body["name"], body["image"], body["imagePullPolicy"]) == (
        "desk",
        "kasmweb/desktop:1.16.0",
        "Always",
    )
    assert body["command"] == list(s.command or []) and body["args"] == ["--wait"]
    assert body["ports"] == [
        {"containerPort": 443, "name": "https", "protocol": "TCP"},
        {"containerPort": 6901, "name": "vnc", "protocol": "TCP"},
    ]
    # generic image: no command, args, ports or probes at all (no empty lists either)
    generic = container(settings(image=GENERIC_IMAGE, image_profile="generic", secret_env=None))
    assert not {"args", "command", "ports", "env"} & set(generic)
    assert not {"startupProbe", "readinessProbe", "livenessProbe"} & set(generic)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_mount_has_its_volume_and_every_volume_is_mounted(name: str) -> None:
    s = settings(**SETTINGS[name])
    fields = workload_fields(s)
    pod = fields["template"]["spec"]
    (body,) = pod["containers"]
    mounts = {m["mountPath"]: m["name"] for m in body["volumeMounts"]}
    volumes = [v["name"] for v in pod["volumes"]]
    claims = [c["metadata"]["name"] for c in fields.get("volumeClaimTemplates", [])]
    assert len(set(volumes)) == len(volumes)
    assert len(set(mounts.values())) == len(mounts)
    assert sorted(mounts.values()) == sorted(volumes + claims)
    assert mounts["/dev/shm"] == "dshm"
    if s.profile.home is not None:
        assert mounts[HOME] == "home"


def test_volumes_render_their_source() -> None:
    pod = pod_spec(settings(home=Home.claim("kasm-home"), shm_size="1Gi"))
    by_name = {v["name"]: v for v in pod["volumes"]}
    assert by_name["home"] == {"name": "home", "persistentVolumeClaim": {"claimName": "kasm-home"}}
    assert by_name["tmp"] == {"emptyDir": {"sizeLimit": "1Gi"}, "name": "tmp"}
    assert by_name["dshm"] == {"emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}, "name": "dshm"}


def test_a_claim_per_replica_is_a_volume_claim_template() -> None:
    s = settings(**SETTINGS["per-replica"])
    fields = workload_fields(s)
    (template,) = fields["volumeClaimTemplates"]
    assert template == {
        "metadata": {"labels": dict(s.labels), "name": "home"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "10Gi"}},
            "storageClassName": "fast",
        },
    }
    assert "home" not in [v["name"] for v in fields["template"]["spec"]["volumes"]]
    spread = fields["template"]["spec"]["topologySpreadConstraints"]
    assert spread == [
        {
            "labelSelector": {"matchLabels": dict(s.selector_labels)},
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
        }
    ]


_SIDE_SERVICES = ("AUDIO", "AUDIO_INPUT", "UPLOADS", "GAMEPAD", "WEBCAM")


def test_env_is_plain_values_then_secret_references() -> None:
    body = container(settings(**SETTINGS["everything"]))
    assert body["env"] == [
        {"name": "XDG_RUNTIME_DIR", "value": "/tmp/runtime-kasm-user"},
        {"name": "XDG_CACHE_HOME", "value": "/tmp/.cache"},
        {"name": "TMPDIR", "value": "/tmp"},
        *[{"name": f"KASM_SVC_{s}", "value": "0"} for s in _SIDE_SERVICES],
        {"name": "GREETING", "value": "hi"},
        {
            "name": "VNC_PW",
            "valueFrom": {"secretKeyRef": {"key": "vnc-password", "name": "kasm-secrets"}},
        },
        {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"key": "token", "name": "api"}}},
    ]


def test_probes_are_rendered_with_their_handler_and_timings() -> None:
    body = container(settings(**SETTINGS["everything"]))
    assert body["readinessProbe"] == {
        "failureThreshold": 3,
        "httpGet": {"path": "/", "port": "vnc", "scheme": "HTTPS"},
        "initialDelaySeconds": 0,
        "periodSeconds": 10,
        "successThreshold": 1,
        "timeoutSeconds": 1,
    }
    assert body["livenessProbe"]["exec"] == {"command": ["true"]}
    # the default startup probe, on the first port
    assert body["startupProbe"]["tcpSocket"] == {"port": "https"}


def test_the_workload_selects_by_the_selector_labels() -> None:
    s = settings(**SETTINGS["everything"])
    fields = workload_fields(s)
    assert fields["selector"] == {"matchLabels": dict(s.selector_labels)}
    pod = fields["template"]["spec"]
    assert pod["imagePullSecrets"] == [{"name": "regcred"}]
    assert pod["serviceAccountName"] == "desktop-sa"
    assert pod["hostUsers"] is False


def test_network_policy_without_peers_lets_nobody_in_and_only_dns_out() -> None:
    s = settings()
    assert network_policy_spec(s) == {
        "podSelector": {"matchLabels": dict(s.selector_labels)},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [],
        "egress": [
            {
                "to": [NetworkPeer.kube_dns().render()],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
            }
        ],
    }


def test_network_policy_lets_the_peers_reach_the_declared_ports() -> None:
    peers = [NetworkPeer.from_namespace("ingress-nginx"), NetworkPeer.from_ip_block("10.0.0.0/8")]
    spec = network_policy_spec(
        settings(ingress_from=peers, ports={"vnc": 6901, "audio": 4901}, egress_internet=True)
    )
    assert spec["ingress"] == [
        {
            "from": [
                {
                    "namespaceSelector": {
                        "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                    }
                },
                {"ipBlock": {"cidr": "10.0.0.0/8"}},
            ],
            "ports": [{"port": 6901, "protocol": "TCP"}, {"port": 4901, "protocol": "TCP"}],
        }
    ]
    dns, internet = spec["egress"]
    assert dns["ports"][0] == {"port": 53, "protocol": "UDP"}
    assert internet == {
        "to": [
            {"ipBlock": {"cidr": cidr, "except": list(excluded)}}
            for cidr, excluded in NON_PUBLIC_RANGES.items()
        ]
    }
    assert "169.254.0.0/16" in internet["to"][0]["ipBlock"]["except"]


def test_pod_disruption_budget() -> None:
    s = settings(replicas=3)
    assert pod_disruption_budget_spec(s) == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": dict(s.selector_labels)},
    }


@pytest.mark.parametrize(
    ("overrides", "kinds"),
    [
        ({}, ["ServiceAccount", "Deployment", "Service", "NetworkPolicy"]),
        (
            {"replicas": 2, "service_account_name": "sa"},
            ["Deployment", "Service", "NetworkPolicy", "PodDisruptionBudget"],
        ),
        (
            {"home": Home.per_replica("1Gi")},
            ["ServiceAccount", "Service", "StatefulSet", "NetworkPolicy"],
        ),
        ({"ports": {}, "network_policy": False}, ["ServiceAccount", "Deployment"]),
    ],
    ids=["default", "replicas-own-account", "per-replica", "no-ports"],
)
def test_objects(overrides: dict[str, Any], kinds: list[str]) -> None:
    assert objects(settings(**overrides)) == [(kind, "desk") for kind in kinds]
