"""A fleet person's objects as complete manifests, exactly as the constructs write them, without
jsii: what a fleet hands to cdk8s in bulk for the people no one touched.

The workspace's own fields come from ``render`` (the same functions the constructs use); what
cdk8s and cdk8s-plus add around them is written out here, once:

- [cdk8s] cdk8s 2.70.115 ``lib/api-object.ts`` (``toJson``: the props' keys sorted, recursively,
  ``null`` dropped; then the JSON patches, in order; then ``apiVersion``, ``kind``, ``metadata``
  first) and ``lib/metadata.ts`` (``name``, ``namespace``, ``labels``: the chart's, then the
  object's; empty maps and lists dropped; keys sorted);
- [kplus] cdk8s-plus-28 2.5.6 ``lib/stateful-set.js``, ``lib/pod.js``, ``lib/workload.js``,
  ``lib/service.js``, ``lib/service-account.js``, ``lib/ingress.js``: the fields they render by
  default, and the ``cdk8s.io/metadata.addr`` pod label (``Names.toLabelValue`` of the workload).

``tests/test_fleet_paths.py`` holds every manifest here to what the constructs write, byte for
byte, for every preset and option of the test suite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kasm_constructs._pipeline import render
from kasm_constructs._pipeline import sign_in as sign_in_objects
from kasm_constructs._pipeline.model import Settings
from kasm_constructs._pipeline.plan import FleetPlan, Person, proxy_name
from kasm_constructs._pipeline.render import sanitized
from kasm_constructs.manifests.cdk8s_names import label_value
from kasm_constructs.manifests.kinds import API_VERSIONS
from kasm_constructs.options.controllers import BackendTls, IngressController
from kasm_constructs.options.sign_in import SignIn

__all__ = [
    "PLACEHOLDER_KEYS",
    "ChartFacts",
    "backend_tls_policy",
    "certificate",
    "desktop_sign_in",
    "http_route_spec",
    "ingress",
    "manifest",
    "network_policy",
    "person",
    "person_auth",
    "service",
    "service_account",
    "stateful_set",
]

#: The fields cdk8s-plus renders for the placeholder container [kplus]. Anything else on it was
#: added through the cdk8s-plus API and would be lost when the workspace container takes its
#: place (``render.merge_workload`` refuses it).
PLACEHOLDER_KEYS = frozenset({"image", "imagePullPolicy", "name", "resources", "securityContext"})
#: The pod label cdk8s-plus selects its own pods by [kplus].
ADDRESS_LABEL = "cdk8s.io/metadata.addr"
#: ``timeouts.request`` of a desktop's HTTPRoute: Gateway API says "0s" SHOULD disable the
#: timeout; a desktop is one WebSocket that lasts as long as the session.
DEFAULT_REQUEST_TIMEOUT = "0s"


@dataclass(frozen=True)
class ChartFacts:
    """What a chart adds to every object: its namespace and its labels."""

    namespace: str | None
    labels: Mapping[str, str]


def _metadata(
    name: str, chart: ChartFacts, labels: Mapping[str, str], annotations: Mapping[str, str]
) -> dict[str, Any]:
    """An object's metadata as cdk8s writes it [cdk8s]."""
    fields: dict[str, Any] = {
        "annotations": dict(annotations) or None,
        "labels": {**chart.labels, **labels} or None,
        "name": name,
        "namespace": chart.namespace,
    }
    return sanitized(fields)  # type: ignore[no-any-return]


def manifest(
    kind: str,
    name: str,
    chart: ChartFacts,
    labels: Mapping[str, str],
    body: Mapping[str, Any],
    annotations: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An object: ``apiVersion``, ``kind``, ``metadata``, then ``body`` in its own order (what
    the JSON patches add)."""
    return {
        "apiVersion": API_VERSIONS[kind],
        "kind": kind,
        "metadata": _metadata(name, chart, labels, annotations or {}),
        **body,
    }


def service_account(s: Settings, chart: ChartFacts) -> dict[str, Any]:
    """The ServiceAccount: its token never mounted [kplus]."""
    body = {"automountServiceAccountToken": False}
    return manifest("ServiceAccount", s.name, chart, s.labels, body, s.annotations)


def service(s: Settings, chart: ChartFacts) -> dict[str, Any]:
    """The ClusterIP Service on the named ports [kplus], selecting the workspace's pods."""
    spec = sanitized(
        {
            "externalIPs": [],
            "ports": [
                {"name": port_name, "port": number, "targetPort": number}
                for port_name, number in s.ports.items()
            ],
            "type": "ClusterIP",
        }
    )
    # the selector replaces cdk8s-plus's by a JSON patch: its labels keep their order
    spec = {**spec, "selector": dict(s.selector_labels)}
    spec = {key: spec[key] for key in sorted(spec)}
    return manifest("Service", s.name, chart, s.labels, {"spec": spec}, s.annotations)


def _placeholder(s: Settings) -> dict[str, Any]:
    """The placeholder container cdk8s-plus renders (its content is replaced)."""
    return {"image": s.image, "imagePullPolicy": "Always", "name": s.name}


def stateful_set(s: Settings, chart: ChartFacts, path: str) -> dict[str, Any]:
    """The StatefulSet of a workspace whose construct is at ``path``: what cdk8s-plus renders
    [kplus], with the workspace's own fields merged as the constructs merge them
    (``render.merge_workload``)."""
    assert s.kind == "StatefulSet"
    account = s.service_account_name or s.name
    pod_labels = {**s.pod_labels, ADDRESS_LABEL: label_value(f"{path}/Resource")}
    base = sanitized(
        {
            "apiVersion": API_VERSIONS["StatefulSet"],
            "kind": "StatefulSet",
            "spec": {
                "minReadySeconds": 0,
                "podManagementPolicy": "OrderedReady",
                "replicas": s.replicas,
                "selector": {},
                "serviceName": s.name,
                "template": {
                    "metadata": {
                        "annotations": dict(s.annotations) or None,
                        "labels": pod_labels,
                    },
                    "spec": {
                        "automountServiceAccountToken": False,
                        "containers": [_placeholder(s)],
                        "dnsPolicy": "ClusterFirst",
                        "hostNetwork": False,
                        "restartPolicy": "Always",
                        "securityContext": {},
                        "serviceAccountName": account,
                        "setHostnameAsFQDN": False,
                        "terminationGracePeriodSeconds": 30,
                    },
                },
                "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
            },
        }
    )
    problems = render.merge_workload(
        base, render.workload_fields(s), placeholder_keys=PLACEHOLDER_KEYS
    )
    assert not problems  # nothing was added through the cdk8s-plus API
    metadata = _metadata(s.name, chart, s.labels, s.workload_annotations)
    return {
        "apiVersion": base["apiVersion"],
        "kind": base["kind"],
        "metadata": metadata,
        "spec": base["spec"],
    }


def network_policy(s: Settings, chart: ChartFacts) -> dict[str, Any]:
    """The workspace's one NetworkPolicy."""
    body = {"spec": render.network_policy_spec(s)}
    return manifest("NetworkPolicy", s.name, chart, s.labels, body, s.annotations)


def http_route_spec(
    s: Settings,
    *,
    gateway: str,
    gateway_namespace: str | None,
    section_name: str | None,
    hostnames: Sequence[str],
    request_timeout: str,
    filters: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The spec of the HTTPRoute to a workspace's web port (``WorkspaceRoute``'s), with the
    rule's ``filters`` (a signed-in desktop's)."""
    spec = {
        "hostnames": list(hostnames),
        "parentRefs": [
            {
                "group": "gateway.networking.k8s.io",
                "kind": "Gateway",
                "name": gateway,
                "namespace": gateway_namespace,
                "sectionName": section_name,
            }
        ],
        "rules": [
            {
                "backendRefs": [{"name": s.name, "port": s.web_port}],
                "filters": list(filters) or None,
                "timeouts": {"request": request_timeout},
            }
        ],
    }
    return sanitized(spec)  # type: ignore[no-any-return]


def backend_tls_policy(
    s: Settings, chart: ChartFacts, *, ca_config_map: str, hostname: str
) -> dict[str, Any]:
    """The BackendTLSPolicy ``WorkspaceRoute`` writes: TLS to the web port, verified."""
    port_name = next(iter(s.ports))
    spec = {
        "targetRefs": [{"group": "", "kind": "Service", "name": s.name, "sectionName": port_name}],
        "validation": {
            "caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": ca_config_map}],
            "hostname": hostname,
        },
    }
    return manifest("BackendTLSPolicy", s.name, chart, s.labels, {"spec": sanitized(spec)})


def certificate(
    s: Settings, chart: ChartFacts, *, issuer: str, issuer_kind: str, hostname: str
) -> dict[str, Any]:
    """The Certificate ``WorkspaceCertificate`` writes for the workspace's Service."""
    assert s.backend_tls_secret is not None
    spec = {
        "dnsNames": render.certificate_dns_names(hostname),
        "issuerRef": {"group": "cert-manager.io", "kind": issuer_kind, "name": issuer},
        "privateKey": {"algorithm": "ECDSA", "rotationPolicy": "Always", "size": 256},
        "secretName": s.backend_tls_secret,
        "usages": list(render.CERTIFICATE_USAGES),
    }
    return manifest("Certificate", s.name, chart, s.labels, {"spec": sanitized(spec)})


def ingress(
    s: Settings,
    chart: ChartFacts,
    *,
    host: str,
    tls_secret: str,
    ingress_class_name: str | None,
    controller: IngressController,
    verify: BackendTls | None,
    annotations: Mapping[str, str] = {},
) -> dict[str, Any]:
    """The Ingress cdk8s-plus renders for one host rule and its TLS [kplus]."""
    port = s.web_port
    spec = sanitized(
        {
            "ingressClassName": ingress_class_name,
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {
                                "backend": {"service": {"name": s.name, "port": {"number": port}}},
                                "path": "/",
                                "pathType": "Prefix",
                            }
                        ]
                    },
                }
            ],
            "tls": [{"hosts": [host], "secretName": tls_secret}],
        }
    )
    written = {
        **controller.annotations(https=s.profile.web_scheme == "HTTPS", verify=verify),
        **annotations,
    }
    return manifest("Ingress", s.name, chart, s.labels, {"spec": spec}, written)


def desktop_sign_in(
    s: Settings, sign_in: SignIn, *, allow: Sequence[str], groups: Sequence[str]
) -> list[tuple[str, dict[str, Any]]]:
    """A signed-in desktop's own objects beside its HTTPRoute (``WorkspaceRoute``'s), as
    (kind, spec): its ``SecurityPolicy`` and, with the VNC password kept, the
    ``HTTPRouteFilter`` that injects it. Each is named as the desktop."""
    policy = sign_in_objects.desktop_policy(sign_in, route=s.name, allow=allow, groups=groups)
    made = [("SecurityPolicy", policy)]
    if s.vnc_password:
        secret = s.secret_env["VNC_PW"].name
        made.append(("HTTPRouteFilter", sign_in_objects.credential_filter(secret)))
    return made


def person_auth(p: Person, fleet: FleetPlan, namespace: str | None) -> Mapping[str, str]:
    """The annotations that put a person's Ingress behind the fleet's sign-in proxy (none
    without sign-in)."""
    access = fleet.access
    if access is None or access.sign_in is None:
        return {}
    assert access.controller is not None and namespace is not None
    return sign_in_objects.auth_annotations(
        access.sign_in,
        access.controller,
        proxy_service=render.service_hostname(proxy_name(fleet.name), namespace),
        allow=p.allowed(access.sign_in),
        groups=p.groups,
    )


def person(
    p: Person, fleet: FleetPlan, chart: ChartFacts, path: str
) -> list[tuple[str, dict[str, Any]]]:
    """Every object of one person of a fleet (their construct at ``path``), in the order the
    constructs make them: their workspace's, then their access path's. Each with a construct
    id of its own: ``<user>.<kind>``."""
    s = p.settings
    objects: list[dict[str, Any]] = []
    if s.service_account_name is None:
        objects.append(service_account(s, chart))
    objects += [service(s, chart), stateful_set(s, chart, path), network_policy(s, chart)]
    if s.schedule is not None:
        spec = render.scaled_object_spec(s)
        body = {"spec": spec}
        objects.append(manifest("ScaledObject", s.name, chart, s.labels, body, s.annotations))
    access = fleet.access
    if access is not None and access.kind == "ingress":
        assert p.host is not None and p.tls_secret is not None and access.controller
        objects.append(
            ingress(
                s,
                chart,
                host=p.host,
                tls_secret=p.tls_secret,
                ingress_class_name=access.ingress_class_name,
                controller=access.controller,
                verify=None,
                annotations=person_auth(p, fleet, chart.namespace),
            )
        )
    elif access is not None:
        assert p.host is not None and access.gateway and access.ca_config_map
        assert chart.namespace is not None  # the plan refuses access without a namespace
        hostname = render.service_hostname(s.name, chart.namespace)
        sign_in = access.sign_in
        filters = sign_in_objects.route_filters(s.name, inject=s.vnc_password) if sign_in else []
        route = http_route_spec(
            s,
            gateway=access.gateway,
            gateway_namespace=access.gateway_namespace,
            section_name=access.section_name,
            hostnames=[p.host],
            request_timeout=DEFAULT_REQUEST_TIMEOUT,
            filters=filters,
        )
        objects.append(manifest("HTTPRoute", s.name, chart, s.labels, {"spec": route}))
        objects.append(
            backend_tls_policy(s, chart, ca_config_map=access.ca_config_map, hostname=hostname)
        )
        if sign_in is not None:
            allow = p.allowed(sign_in)
            objects += [
                manifest(kind, s.name, chart, s.labels, {"spec": spec})
                for kind, spec in desktop_sign_in(s, sign_in, allow=allow, groups=p.groups)
            ]
        if access.issuer is not None:
            objects.append(
                certificate(
                    s,
                    chart,
                    issuer=access.issuer,
                    issuer_kind=access.issuer_kind,
                    hostname=hostname,
                )
            )
    return [(f"{p.user}.{o['kind']}", o) for o in objects]
