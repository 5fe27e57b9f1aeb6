"""``WorkspaceIngress``: expose a workspace's web port through an Ingress, over TLS."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from . import _render
from ._tree import api_object, place
from ._validation import check_annotations, check_dns_subdomain, fail, is_dns_subdomain
from .network import NetworkPeer
from .workspace import HardenedWorkspace

__all__ = ["WorkspaceIngress"]

#: ingress-nginx: talk HTTPS to the backend (KasmVNC serves HTTPS only).
NGINX_BACKEND_PROTOCOL = "nginx.ingress.kubernetes.io/backend-protocol"
#: The default ``controller``: ingress-nginx's own namespace.
INGRESS_NGINX = NetworkPeer.from_namespace("ingress-nginx")


def _check_host(host: object) -> None:
    """A DNS name, optionally with a leading ``*.`` wildcard; not an IP address."""
    name = host[2:] if isinstance(host, str) and host.startswith("*.") else host
    try:
        ipaddress.ip_address(str(name))
    except ValueError:
        if isinstance(name, str) and is_dns_subdomain(name):
            return
        fail("host", host, "expected a DNS name such as 'desktop.example.com' or '*.example.com'")
    fail("host", host, "expected a DNS name, not an IP address (Ingress rules match on names)")


class WorkspaceIngress(Construct):
    """An Ingress for a workspace's web port, plus the NetworkPolicy that lets the controller in.

    Args:
        scope: The parent construct.
        id: The construct id.
        workspace: The workspace to expose; it must have its Service.
        host: The host name, e.g. ``"desktop.example.com"``. Required.
        tls_secret: The Secret holding the certificate for ``host``. Required.
        ingress_class_name: ``spec.ingressClassName``. Default ``None`` (the cluster default).
        backend_protocol_annotation: Add ingress-nginx's
            ``nginx.ingress.kubernetes.io/backend-protocol: HTTPS``, because KasmVNC serves
            HTTPS only. Default ``False``.
        controller: The ingress controller's pods, allowed to reach the web port by an extra
            NetworkPolicy. Default: every pod in namespace ``ingress-nginx``. ``None``: no
            NetworkPolicy (allow the controller through the workspace's ``ingress_from``).
        annotations: Extra annotations on the Ingress, e.g. proxy timeouts. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workspace: HardenedWorkspace,
        host: str,
        tls_secret: str,
        ingress_class_name: str | None = None,
        backend_protocol_annotation: bool = False,
        controller: NetworkPeer | None = INGRESS_NGINX,
        annotations: Mapping[str, str] | None = None,
    ) -> None:
        where = place(scope, id)
        if not isinstance(workspace, HardenedWorkspace):
            fail("workspace", workspace, "expected a HardenedWorkspace")
        if workspace.service is None or not workspace.ports:
            fail("workspace", workspace.node.path, "the workspace needs its Service and a port")
        _check_host(host)
        check_dns_subdomain("tls_secret", tls_secret)
        if ingress_class_name is not None:
            check_dns_subdomain("ingress_class_name", ingress_class_name)
        if not isinstance(backend_protocol_annotation, bool):
            fail("backend_protocol_annotation", backend_protocol_annotation, "expected a bool")
        if controller is not None and not isinstance(controller, NetworkPeer):
            fail("controller", controller, "expected a NetworkPeer or None")
        extra = check_annotations("annotations", {} if annotations is None else annotations)
        if backend_protocol_annotation:
            extra[NGINX_BACKEND_PROTOCOL] = "HTTPS"
        name = workspace.service.name
        where.add(lambda: Construct.__init__(self, scope, id))
        objects = [("Ingress", name)]
        if controller is not None:
            objects.append(("NetworkPolicy", f"{name}-ingress"))
        where.claim(objects)

        port = next(iter(workspace.ports.values()))
        #: The cdk8s-plus Ingress.
        self.ingress = kplus.Ingress(
            self,
            "Resource",
            metadata=cdk8s.ApiObjectMetadata(name=name, annotations=extra),
            class_name=ingress_class_name,
        )
        self.ingress.add_host_rule(
            host, "/", kplus.IngressBackend.from_service(workspace.service, port=port)
        )
        self.ingress.add_tls(
            [
                kplus.IngressTls(
                    hosts=[host], secret=kplus.Secret.from_secret_name(self, "Tls", tls_secret)
                )
            ]
        )
        #: The NetworkPolicy letting ``controller`` reach the web port, or ``None``.
        self.network_policy: cdk8s.ApiObject | None = None
        if controller is not None:
            self.network_policy = api_object(
                self,
                "NetworkPolicy",
                cdk8s.ApiObjectMetadata(name=f"{name}-ingress"),
                _render.ingress_policy_spec(workspace.selector_labels, controller.render(), port),
            )
