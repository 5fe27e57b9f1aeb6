"""What sign-in writes, as plain data: the specs of Envoy Gateway's ``SecurityPolicy`` and
``HTTPRouteFilter`` objects, the HTTPRoute filters of a signed-in desktop, the Ingress
annotations of the oauth2-proxy path, and oauth2-proxy's arguments. Pure: no jsii; the
constructs and the fleet's bulk path both write these. The facts behind each choice, with
their sources, are in :mod:`kasm_constructs.options.sign_in` and ``docs/sign-in.md``.

The Gateway path, for one listener:

- the listener's policy (:func:`listener_policy`) signs people in (``oidc``, one redirect URI
  for every desktop, the session cookie shared across ``cookie_domain``), forwards the ID token
  in :data:`~kasm_constructs.options.sign_in.ID_TOKEN_HEADER`, and denies every request by
  default: a route on the listener without a desktop's own policy lets nobody through;
- each desktop's policy (:func:`desktop_policy`), on its HTTPRoute, merged over the listener's
  (``mergeType: StrategicMerge``), checks the token (``jwt``: issuer, audience, signature) and
  allows the desktop's own people only (``authorization``, deny by default);
- each desktop's route removes the token before the desktop sees it and, with the VNC password
  kept, has the gateway inject it (:func:`credential_filter`) so the person never types it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from kasm_constructs.options.controllers import IngressController
from kasm_constructs.options.sign_in import (
    ID_TOKEN_HEADER,
    JWT_PROVIDER,
    SignIn,
)

__all__ = [
    "LOGOUT_PATH",
    "PROXY_PORT",
    "auth_annotations",
    "credential_filter",
    "desktop_policy",
    "listener_name",
    "listener_policy",
    "proxy_args",
    "redirect_route",
    "route_filters",
]

_GATEWAY_GROUP = "gateway.networking.k8s.io"
_ENVOY_GROUP = "gateway.envoyproxy.io"
#: Where signing out is (an exact path on every desktop's host): under ``/oauth2/``, beside
#: the callback, so it cannot shadow a path of the desktop's (Envoy Gateway's default is
#: ``/logout``).
LOGOUT_PATH = "/oauth2/logout"
#: oauth2-proxy's port (its default ``--http-address`` is ``127.0.0.1:4180``).
PROXY_PORT = 4180
#: The name of the one rule of a desktop's policy.
_RULE = "owner"


def listener_name(gateway: str, section_name: str) -> str:
    """The name of the listener's policy and of the redirect host's route."""
    return f"{gateway}-{section_name}-sign-in"


def listener_policy(sign_in: SignIn, *, gateway: str, section_name: str) -> dict[str, Any]:
    """The spec of the listener's ``SecurityPolicy``: sign-in for every route on it, and
    nobody let through unless a route's own policy says who."""
    return {
        "authorization": {"defaultAction": "Deny"},
        "oidc": {
            "clientID": sign_in.client_id,
            "clientSecret": {"group": "", "kind": "Secret", "name": sign_in.client_secret.name},
            "cookieDomain": sign_in.cookie_domain,
            "forwardIDToken": {"header": ID_TOKEN_HEADER},
            "logoutPath": LOGOUT_PATH,
            "provider": {"issuer": sign_in.issuer},
            "redirectURL": sign_in.redirect_url,
            "scopes": list(sign_in.scopes),
        },
        "targetRefs": [
            {
                "group": _GATEWAY_GROUP,
                "kind": "Gateway",
                "name": gateway,
                "sectionName": section_name,
            }
        ],
    }


def redirect_route(
    sign_in: SignIn, *, gateway: str, gateway_namespace: str, section_name: str
) -> dict[str, Any]:
    """The spec of the redirect host's ``HTTPRoute``: it gives the callback a host on the
    listener; it has no backend, and the listener's policy lets nobody past sign-in there."""
    return {
        "hostnames": [sign_in.redirect_host],
        "parentRefs": [
            {
                "group": _GATEWAY_GROUP,
                "kind": "Gateway",
                "name": gateway,
                "namespace": gateway_namespace,
                "sectionName": section_name,
            }
        ],
        "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/oauth2/"}}]}],
    }


def desktop_policy(
    sign_in: SignIn, *, route: str, allow: Sequence[str], groups: Sequence[str] = ()
) -> dict[str, Any]:
    """The spec of a desktop's own ``SecurityPolicy``, on its HTTPRoute ``route``: the ID token
    checked, and only a token whose claim ``sign_in.claim`` is one of ``allow`` (and, with
    ``groups``, whose groups claim holds one of them too) let through."""
    claims: list[dict[str, Any]] = [{"name": sign_in.claim, "values": list(allow)}]
    if groups:
        claims.append(
            {"name": sign_in.groups_claim, "valueType": "StringArray", "values": list(groups)}
        )
    return {
        "authorization": {
            "defaultAction": "Deny",
            "rules": [
                {
                    "action": "Allow",
                    "name": _RULE,
                    "principal": {"jwt": {"claims": claims, "provider": JWT_PROVIDER}},
                }
            ],
        },
        "jwt": {
            "providers": [
                {
                    "audiences": [sign_in.client_id],
                    "extractFrom": {"headers": [{"name": ID_TOKEN_HEADER}]},
                    "issuer": sign_in.issuer,
                    "name": JWT_PROVIDER,
                    "remoteJWKS": {"uri": sign_in.jwks_uri},
                }
            ]
        },
        "mergeType": "StrategicMerge",
        "targetRefs": [{"group": _GATEWAY_GROUP, "kind": "HTTPRoute", "name": route}],
    }


def credential_filter(secret: str) -> dict[str, Any]:
    """The spec of a desktop's ``HTTPRouteFilter``: the gateway sends the desktop's VNC
    password (the key ``credential`` of its Secret ``secret``: ``Basic <base64
    kasm_user:password>``) in place of any ``Authorization`` header."""
    return {
        "credentialInjection": {
            "credential": {"valueRef": {"group": "", "kind": "Secret", "name": secret}},
            "header": "Authorization",
            "overwrite": True,
        }
    }


def route_filters(name: str, *, inject: bool) -> list[dict[str, Any]]:
    """The filters of a signed-in desktop's route rule: the ID token removed before the
    request reaches the desktop (after the policy checked it), and, with ``inject``, the
    credential filter ``name``."""
    filters: list[dict[str, Any]] = [
        {"requestHeaderModifier": {"remove": [ID_TOKEN_HEADER]}, "type": "RequestHeaderModifier"}
    ]
    if inject:
        filters.append(
            {
                "extensionRef": {"group": _ENVOY_GROUP, "kind": "HTTPRouteFilter", "name": name},
                "type": "ExtensionRef",
            }
        )
    return filters


def auth_annotations(
    sign_in: SignIn,
    controller: IngressController,
    *,
    proxy_service: str,
    allow: Sequence[str],
    groups: Sequence[str] = (),
) -> Mapping[str, str]:
    """The Ingress annotations of a desktop behind oauth2-proxy: every request is first asked
    of the proxy's ``/oauth2/auth`` (in the cluster, ``proxy_service`` is
    ``<name>.<namespace>.svc``), which answers 202 only for a signed-in person among ``allow``
    (and, with ``groups``, in one of them), 401 to a person not signed in (sent to sign in),
    403 to anyone else."""
    query = "allowed_emails=" + quote(",".join(allow), safe="")
    if groups:
        query += "&allowed_groups=" + quote(",".join(groups), safe="")
    urls = {
        "auth_url": f"http://{proxy_service}.cluster.local:{PROXY_PORT}/oauth2/auth?{query}",
        "sign_in_url": (
            f"https://{sign_in.redirect_host}/oauth2/start?rd=$scheme://$host$escaped_request_uri"
        ),
    }
    return {key: value.format(**urls) for key, value in controller.external_auth.items()}


def proxy_args(sign_in: SignIn) -> list[str]:
    """oauth2-proxy's arguments for ``sign_in``; its secrets come from the environment."""
    return [
        "--provider=oidc",
        f"--oidc-issuer-url={sign_in.issuer}",
        f"--client-id={sign_in.client_id}",
        f"--redirect-url={sign_in.redirect_url}",
        f"--scope={' '.join(sign_in.scopes)}",
        f"--oidc-groups-claim={sign_in.groups_claim}",
        f"--http-address=0.0.0.0:{PROXY_PORT}",
        "--reverse-proxy=true",
        "--upstream=static://202",
        "--email-domain=*",
        f"--cookie-domain={sign_in.cookie_domain}",
        f"--whitelist-domain=.{sign_in.cookie_domain}",
        "--cookie-secure=true",
        "--skip-provider-button=true",
    ]
