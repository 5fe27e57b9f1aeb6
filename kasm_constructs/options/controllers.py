"""What each ingress controller needs to carry a desktop: the one place that knows controllers.

A KasmVNC desktop is one long-lived WebSocket over HTTPS. A proxy in front of it must

1. speak HTTPS to the backend (6901 serves HTTPS only; plain HTTP gets a 502);
2. keep an idle WebSocket open for at least an hour (not the usual 60 s);
3. accept request bodies larger than the usual 1 MB;
4. verify the backend's certificate where it can (``backend_tls_secret`` on the workspace).

An :class:`IngressController` says how one controller is told each of these, and where its pods
run (the workspace's NetworkPolicy admits them). Each annotation carries its source.

Sources:

- [nginx] kubernetes/ingress-nginx ``docs/user-guide/nginx-configuration/annotations.md``
  (commit dbb11b92): ``backend-protocol`` (default HTTP), ``proxy-read-timeout`` and
  ``proxy-send-timeout`` (seconds, default 60), ``proxy-body-size`` (default 1m),
  ``proxy-ssl-secret`` (a Secret with ``ca.crt``, in the Ingress's namespace),
  ``proxy-ssl-verify`` (default off), ``proxy-ssl-name``, ``proxy-ssl-server-name``,
  ``proxy-ssl-verify-depth`` (default 1).
- [nginx-ws] same repository, ``docs/user-guide/miscellaneous.md``: WebSockets need no
  configuration beyond the two timeouts, which should be "higher than one hour (3600)".
- [retired] https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/: best-effort
  maintenance until March 2026, then no releases or security fixes. Prefer Gateway API
  (:class:`~kasm_constructs.WorkspaceRoute`).
- [nginx-pods] same repository, ``charts/ingress-nginx/templates/_helpers.tpl``
  (``ingress-nginx.selectorLabels``: ``app.kubernetes.io/name: ingress-nginx``) and
  ``controller-deployment.yaml`` (``app.kubernetes.io/component: controller``); the static
  manifests in ``deploy/static/provider/*/deploy.yaml`` carry the same labels.
- [eg-pods] envoyproxy/gateway v1.9.0: the proxies run in the controller's namespace,
  ``envoy-gateway-system`` by default (``internal/envoygateway/config/config.go`` L22;
  ``internal/infrastructure/kubernetes/proxy_infra.go`` L97-102), labelled
  ``gateway.envoyproxy.io/owning-gateway-name`` and ``owning-gateway-namespace``, or
  ``owning-gatewayclass`` when Gateways are merged (``internal/gatewayapi/translator.go``
  L35-42, L635-640; ``internal/infrastructure/kubernetes/proxy/resource_provider.go``
  L182-190).

A desktop's NetworkPolicy admits the proxy by its namespace *and* its pods' labels: a namespace
alone would admit every pod in it, the desktops too when they share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kasm_constructs.manifests.grammar import check_dns_label, check_int, fail, full_match
from kasm_constructs.options.forms import Factories, Form
from kasm_constructs.options.network import NetworkPeer

__all__ = [
    "ENVOY_GATEWAY_NAMESPACE",
    "BackendTls",
    "IngressController",
    "envoy_gateway_proxies",
]

#: An nginx size (``client_max_body_size``): digits and k, m or g [nginx].
_NGINX_SIZE = r"[0-9]+[kmg]"
#: Where Envoy Gateway runs its proxies in its default mode [eg-pods].
ENVOY_GATEWAY_NAMESPACE = "envoy-gateway-system"
_EG = "gateway.envoyproxy.io/"
#: The labels of the ingress-nginx controller's pods [nginx-pods].
INGRESS_NGINX_POD_LABELS: Mapping[str, str] = MappingProxyType(
    {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller"}
)


def envoy_gateway_proxies(
    *,
    gateway: str | None = None,
    gateway_namespace: str | None = None,
    gateway_class: str | None = None,
    namespace: str = ENVOY_GATEWAY_NAMESPACE,
) -> NetworkPeer:
    """Envoy Gateway's proxy pods for one Gateway (``gateway`` in ``gateway_namespace``), or,
    when Gateways are merged, for a GatewayClass (``gateway_class``); in ``namespace``,
    Envoy Gateway's own in its default mode [eg-pods]."""
    if gateway_class is not None:
        if gateway is not None or gateway_namespace is not None:
            fail(
                "envoy_gateway_proxies(gateway_class)",
                gateway_class,
                "merged Gateways' proxies are labelled by their class only: give gateway_class "
                "alone, or gateway and gateway_namespace",
            )
        labels = {f"{_EG}owning-gatewayclass": gateway_class}
    elif gateway is None or gateway_namespace is None:
        fail(
            "envoy_gateway_proxies(gateway)",
            gateway,
            "give the Gateway's name and namespace (or, for merged Gateways, gateway_class)",
        )
    else:
        labels = {
            f"{_EG}owning-gateway-name": gateway,
            f"{_EG}owning-gateway-namespace": gateway_namespace,
        }
    return NetworkPeer.from_pod_labels(labels, namespace=namespace)


@dataclass(frozen=True)
class BackendTls:
    """How to verify a workspace's certificate: the Secret that holds it (its ``ca.crt`` is the
    CA), and the name the certificate carries."""

    secret: str
    namespace: str
    hostname: str


@dataclass(frozen=True)
class IngressController:
    """One ingress controller's presets. Make one with :meth:`ingress_nginx` or
    :meth:`generic`."""

    name: str
    #: The controller's pods, admitted to the web port; ``None``: admit them yourself.
    peer: NetworkPeer | None
    #: Annotation -> value, when the backend speaks HTTPS.
    https_backend: Mapping[str, str] = field(default_factory=dict)
    #: Annotation -> value, for hour-long WebSocket sessions and uploads.
    sessions: Mapping[str, str] = field(default_factory=dict)
    #: Annotation -> value template, to verify the backend's certificate; ``{secret}``,
    #: ``{namespace}`` and ``{hostname}`` are filled from :class:`BackendTls`.
    verify_backend: Mapping[str, str] = field(default_factory=dict)
    #: Annotation -> value template, to ask a sign-in proxy first (``{auth_url}``: where it
    #: answers whether a request may pass; ``{sign_in_url}``: where a person signs in); empty:
    #: the controller cannot.
    external_auth: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("https_backend", "sessions", "verify_backend", "external_auth"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @classmethod
    def ingress_nginx(
        cls,
        *,
        namespace: str = "ingress-nginx",
        session_seconds: int = 3600,
        body_size: str = "256m",
    ) -> IngressController:
        """ingress-nginx, its controller pods (by their labels [nginx-pods]) in ``namespace``
        [nginx][retired]. Sessions stay open
        ``session_seconds`` without traffic (at least 3600) [nginx-ws]; requests up to
        ``body_size`` (an nginx size: ``256m``, ``1g``; ``0`` lifts the limit) [nginx]."""
        check_dns_label("IngressController.ingress_nginx(namespace)", namespace)
        check_int("IngressController.ingress_nginx(session_seconds)", session_seconds, minimum=3600)
        if body_size != "0" and not full_match(_NGINX_SIZE, body_size, 32):
            fail(
                "IngressController.ingress_nginx(body_size)",
                body_size,
                "expected an nginx size such as '256m' or '1g' (k, m or g), or '0' for no limit",
            )
        prefix = "nginx.ingress.kubernetes.io/"
        return cls(
            "ingress-nginx",
            NetworkPeer.from_pod_labels(INGRESS_NGINX_POD_LABELS, namespace=namespace),
            https_backend={f"{prefix}backend-protocol": "HTTPS"},
            sessions={
                f"{prefix}proxy-read-timeout": str(session_seconds),
                f"{prefix}proxy-send-timeout": str(session_seconds),
                f"{prefix}proxy-body-size": body_size,
            },
            verify_backend={
                f"{prefix}proxy-ssl-secret": "{namespace}/{secret}",
                f"{prefix}proxy-ssl-verify": "on",
                f"{prefix}proxy-ssl-name": "{hostname}",
                f"{prefix}proxy-ssl-server-name": "on",
                f"{prefix}proxy-ssl-verify-depth": "2",
            },
            external_auth={
                f"{prefix}auth-url": "{auth_url}",
                f"{prefix}auth-signin": "{sign_in_url}",
            },
        )

    @classmethod
    def generic(cls, peer: NetworkPeer | None) -> IngressController:
        """Any other controller: no annotations. It must itself speak HTTPS to the backend,
        keep idle WebSockets open an hour, and accept large bodies (see the README, "Reaching
        the desktop"). ``peer``: its pods, admitted to the web port (``None``: admit them
        yourself)."""
        if peer is not None and not isinstance(peer, NetworkPeer):
            fail("IngressController.generic(peer)", peer, "expected a NetworkPeer or None")
        return cls("generic", peer)

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{ingress_nginx: {...}}`` or ``{generic: {peer: {...}}}``."""
        return Factories(cls, ("ingress_nginx", "generic"))

    def annotations(self, *, https: bool, verify: BackendTls | None) -> dict[str, str]:
        """The Ingress annotations for a backend that speaks HTTPS or not, and whose
        certificate can be verified or not."""
        result = dict(self.sessions)
        if https:
            result.update(self.https_backend)
        if https and verify is not None:
            fields = {"secret": verify.secret, "namespace": verify.namespace}
            fields["hostname"] = verify.hostname
            result.update({k: v.format(**fields) for k, v in self.verify_backend.items()})
        return result
