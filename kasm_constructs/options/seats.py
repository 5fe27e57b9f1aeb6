"""A desktop per person: which kind of desktop each person has (:class:`Seat`), and how people
reach them (:class:`FleetAccess`). Value objects, checked where they are made; a fleet's plan
(``_pipeline.plan``) decides the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, replace
from typing import Any

from kasm_constructs.errors import ConfigurationError
from kasm_constructs.manifests.grammar import (
    check_dns_label,
    check_dns_subdomain,
    check_host,
    fail,
    is_dns_subdomain,
)
from kasm_constructs.options.controllers import IngressController, envoy_gateway_proxies
from kasm_constructs.options.declare import Scoped
from kasm_constructs.options.forms import Factories, Form, Keywords, Null, OneOf, Record
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.sign_in import SignIn, check_group, check_identity

__all__ = ["FleetAccess", "Seat", "check_pattern"]


@dataclass(frozen=True)
class Seat:
    """One person's desktop: the ``preset`` (a key of the fleet's presets), whether it is
    ``stopped`` (no pod; the home stays), ``overrides`` of the preset's keywords, and who they
    are at the organisation's sign-in: ``email``, ``sub`` (the identity provider's subject) and
    ``groups``. With sign-in, only the person whose ``email`` (or ``sub``) is written here
    reaches this desktop; ``groups`` narrow that further (the person must also be in one of
    them), never widen it."""

    preset: str
    _: KW_ONLY
    stopped: bool = False
    overrides: Mapping[str, Any] | None = None
    email: str | None = None
    sub: str | None = None
    groups: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.email is not None:
            check_identity("Seat(email)", "email", self.email)
        if self.sub is not None:
            check_identity("Seat(sub)", "sub", self.sub)
        if isinstance(self.groups, str) or not isinstance(self.groups, Sequence):
            fail("Seat(groups)", self.groups, "expected a list of group names")
        for group in self.groups:
            check_group("Seat(groups) item", group)
        object.__setattr__(self, "groups", tuple(self.groups))

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{preset, stopped, overrides}``; ``overrides`` takes the keywords a
        person's overrides may set."""
        from kasm_constructs._pipeline.model import (  # noqa: PLC0415 - model imports seats
            OVERRIDE_SCOPES,
            WorkspaceOptions,
        )

        record = Record.of(cls)
        scoped = Scoped(WorkspaceOptions, OVERRIDE_SCOPES, "overrides", partial=True)
        overrides = Keywords(WorkspaceOptions, scoped)
        return replace(record, fields={**record.fields, "overrides": OneOf((overrides, Null()))})


@dataclass(frozen=True)
class FleetAccess:
    """How people reach their desktops. Make one with :meth:`ingress` or :meth:`route`. In
    ``host`` (and ``tls_secret``), ``{user}``, ``{preset}`` and ``{fleet}`` stand for the
    person's id, preset and the fleet's name."""

    kind: str
    host: str
    tls_secret: str | None = None
    ingress_class_name: str | None = None
    controller: IngressController | None = None
    gateway: str | None = None
    gateway_namespace: str | None = None
    section_name: str | None = None
    ca_config_map: str | None = None
    issuer: str | None = None
    issuer_kind: str = "Issuer"
    gateway_pods: NetworkPeer | None = None
    sign_in: SignIn | None = None
    sign_in_tls_secret: str | None = None

    @classmethod
    def ingress(
        cls,
        *,
        host: str,
        tls_secret: str,
        ingress_class_name: str | None = None,
        controller: IngressController | None = None,
        sign_in: SignIn | None = None,
        sign_in_tls_secret: str | None = None,
    ) -> FleetAccess:
        """A :class:`~kasm_constructs.WorkspaceIngress` per person, at ``host`` (e.g.
        ``"{user}.desktops.example.com"``), with the certificate in ``tls_secret`` (one
        wildcard Secret for all, or a pattern). ``controller``: default ingress-nginx.

        ``sign_in``: only the person a desktop belongs to reaches it, signed in through
        oauth2-proxy (a :class:`~kasm_constructs.SignInProxy` the fleet runs at
        ``sign_in.redirect_host``, with the certificate in ``sign_in_tls_secret``; default
        ``tls_secret`` when it names one Secret for all). ingress-nginx only."""
        check_pattern("FleetAccess.ingress(host)", host, need_user=True, host=True)
        check_pattern("FleetAccess.ingress(tls_secret)", tls_secret, need_user=False)
        controller = controller or IngressController.ingress_nginx()
        if sign_in is not None:
            sign_in = _sign_in("FleetAccess.ingress(sign_in)", sign_in, host)
            sign_in.check_proxy("FleetAccess.ingress(sign_in)")
            if not controller.external_auth:
                fail(
                    "FleetAccess.ingress(controller)",
                    controller.name,
                    "sign-in through oauth2-proxy needs a controller that asks it first "
                    "(IngressController.ingress_nginx(), its auth-url and auth-signin)",
                )
            if sign_in_tls_secret is None:
                if "{" in tls_secret:
                    fail(
                        "FleetAccess.ingress(sign_in_tls_secret)",
                        None,
                        f"tls_secret {tls_secret!r} is a pattern: name the Secret with the "
                        f"certificate of {sign_in.redirect_host!r}, where people sign in",
                    )
                sign_in_tls_secret = tls_secret
            check_dns_subdomain("FleetAccess.ingress(sign_in_tls_secret)", sign_in_tls_secret)
        elif sign_in_tls_secret is not None:
            fail(
                "FleetAccess.ingress(sign_in_tls_secret)",
                sign_in_tls_secret,
                "only with sign_in=",
            )
        return cls(
            "ingress",
            host,
            tls_secret=tls_secret,
            ingress_class_name=ingress_class_name,
            controller=controller,
            sign_in=sign_in,
            sign_in_tls_secret=sign_in_tls_secret,
        )

    @classmethod
    def route(
        cls,
        *,
        host: str,
        gateway: str,
        ca_config_map: str,
        gateway_namespace: str | None = None,
        section_name: str | None = None,
        issuer: str | None = None,
        issuer_kind: str = "Issuer",
        gateway_pods: NetworkPeer | None = None,
        sign_in: SignIn | None = None,
    ) -> FleetAccess:
        """A :class:`~kasm_constructs.WorkspaceRoute` per person, at ``host``, attached to the
        Gateway ``gateway``; each person's desktop serves a certificate from its Secret
        ``<name>-backend-tls``, made by a :class:`~kasm_constructs.WorkspaceCertificate` from
        ``issuer`` when given (else by you). ``gateway_pods``: the gateway's proxies, admitted
        to each desktop's web port by namespace and pod labels; default: Envoy Gateway's for
        this Gateway (:func:`~kasm_constructs.envoy_gateway_proxies`).

        ``sign_in``: only the person a desktop belongs to reaches it, signed in at the
        listener ``section_name`` (Envoy Gateway v1.9 or later), each person's VNC password
        injected by the gateway unless ``SignIn(vnc_password=False)``."""
        check_pattern("FleetAccess.route(host)", host, need_user=True, host=True)
        check_dns_subdomain("FleetAccess.route(gateway)", gateway)
        check_dns_subdomain("FleetAccess.route(ca_config_map)", ca_config_map)
        if gateway_namespace is not None:
            check_dns_label("FleetAccess.route(gateway_namespace)", gateway_namespace)
        if issuer is not None:
            check_dns_subdomain("FleetAccess.route(issuer)", issuer)
        if sign_in is not None:
            sign_in = _sign_in("FleetAccess.route(sign_in)", sign_in, host)
            sign_in.check_envoy(
                "FleetAccess.route(sign_in)",
                section_name=section_name,
                section="FleetAccess.route(section_name)",
            )
        return cls(
            "route",
            host,
            gateway=gateway,
            gateway_namespace=gateway_namespace,
            section_name=section_name,
            ca_config_map=ca_config_map,
            issuer=issuer,
            issuer_kind=issuer_kind,
            gateway_pods=gateway_pods,
            sign_in=sign_in,
        )

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{ingress: {...}}`` or ``{route: {...}}``."""
        return Factories(cls, ("ingress", "route"))

    def peer(self, namespace: str | None) -> NetworkPeer | None:
        """The pods that carry people to their desktops: admitted to the web port."""
        if self.kind == "ingress":
            return self.controller.peer if self.controller else None
        if self.gateway_pods is not None:
            return self.gateway_pods
        gateway_namespace = self.gateway_namespace or namespace
        if gateway_namespace is None or self.gateway is None:
            return None
        return envoy_gateway_proxies(gateway=self.gateway, gateway_namespace=gateway_namespace)


def _sign_in(parameter: str, sign_in: object, host: str) -> SignIn:
    """A :class:`SignIn` whose session reaches the desktops at ``host`` (a pattern)."""
    if not isinstance(sign_in, SignIn):
        fail(parameter, sign_in, "expected SignIn(...) or None")
    sample = host.format(user="user", preset="preset", fleet="fleet")
    if not sign_in.covers(sample):
        fail(
            f"{parameter}.cookie_domain",
            sign_in.cookie_domain,
            f"the desktops' hosts ({host!r}) must be in it, or the session reaches none of them",
        )
    return sign_in


def check_pattern(parameter: str, pattern: object, *, need_user: bool, host: bool = False) -> str:
    """A name pattern of ``{user}``, ``{preset}`` and ``{fleet}``; with ``host``, one that
    renders a host name a route matches (lowercase)."""
    if not isinstance(pattern, str):
        fail(parameter, pattern, "expected a string")
    try:
        sample = pattern.format(user="user", preset="preset", fleet="fleet")
    except (KeyError, IndexError, ValueError):
        fail(parameter, pattern, "expected a pattern using only {user}, {preset} and {fleet}")
    if need_user and "{user}" not in pattern:
        fail(parameter, pattern, "expected a pattern with {user}: every person needs their own")
    if host:
        try:
            check_host(parameter, sample)
        except ConfigurationError as error:
            fail(parameter, pattern, error.allowed)
    elif not is_dns_subdomain(sample):
        fail(parameter, pattern, "expected a pattern that renders an RFC 1123 subdomain")
    return pattern
