"""``WorkspaceRoute``: reach a workspace through a Gateway API gateway, over verified TLS."""

from __future__ import annotations

from collections.abc import Sequence

import cdk8s
from constructs import Construct

from kasm_constructs._pipeline import sign_in as sign_in_objects
from kasm_constructs._pipeline.boundary import refuse_open_front
from kasm_constructs._pipeline.objects import (
    DEFAULT_REQUEST_TIMEOUT,
    desktop_sign_in,
    http_route_spec,
)
from kasm_constructs.constructs._tree import api_object, place, public_signature
from kasm_constructs.constructs.ingress import service_hostname
from kasm_constructs.constructs.listener_sign_in import ListenerSignIn, sign_in_on_listener
from kasm_constructs.constructs.workspace import HardenedWorkspace
from kasm_constructs.imports.backendtlspolicy.io.k8s.networking.gateway import (
    BackendTlsPolicy,
    BackendTlsPolicySpec,
    BackendTlsPolicySpecTargetRefs,
    BackendTlsPolicySpecValidation,
    BackendTlsPolicySpecValidationCaCertificateRefs,
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
from kasm_constructs.options.sign_in import SignIn, check_allowed

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
        sign_in: Only the people in ``allow`` reach the workspace, signed in through the
            organisation's identity provider (Envoy Gateway v1.9 or later; ``docs/sign-in.md``).
            Default ``None``. The route then attaches to ``section_name`` only (required), the
            listener's sign-in is written once per app (:class:`ListenerSignIn`), and the route
            gets its own ``SecurityPolicy`` (the ID token checked; only ``allow`` let in) and,
            unless ``SignIn(vnc_password=False)``, an ``HTTPRouteFilter`` that injects the VNC
            password from the key ``credential`` of the Secret ``VNC_PW`` is bound to.
        allow: With ``sign_in``: who may reach the workspace, by the claim ``sign_in.claim``
            (emails by default). Required with ``sign_in``.
        allow_groups: With ``sign_in``: narrow ``allow`` to people in one of these groups (the
            claim ``sign_in.groups_claim``). Default: no narrowing.
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
        sign_in: SignIn | None = None,
        allow: Sequence[str] = (),
        allow_groups: Sequence[str] = (),
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
        _check_sign_in(workspace, hostnames, section_name, sign_in, allow, allow_groups)
        namespace = gateway_namespace or workspace.namespace
        assert namespace is not None  # service_hostname refuses a workspace without one
        proxies = gateway_pods or envoy_gateway_proxies(
            gateway=gateway, gateway_namespace=namespace
        )
        if sign_in is not None and not sign_in.vnc_password and network_policy:
            refuse_open_front("gateway_pods", proxies)
        name = workspace.name
        signed_in = (
            desktop_sign_in(
                workspace._settings, sign_in, allow=list(allow), groups=list(allow_groups)
            )
            if sign_in is not None
            else []
        )
        where.add(lambda: Construct.__init__(self, scope, id))
        where.claim(
            [("HTTPRoute", name), ("BackendTLSPolicy", name), *((k, name) for k, _ in signed_in)]
        )

        port_name, port = next(iter(workspace.ports.items()))
        metadata = cdk8s.ApiObjectMetadata(name=name, labels=workspace.labels)
        filters = (
            sign_in_objects.route_filters(name, inject=workspace.vnc_password)
            if sign_in is not None
            else []
        )
        spec = http_route_spec(
            workspace._settings,
            gateway=gateway,
            gateway_namespace=gateway_namespace,
            section_name=section_name,
            hostnames=hostnames,
            request_timeout=request_timeout,
            filters=filters,
        )
        #: The HTTPRoute (a plain ``ApiObject``).
        self.route = api_object(self, "HTTPRoute", metadata, spec, id="Resource")
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
        #: With ``sign_in``: the route's own ``SecurityPolicy`` and, with the VNC password
        #: kept, its ``HTTPRouteFilter`` (plain ``ApiObject``s), by kind.
        self.sign_in_objects: dict[str, cdk8s.ApiObject] = {
            kind: api_object(self, kind, metadata, spec) for kind, spec in signed_in
        }
        #: The listener's sign-in, when this route wrote it (the first on its listener).
        self.listener_sign_in: ListenerSignIn | None = None
        if sign_in is not None:
            assert section_name is not None  # _check_sign_in
            self.listener_sign_in = sign_in_on_listener(
                self,
                "SignIn",
                sign_in=sign_in,
                gateway=gateway,
                gateway_namespace=namespace,
                section_name=section_name,
            )
        if network_policy:
            if sign_in is not None:
                workspace._admit(proxies, [port])
            else:
                workspace.allow_from(proxies, [port])


def _check_sign_in(
    workspace: HardenedWorkspace,
    hostnames: Sequence[str],
    section_name: str | None,
    sign_in: SignIn | None,
    allow: Sequence[str],
    allow_groups: Sequence[str],
) -> None:
    """What a route with ``sign_in`` needs; without it, ``allow`` must be empty and the
    workspace must keep its password."""
    if sign_in is None:
        if allow or allow_groups:
            fail("allow", list(allow) or list(allow_groups), "only with sign_in=")
        if not workspace.vnc_password:
            fail(
                "sign_in",
                None,
                f"the workspace {workspace.node.path!r} has no password (vnc_password=False): "
                "whoever reaches it controls it, so it is reached only through a sign-in "
                "(sign_in=SignIn(..., vnc_password=False), allow=[...])",
            )
        return
    if not isinstance(sign_in, SignIn):
        fail("sign_in", sign_in, "expected SignIn(...) or None")
    sign_in.check_envoy("sign_in", section_name=section_name, section="section_name")
    check_allowed(sign_in.claim, allow, allow_groups)
    for host in hostnames:
        sign_in.check_desktop_host("hostnames item", host)
    if sign_in.vnc_password != workspace.vnc_password:
        fail(
            "sign_in.vnc_password",
            sign_in.vnc_password,
            f"the workspace {workspace.node.path!r} has vnc_password={workspace.vnc_password}: "
            "the sign-in injects the password of a desktop that has one "
            "(SignIn(vnc_password=True)), and fronts one without (both False)",
        )
    if sign_in.vnc_password and workspace.vnc_secret is None:
        fail(
            "sign_in",
            sign_in,
            "the gateway injects the VNC password from the Secret VNC_PW is bound to: bind it "
            "(secret_env={'VNC_PW': SecretKeyRef(<Secret>, 'password')})",
        )
