"""``WorkspaceRoute``: reach a workspace through a Gateway API gateway, over verified TLS."""

from __future__ import annotations

from collections.abc import Sequence

import cdk8s
from constructs import Construct

from kasm_constructs._pipeline.objects import DEFAULT_REQUEST_TIMEOUT
from kasm_constructs.constructs._tree import place, public_signature
from kasm_constructs.constructs.ingress import service_hostname
from kasm_constructs.constructs.workspace import HardenedWorkspace
from kasm_constructs.imports.backendtlspolicy.io.k8s.networking.gateway import (
    BackendTlsPolicy,
    BackendTlsPolicySpec,
    BackendTlsPolicySpecTargetRefs,
    BackendTlsPolicySpecValidation,
    BackendTlsPolicySpecValidationCaCertificateRefs,
)
from kasm_constructs.imports.httproute.io.k8s.networking.gateway import (
    HttpRoute,
    HttpRouteSpec,
    HttpRouteSpecParentRefs,
    HttpRouteSpecRules,
    HttpRouteSpecRulesBackendRefs,
    HttpRouteSpecRulesTimeouts,
)
from kasm_constructs.manifests.grammar import (
    GATEWAY_DURATION,
    check_dns_label,
    check_dns_subdomain,
    check_host,
    fail,
    full_match,
)
from kasm_constructs.manifests.yamlwrite import check_strings
from kasm_constructs.options.controllers import envoy_gateway_proxies
from kasm_constructs.options.network import NetworkPeer

__all__ = ["WorkspaceRoute"]


@public_signature
class WorkspaceRoute(Construct):
    """An ``HTTPRoute`` (gateway.networking.k8s.io/v1) from a Gateway to a workspace's web port,
    and the ``BackendTLSPolicy`` (v1) that makes the gateway speak TLS to it and verify its
    certificate. The workspace must serve a certificate the gateway can verify
    (``backend_tls_secret``); the CA that signed it must be in the ConfigMap ``ca_config_map``
    (key ``ca.crt``) in the workspace's namespace. The workspace's NetworkPolicy admits the
    gateway's pods to the web port.

    Args:
        scope: The parent construct.
        id: The construct id.
        workspace: The workspace to reach; it needs its Service, a port and
            ``backend_tls_secret``, and its chart a namespace.
        gateway: The name of the Gateway to attach to. Required.
        gateway_namespace: The Gateway's namespace. Default ``None``: the workspace's. Its
            listener's ``allowedRoutes`` must admit routes from the workspace's namespace.
        section_name: The Gateway listener to attach to. Default ``None``: every listener
            that admits the route.
        hostnames: The host names the route answers, e.g. ``["alice.desktops.example.com"]``
            (lowercase). Required.
        ca_config_map: The ConfigMap (key ``ca.crt``) holding the CA that signed the
            workspace's certificate, e.g. one that trust-manager writes. Required.
        request_timeout: The rule's ``timeouts.request``. Default ``"0s"``, which Gateway API
            says SHOULD disable the timeout (or, where it cannot, mean the longest possible): a
            desktop is one WebSocket that lasts as long as the session.
        gateway_pods: Who to admit to the web port: the gateway's data plane, by namespace and
            pod labels. Default: Envoy Gateway's proxies for this Gateway in its default
            mode (``envoy_gateway_proxies(gateway=..., gateway_namespace=...)``: namespace
            ``envoy-gateway-system``, labels ``gateway.envoyproxy.io/owning-gateway-name`` and
            ``-namespace``). For another implementation, or merged Gateways, say where its
            proxies run: ``NetworkPeer.from_pod_labels({...}, namespace=...)``.
        network_policy: Admit ``gateway_pods`` to the web port in the workspace's
            NetworkPolicy. Default ``True``; ``False`` when another policy admits them (as
            ``WorkspaceFleet``'s does).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workspace: HardenedWorkspace,
        gateway: str,
        hostnames: Sequence[str],
        ca_config_map: str,
        gateway_namespace: str | None = None,
        section_name: str | None = None,
        request_timeout: str = DEFAULT_REQUEST_TIMEOUT,
        gateway_pods: NetworkPeer | None = None,
        network_policy: bool = True,
    ) -> None:
        where = place(scope, id)
        if not isinstance(workspace, HardenedWorkspace):
            fail("workspace", workspace, "expected a HardenedWorkspace")
        if workspace.backend_tls_secret is None:
            fail(
                "backend_tls_secret",
                None,
                f"the workspace {workspace.node.path!r} serves its image's self-signed "
                "certificate, which no gateway can verify: give it backend_tls_secret= (a "
                "kubernetes.io/tls Secret, e.g. from WorkspaceCertificate)",
            )
        hostname = service_hostname(workspace, "workspace")
        check_dns_subdomain("gateway", gateway)
        if gateway_namespace is not None:
            check_dns_label("gateway_namespace", gateway_namespace)
        if section_name is not None:
            check_dns_subdomain("section_name", section_name)
        if isinstance(hostnames, str) or not isinstance(hostnames, Sequence) or not hostnames:
            fail("hostnames", hostnames, "expected a non-empty list of host names")
        for host in hostnames:
            check_host("hostnames item", host)
        check_strings("hostnames", list(hostnames))
        check_dns_subdomain("ca_config_map", ca_config_map)
        if not full_match(GATEWAY_DURATION, request_timeout):
            fail(
                "request_timeout",
                request_timeout,
                "expected a Gateway API duration such as '0s', '3600s' or '1h'",
            )
        if gateway_pods is not None and not isinstance(gateway_pods, NetworkPeer):
            fail("gateway_pods", gateway_pods, "expected a NetworkPeer or None")
        if not isinstance(network_policy, bool):
            fail("network_policy", network_policy, "expected True or False")
        name = workspace.name
        where.add(lambda: Construct.__init__(self, scope, id))
        where.claim([("HTTPRoute", name), ("BackendTLSPolicy", name)])

        port_name, port = next(iter(workspace.ports.items()))
        metadata = cdk8s.ApiObjectMetadata(name=name, labels=workspace.labels)
        #: The HTTPRoute.
        self.route = HttpRoute(
            self,
            "Resource",
            metadata=metadata,
            spec=HttpRouteSpec(
                parent_refs=[
                    HttpRouteSpecParentRefs(
                        group="gateway.networking.k8s.io",
                        kind="Gateway",
                        name=gateway,
                        namespace=gateway_namespace,
                        section_name=section_name,
                    )
                ],
                hostnames=list(hostnames),
                rules=[
                    HttpRouteSpecRules(
                        backend_refs=[HttpRouteSpecRulesBackendRefs(name=name, port=port)],
                        timeouts=HttpRouteSpecRulesTimeouts(request=request_timeout),
                    )
                ],
            ),
        )
        #: The BackendTLSPolicy: TLS from the gateway to the web port, verified.
        self.backend_tls_policy = BackendTlsPolicy(
            self,
            "BackendTLSPolicy",
            metadata=metadata,
            spec=BackendTlsPolicySpec(
                target_refs=[
                    BackendTlsPolicySpecTargetRefs(
                        group="", kind="Service", name=name, section_name=port_name
                    )
                ],
                validation=BackendTlsPolicySpecValidation(
                    ca_certificate_refs=[
                        BackendTlsPolicySpecValidationCaCertificateRefs(
                            group="", kind="ConfigMap", name=ca_config_map
                        )
                    ],
                    hostname=hostname,
                ),
            ),
        )
        namespace = gateway_namespace or workspace.namespace
        assert namespace is not None  # service_hostname refuses a workspace without one
        if network_policy:
            proxies = gateway_pods or envoy_gateway_proxies(
                gateway=gateway, gateway_namespace=namespace
            )
            workspace.allow_from(proxies, [port])
