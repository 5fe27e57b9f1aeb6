"""``SignIn``: the organisation's OpenID Connect sign-in in front of every desktop, so only the
person a desktop belongs to reaches it. A value object; the constructs write what it needs.

Two paths carry it (``docs/sign-in.md`` draws both, hop by hop):

- Gateway API with Envoy Gateway (``FleetAccess.route(sign_in=...)``,
  ``WorkspaceRoute(sign_in=...)``): one ``SecurityPolicy`` with ``oidc`` on the Gateway's
  listener signs people in, for every desktop, through one redirect URI; per desktop, a
  route-level ``SecurityPolicy`` merged over it (``mergeType: StrategicMerge``) checks the ID
  token (``jwt``) and allows only the desktop's person (``authorization``, deny by default);
- ingress-nginx with oauth2-proxy (``FleetAccess.ingress(sign_in=...)``, :class:`SignInProxy`):
  each desktop's Ingress asks the proxy's ``/oauth2/auth?allowed_emails=...`` first.

Facts, each with its source (``/work/shared/kasm-image-notes.md`` lists them too):

- [eg-oidc] envoyproxy/gateway v1.9.0 ``api/v1alpha1/oidc_types.go``: the client secret is read
  from the Secret key ``client-secret`` (L13); only ``openid`` is added to ``scopes`` (L70-75);
  ``forwardIDToken`` forwards the ID token in a header, implemented in v1.9.0 (release notes
  v1.9.0 L63); ``cookieDomain`` shares the session across the desktops' hosts;
  ``redirectURL`` may be any host the same policy covers (``site/content/en/v1.9/tasks/
  security/oidc.md`` L287-393).
- [eg-merge] same repository, release notes v1.8.0 L20: ``mergeType`` merges a route-level
  SecurityPolicy over its Gateway's or listener's; v1.9 allows it on route targets only
  (``securitypolicy_types.go`` L52).
- [eg-jwt] ``api/v1alpha1/jwt_types.go``: a provider needs ``remoteJWKS`` or ``localJWKS``
  (CEL, L51-52); ``authorization_types.go``: ``defaultAction`` Deny, claims in one rule ANDed,
  values within a claim ORed (``internal/xds/translator/authorization.go`` L575-579), a
  ``groups`` claim is ``valueType: StringArray``; a claim rule needs ``spec.jwt`` in the same
  object (``securitypolicy_types.go`` L53).
- [eg-order] ``internal/xds/translator/httpfilters.go`` L93-167: oauth2 (9) runs before
  jwt_authn (10), RBAC (301) and the credential injector (307), so the forwarded token is
  checked in the same request, and the injected password replaces it.
- [eg-cred] ``api/v1alpha1/httproutefilter_types.go``: ``credentialInjection`` reads the Secret
  key ``credential`` (L17-18), ``overwrite`` defaults to false (L230-233); v1.4.0.
- [o2p] oauth2-proxy v7.15.3: ``/oauth2/auth`` takes ``allowed_emails`` (v7.3.0) and
  ``allowed_groups`` (v7.0.0), ANDed; 401 without a session, 403 when not allowed
  (``oauthproxy.go`` L1016-1037, L1178-1278).
- [kvnc] kasmtech/KasmVNC v1.3.2 ``unix/xserver/hw/vnc/vncExtInit.cc`` L102 and ``Xvnc.man``
  L434-436: ``-disableBasicAuth``; then every connection gets read and write access
  (``common/rfb/VNCSConnectionST.cxx`` L1189-1193): only where nothing but the proxy reaches
  the desktop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kasm_constructs.manifests.grammar import (
    check_dns_subdomain,
    check_host,
    check_str,
    fail,
    full_match,
)
from kasm_constructs.options.forms import Form, Record
from kasm_constructs.options.secrets import SecretKeyRef, secret_key_ref

__all__ = [
    "CLIENT_SECRET_KEY",
    "CREDENTIAL_KEY",
    "ID_TOKEN_HEADER",
    "JWT_PROVIDER",
    "SignIn",
    "check_allowed",
    "check_group",
    "check_identity",
    "check_proxy_group",
]

#: The Secret key Envoy Gateway reads the OIDC client secret from [eg-oidc].
CLIENT_SECRET_KEY = "client-secret"
#: The Secret key Envoy Gateway's credential injection reads [eg-cred].
CREDENTIAL_KEY = "credential"
#: The header the listener's sign-in forwards the ID token in, and each desktop's policy
#: reads it from [eg-oidc][eg-jwt].
ID_TOKEN_HEADER = "x-kasm-id-token"
#: The name of the JWT provider in each desktop's policy.
JWT_PROVIDER = "sign-in"
#: An email address as sign-in compares it: printable ASCII, one "@", a domain with a dot.
_EMAIL = r"[!#-'*+\-./0-9=?A-Z^-~]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
#: An identity value (a subject, a group name): printable ASCII.
_IDENTITY = r"[ -~]+"
#: An OIDC claim name (a JSON member name, nested with "."): what the rules match.
_CLAIM = r"[A-Za-z_][A-Za-z0-9_.:-]*"
#: An OAuth 2.0 scope token (RFC 6749 3.3): printable ASCII but space, '"' and '\'.
_SCOPE = r"[!#-\[\]-~]+"


def check_identity(parameter: str, claim: str, value: object) -> str:
    """A person's identity in the claim ``claim``: an email address for ``email``, else (a
    subject) printable ASCII."""
    if claim == "email":
        if not full_match(_EMAIL, value, 254):
            fail(parameter, value, "expected an email address, e.g. 'alice@corp.example'")
    elif not full_match(_IDENTITY, value, 255):
        fail(parameter, value, f"expected the identity provider's {claim}: printable ASCII")
    assert isinstance(value, str)
    return value


def check_group(parameter: str, value: object) -> str:
    """A group name: printable ASCII."""
    if not full_match(_IDENTITY, value, 255):
        fail(parameter, value, "expected a group name: printable ASCII")
    assert isinstance(value, str)
    return value


def check_proxy_group(parameter: str, group: str) -> None:
    """A group oauth2-proxy can allow: its ``allowed_groups`` is a comma-separated list."""
    if "," in group:
        fail(
            parameter,
            group,
            "oauth2-proxy takes allowed groups as a comma-separated list: a group name with a "
            "comma cannot be allowed on the ingress path",
        )


def check_allowed(claim: str, allow: object, allow_groups: object, *, proxy: bool = False) -> None:
    """Who a desktop lets in: ``allow``, identities in the claim ``claim`` (at least one), and
    ``allow_groups`` narrowing them; with ``proxy``, groups oauth2-proxy can allow."""
    if isinstance(allow, str) or not isinstance(allow, Sequence) or not allow:
        fail("allow", allow, f"expected a non-empty list of {claim} values: who may in")
    for value in allow:
        check_identity("allow item", claim, value)
    if isinstance(allow_groups, str) or not isinstance(allow_groups, Sequence):
        fail("allow_groups", allow_groups, "expected a list of group names")
    for group in allow_groups:
        check_group("allow_groups item", group)
        if proxy:
            check_proxy_group("allow_groups item", group)


def _https_url(parameter: str, value: object) -> str:
    """An ``https://`` URL with a host (the issuer, the JWKS)."""
    text = check_str(parameter, value)
    parts = urlsplit(text)
    if parts.scheme != "https" or not parts.hostname or not text.isascii() or " " in text:
        fail(parameter, value, "expected an https:// URL, e.g. 'https://login.example.com'")
    return text


@dataclass(frozen=True, kw_only=True)
class SignIn:
    """The organisation's OpenID Connect sign-in, in front of every desktop.

    Args:
        issuer: The identity provider's issuer URL (``https://...``); its
            ``/.well-known/openid-configuration`` names the endpoints.
        jwks_uri: Where its signing keys are (``https://...``): each desktop checks the ID
            token against them.
        client_id: The client registered at the identity provider for the whole fleet.
        client_secret: Its secret, ``SecretKeyRef(name, "client-secret")``: Envoy Gateway reads
            that key; oauth2-proxy reads any.
        redirect_host: The one host that receives the sign-in callback for every desktop:
            register ``https://<redirect_host>/oauth2/callback`` at the identity provider.
        cookie_domain: The domain the session cookie is set for, shared by every desktop's
            host and ``redirect_host`` (e.g. ``desktops.example.com``).
        scopes: The scopes asked for. Default ``("openid", "email")``: only ``openid`` is added
            by default, and the rules match the email.
        claim: The ID token claim that names a person. Default ``"email"``; ``"sub"`` where the
            identity provider's subject is stable and emails may change.
        groups_claim: The claim that lists a person's groups, matched where a person has
            ``groups``. Default ``"groups"``.
        vnc_password: Keep KasmVNC's password as a second lock, injected by the gateway so the
            person never types it (Envoy Gateway), or typed after signing in (ingress-nginx).
            Default ``True``. ``False`` runs KasmVNC with ``-disableBasicAuth``: allowed only
            where the desktop's NetworkPolicy admits nothing but the proxy.
    """

    issuer: str
    jwks_uri: str
    client_id: str
    client_secret: SecretKeyRef
    redirect_host: str
    cookie_domain: str
    scopes: Sequence[str] = field(default=("openid", "email"))
    claim: str = "email"
    groups_claim: str = "groups"
    vnc_password: bool = True

    def __post_init__(self) -> None:
        _https_url("SignIn(issuer)", self.issuer)
        _https_url("SignIn(jwks_uri)", self.jwks_uri)
        check_str("SignIn(client_id)", self.client_id, max_length=512)
        if not self.client_id.isprintable() or not self.client_id.isascii():
            fail("SignIn(client_id)", self.client_id, "expected printable ASCII")
        object.__setattr__(
            self, "client_secret", secret_key_ref("SignIn(client_secret)", self.client_secret)
        )
        if self.client_secret.placeholders:
            fail("SignIn(client_secret)", self.client_secret, "expected one Secret for all")
        check_host("SignIn(redirect_host)", self.redirect_host)
        if self.redirect_host.startswith("*."):
            fail("SignIn(redirect_host)", self.redirect_host, "expected one host, no wildcard")
        check_dns_subdomain("SignIn(cookie_domain)", self.cookie_domain)
        if not self.covers(self.redirect_host):
            fail(
                "SignIn(cookie_domain)",
                self.cookie_domain,
                f"the redirect host {self.redirect_host!r} must be in it, or the session set "
                "there reaches no desktop",
            )
        if isinstance(self.scopes, str) or not isinstance(self.scopes, Sequence):
            fail("SignIn(scopes)", self.scopes, "expected a list of scopes")
        for scope in self.scopes:
            if not full_match(_SCOPE, scope, 256):
                fail("SignIn(scopes) item", scope, "expected an OAuth 2.0 scope, e.g. 'email'")
        if "openid" not in self.scopes:
            fail("SignIn(scopes)", self.scopes, "expected 'openid' among them: OIDC needs it")
        object.__setattr__(self, "scopes", tuple(self.scopes))
        for name in ("claim", "groups_claim"):
            if not full_match(_CLAIM, getattr(self, name), 256):
                fail(f"SignIn({name})", getattr(self, name), "expected a claim name, e.g. 'email'")
        if not isinstance(self.vnc_password, bool):
            fail("SignIn(vnc_password)", self.vnc_password, "expected True or False")

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{issuer, jwks_uri, client_id, client_secret: {name, key}, ...}``."""
        return Record.of(cls)

    @property
    def redirect_url(self) -> str:
        """The one redirect URI to register at the identity provider."""
        return f"https://{self.redirect_host}/oauth2/callback"

    def covers(self, host: str) -> bool:
        """Whether a desktop at ``host`` shares the session (its host is in the cookie
        domain)."""
        return host == self.cookie_domain or host.endswith(f".{self.cookie_domain}")

    def check_proxy(self, parameter: str) -> None:
        """What oauth2-proxy needs beyond the rest: people named by their email (its
        ``allowed_emails``)."""
        if self.claim != "email":
            fail(
                f"{parameter}.claim",
                self.claim,
                "oauth2-proxy allows people by their email (allowed_emails): claim='email'",
            )

    def check_desktop_host(self, parameter: str, host: str) -> None:
        """A desktop's host: in the cookie domain, and not the redirect host."""
        if not self.covers(host) or host == self.redirect_host:
            fail(
                parameter,
                host,
                f"with sign-in, a desktop's host is in the cookie domain "
                f"{self.cookie_domain!r} (or the session never reaches it) and is not the "
                "redirect host",
            )

    def check_envoy(self, parameter: str, *, section_name: str | None, section: str) -> None:
        """What Envoy Gateway needs beyond the rest: the client secret under its key, and the
        listener the sign-in is on (``section_name``, given as the parameter ``section``)."""
        if section_name is None:
            fail(
                section,
                None,
                "with sign_in, name the Gateway's listener the sign-in is on: a route attached "
                "to every listener could be reached through one without it",
            )
        if self.client_secret.key != CLIENT_SECRET_KEY:
            fail(
                f"{parameter}.client_secret",
                self.client_secret,
                f"Envoy Gateway reads the client secret from the key {CLIENT_SECRET_KEY!r} of "
                f"its Secret: SecretKeyRef({self.client_secret.name!r}, {CLIENT_SECRET_KEY!r})",
            )
