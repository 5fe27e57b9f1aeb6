"""What the unit tests build from: checked Settings, and manifests as a workload is written.
Pure: nothing here (nor in any tests/unit module) starts jsii."""

from __future__ import annotations

from typing import Any

from kasm_constructs._pipeline.model import Settings
from kasm_constructs._pipeline.render import workload_fields
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.manifests.kinds import API_VERSIONS
from tests.argument_cases import BASE

CHART_LABELS = {"team": "a"}


def settings(**overrides: Any) -> Settings:
    """The baseline workspace's Settings, with ``overrides``; named "desk"."""
    return resolve({**BASE, **overrides}, default_name="desk", chart_labels=CHART_LABELS)


def kplus_rendering(name: str = "desk", **pod: Any) -> dict[str, Any]:
    """A Deployment as cdk8s-plus renders it around the placeholder container (the fields of
    cdk8s-plus 2.x's rendering, abridged), with ``pod`` fields added to the pod spec."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "kasm"},
        "spec": {
            "replicas": 1,
            "selector": {},
            "strategy": {"type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": {"cdk8s.io/metadata.addr": "kasm-desk-c8a521ea"}},
                "spec": {
                    "automountServiceAccountToken": False,
                    "containers": [
                        {
                            "image": "img",
                            "imagePullPolicy": "Always",
                            "name": name,
                            "resources": {"limits": {"cpu": "1500m"}},
                            "securityContext": {"runAsNonRoot": True},
                        }
                    ],
                    "dnsPolicy": "ClusterFirst",
                    "restartPolicy": "Always",
                    "securityContext": {"fsGroupChangePolicy": "Always", "runAsNonRoot": True},
                    **pod,
                },
            },
        },
    }


def manifest(s: Settings) -> dict[str, Any]:
    """The workload as written for ``s``, without cdk8s: metadata, then the owned fields."""
    fields = workload_fields(s)
    template = {
        "metadata": {"labels": dict(s.pod_labels), "annotations": dict(s.annotations)},
        **fields.pop("template"),
    }
    return {
        "apiVersion": API_VERSIONS[s.kind],
        "kind": s.kind,
        "metadata": {
            "name": s.name,
            "labels": dict(s.labels),
            "annotations": dict(s.workload_annotations),
        },
        "spec": {"replicas": s.replicas, **fields, "template": template},
    }
