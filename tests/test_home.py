"""Home storage: an existing claim, a claim per replica, or ephemeral; always at $HOME."""

from __future__ import annotations

import cdk8s

from kasm_constructs import HardenedWorkspace, Home
from tests.helpers import Manifest, container, mounts, one, synth, volumes
from tests.scenario_cases import SCENARIOS, VNC


def test_existing_claim_single_replica_recreates() -> None:
    workload = one(synth(SCENARIOS["home-claim"]), "Deployment")
    assert mounts(workload)["/home/kasm-user"] == "home"
    assert volumes(workload)["home"] == {
        "name": "home",
        "persistentVolumeClaim": {"claimName": "home"},
    }
    # a ReadWriteOnce claim cannot follow a surge pod to another node
    assert workload["spec"]["strategy"] == {"type": "Recreate"}


def test_claim_per_replica_is_a_statefulset() -> None:
    docs = synth(SCENARIOS["home-per-replica"])
    workload = one(docs, "StatefulSet")
    assert [d["kind"] for d in docs if d["kind"] in ("Deployment", "StatefulSet")] == [
        "StatefulSet"
    ]
    assert workload["spec"]["replicas"] == 3
    assert workload["spec"]["serviceName"] == one(docs, "Service")["metadata"]["name"]
    (template,) = workload["spec"]["volumeClaimTemplates"]
    assert template["metadata"]["name"] == "home"
    assert template["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "10Gi"}},
        "storageClassName": "fast",
    }
    assert mounts(workload)["/home/kasm-user"] == "home"
    assert "home" not in volumes(workload)
    # a claim is not ephemeral storage
    assert container(workload)["resources"]["requests"]["ephemeral-storage"] == "1088Mi"


def test_shared_claim_needs_read_write_many() -> None:
    workload = one(synth(SCENARIOS["home-shared"]), "Deployment")
    assert workload["spec"]["replicas"] == 2
    assert volumes(workload)["home"]["persistentVolumeClaim"] == {"claimName": "shared-homes"}
    assert "strategy" not in workload["spec"] or workload["spec"]["strategy"]["type"] != "Recreate"


def test_ephemeral_home_is_sized() -> None:
    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(
            chart, "d", image="kasmweb/desktop:1.16.0", secret_env=VNC, home=Home.ephemeral("8Gi")
        )

    workload: Manifest = one(synth(build), "Deployment")
    assert volumes(workload)["home"]["emptyDir"] == {"sizeLimit": "8Gi"}


def test_home_path_for_an_unknown_image() -> None:
    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(
            chart,
            "d",
            image="example/app:1",
            image_profile="generic",
            home=Home.claim("data", path="/data"),
        )

    workload = one(synth(build), "Deployment")
    assert mounts(workload)["/data"] == "home"
