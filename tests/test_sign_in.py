"""Sign-in: only the person a desktop belongs to reaches it (issue #21).

Judged from the YAML as kubectl reads it: each person's route has exactly one policy of its
own, which allows exactly that person and denies everyone else; the fleet has one redirect URI;
the listener lets nobody through on its own. Then the mistakes that would break that promise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import cdk8s
import pytest
import yaml

from kasm_constructs import (
    ConfigurationError,
    FleetAccess,
    HardenedWorkspace,
    NetworkPeer,
    RosterError,
    Seat,
    SecretKeyRef,
    SignIn,
    SignInProxy,
    WorkspaceFleet,
    WorkspaceIngress,
    WorkspaceRoute,
)
from kasm_constructs.options.sign_in import ID_TOKEN_HEADER
from tests.helpers import kubectl_reading, needs_kubectl
from tests.judges import crd_errors
from tests.scenario_cases import SIGN_IN

Manifest = dict[str, Any]
USER_LABEL = "kasm-constructs.io/user"
HOST = "{user}.desktops.corp.example"
PRESETS = {"desktop": {"image": "kasmweb/desktop:1.16.0"}}


def _route(sign_in: SignIn = SIGN_IN, **extra: Any) -> FleetAccess:
    return FleetAccess.route(
        host=HOST,
        gateway="public",
        gateway_namespace="gateway-system",
        section_name="desktops",
        ca_config_map="desktops-ca",
        issuer="desktops-ca",
        sign_in=sign_in,
        **extra,
    )


def _people(count: int) -> dict[str, Seat]:
    """``count`` people; every third one narrowed to a group."""
    return {
        f"u{i:05d}": Seat(
            "desktop",
            email=f"person.{i}@corp.example",
            groups=["desktop-users"] if i % 3 == 0 else (),
        )
        for i in range(count)
    }


def _fleet(
    users: dict[str, Any], access: FleetAccess | None = None, **options: Any
) -> tuple[cdk8s.App, WorkspaceFleet]:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "desktops", namespace="desktops")
    fleet = WorkspaceFleet(
        chart, "desktops", users=users, presets=PRESETS, access=access or _route(), **options
    )
    return app, fleet


def _written(app: cdk8s.App) -> list[Manifest]:
    return [d for d in yaml.safe_load_all(app.synth_yaml()) if d]


def _by_kind(docs: list[Manifest], kind: str) -> list[Manifest]:
    return [d for d in docs if d["kind"] == kind]


# --- the promise, at scale, as kubectl reads it --------------------------------------------------


@needs_kubectl
def test_a_thousand_people_each_reach_only_their_own_desktop(tmp_path: Path) -> None:
    users = _people(1000)
    app, _ = _fleet(users)
    path = tmp_path / "fleet.yaml"
    path.write_text(app.synth_yaml(), encoding="utf-8")
    docs = kubectl_reading(path)

    routes = {
        d["metadata"]["name"]: d
        for d in _by_kind(docs, "HTTPRoute")
        if USER_LABEL in d["metadata"].get("labels", {})
    }
    assert len(routes) == len(users)
    policies = _by_kind(docs, "SecurityPolicy")
    on_routes: dict[str, list[Manifest]] = {}
    on_listeners = []
    for policy in policies:
        (target,) = policy["spec"]["targetRefs"]
        if target["kind"] == "HTTPRoute":
            on_routes.setdefault(target["name"], []).append(policy)
        else:
            on_listeners.append(policy)
    # every person's route has exactly one policy of its own, and no policy points elsewhere
    assert set(on_routes) == set(routes)
    assert all(len(found) == 1 for found in on_routes.values())

    filters = {d["metadata"]["name"]: d for d in _by_kind(docs, "HTTPRouteFilter")}
    vnc_secrets = {
        d["metadata"]["labels"][USER_LABEL]: next(
            e["valueFrom"]["secretKeyRef"]["name"]
            for e in d["spec"]["template"]["spec"]["containers"][0]["env"]
            if e["name"] == "VNC_PW"
        )
        for d in _by_kind(docs, "StatefulSet")
    }
    for name, route in routes.items():
        user = route["metadata"]["labels"][USER_LABEL]
        seat = users[user]
        (policy,) = on_routes[name]
        spec = policy["spec"]
        assert spec["mergeType"] == "StrategicMerge"
        assert spec["authorization"]["defaultAction"] == "Deny"
        (rule,) = spec["authorization"]["rules"]
        assert rule["action"] == "Allow"
        claims = {c["name"]: c for c in rule["principal"]["jwt"]["claims"]}
        assert claims["email"]["values"] == [seat.email]  # that person, nobody else
        if seat.groups:
            assert claims["groups"] == {
                "name": "groups",
                "valueType": "StringArray",
                "values": ["desktop-users"],
            }
        else:
            assert set(claims) == {"email"}
        (provider,) = spec["jwt"]["providers"]
        assert provider["issuer"] == SIGN_IN.issuer
        assert provider["audiences"] == [SIGN_IN.client_id]
        assert provider["extractFrom"] == {"headers": [{"name": ID_TOKEN_HEADER}]}
        # the route: on the signed-in listener only; the token removed; the password injected
        (parent,) = route["spec"]["parentRefs"]
        assert parent["sectionName"] == "desktops"
        (rule,) = route["spec"]["rules"]
        kinds = [f["type"] for f in rule["filters"]]
        assert kinds == ["RequestHeaderModifier", "ExtensionRef"]
        assert rule["filters"][0]["requestHeaderModifier"] == {"remove": [ID_TOKEN_HEADER]}
        injected = filters[rule["filters"][1]["extensionRef"]["name"]]["spec"]
        assert injected["credentialInjection"]["overwrite"] is True
        assert (
            injected["credentialInjection"]["credential"]["valueRef"]["name"] == (vnc_secrets[user])
        )
    # one sign-in, on the listener, with one redirect URI; it lets nobody through by itself
    (listener,) = on_listeners
    assert listener["metadata"]["namespace"] == "gateway-system"
    assert listener["spec"]["targetRefs"] == [
        {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "name": "public",
            "sectionName": "desktops",
        }
    ]
    assert listener["spec"]["authorization"] == {"defaultAction": "Deny"}
    redirects = {d["spec"]["oidc"]["redirectURL"] for d in policies if "oidc" in d["spec"]}
    assert redirects == {"https://sign-in.desktops.corp.example/oauth2/callback"}
    assert all("oidc" not in p["spec"] for found in on_routes.values() for p in found)


def test_every_custom_resource_passes_its_pinned_crd() -> None:
    """Schema and CEL rules, for each path and both password choices."""
    for access in (
        _route(),
        _route(replace(SIGN_IN, vnc_password=False)),
        FleetAccess.ingress(host=HOST, tls_secret="desktops-tls", sign_in=SIGN_IN),
    ):
        app, _ = _fleet(_people(4), access)
        docs = _written(app)
        errors, checked = crd_errors(docs)
        assert errors == []
        assert checked >= (4 * 4 + 2 if access.kind == "route" else 0)


def test_one_identity_changed_changes_only_that_persons_policy(tmp_path: Path) -> None:
    def roster(bob: str) -> Path:
        path = tmp_path / f"roster-{bob}.yaml"
        path.write_text(
            yaml.safe_dump(
                {
                    "presets": PRESETS,
                    "users": {
                        "alice": {"preset": "desktop", "email": "alice@corp.example"},
                        "bob": {"preset": "desktop", "email": f"{bob}@corp.example"},
                        "carol": {"preset": "desktop", "email": "carol@corp.example"},
                    },
                    "access": {
                        "route": {
                            "host": HOST,
                            "gateway": "public",
                            "gateway_namespace": "gateway-system",
                            "section_name": "desktops",
                            "ca_config_map": "desktops-ca",
                            "sign_in": {
                                "issuer": SIGN_IN.issuer,
                                "jwks_uri": SIGN_IN.jwks_uri,
                                "client_id": SIGN_IN.client_id,
                                "client_secret": {"name": "desktops-oidc", "key": "client-secret"},
                                "redirect_host": SIGN_IN.redirect_host,
                                "cookie_domain": SIGN_IN.cookie_domain,
                            },
                        }
                    },
                }
            ),
            encoding="utf-8",
        )
        return path

    def documents(path: Path) -> dict[tuple[str, str], str]:
        app = cdk8s.App()
        WorkspaceFleet.from_roster(cdk8s.Chart(app, "d", namespace="desktops"), "desktops", path)
        found = {}
        for text in app.synth_yaml().split("\n---\n"):
            doc = yaml.safe_load(text)
            if doc:
                found[(doc["kind"], doc["metadata"]["name"])] = text
        return found

    before, after = documents(roster("bob")), documents(roster("robert"))
    assert set(before) == set(after)
    changed = [key for key in before if before[key] != after[key]]
    assert changed == [("SecurityPolicy", "desktops-bob-desktop")]
    assert "robert@corp.example" in after[changed[0]]


# --- mistakes that would let the wrong person in -------------------------------------------------


def test_a_person_without_an_identity_is_refused_by_name() -> None:
    users: dict[str, Any] = {"alice": Seat("desktop", email="alice@corp.example"), "bob": "desktop"}
    with pytest.raises(ConfigurationError) as raised:
        _fleet(users)
    assert str(raised.value).startswith("users['bob'].email: got None; with sign-in, each person")
    with pytest.raises(ConfigurationError, match=r"users\['alice'\]\.sub: got None"):
        _fleet(
            {"alice": Seat("desktop", email="alice@corp.example")},
            _route(replace(SIGN_IN, claim="sub")),
        )


def test_one_identity_for_two_people_is_refused() -> None:
    users = {
        "alice": Seat("desktop", email="alice@corp.example"),
        "alias": Seat("desktop", email="Alice@corp.example"),
    }
    with pytest.raises(ConfigurationError, match=r"users\['alias'\]\.email: .*'alice' has this"):
        _fleet(users)


def test_the_route_must_be_on_the_signed_in_listener_only() -> None:
    with pytest.raises(ConfigurationError, match=r"^FleetAccess\.route\(section_name\): got None"):
        FleetAccess.route(host=HOST, gateway="g", ca_config_map="ca", sign_in=SIGN_IN)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            {"client_secret": SecretKeyRef("oidc", "secret")},
            r"sign_in\)\.client_secret: .*the key 'client-secret'",
        ),
        ({"cookie_domain": "other.example"}, r"redirect host .* must be in it"),
    ],
)
def test_what_envoy_gateway_needs_is_checked(change: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        _route(replace(SIGN_IN, **change))


def test_a_desktop_host_outside_the_cookie_domain_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"desktops' hosts .* must be in it"):
        FleetAccess.route(
            host="{user}.elsewhere.example",
            gateway="g",
            section_name="s",
            ca_config_map="ca",
            sign_in=SIGN_IN,
        )
    with pytest.raises(ConfigurationError, match=r"users\['sign-in'\]\.host: .*not the redirect"):
        _fleet({"sign-in": Seat("desktop", email="x@corp.example")})


# --- the password: injected, or none behind the proxy only ---------------------------------------


def test_without_a_password_only_the_gateway_reaches_the_desktop() -> None:
    app, _ = _fleet(_people(2), _route(replace(SIGN_IN, vnc_password=False)))
    docs = _written(app)
    for workload in _by_kind(docs, "StatefulSet"):
        env = {e["name"]: e for e in workload["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert "VNC_PW" not in env
        assert env["VNCOPTIONS"]["value"].endswith("-disableBasicAuth 1")
    assert _by_kind(docs, "HTTPRouteFilter") == []
    for policy in _by_kind(docs, "NetworkPolicy"):
        (rule,) = policy["spec"]["ingress"]
        assert rule["from"] == [
            {
                "namespaceSelector": {
                    "matchLabels": {"kubernetes.io/metadata.name": "envoy-gateway-system"}
                },
                "podSelector": {
                    "matchLabels": {
                        "gateway.envoyproxy.io/owning-gateway-name": "public",
                        "gateway.envoyproxy.io/owning-gateway-namespace": "gateway-system",
                    }
                },
            }
        ]
    _, fleet2 = _fleet(_people(2), _route(replace(SIGN_IN, vnc_password=False)))
    with pytest.raises(ConfigurationError, match=r"^peer: .*no password \(vnc_password=False\)"):
        fleet2.workspaces["u00000"].allow_from(NetworkPeer.from_namespace("debug"), [6901])


def _workspace(chart: cdk8s.Chart, **options: Any) -> HardenedWorkspace:
    return HardenedWorkspace(
        chart, "alice", image="kasmweb/desktop:1.16.0", backend_tls_secret="tls", **options
    )


@pytest.mark.parametrize(
    ("options", "match"),
    [
        (
            {"ingress_from": [NetworkPeer.from_namespace("x")]},
            r"^ingress_from: .*admits only its sign-in's proxy",
        ),
        ({"network_policy": False}, r"^network_policy: got False; .*keeps its NetworkPolicy"),
    ],
)
def test_a_desktop_without_a_password_admits_nothing_else(
    options: dict[str, Any], match: str
) -> None:
    chart = cdk8s.Chart(cdk8s.App(), "c", namespace="d")
    with pytest.raises(ConfigurationError, match=match):
        _workspace(chart, vnc_password=False, **options)


def test_a_desktop_without_a_password_is_reached_only_through_a_sign_in() -> None:
    chart = cdk8s.Chart(cdk8s.App(), "c", namespace="d")
    workspace = _workspace(chart, vnc_password=False)
    route = {
        "workspace": workspace,
        "gateway": "public",
        "hostnames": ["alice.desktops.corp.example"],
        "ca_config_map": "ca",
    }
    with pytest.raises(ConfigurationError, match=r"^sign_in: got None; .*vnc_password=False"):
        WorkspaceRoute(chart, "route", **route)
    with pytest.raises(ConfigurationError, match=r"^peer: .*no password"):
        WorkspaceIngress(
            chart, "ingress", workspace=workspace, host="a.example.com", tls_secret="t"
        )
    with pytest.raises(ConfigurationError, match=r"^sign_in\.vnc_password: got True"):
        WorkspaceRoute(
            chart, "r1", section_name="s", sign_in=SIGN_IN, allow=["a@corp.example"], **route
        )
    WorkspaceRoute(
        chart,
        "r2",
        section_name="s",
        sign_in=replace(SIGN_IN, vnc_password=False),
        allow=["a@corp.example"],
        **route,
    )


def test_routes_on_one_listener_share_one_sign_in() -> None:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "c", namespace="d")
    secret = {"VNC_PW": ("vnc", "password")}
    routes = []
    for user in ("alice", "bob"):
        workspace = HardenedWorkspace(
            chart, user, image="kasmweb/desktop:1.16.0", backend_tls_secret="t", secret_env=secret
        )
        routes.append(
            WorkspaceRoute(
                chart,
                f"{user}-route",
                workspace=workspace,
                gateway="public",
                section_name="desktops",
                hostnames=[f"{user}.desktops.corp.example"],
                ca_config_map="ca",
                sign_in=SIGN_IN,
                allow=[f"{user}@corp.example"],
            )
        )
    assert routes[0].listener_sign_in is not None and routes[1].listener_sign_in is None
    docs = _written(app)
    assert Counter(d["kind"] for d in docs)["SecurityPolicy"] == 3
    other = HardenedWorkspace(
        chart, "carol", image="kasmweb/desktop:1.16.0", backend_tls_secret="t", secret_env=secret
    )
    with pytest.raises(ConfigurationError, match=r"already signs people in differently"):
        WorkspaceRoute(
            chart,
            "carol-route",
            workspace=other,
            gateway="public",
            section_name="desktops",
            hostnames=["carol.desktops.corp.example"],
            ca_config_map="ca",
            sign_in=replace(SIGN_IN, client_id="another"),
            allow=["carol@corp.example"],
        )


# --- the ingress path ----------------------------------------------------------------------------


def test_each_ingress_asks_the_proxy_for_its_own_person() -> None:
    users = _people(3)
    app, fleet = _fleet(
        users, FleetAccess.ingress(host=HOST, tls_secret="wildcard", sign_in=SIGN_IN)
    )
    assert isinstance(fleet.sign_in_proxy, SignInProxy)
    docs = _written(app)
    for ingress in _by_kind(docs, "Ingress"):
        annotations = ingress["metadata"].get("annotations", {})
        user = ingress["metadata"]["labels"].get(USER_LABEL)
        if user is None:  # the proxy's own
            assert ingress["spec"]["rules"][0]["host"] == SIGN_IN.redirect_host
            assert "nginx.ingress.kubernetes.io/auth-url" not in annotations
            continue
        url = urlsplit(annotations["nginx.ingress.kubernetes.io/auth-url"])
        assert url.netloc == "desktops-sign-in.desktops.svc.cluster.local:4180"
        query = parse_qs(url.query)
        assert query["allowed_emails"] == [users[user].email]
        assert query.get("allowed_groups") == (["desktop-users"] if users[user].groups else None)
        assert annotations["nginx.ingress.kubernetes.io/auth-signin"].startswith(
            "https://sign-in.desktops.corp.example/oauth2/start?rd="
        )


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (
            lambda: FleetAccess.ingress(host=HOST, tls_secret="{user}-tls", sign_in=SIGN_IN),
            r"^FleetAccess\.ingress\(sign_in_tls_secret\): got None; .*is a pattern",
        ),
        (
            lambda: FleetAccess.ingress(
                host=HOST, tls_secret="t", sign_in=replace(SIGN_IN, claim="sub")
            ),
            r"^FleetAccess\.ingress\(sign_in\)\.claim: got 'sub'; oauth2-proxy allows",
        ),
        (
            lambda: _fleet(
                {"a": Seat("desktop", email="a@corp.example", groups=["cn=x,dc=y"])},
                FleetAccess.ingress(host=HOST, tls_secret="t", sign_in=SIGN_IN),
            ),
            r"users\['a'\]\.groups item: got 'cn=x,dc=y'; oauth2-proxy takes",
        ),
    ],
)
def test_what_oauth2_proxy_needs_is_checked(build: Callable[[], object], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        build()


def test_a_roster_without_identities_names_every_person(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(
        "presets: {desktop: {image: 'kasmweb/desktop:1.16.0'}}\n"
        "users:\n  alice: desktop\n  bob: {preset: desktop, email: bob@corp.example}\n"
        "  carol: {preset: desktop}\n"
        "access:\n  ingress:\n    host: '{user}.desktops.corp.example'\n    tls_secret: t\n"
        "    sign_in: {issuer: 'https://login.corp.example', jwks_uri: "
        "'https://login.corp.example/keys', client_id: desktops, client_secret: "
        "{name: oidc, key: client-secret}, redirect_host: sign-in.desktops.corp.example, "
        "cookie_domain: desktops.corp.example}\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as raised:
        WorkspaceFleet.from_roster(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "d", path)
    lines = str(raised.value).splitlines()
    assert lines[0].endswith("roster.yaml: 2 mistakes:")
    assert ":3: users['alice'].email: got None; with sign-in" in lines[1]
    assert ":5: users['carol'].email: got None; with sign-in" in lines[2]


def test_preflight_names_the_secrets_and_the_controller(tmp_path: Path) -> None:
    from kasm_constructs.cli.preflight import preflight  # noqa: PLC0415

    app, _ = _fleet(_people(2))
    (tmp_path / "fleet.yaml").write_text(app.synth_yaml(), encoding="utf-8")
    found = {(r.kind, r.namespace, r.name): r for r in preflight([str(tmp_path)]).requirements}
    client = found[("Secret", "gateway-system", "desktops-oidc")]
    assert client.keys == {"client-secret"}
    vnc = found[("Secret", "desktops", "u00000-vnc")]
    assert vnc.keys == {"password", "credential"}
    assert any("Basic" in note for note in vnc.notes)
    envoy = found[("APIGroup", None, "gateway.envoyproxy.io")]
    assert any(note.startswith("Envoy Gateway v1.9 or later") for note in envoy.notes)

    app, _ = _fleet(_people(2), _route(replace(SIGN_IN, vnc_password=False)))
    (tmp_path / "fleet.yaml").write_text(app.synth_yaml(), encoding="utf-8")
    secrets = {r.name for r in preflight([str(tmp_path)]).requirements if r.kind == "Secret"}
    assert secrets == {"desktops-oidc"}  # no password, no VNC Secret


def test_without_a_password_a_whole_namespace_may_not_front_a_desktop() -> None:
    access = _route(
        replace(SIGN_IN, vnc_password=False), gateway_pods=NetworkPeer.from_namespace("gateway")
    )
    with pytest.raises(ConfigurationError, match=r"^access: .*admit the proxy's pods only"):
        _fleet(_people(1), access)
    chart = cdk8s.Chart(cdk8s.App(), "c", namespace="d")
    with pytest.raises(ConfigurationError, match=r"^gateway_pods: .*admit the proxy's pods only"):
        WorkspaceRoute(
            chart,
            "route",
            workspace=_workspace(chart, vnc_password=False),
            gateway="public",
            section_name="s",
            hostnames=["alice.desktops.corp.example"],
            ca_config_map="ca",
            sign_in=replace(SIGN_IN, vnc_password=False),
            allow=["alice@corp.example"],
            gateway_pods=NetworkPeer.from_ip_block("10.0.0.0/8"),
        )
