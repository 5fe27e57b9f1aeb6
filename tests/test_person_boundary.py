"""The person boundary of a fleet: no one reaches, borrows or overrides another person's desktop.
Each finding of the boundary review, refused with a clear error or written exactly as asked."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import cdk8s
import pytest
import yaml

from kasm_constructs import (
    FleetAccess,
    NetworkPeer,
    RosterError,
    Seat,
    SecretKeyRef,
    WorkspaceFleet,
)
from kasm_constructs.errors import FleetError
from tests.helpers import Manifest, container

PRESETS: dict[str, dict[str, Any]] = {
    "desktop": {"image": "kasmweb/desktop:1.16.0"},
    "chrome": {"image": "kasmweb/chrome:1.16.0", "egress_internet": True},
}
ROUTE = FleetAccess.route(
    host="{user}.desktops.example.com",
    gateway="public",
    gateway_namespace="gateway-system",
    ca_config_map="desktops-ca",
)


def _fleet(users: dict[str, Any], **kwargs: Any) -> list[Manifest]:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "team", namespace="desktops")
    kwargs.setdefault("presets", PRESETS)
    WorkspaceFleet(chart, "desktops", users=users, **kwargs)
    return [d for d in yaml.safe_load_all(app.synth_yaml()) if d]


def _refused(users: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(FleetError) as error:
        _fleet(users, **kwargs)
    return [str(e) for e in error.value.errors]


def _named(docs: list[Manifest], kind: str, name: str) -> Manifest:
    (found,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


# --- isolation ------------------------------------------------------------------------------------
def test_a_persons_network_overrides_are_written_into_their_own_policy() -> None:
    docs = _fleet(
        {
            "alice": Seat("chrome", overrides={"egress_internet": False}),
            "bob": Seat(
                "desktop",
                overrides={"egress_to": [NetworkPeer.from_ip_block("10.1.0.0/16").on(22)]},
            ),
            "carol": Seat("desktop", overrides={"ports": {"web": 6901, "extra": 7000}}),
        },
        access=ROUTE,
    )
    alice = _named(docs, "NetworkPolicy", "desktops-alice-chrome")["spec"]
    assert all("ipBlock" not in peer for rule in alice["egress"] for peer in rule["to"])
    bob = _named(docs, "NetworkPolicy", "desktops-bob-desktop")["spec"]
    assert {
        "to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}],
        "ports": [{"port": 22, "protocol": "TCP"}],
    } in bob["egress"]
    carol = _named(docs, "NetworkPolicy", "desktops-carol-desktop")["spec"]
    # carol's web port is still reachable through the access path, and nothing else is
    assert [rule["ports"] for rule in carol["ingress"]] == [[{"port": 6901, "protocol": "TCP"}]]


def test_the_access_path_is_admitted_by_namespace_and_labels_even_in_the_fleets_namespace() -> None:
    """A Gateway in the fleet's own namespace: its proxies are told apart by their labels."""
    route = FleetAccess.route(
        host="{user}.d.example.com", gateway="public", ca_config_map="ca"
    )  # gateway_namespace: the fleet's
    docs = _fleet({"alice": "desktop", "bob": "desktop"}, access=route)
    (rule,) = _named(docs, "NetworkPolicy", "desktops-alice-desktop")["spec"]["ingress"]
    (peer,) = rule["from"]
    assert peer["podSelector"]["matchLabels"] == {
        "gateway.envoyproxy.io/owning-gateway-name": "public",
        "gateway.envoyproxy.io/owning-gateway-namespace": "desktops",
    }
    bob = _named(docs, "StatefulSet", "desktops-bob-desktop")
    pod_labels = bob["spec"]["template"]["metadata"]["labels"]
    assert not set(peer["podSelector"]["matchLabels"]) & set(pod_labels)


@pytest.mark.parametrize(
    "pods",
    [
        NetworkPeer.from_namespace("desktops"),  # the fleet's own namespace: every desktop
        NetworkPeer.from_pod_labels({"kasm-constructs.io/fleet": "desktops"}),
        NetworkPeer.any_namespace(),
    ],
    ids=["own-namespace", "desktop-labels", "any-namespace"],
)
def test_an_access_path_that_would_admit_desktops_is_refused(pods: NetworkPeer) -> None:
    route = FleetAccess.route(
        host="{user}.d.example.com", gateway="public", ca_config_map="ca", gateway_pods=pods
    )
    (message,) = _refused({"alice": "desktop"}, access=route)
    assert message.startswith("access: got")
    assert "would also select the desktops in namespace 'desktops'" in message


@pytest.mark.parametrize(
    "where",
    ["fleet", "preset", "override"],
)
def test_labels_that_would_let_a_desktop_pose_as_the_gateway_are_refused(where: str) -> None:
    labels = {"gateway.envoyproxy.io/owning-gateway-name": "public"}
    presets = {"desktop": {"image": "kasmweb/desktop:1.16.0"}}
    users: dict[str, Any] = {"alice": "desktop"}
    kwargs: dict[str, Any] = {}
    if where == "fleet":
        kwargs["labels"] = labels
    elif where == "preset":
        presets["desktop"]["labels"] = labels
    else:
        users["alice"] = Seat("desktop", overrides={"labels": labels})
    (message,) = _refused(users, presets=presets, access=ROUTE, **kwargs)
    assert "could pose as them" in message


def test_labels_the_fleet_sets_are_refused_not_replaced() -> None:
    (message,) = _refused(
        {"mallory": Seat("desktop", overrides={"labels": {"kasm-constructs.io/user": "alice"}})}
    )
    assert message.startswith(
        "users['mallory'].overrides.labels key: got 'kasm-constructs.io/user'"
    )


@pytest.mark.parametrize(
    "host, pairs",
    [
        ("{user}-{preset}.d.example.com", ({"a-b": "c", "a": "b-c"})),
        ("{user}{preset}.d.example.com", ({"ab": "c", "a": "bc"})),
    ],
)
def test_two_people_never_get_the_same_host(host: str, pairs: dict[str, str]) -> None:
    presets = {preset: {"image": "kasmweb/desktop:1.16.0"} for preset in pairs.values()}
    access = FleetAccess.route(host=host, gateway="g", gateway_namespace="gw", ca_config_map="ca")
    # one home per person: their objects' names differ, only the hosts collide
    (message,) = _refused(dict(pairs), presets=presets, access=access, home_per_preset=False)
    first, second = pairs
    assert message.startswith(f"users['{second}'].host: got ")
    assert f"'{first}' gets this host too" in message


# --- overrides stay within the person ----------------------------------------------------------
def test_an_override_cannot_borrow_another_persons_secret() -> None:
    (message,) = _refused(
        {
            "alice": "desktop",
            "mallory": Seat(
                "desktop", overrides={"secret_env": {"X": SecretKeyRef("alice-vnc", "password")}}
            ),
        }
    )
    assert message.startswith("users['mallory'].overrides.secret_env['X']: got SecretKeyRef(")
    assert "only their own Secrets" in message


def test_an_override_names_its_own_secrets_through_a_user_pattern() -> None:
    docs = _fleet(
        {
            "mallory": Seat(
                "desktop", overrides={"secret_env": {"GIT_TOKEN": ("{user}-git", "token")}}
            )
        }
    )
    env = {
        e["name"]: e
        for e in container(_named(docs, "StatefulSet", "desktops-mallory-desktop"))["env"]
    }
    assert env["GIT_TOKEN"]["valueFrom"] == {
        "secretKeyRef": {"key": "token", "name": "mallory-git"}
    }
    assert env["VNC_PW"]["valueFrom"]["secretKeyRef"]["name"] == "mallory-vnc"


def test_a_pattern_that_renders_another_persons_secret_is_refused() -> None:
    """ids 'a' and 'alice': the pattern '{user}lice-vnc' renders Alice's VNC Secret for 'a'."""
    (message,) = _refused(
        {
            "alice": "desktop",
            "a": Seat("desktop", overrides={"secret_env": {"X": ("{user}lice-vnc", "password")}}),
        }
    )
    assert message.startswith("users['a'].secret_env: got 'alice-vnc'")
    assert "rendered for 'alice' too" in message


def test_the_service_account_is_not_a_persons_to_choose() -> None:
    (message,) = _refused(
        {"mallory": Seat("desktop", overrides={"service_account_name": "fleet-admin"})}
    )
    assert "a preset may set service_account_name, one person may not" in message


def test_a_preset_may_not_run_as_a_persons_own_account_or_share_their_secret() -> None:
    presets = {
        "desktop": {"image": "kasmweb/desktop:1.16.0"},
        "shared": {
            "image": "kasmweb/desktop:1.16.0",
            "service_account_name": "desktops-alice-desktop",
            "secret_env": {"X": ("alice-vnc", "password")},
        },
    }
    messages = _refused({"alice": "desktop", "bob": "shared"}, presets=presets)
    assert any(m.startswith("users['bob'].secret_env: got 'alice-vnc'") for m in messages)
    assert any(
        m.startswith("presets['shared'].service_account_name: got 'desktops-alice-desktop'")
        for m in messages
    )


def test_vnc_pw_is_the_fleets_and_it_says_so() -> None:
    presets = {"desktop": {"image": "kasmweb/desktop:1.16.0", "secret_env": {"VNC_PW": ("x", "y")}}}
    (message,) = _refused({"alice": "desktop"}, presets=presets)
    assert message.startswith("presets['desktop'].secret_env['VNC_PW']")
    assert "the fleet binds VNC_PW" in message
    (message,) = _refused(
        {"alice": Seat("desktop", overrides={"secret_env": {"VNC_PW": ("{user}-x", "y")}})}
    )
    assert message.startswith("users['alice'].overrides.secret_env['VNC_PW']")


def test_every_person_has_their_own_vnc_secret() -> None:
    (message,) = _refused({"alice": "desktop"}, vnc_secret="shared-vnc")
    assert message.startswith("vnc_secret: got 'shared-vnc'; expected a pattern with {user}")


# --- the roster, read as untrusted input ------------------------------------------------------
def _roster(tmp_path: Path, text: str) -> RosterError:
    path = tmp_path / "team.yaml"
    path.write_text(textwrap.dedent(text))
    with pytest.raises(RosterError) as error:
        WorkspaceFleet.from_roster(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "f", path)
    return error.value


def test_an_uppercase_host_pattern_is_reported_where_it_was_written(tmp_path: Path) -> None:
    error = _roster(
        tmp_path,
        """\
        access:
          route:
            gateway: public
            ca_config_map: ca
            host: "{user}.Desktops.example.com"
        presets: {desktop: {image: kasmweb/desktop:1.16.0}}
        users: {alice: desktop}
        """,
    )
    ((line, field, message),) = error.problems
    assert (line, field) == (5, "access.route.host")
    assert "lowercase" in message
