"""Reaching the desktop, through Ingress or Gateway API, over TLS verified where the platform
allows it."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest

from kasm_constructs import (
    HardenedWorkspace,
    IngressController,
    NetworkPeer,
    WorkspaceCertificate,
    WorkspaceIngress,
    WorkspaceRoute,
    envoy_gateway_proxies,
)
from kasm_constructs.policy.pod_security import evaluate
from tests.helpers import Manifest, container, env, mounts, one, pod_spec, synth, volumes
from tests.scenario_cases import VNC

IMAGE = "kasmweb/desktop:1.16.0"
NGINX = "nginx.ingress.kubernetes.io/"


def _chart(app: cdk8s.App) -> cdk8s.Chart:
    return cdk8s.Chart(app, "kasm", namespace="kasm")


def _workspace(chart: cdk8s.Chart, **kwargs: Any) -> HardenedWorkspace:
    arguments = {"image": IMAGE, "secret_env": VNC, "name": "desk", **kwargs}
    return HardenedWorkspace(chart, "desktop", **arguments)


def _route(chart: cdk8s.Chart, workspace: HardenedWorkspace, **kwargs: Any) -> WorkspaceRoute:
    arguments = {
        "workspace": workspace,
        "gateway": "public",
        "gateway_namespace": "gateway-system",
        "hostnames": ["desk.example.com"],
        "ca_config_map": "desktops-ca",
        **kwargs,
    }
    return WorkspaceRoute(chart, "route", **arguments)


def _policy_ingress(docs: list[Manifest]) -> list[Any]:
    result: list[Any] = one(docs, "NetworkPolicy")["spec"]["ingress"]
    return result


# --- the workspace serves a certificate of its own ---------------------------------------------
def test_backend_tls_secret_is_served_read_only_and_the_pod_stays_restricted() -> None:
    docs = synth(lambda app: _workspace(_chart(app), backend_tls_secret="desk-tls"))
    workload = one(docs, "Deployment")
    assert volumes(workload)["backend-tls"]["secret"] == {
        "defaultMode": 0o440,
        "secretName": "desk-tls",
    }
    (mount,) = [m for m in container(workload)["volumeMounts"] if m["name"] == "backend-tls"]
    assert mount == {
        "mountPath": "/etc/kasm-constructs/tls",
        "name": "backend-tls",
        "readOnly": True,
    }
    options = env(workload)["VNCOPTIONS"].split()
    # -cert/-key on the command line win over kasmvnc.yaml's self.pem; the image's four stay.
    assert options[options.index("-cert") + 1] == "/etc/kasm-constructs/tls/tls.crt"
    assert options[options.index("-key") + 1] == "/etc/kasm-constructs/tls/tls.key"
    assert "-PreferBandwidth" in options and "-DLP_ClipDelay=0" in options
    assert container(workload)["securityContext"]["readOnlyRootFilesystem"] is True
    assert evaluate(workload) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"image": "nginx:1.27", "image_profile": "generic"},
            r"^backend_tls_secret: got 'desk-tls'; the image profile 'generic'",
        ),
        ({"env": {"VNCOPTIONS": "-x"}}, r"^env\['VNCOPTIONS'\]: got '-x'; backend_tls_secret sets"),
    ],
)
def test_backend_tls_secret_is_refused_where_it_cannot_work(
    chart: cdk8s.Chart, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _workspace(chart, backend_tls_secret="desk-tls", **kwargs)


def test_side_services_are_off_and_can_be_switched_back_on() -> None:
    values = env(one(synth(lambda app: _workspace(_chart(app))), "Deployment"))
    services = ["AUDIO", "AUDIO_INPUT", "UPLOADS", "GAMEPAD", "WEBCAM"]
    assert {s: values[f"KASM_SVC_{s}"] for s in services} == dict.fromkeys(services, "0")
    on = env(
        one(synth(lambda app: _workspace(_chart(app), env={"KASM_SVC_AUDIO": "1"})), "Deployment")
    )
    assert on["KASM_SVC_AUDIO"] == "1" and on["KASM_SVC_UPLOADS"] == "0"


# --- one NetworkPolicy per workspace ------------------------------------------------------------
def test_allow_from_adds_a_rule_to_the_workspace_policy() -> None:
    def build(app: cdk8s.App) -> None:
        workspace = _workspace(_chart(app), ingress_from=[NetworkPeer.from_namespace("a")])
        workspace.allow_from(NetworkPeer.from_pod_labels({"app": "b"}))

    rules = _policy_ingress(synth(build))
    assert [r["from"] for r in rules] == [
        [NetworkPeer.from_namespace("a").render()],
        [NetworkPeer.from_pod_labels({"app": "b"}).render()],
    ]
    assert all(r["ports"] == [{"port": 6901, "protocol": "TCP"}] for r in rules)


@pytest.mark.parametrize(
    "kwargs, call, message",
    [
        ({}, {"peer": "ingress-nginx"}, r"^peer: got 'ingress-nginx'"),
        ({}, {"peer": NetworkPeer.from_namespace("x"), "ports": [443]}, r"^ports: got \[443\]"),
        ({"network_policy": False}, {"peer": NetworkPeer.from_namespace("x")}, r"no NetworkPolicy"),
    ],
)
def test_allow_from_refuses_what_cannot_be_admitted(
    chart: cdk8s.Chart, kwargs: dict[str, Any], call: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _workspace(chart, **kwargs).allow_from(**call)


# --- Ingress ----------------------------------------------------------------------------------
def test_ingress_verifies_a_backend_that_serves_its_own_certificate() -> None:
    def build(app: cdk8s.App) -> None:
        chart = _chart(app)
        workspace = _workspace(chart, backend_tls_secret="desk-tls", labels={"team": "a"})
        WorkspaceIngress(
            chart, "ingress", workspace=workspace, host="d.example.com", tls_secret="t"
        )

    docs = synth(build)
    ingress = one(docs, "Ingress")
    annotations = ingress["metadata"]["annotations"]
    assert annotations[f"{NGINX}backend-protocol"] == "HTTPS"
    assert annotations[f"{NGINX}proxy-ssl-verify"] == "on"
    assert annotations[f"{NGINX}proxy-ssl-secret"] == "kasm/desk-tls"  # its ca.crt
    assert annotations[f"{NGINX}proxy-ssl-name"] == "desk.kasm.svc"
    assert ingress["metadata"]["labels"]["team"] == "a"
    assert len(_by_kind(docs, "NetworkPolicy")) == 1


def _by_kind(docs: list[Manifest], kind: str) -> list[Manifest]:
    return [d for d in docs if d["kind"] == kind]


def test_a_generic_controller_gets_no_annotations_and_names_its_own_pods() -> None:
    peer = NetworkPeer.from_namespace("traefik")

    def build(app: cdk8s.App) -> None:
        chart = _chart(app)
        WorkspaceIngress(
            chart,
            "ingress",
            workspace=_workspace(chart),
            host="d.example.com",
            tls_secret="t",
            controller=IngressController.generic(peer),
        )

    docs = synth(build)
    assert "annotations" not in one(docs, "Ingress")["metadata"]
    assert [r["from"] for r in _policy_ingress(docs)] == [[peer.render()]]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: IngressController.ingress_nginx(session_seconds=60), r"session_seconds\): got 60"),
        (lambda: IngressController.ingress_nginx(body_size="lots"), r"body_size\): got 'lots'"),
        (lambda: IngressController.generic("traefik"), r"generic\(peer\): got 'traefik'"),
    ],
)
def test_controller_presets_check_their_arguments(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_a_host_with_capitals_is_refused_saying_lowercase(chart: cdk8s.Chart) -> None:
    workspace = _workspace(chart)
    with pytest.raises(ValueError, match=r"^host: got 'Desk\.example\.com'; expected a lowercase"):
        WorkspaceIngress(chart, "i", workspace=workspace, host="Desk.example.com", tls_secret="t")


# --- Gateway API ------------------------------------------------------------------------------
def _routed(**kwargs: Any) -> list[Manifest]:
    def build(app: cdk8s.App) -> None:
        chart = _chart(app)
        workspace = _workspace(chart, backend_tls_secret="desk-tls", labels={"team": "a"})
        _route(chart, workspace, **kwargs)
        WorkspaceCertificate(chart, "certificate", workspace=workspace, issuer="desktops-ca")

    return synth(build)


def test_route_and_backend_tls_policy() -> None:
    docs = _routed()
    route = one(docs, "HTTPRoute")
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert route["spec"]["parentRefs"] == [
        {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "name": "public",
            "namespace": "gateway-system",
        }
    ]
    assert route["spec"]["hostnames"] == ["desk.example.com"]
    (rule,) = route["spec"]["rules"]
    assert rule == {"backendRefs": [{"name": "desk", "port": 6901}], "timeouts": {"request": "0s"}}
    policy = one(docs, "BackendTLSPolicy")
    assert policy["spec"] == {
        "targetRefs": [{"group": "", "kind": "Service", "name": "desk", "sectionName": "vnc"}],
        "validation": {
            "caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "desktops-ca"}],
            "hostname": "desk.kasm.svc",
        },
    }
    assert one(docs, "Service")["spec"]["ports"][0]["name"] == "vnc"  # what sectionName names
    certificate = one(docs, "Certificate")["spec"]
    assert certificate["secretName"] == "desk-tls"
    assert "desk.kasm.svc" in certificate["dnsNames"]  # the hostname the policy verifies
    assert certificate["issuerRef"] == {
        "group": "cert-manager.io",
        "kind": "Issuer",
        "name": "desktops-ca",
    }
    for kind in ("HTTPRoute", "BackendTLSPolicy", "Certificate"):
        assert one(docs, kind)["metadata"]["labels"]["team"] == "a"
    # Envoy Gateway's proxies for this Gateway, by namespace and labels (its default mode)
    proxies = envoy_gateway_proxies(gateway="public", gateway_namespace="gateway-system")
    assert [r["from"] for r in _policy_ingress(docs)] == [[proxies.render()]]


def test_the_gateway_pods_can_be_named() -> None:
    """Another implementation's proxies: named by namespace and pod labels."""
    peer = NetworkPeer.from_pod_labels({"app": "gateway"}, namespace="gateway-system")
    assert [r["from"] for r in _policy_ingress(_routed(gateway_pods=peer))] == [[peer.render()]]


@pytest.mark.parametrize(
    "workspace_kwargs, route_kwargs, message",
    [
        ({}, {}, r"^backend_tls_secret: got None; .* no gateway can verify"),
        ({"backend_tls_secret": "t"}, {"hostnames": ["Desk.example.com"]}, r"^hostnames item"),
        ({"backend_tls_secret": "t"}, {"hostnames": []}, r"^hostnames: got \[\]"),
        ({"backend_tls_secret": "t"}, {"request_timeout": "1 hour"}, r"^request_timeout"),
        ({"backend_tls_secret": "t"}, {"gateway": "Public"}, r"^gateway: got 'Public'"),
    ],
)
def test_route_arguments_are_checked(
    chart: cdk8s.Chart,
    workspace_kwargs: dict[str, Any],
    route_kwargs: dict[str, Any],
    message: str,
) -> None:
    workspace = _workspace(chart, **workspace_kwargs)
    with pytest.raises(ValueError, match=message):
        _route(chart, workspace, **route_kwargs)


def test_a_route_needs_a_namespace_to_name_the_certificate() -> None:
    chart = cdk8s.Chart(cdk8s.App(), "plain")
    workspace = _workspace(chart, backend_tls_secret="t")
    with pytest.raises(ValueError, match=r"^workspace: got 'plain/desktop'; .* no namespace"):
        _route(chart, workspace)


def test_mounts_keep_the_workspace_container_restricted_with_a_route() -> None:
    workload = one(_routed(), "Deployment")
    assert mounts(workload)["/etc/kasm-constructs/tls"] == "backend-tls"
    assert pod_spec(workload)["securityContext"]["runAsNonRoot"] is True
