"""``ListenerSignIn``: the organisation's sign-in on one Gateway listener, for every desktop
routed through it (Envoy Gateway). ``WorkspaceRoute(sign_in=...)`` and
``FleetAccess.route(sign_in=...)`` write it, once per listener and app."""

from __future__ import annotations

import cdk8s
from constructs import Construct

from kasm_constructs._pipeline import sign_in as sign_in_objects
from kasm_constructs.constructs._tree import api_object, place, public_signature
from kasm_constructs.manifests.grammar import check_dns_label, check_dns_subdomain, fail
from kasm_constructs.options.sign_in import SignIn

__all__ = ["ListenerSignIn", "sign_in_on_listener"]


@public_signature
class ListenerSignIn(Construct):
    """Sign-in on the listener ``section_name`` of the Gateway ``gateway``, in the Gateway's
    namespace (a policy attaches to a Gateway in its own namespace):

    - ``security_policy``: a ``SecurityPolicy`` (gateway.envoyproxy.io/v1alpha1) on the
      listener: ``oidc`` signs people in, with one redirect URI for every desktop, and forwards
      the ID token; ``authorization`` denies everything by default, so a route on the listener
      without a desktop's own policy (``WorkspaceRoute(sign_in=...)``) lets nobody through;
    - ``redirect_route``: an ``HTTPRoute`` for ``sign_in.redirect_host``, so the callback has a
      host on the listener; it has no backend.

    Both are named ``<gateway>-<section_name>-sign-in``. The OIDC client's Secret
    (``sign_in.client_secret``) must be in the Gateway's namespace.

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id.
        sign_in: The sign-in. Required.
        gateway: The Gateway's name. Required.
        gateway_namespace: The Gateway's namespace. Required.
        section_name: The listener's name. Required.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        sign_in: SignIn,
        gateway: str,
        gateway_namespace: str,
        section_name: str,
    ) -> None:
        where = place(scope, id)
        if not isinstance(sign_in, SignIn):
            fail("sign_in", sign_in, "expected SignIn(...)")
        sign_in.check_envoy("sign_in", section_name=section_name, section="section_name")
        check_dns_subdomain("gateway", gateway)
        check_dns_label("gateway_namespace", gateway_namespace)
        check_dns_subdomain("section_name", section_name)
        name = sign_in_objects.listener_name(gateway, section_name)
        check_dns_subdomain("name", name)
        where.add(lambda: Construct.__init__(self, scope, id))
        where.claim([("SecurityPolicy", name), ("HTTPRoute", name)], namespace=gateway_namespace)
        metadata = cdk8s.ApiObjectMetadata(name=name, namespace=gateway_namespace)
        #: The listener's SecurityPolicy.
        self.security_policy = api_object(
            self,
            "SecurityPolicy",
            metadata,
            sign_in_objects.listener_policy(sign_in, gateway=gateway, section_name=section_name),
            id="Resource",
        )
        #: The redirect host's HTTPRoute.
        self.redirect_route = api_object(
            self,
            "HTTPRoute",
            metadata,
            sign_in_objects.redirect_route(
                sign_in,
                gateway=gateway,
                gateway_namespace=gateway_namespace,
                section_name=section_name,
            ),
            id="RedirectRoute",
        )


def sign_in_on_listener(
    scope: Construct,
    id: str,
    *,
    sign_in: SignIn,
    gateway: str,
    gateway_namespace: str,
    section_name: str,
) -> ListenerSignIn | None:
    """A :class:`ListenerSignIn` at ``scope``/``id``, unless the app already has one on that
    listener: then ``None`` if it is the same sign-in, and a refusal if it is another."""
    state = place(scope, id).state
    key = (gateway_namespace, gateway, section_name)
    if key in state.listeners:
        written, path = state.listeners[key]
        if written != sign_in:
            fail(
                "sign_in",
                sign_in,
                f"the listener {section_name!r} of Gateway {gateway_namespace}/{gateway} "
                f"already signs people in differently ({path!r}): one listener, one sign-in",
            )
        return None
    made = ListenerSignIn(
        scope,
        id,
        sign_in=sign_in,
        gateway=gateway,
        gateway_namespace=gateway_namespace,
        section_name=section_name,
    )
    state.listeners[key] = (sign_in, made.node.path)
    return made
