"""``WorkspaceIngress``: expose a workspace's web port through an Ingress, over TLS."""

from __future__ import annotations

from collections.abc import Mapping

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from kasm_constructs._pipeline import render
from kasm_constructs.constructs._tree import place, public_signature
from kasm_constructs.constructs.workspace import HardenedWorkspace
from kasm_constructs.manifests.grammar import (
    check_annotations,
    check_dns_subdomain,
    check_host,
    fail,
)
from kasm_constructs.manifests.yamlwrite import check_strings
from kasm_constructs.options.controllers import BackendTls, IngressController

__all__ = ["WorkspaceIngress", "service_hostname"]


def service_hostname(workspace: HardenedWorkspace, parameter: str) -> str:
    """The in-cluster name of the workspace's Service, which its certificate must carry."""
    if workspace.service is None or not workspace.ports:
        fail(parameter, workspace.node.path, "the workspace needs its Service and a port")
    if workspace.namespace is None:
        fail(
            parameter,
            workspace.node.path,
            "the workspace's chart has no namespace, so its Service has no stable DNS name "
            "(<service>.<namespace>.svc) to verify; give the chart a namespace",
        )
    return render.service_hostname(workspace.name, workspace.namespace)  # named as the workspace


@public_signature
class WorkspaceIngress(Construct):
    """An Ingress for a workspace's web port, over TLS, that works with the controller's
    defaults: it speaks the backend's scheme (HTTPS for kasmweb images), keeps a desktop's
    WebSocket open, accepts uploads, and verifies the backend's certificate when the workspace
    serves one of its own (``backend_tls_secret``) and the controller can. It admits the
    controller's pods to the web port in the workspace's own NetworkPolicy.

    Args:
        scope: The parent construct.
        id: The construct id.
        workspace: The workspace to expose; it must have its Service.
        host: The host name, e.g. ``"desktop.example.com"`` (lowercase). Required.
        tls_secret: The Secret holding the certificate for ``host``. Required.
        ingress_class_name: ``spec.ingressClassName``. Default ``None`` (the cluster default).
        controller: The controller's presets and where its pods run. Default:
            ``IngressController.ingress_nginx()``; ``IngressController.generic(peer)`` for
            another controller (no annotations).
        annotations: Extra annotations on the Ingress; they override the presets. Default: none.
        network_policy: Admit the controller's pods to the web port in the workspace's
            NetworkPolicy. Default ``True``; ``False`` when another policy admits them (as
            ``WorkspaceFleet``'s does).
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
        controller: IngressController = IngressController.ingress_nginx(),  # noqa: B008
        annotations: Mapping[str, str] | None = None,
        network_policy: bool = True,
    ) -> None:
        where = place(scope, id)
        if not isinstance(workspace, HardenedWorkspace):
            fail("workspace", workspace, "expected a HardenedWorkspace")
        if workspace.service is None or not workspace.ports:
            fail("workspace", workspace.node.path, "the workspace needs its Service and a port")
        check_host("host", host)
        check_dns_subdomain("tls_secret", tls_secret)
        if ingress_class_name is not None:
            check_dns_subdomain("ingress_class_name", ingress_class_name)
        if not isinstance(controller, IngressController):
            fail(
                "controller", controller, "expected IngressController.ingress_nginx() or .generic()"
            )
        extra = check_annotations("annotations", {} if annotations is None else annotations)
        check_strings("annotations", extra)
        if not isinstance(network_policy, bool):
            fail("network_policy", network_policy, "expected True or False")
        verify = None
        if workspace.backend_tls_secret is not None and workspace.namespace is not None:
            hostname = service_hostname(workspace, "workspace")
            verify = BackendTls(workspace.backend_tls_secret, workspace.namespace, hostname)
        https = workspace.web_scheme == "HTTPS"
        name = workspace.name
        where.add(lambda: Construct.__init__(self, scope, id))
        where.claim([("Ingress", name)])

        port = next(iter(workspace.ports.values()))
        #: The cdk8s-plus Ingress.
        self.ingress = kplus.Ingress(
            self,
            "Resource",
            metadata=cdk8s.ApiObjectMetadata(
                name=name,
                labels=workspace.labels,
                annotations={**controller.annotations(https=https, verify=verify), **extra},
            ),
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
        if network_policy and controller.peer is not None:
            workspace.allow_from(controller.peer, [port])
