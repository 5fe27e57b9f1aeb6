"""``render``: :class:`~kasm_constructs._pipeline.model.Settings` -> manifest bodies, as
plain dicts.

The only place that knows the shape of what a workspace owns. Pure: no jsii call. Typed
Kubernetes objects are written with their keys in alphabetical order, the order cdk8s-plus's
converter writes them in, so a workload reads the same whichever part of it was rendered where;
maps (labels, selectors, resource lists) keep the order they were given in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kasm_constructs._pipeline.model import Settings
from kasm_constructs.options.home import HOME_VOLUME, Volume
from kasm_constructs.options.network import NetworkPeer

__all__ = [
    "CERTIFICATE_USAGES",
    "certificate_dns_names",
    "container",
    "merge_workload",
    "network_policy_spec",
    "objects",
    "pod_disruption_budget_spec",
    "pod_spec",
    "sanitized",
    "service_hostname",
    "workload_fields",
]

_DNS_PORTS = ({"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"})


def sanitized(value: Any) -> Any:
    """What cdk8s writes for the props of a typed object (``sanitizeValue``, cdk8s 2.70
    ``lib/_util.ts``): keys sorted, recursively, and ``None`` dropped."""
    if isinstance(value, Mapping):
        return {k: sanitized(value[k]) for k in sorted(value) if value[k] is not None}
    if isinstance(value, list | tuple):
        return [sanitized(item) for item in value]
    return value


#: The key of :func:`workload_fields` that lists the workload ``spec`` fields to leave out.
UNSET = "$unset"
#: The usages of a workspace's serving certificate (cert-manager ``KeyUsage`` values).
CERTIFICATE_USAGES = ("server auth", "digital signature")


def service_hostname(name: str, namespace: str) -> str:
    """The in-cluster DNS name of a Service: what its serving certificate must carry."""
    return f"{name}.{namespace}.svc"


def certificate_dns_names(hostname: str) -> list[str]:
    """The names a workspace's serving certificate carries: the Service's, in every form a
    client in the cluster may use (``<svc>.<ns>.svc``, ``.cluster.local``, ``<svc>.<ns>``,
    ``<svc>``)."""
    service, namespace = hostname.split(".")[:2]
    return [hostname, f"{hostname}.cluster.local", f"{service}.{namespace}", service]


def _typed(**fields: Any) -> dict[str, Any]:
    """A typed Kubernetes object: keys in alphabetical order, unset (None) fields left out."""
    return {key: fields[key] for key in sorted(fields) if fields[key] is not None}


def objects(s: Settings) -> list[tuple[str, str]]:
    """(kind, name) of every object the workspace makes, in the order it makes them."""
    kinds = ["ServiceAccount"] if s.service_account_name is None else []
    service = ["Service"] * s.service
    # A StatefulSet names its governing Service, so that Service comes first.
    kinds += [*service, s.kind] if s.claim_template else [s.kind, *service]
    kinds += ["NetworkPolicy"] * s.network_policy
    kinds += ["PodDisruptionBudget"] * s.pod_disruption_budget
    kinds += ["ScaledObject"] * (s.schedule is not None)
    return [(kind, s.name) for kind in kinds]


def scaled_object_spec(s: Settings) -> dict[str, Any]:
    """The KEDA ScaledObject that keeps the workspace's schedule."""
    assert s.schedule is not None
    return s.schedule.scaled_object_spec(kind=s.kind, name=s.name, replicas=s.replicas)


#: Owner and group may read the key, nobody else: the pod's fsGroup owns the files.
_SECRET_MODE = 0o440


def _volume(v: Volume) -> dict[str, Any]:
    if v.secret is not None:
        return _typed(name=v.name, secret=_typed(defaultMode=_SECRET_MODE, secretName=v.secret))
    if v.claim is not None:
        return _typed(name=v.name, persistentVolumeClaim=_typed(claimName=v.claim))
    medium = "Memory" if v.memory else None
    return _typed(name=v.name, emptyDir=_typed(medium=medium, sizeLimit=v.size_limit))


def container(s: Settings) -> dict[str, Any]:
    """The workspace container."""
    mounts = [
        _typed(mountPath=v.mount_path, name=v.name, readOnly=True if v.secret else None)
        for v in s.volumes
    ]
    if s.claim_template is not None:
        mounts.append(_typed(mountPath=s.claim_template.mount_path, name=HOME_VOLUME))
    env = [_typed(name=k, value=v) for k, v in s.env.items()]
    env += [_typed(name=k, valueFrom=ref.render()) for k, ref in s.secret_env.items()]
    body = _typed(
        args=None if s.args is None else list(s.args),
        command=None if s.command is None else list(s.command),
        env=env,
        image=s.image,
        imagePullPolicy=s.image_pull_policy,
        name=s.name,
        ports=[
            _typed(containerPort=number, name=name, protocol="TCP")
            for name, number in s.ports.items()
        ],
        resources=_typed(limits=dict(s.limits), requests=dict(s.requests)),
        securityContext=_typed(
            allowPrivilegeEscalation=False,
            capabilities=_typed(
                add=list(s.capabilities_add) or None,
                drop=["ALL"],
            ),
            privileged=False,
            readOnlyRootFilesystem=True,
            runAsGroup=s.run_as_group,
            runAsNonRoot=True,
            runAsUser=s.run_as_user,
            seccompProfile=_typed(type="RuntimeDefault"),
        ),
        volumeMounts=mounts,
        **{key: _typed(**probe) for key, probe in s.probes.items()},
    )
    return {key: value for key, value in body.items() if value != []}


def pod_spec(s: Settings) -> dict[str, Any]:
    """The pod spec fields a workspace owns. The rest (scheduling, DNS, restart policy, the
    service account it made) is cdk8s-plus's: see ``_kplus``."""
    spread = None
    if s.spread:
        spread = [
            _typed(
                labelSelector=_typed(matchLabels=dict(s.selector_labels)),
                maxSkew=1,
                topologyKey="kubernetes.io/hostname",
                whenUnsatisfiable="ScheduleAnyway",
            )
        ]
    return _typed(
        containers=[container(s)],
        enableServiceLinks=False,
        hostUsers=None if s.host_users else False,
        imagePullSecrets=[_typed(name=n) for n in s.image_pull_secrets] or None,
        runtimeClassName=s.runtime_class_name,
        securityContext=_typed(
            fsGroup=s.fs_group,
            fsGroupChangePolicy="OnRootMismatch",
            runAsGroup=s.run_as_group,
            runAsNonRoot=True,
            runAsUser=s.run_as_user,
            seccompProfile=_typed(type="RuntimeDefault"),
            supplementalGroups=list(s.supplemental_groups) or None,
        ),
        serviceAccountName=s.service_account_name,
        terminationGracePeriodSeconds=s.termination_grace_period_seconds,
        topologySpreadConstraints=spread,
        volumes=[_volume(v) for v in s.volumes],
    )


def workload_fields(s: Settings) -> dict[str, Any]:
    """The workload ``spec`` fields a workspace owns: its selector, its pod spec fields and,
    for a StatefulSet, the home claim per replica."""
    claims = None
    if s.claim_template is not None:
        template = s.claim_template
        claims = [
            _typed(
                metadata=_typed(labels=dict(s.labels), name=HOME_VOLUME),
                spec=_typed(
                    accessModes=[template.access_mode],
                    resources=_typed(requests={"storage": template.size}),
                    storageClassName=template.storage_class,
                ),
            )
        ]
    # A home outlives its pod and its workload: deleting or scaling down the StatefulSet keeps
    # the claim (Kubernetes' default, written out so it cannot change under the desktops).
    retain = {"whenDeleted": "Retain", "whenScaled": "Retain"} if claims else None
    fields = _typed(
        persistentVolumeClaimRetentionPolicy=retain,
        selector=_typed(matchLabels=dict(s.selector_labels)),
        template={"spec": pod_spec(s)},
        volumeClaimTemplates=claims,
    )
    if s.schedule is not None:
        fields[UNSET] = ["replicas"]  # KEDA keeps it: GitOps must not put it back
    return fields


def _rules(
    direction: str, peers: Sequence[NetworkPeer], default_ports: Sequence[int]
) -> list[dict[str, Any]]:
    """NetworkPolicy rules for ``peers``: the peers without ports of their own share one rule
    on ``default_ports`` (all ports when empty); each peer with ports has its own."""
    rules = []
    shared = [p.render() for p in peers if not p.ports]
    if shared:
        rule: dict[str, Any] = {direction: shared}
        if default_ports:
            rule["ports"] = [{"port": n, "protocol": "TCP"} for n in default_ports]
        rules.append(rule)
    rules += [{direction: [p.render()], "ports": p.render_ports()} for p in peers if p.ports]
    return rules


def network_policy_spec(s: Settings) -> dict[str, Any]:
    """Ingress only from ``ingress_from`` to the declared ports; egress as
    :func:`egress_rules`."""
    ingress = _rules("from", s.ingress_from, list(s.ports.values())) if s.ports else []
    return {
        "podSelector": {"matchLabels": dict(s.selector_labels)},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": ingress,
        "egress": egress_rules(s),
    }


def egress_rules(s: Settings) -> list[dict[str, Any]]:
    """Where a workspace's pods may connect: the cluster DNS on port 53, ``egress_to``, and
    (if asked) the public internet."""
    egress: list[dict[str, Any]] = []
    if s.egress_dns:
        dns_ports = [dict(p) for p in _DNS_PORTS]
        egress.append({"to": [p.render() for p in s.egress_dns], "ports": dns_ports})
    egress += _rules("to", s.egress_to, [])
    if s.egress_internet:
        egress.append({"to": [p.render() for p in NetworkPeer.internet()]})
    return egress


def pod_disruption_budget_spec(s: Settings) -> dict[str, Any]:
    """At most one workspace pod down at a time during voluntary disruptions."""
    return {"maxUnavailable": 1, "selector": {"matchLabels": dict(s.selector_labels)}}


def merge_workload(
    base: dict[str, Any], owned: Mapping[str, Any], *, placeholder_keys: frozenset[str]
) -> list[str]:
    """Merge the workspace's ``owned`` fields (:func:`workload_fields`) into cdk8s-plus's
    rendering ``base`` of the workload, in place; return the problems found.

    The workspace container replaces the placeholder at ``containers[0]``, which may hold only
    ``placeholder_keys``: anything else was added to it through the cdk8s-plus API and would be
    lost. Containers added through cdk8s-plus stay (the guard refuses them). The workspace's
    volumes come first, then cdk8s-plus's (those of ``add_volume`` and of init containers'
    mounts). Every other owned field replaces cdk8s-plus's.
    """
    spec: dict[str, Any] = base["spec"]
    pod: dict[str, Any] = spec["template"]["spec"]
    owned_pod: Mapping[str, Any] = owned["template"]["spec"]
    problems = []
    placeholder, *added = pod.get("containers", [{}])
    extra = sorted(set(placeholder) - placeholder_keys)
    if extra:
        problems.append(
            f"{', '.join(extra)} set on workload.containers[0] through the cdk8s-plus API would "
            "be lost: that container is the workspace's. Use the construct's parameters (env=, "
            "writable_paths=, ports=, ...) or a JSON patch on ApiObject.of(workspace.workload)."
        )
    ours = {v["name"] for v in owned_pod.get("volumes", [])}
    theirs = pod.get("volumes", [])
    problems += [
        f'volume "{v.get("name")}" added through the cdk8s-plus API has the name of one of the '
        "workspace's own volumes; give it another name."
        for v in theirs
        if v.get("name") in ours
    ]
    merged_pod = {**pod, **owned_pod}
    merged_pod["containers"] = [*owned_pod["containers"], *added]
    merged_pod["volumes"] = [*owned_pod.get("volumes", []), *theirs]
    spec.update({key: value for key, value in owned.items() if key not in ("template", UNSET)})
    for key in owned.get(UNSET, ()):
        spec.pop(key, None)
    spec["template"]["spec"] = dict(sorted(merged_pod.items()))
    base["spec"] = dict(sorted(spec.items()))
    return problems
