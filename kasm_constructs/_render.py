"""Rendering: resolved workspace settings -> Kubernetes object bodies, as plain dicts.

This is the only place that knows the shape of the manifests. It makes no jsii call: the
construct hands each body to cdk8s in one JSON patch.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

__all__ = ["HOME_VOLUME", "SHM_PATH", "SHM_VOLUME", "Home", "Settings", "Volume"]

HOME_VOLUME = "home"
SHM_VOLUME = "dshm"
SHM_PATH = "/dev/shm"


@dataclass(frozen=True)
class Volume:
    """An emptyDir (``size_limit``, disk or memory backed) or an existing claim."""

    name: str
    mount_path: str
    size_limit: str | None = None
    memory: bool = False
    claim: str | None = None

    def render(self) -> dict[str, Any]:
        if self.claim is not None:
            return {"name": self.name, "persistentVolumeClaim": {"claimName": self.claim}}
        empty_dir: dict[str, str] = {"sizeLimit": self.size_limit or ""}
        if self.memory:
            empty_dir["medium"] = "Memory"
        return {"name": self.name, "emptyDir": empty_dir}


@dataclass(frozen=True)
class Home:
    """A claim per replica: the workload becomes a StatefulSet with a volumeClaimTemplate."""

    mount_path: str
    size: str
    access_mode: str
    storage_class: str | None


@dataclass(frozen=True)
class Settings:
    """Everything the construct decided, validated, ready to render."""

    #: ``metadata.name`` of every object, and the container's name.
    name: str
    selector_labels: Mapping[str, str]
    labels: Mapping[str, str]
    image: str
    image_pull_policy: str
    image_pull_secrets: Sequence[str]
    replicas: int
    run_as_user: int
    run_as_group: int
    fs_group: int
    ports: Mapping[str, int]
    capabilities_add: Sequence[str]
    env: Mapping[str, str]
    secret_env: Mapping[str, tuple[str, str]]
    volumes: Sequence[Volume]
    per_replica_home: Home | None
    requests: Mapping[str, str]
    limits: Mapping[str, str]
    probes: Mapping[str, Mapping[str, Any]]
    command: Sequence[str] | None
    args: Sequence[str] | None
    host_users: bool
    #: ``serviceAccountName`` of an account the construct did not make (cdk8s-plus names its own).
    existing_service_account: str | None
    ingress_from: Sequence[Mapping[str, Any]]
    egress_internet: Sequence[Mapping[str, Any]]
    spread: bool


def container(s: Settings) -> dict[str, Any]:
    """The workspace container."""
    mounts = [{"name": v.name, "mountPath": v.mount_path} for v in s.volumes]
    if s.per_replica_home is not None:
        mounts.append({"name": HOME_VOLUME, "mountPath": s.per_replica_home.mount_path})
    env: list[dict[str, Any]] = [{"name": k, "value": v} for k, v in s.env.items()]
    env += [
        {"name": k, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}
        for k, (secret, key) in s.secret_env.items()
    ]
    capabilities: dict[str, list[str]] = {"drop": ["ALL"]}
    if s.capabilities_add:
        capabilities["add"] = list(s.capabilities_add)
    body: dict[str, Any] = {
        "name": s.name,
        "image": s.image,
        "imagePullPolicy": s.image_pull_policy,
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "privileged": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": s.run_as_user,
            "runAsGroup": s.run_as_group,
            "capabilities": capabilities,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "ports": [
            {"name": name, "containerPort": number, "protocol": "TCP"}
            for name, number in s.ports.items()
        ],
        "env": env,
        "volumeMounts": mounts,
        "resources": {"requests": dict(s.requests), "limits": dict(s.limits)},
        **{key: copy.deepcopy(dict(probe)) for key, probe in s.probes.items()},
    }
    if s.command is not None:
        body["command"] = list(s.command)
    if s.args is not None:
        body["args"] = list(s.args)
    return {key: value for key, value in body.items() if value != []}


def pod_spec_patch(s: Settings) -> dict[str, Any]:
    """The pod spec fields the construct owns. cdk8s-plus renders the rest: scheduling, DNS, the
    service account it was given, and ``automountServiceAccountToken: false``."""
    spec: dict[str, Any] = {
        "enableServiceLinks": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": s.run_as_user,
            "runAsGroup": s.run_as_group,
            "fsGroup": s.fs_group,
            "fsGroupChangePolicy": "OnRootMismatch",
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container(s)],
        "volumes": [v.render() for v in s.volumes],
    }
    if s.existing_service_account is not None:
        spec["serviceAccountName"] = s.existing_service_account
    if s.image_pull_secrets:
        spec["imagePullSecrets"] = [{"name": n} for n in s.image_pull_secrets]
    if not s.host_users:
        spec["hostUsers"] = False
    if s.spread:
        spec["topologySpreadConstraints"] = [
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": dict(s.selector_labels)},
            }
        ]
    return spec


# Fields of type Quantity or IntOrString in what the construct patches into a workload.
_TYPED_FIELDS = (
    "template.spec.containers.*.resources.*.*",
    "template.spec.containers.*.*Probe.tcpSocket.port",
    "template.spec.containers.*.*Probe.httpGet.port",
    "template.spec.volumes.*.emptyDir.sizeLimit",
    "volumeClaimTemplates.*.spec.resources.requests.*",
)


FieldPath = tuple[str | int, ...]


def field_path(path: FieldPath) -> str:
    """``("spec", "volumes", 0, "name")`` -> ``spec.volumes[0].name``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def typed_for_cdk8s_plus(spec: dict[str, Any]) -> tuple[dict[str, Any], list[FieldPath]]:
    """Wrap quantities and int-or-strings as ``{"value": ...}`` in a workload ``spec`` patch.

    A cdk8s-plus object's L1 child converts its JSON *after* applying JSON patches, and that
    converter reads ``.value`` of every Quantity and IntOrString, so a plain ``"2Gi"`` would
    come out as ``null`` (cdk8s-team/cdk8s#908, #1184). Wraps in place (``spec`` is freshly
    rendered) and returns it with the manifest paths of the wrapped fields, so the guard can
    check they survived.
    """
    typed = spec
    paths: list[FieldPath] = []

    def wrap(node: Any, parts: list[str], path: FieldPath) -> None:
        head, rest = parts[0], parts[1:]
        keys: list[str | int] = []
        if isinstance(node, list) and head == "*":
            keys = list(range(len(node)))
        elif isinstance(node, dict):
            keys = [k for k in node if fnmatchcase(k, head)]
        for key in keys:
            if rest:
                wrap(node[key], rest, (*path, key))
            else:
                node[key] = {"value": node[key]}
                paths.append((*path, key))

    for pattern in _TYPED_FIELDS:
        wrap(typed, pattern.split("."), ("spec",))
    return typed, paths


Patch = tuple[str, str, Any]  # JSON patch operation, path, value


def workload_patch(s: Settings) -> tuple[list[Patch], list[FieldPath]]:
    """The JSON patches for the cdk8s-plus workload, and the paths of its typed fields.

    The workspace container *replaces* cdk8s-plus's placeholder at index 0, so a container
    added through cdk8s-plus stays visible in the manifest (and the guard refuses it).
    """
    spec: dict[str, Any] = {"template": {"spec": pod_spec_patch(s)}}
    if s.per_replica_home is not None:
        spec["volumeClaimTemplates"] = volume_claim_templates(s)
    typed, paths = typed_for_cdk8s_plus(spec)
    pod = typed["template"]["spec"]
    (workspace_container,) = pod.pop("containers")
    # The selector is set here, not through cdk8s-plus, whose own selection uses its
    # cdk8s.io/metadata.addr label anyway: one bridge call instead of two.
    patches: list[Patch] = [
        ("add", "/spec/selector", {"matchLabels": dict(s.selector_labels)}),
        ("replace", "/spec/template/spec/containers/0", workspace_container),
    ]
    patches += [("add", f"/spec/template/spec/{key}", value) for key, value in pod.items()]
    if "volumeClaimTemplates" in typed:
        patches.append(("add", "/spec/volumeClaimTemplates", typed["volumeClaimTemplates"]))
    return patches, paths


def volume_claim_templates(s: Settings) -> list[dict[str, Any]]:
    """One home claim per replica (StatefulSet only)."""
    home = s.per_replica_home
    assert home is not None
    spec: dict[str, Any] = {
        "accessModes": [home.access_mode],
        "resources": {"requests": {"storage": home.size}},
    }
    if home.storage_class is not None:
        spec["storageClassName"] = home.storage_class
    return [{"metadata": {"name": HOME_VOLUME, "labels": dict(s.labels)}, "spec": spec}]


_DNS_PORTS = [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]


def _ingress_rule(peers: Sequence[Mapping[str, Any]], ports: Sequence[int]) -> dict[str, Any]:
    return {
        "from": [copy.deepcopy(dict(p)) for p in peers],
        "ports": [{"port": n, "protocol": "TCP"} for n in ports],
    }


def network_policy_spec(s: Settings) -> dict[str, Any]:
    """Ingress only from the named peers to the declared ports; egress to DNS (and, if asked,
    the public internet)."""
    ingress = []
    if s.ingress_from and s.ports:
        ingress.append(_ingress_rule(s.ingress_from, list(s.ports.values())))
    egress: list[dict[str, Any]] = [{"ports": copy.deepcopy(_DNS_PORTS)}]
    if s.egress_internet:
        egress.append({"to": [copy.deepcopy(dict(p)) for p in s.egress_internet]})
    return {
        "podSelector": {"matchLabels": dict(s.selector_labels)},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": ingress,
        "egress": egress,
    }


def ingress_policy_spec(
    selector: Mapping[str, str], peer: Mapping[str, Any], port: int
) -> dict[str, Any]:
    """An additional policy: ``peer`` may reach ``port`` (NetworkPolicies add up)."""
    return {
        "podSelector": {"matchLabels": dict(selector)},
        "policyTypes": ["Ingress"],
        "ingress": [_ingress_rule([peer], [port])],
    }


def pod_disruption_budget_spec(s: Settings) -> dict[str, Any]:
    """At most one workspace pod down at a time during voluntary disruptions."""
    return {"maxUnavailable": 1, "selector": {"matchLabels": dict(s.selector_labels)}}
