"""Good cdk8s citizenship: namespaces, labels, names, selectors and cdk8s-plus interop."""

from __future__ import annotations

import cdk8s
import cdk8s_plus_28 as kplus

from kasm_constructs import (
    HardenedWorkspace,
    IngressController,
    NetworkPeer,
    RestrictedNamespace,
    WorkspaceIngress,
)
from tests.helpers import Manifest, one, synth
from tests.scenario_cases import SCENARIOS, VNC


def _by_kind(docs: list[Manifest], kind: str) -> list[Manifest]:
    return [d for d in docs if d["kind"] == kind]


def test_default_object_set() -> None:
    docs = synth(SCENARIOS["desktop-1.16"])
    assert sorted(d["kind"] for d in docs) == [
        "Deployment",
        "NetworkPolicy",
        "Service",
        "ServiceAccount",
    ]
    account = one(docs, "ServiceAccount")
    assert account["automountServiceAccountToken"] is False
    workload = one(docs, "Deployment")
    assert workload["spec"]["template"]["spec"]["serviceAccountName"] == account["metadata"]["name"]
    service = one(docs, "Service")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["ports"] == [{"name": "vnc", "port": 6901, "targetPort": 6901}]


def test_namespace_and_chart_labels_are_honoured() -> None:
    docs = synth(SCENARIOS["composed"])
    for doc in docs:
        assert doc["metadata"]["namespace"] == "team", doc["metadata"]["name"]
        assert doc["metadata"]["labels"]["team"] == "a", doc["metadata"]["name"]
    for workload in _by_kind(docs, "Deployment"):
        assert workload["spec"]["template"]["metadata"]["labels"]["team"] == "a"


def test_no_namespace_is_hard_coded() -> None:
    def build(app: cdk8s.App) -> None:
        HardenedWorkspace(
            cdk8s.Chart(app, "plain"), "d", image="kasmweb/desktop:1.16.0", secret_env=VNC
        )

    for doc in synth(build):
        assert "namespace" not in doc["metadata"]


def test_names_never_collide_within_or_across_charts() -> None:
    def build(app: cdk8s.App) -> None:
        for chart_id in ("one", "two"):
            chart = cdk8s.Chart(app, chart_id, namespace="shared")
            for workspace_id in ("desktop", "chrome"):
                HardenedWorkspace(
                    chart, workspace_id, image="kasmweb/desktop:1.16.0", secret_env=VNC
                )

    docs = synth(build)
    keys = [(d["kind"], d["metadata"]["namespace"], d["metadata"]["name"]) for d in docs]
    assert len(keys) == len(set(keys)) == 16
    names = {d["metadata"]["name"] for d in _by_kind(docs, "Deployment")}
    assert all(len(n) <= 52 for n in names)


def test_names_are_stable() -> None:
    docs = synth(SCENARIOS["desktop-1.16"])
    assert {d["metadata"]["name"] for d in docs} == {"kasm-desktop-c8a51aa7"}


def test_cdk8s_plus_interop() -> None:
    docs = synth(SCENARIOS["composed"])
    first = next(d for d in _by_kind(docs, "Deployment") if "first" in d["metadata"]["name"])
    pod_labels = first["spec"]["template"]["metadata"]["labels"]
    monitoring = next(
        p for p in _by_kind(docs, "NetworkPolicy") if "monitoring" in p["metadata"]["name"]
    )
    assert monitoring["spec"]["podSelector"]["matchLabels"].items() <= pod_labels.items()
    ingress = one(docs, "Ingress")
    service = next(s for s in _by_kind(docs, "Service") if "first" in s["metadata"]["name"])
    assert ingress["spec"]["defaultBackend"]["service"] == {
        "name": service["metadata"]["name"],
        "port": {"number": 6901},
    }
    assert service["spec"]["selector"].items() <= pod_labels.items()


def test_pdb_and_spread_only_with_several_replicas() -> None:
    single = synth(SCENARIOS["desktop-1.16"])
    assert _by_kind(single, "PodDisruptionBudget") == []
    assert "topologySpreadConstraints" not in one(single, "Deployment")["spec"]["template"]["spec"]
    several = synth(SCENARIOS["home-per-replica"])
    pdb = one(several, "PodDisruptionBudget")
    workload = one(several, "StatefulSet")
    assert pdb["spec"] == {"maxUnavailable": 1, "selector": workload["spec"]["selector"]}
    (spread,) = workload["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert spread["topologyKey"] == "kubernetes.io/hostname"
    assert spread["labelSelector"] == workload["spec"]["selector"]


def test_objects_can_be_switched_off() -> None:
    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(
            chart,
            "d",
            image="kasmweb/desktop:1.16.0",
            secret_env=VNC,
            replicas=2,
            service=False,
            network_policy=False,
            pod_disruption_budget=False,
            topology_spread=False,
            service_account_name="shared",
        )

    docs = synth(build)
    assert [d["kind"] for d in docs] == ["Deployment"]
    spec = docs[0]["spec"]["template"]["spec"]
    assert spec["serviceAccountName"] == "shared"
    assert spec["automountServiceAccountToken"] is False
    assert "topologySpreadConstraints" not in spec


def test_restricted_namespace() -> None:
    def build(app: cdk8s.App) -> None:
        RestrictedNamespace(
            cdk8s.Chart(app, "c", namespace="elsewhere"), "ns", name="team", enforce_version="1.30"
        )

    (namespace,) = synth(build)
    assert namespace["kind"] == "Namespace"
    assert "namespace" not in namespace["metadata"]
    assert namespace["metadata"]["labels"] == {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.30",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "latest",
    }


def test_ingress_works_with_its_defaults() -> None:
    """ingress-nginx with no annotation given: HTTPS to the backend, hour-long sessions,
    uploads; the workspace's labels; the controller admitted in the workspace's own policy."""
    docs = synth(SCENARIOS["exposed"])
    ingress = one(docs, "Ingress")
    service = one(docs, "Service")
    nginx = "nginx.ingress.kubernetes.io/"
    assert ingress["metadata"]["annotations"] == {
        f"{nginx}backend-protocol": "HTTPS",
        f"{nginx}proxy-read-timeout": "3600",
        f"{nginx}proxy-send-timeout": "3600",
        f"{nginx}proxy-body-size": "256m",
    }
    assert service["metadata"]["labels"].items() <= ingress["metadata"]["labels"].items()
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [{"hosts": ["chrome.example.com"], "secretName": "chrome-tls"}]
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "chrome.example.com"
    assert rule["http"]["paths"][0]["backend"]["service"] == {
        "name": service["metadata"]["name"],
        "port": {"number": 6901},
    }
    (policy,) = _by_kind(docs, "NetworkPolicy")  # one policy per workspace, no second one
    assert policy["spec"]["ingress"] == [
        {
            "from": [
                {  # the controller's pods, by namespace and labels: not the whole namespace
                    "namespaceSelector": {
                        "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                    },
                    "podSelector": {
                        "matchLabels": {
                            "app.kubernetes.io/name": "ingress-nginx",
                            "app.kubernetes.io/component": "controller",
                        }
                    },
                }
            ],
            "ports": [{"port": 6901, "protocol": "TCP"}],
        }
    ]


def test_workspace_exposes_its_objects() -> None:
    chart = cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
    w = HardenedWorkspace(chart, "d", image="kasmweb/desktop:1.16.0", secret_env=VNC, replicas=2)
    assert isinstance(w.workload, kplus.Deployment)
    assert isinstance(w.service, kplus.Service)
    assert isinstance(w.service_account, kplus.ServiceAccount)
    assert isinstance(w.network_policy, cdk8s.ApiObject)
    assert isinstance(w.pod_disruption_budget, cdk8s.ApiObject)
    assert w.ports == {"vnc": 6901}
    ingress = WorkspaceIngress(
        chart,
        "i",
        workspace=w,
        host="d.example.com",
        tls_secret="t",
        controller=IngressController.generic(None),
    )
    assert isinstance(ingress.ingress, kplus.Ingress)
    assert NetworkPeer.from_namespace("x").render() == {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "x"}}
    }
