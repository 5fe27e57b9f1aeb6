"""The person boundary, as a property of generated fleets (issue #19, item 6).

Hypothesis draws 400 fleets (people, presets with labels, Secrets shared or per person, network
options, overrides, a shared ServiceAccount, each access path, sign-in). Every fleet the library
accepts is synthesized, in its own namespace, into one file; kubectl reads it as the API server
would (one call); and for each fleet, from what kubectl read:

- each Service and each NetworkPolicy selects the pods of exactly one person, that person's;
- no host is served twice;
- no Secret, claim or ServiceAccount of one person is used by another (only the Secrets and the
  ServiceAccount a preset shares by name are used by several people);
- the desktops admit only the access path (the gateway's or controller's pods), on the web port,
  or nobody without one.

A fleet the library refuses is counted; at least 200 must be accepted, or the strategy tests
too little.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cdk8s
import hypothesis.strategies as st
import yaml
from hypothesis import HealthCheck, given, settings

from kasm_constructs import (
    FleetAccess,
    NetworkPeer,
    Seat,
    SecretKeyRef,
    WorkspaceFleet,
)
from kasm_constructs.errors import ConfigurationError
from tests.helpers import Manifest, kubectl_reading, needs_kubectl
from tests.scenario_cases import SIGN_IN

FLEETS = 400
#: At least this many accepted fleets are checked.
ACCEPTED = 200
USER_LABEL = "kasm-constructs.io/user"
IMAGES = ("kasmweb/desktop:1.16.0", "kasmweb/chrome:1.16.0", "kasmweb/vs-code:1.15.1")
ACCESS = {
    "none": None,
    "route": FleetAccess.route(
        host="{user}.desktops.corp.example", gateway="public", ca_config_map="ca", issuer="ca"
    ),
    "route-preset-host": FleetAccess.route(
        host="{user}-{preset}.desktops.corp.example", gateway="public", ca_config_map="ca"
    ),
    "route-sign-in": FleetAccess.route(
        host="{user}.desktops.corp.example",
        gateway="public",
        gateway_namespace="gateway-system",
        section_name="desktops",
        ca_config_map="ca",
        sign_in=SIGN_IN,
    ),
    "ingress": FleetAccess.ingress(host="{user}.desktops.corp.example", tls_secret="wildcard"),
}

ids = st.sampled_from(["ann", "bo", "cy", "dee", "ed", "flo", "gus", "hal"])
preset_names = st.sampled_from(["desk", "web", "code"])
#: Mostly keys of the user's own; now and then one the fleet sets (refused).
label_keys = st.sampled_from(["team", "tier", "app", "desk", "team", "tier", USER_LABEL])


@dataclass
class Fleet:
    """A generated fleet: its options, and what it shares on purpose."""

    options: dict[str, Any]
    shared_secrets: set[str] = field(default_factory=set)
    shared_accounts: set[str] = field(default_factory=set)


@st.composite
def fleets(draw: st.DrawFn) -> Fleet:
    shared_secrets: set[str] = set()
    shared_accounts: set[str] = set()
    presets: dict[str, dict[str, Any]] = {}
    for name in draw(st.lists(preset_names, min_size=1, max_size=3, unique=True)):
        preset: dict[str, Any] = {"image": draw(st.sampled_from(IMAGES))}
        if draw(st.booleans()):
            preset["labels"] = draw(st.dictionaries(label_keys, st.sampled_from(["a", "b"])))
        secrets = {}
        if draw(st.booleans()):
            secrets["GIT_TOKEN"] = SecretKeyRef("{user}-git", "token")
        if draw(st.booleans()):
            secret = draw(st.sampled_from(["proxy", "licence", "proxy", "licence", "ann-git"]))
            secrets["PROXY"] = SecretKeyRef(secret, "url")
            shared_secrets.add(secret)
        if secrets:
            preset["secret_env"] = secrets
        if draw(st.booleans()):
            preset["egress_internet"] = True
        if draw(st.booleans()):
            preset["egress_to"] = [NetworkPeer.from_ip_block("10.20.0.0/16").on(443)]
        if draw(st.integers(0, 5)) == 0:
            account = draw(st.sampled_from(["shared-desktops", "desktops-ann-desk"]))
            preset["service_account_name"] = account
            shared_accounts.add(account)
        presets[name] = preset
    users: dict[str, Any] = {}
    for user in draw(st.lists(ids, min_size=1, max_size=6, unique=True)):
        preset = draw(st.sampled_from(sorted(presets)))
        overrides: dict[str, Any] = {}
        if draw(st.integers(0, 3)) == 0:
            overrides["egress_internet"] = draw(st.booleans())
        if draw(st.integers(0, 4)) == 0:
            owned = draw(st.sampled_from(["{user}-extra", "{user}-extra", "ann-extra"]))
            overrides["secret_env"] = {"EXTRA": SecretKeyRef(owned, "x")}
        if draw(st.integers(0, 4)) == 0:
            overrides["labels"] = {draw(label_keys): "c"}
        users[user] = Seat(
            preset,
            stopped=draw(st.integers(0, 5)) == 0,
            overrides=overrides or None,
            email=draw(st.sampled_from([f"{user}@corp.example"] * 5 + ["ann@corp.example"])),
        )
    options = {
        "users": users,
        "presets": presets,
        "access": ACCESS[draw(st.sampled_from(sorted(ACCESS)))],
        "home_per_preset": draw(st.booleans()),
    }
    return Fleet(options, shared_secrets, shared_accounts)


def _pods(workload: Manifest) -> dict[str, str]:
    return dict(workload["spec"]["template"]["metadata"].get("labels", {}))


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def _secrets(workload: Manifest) -> set[str]:
    pod = workload["spec"]["template"]["spec"]
    names = {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
    for container in pod["containers"]:
        for variable in container.get("env", []):
            ref = variable.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                names.add(ref["name"])
    return names


def _check(fleet: Fleet, docs: list[Manifest]) -> None:
    """The boundary, in one fleet's objects as kubectl read them."""
    workloads = [d for d in docs if d["kind"] == "StatefulSet"]
    owner = {id(w): w["metadata"]["labels"][USER_LABEL] for w in workloads}
    # each Service and NetworkPolicy selects exactly one person's pods, that person's
    for kind, selector_of in (
        ("Service", lambda d: d["spec"]["selector"]),
        ("NetworkPolicy", lambda d: d["spec"]["podSelector"]["matchLabels"]),
    ):
        for obj in (d for d in docs if d["kind"] == kind and USER_LABEL in d["metadata"]["labels"]):
            selected = [w for w in workloads if _selects(selector_of(obj), _pods(w))]
            assert [owner[id(w)] for w in selected] == [obj["metadata"]["labels"][USER_LABEL]]
    # no host twice
    hosts = [h for d in docs if d["kind"] == "HTTPRoute" for h in d["spec"]["hostnames"]]
    hosts += [r["host"] for d in docs if d["kind"] == "Ingress" for r in d["spec"]["rules"]]
    assert len(hosts) == len(set(hosts)), Counter(hosts).most_common(2)
    # no Secret, claim or account of one person is another's
    users_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for workload in workloads:
        user = owner[id(workload)]
        for secret in _secrets(workload):
            users_of[("Secret", secret)].add(user)
        for claim in workload["spec"].get("volumeClaimTemplates", []):
            users_of[("claim", f"{claim['metadata']['name']}-{workload['metadata']['name']}")].add(
                user
            )
        account = workload["spec"]["template"]["spec"]["serviceAccountName"]
        users_of[("ServiceAccount", account)].add(user)
    for (kind, name), users in users_of.items():
        if len(users) > 1:
            shared = fleet.shared_secrets if kind == "Secret" else fleet.shared_accounts
            assert name in shared | {"oidc"}, (kind, name, users)
    # the desktops admit the access path only, on the web port
    access = fleet.options["access"]
    for policy in (d for d in docs if d["kind"] == "NetworkPolicy"):
        rules = policy["spec"].get("ingress", [])
        if access is None:
            assert rules == []
            continue
        namespace = policy["metadata"]["namespace"]
        peer = access.peer(namespace)
        assert [rule["from"] for rule in rules] == [[peer.render()]]
        assert [rule["ports"] for rule in rules] == [[{"port": 6901, "protocol": "TCP"}]]


@needs_kubectl
def test_generated_fleets_keep_people_apart(tmp_path: Path) -> None:
    """Hypothesis draws the fleets (and shrinks one that breaks the boundary as written);
    kubectl then reads every accepted fleet at once, and the boundary is checked again on
    what it read."""
    accepted: list[tuple[Fleet, str]] = []
    refused = 0

    @settings(
        max_examples=FLEETS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(fleet=fleets())
    def build(fleet: Fleet) -> None:
        nonlocal refused
        namespace = f"fleet-{len(accepted)}"
        app = cdk8s.App()
        chart = cdk8s.Chart(app, namespace, namespace=namespace)
        try:
            WorkspaceFleet(chart, "desktops", **fleet.options)
        except ConfigurationError:
            refused += 1
            return
        text = app.synth_yaml()
        _check(fleet, [d for d in yaml.safe_load_all(text) if d])
        accepted.append((fleet, text))

    build()
    assert len(accepted) >= ACCEPTED, f"only {len(accepted)} of {FLEETS} fleets accepted"
    assert refused > 0  # the strategy also makes mistakes the library refuses
    path = tmp_path / "fleets.yaml"
    path.write_text("\n---\n".join(text for _, text in accepted), encoding="utf-8")
    by_namespace: dict[str, list[Manifest]] = defaultdict(list)
    for doc in kubectl_reading(path):
        by_namespace[doc["metadata"].get("namespace", "")].append(doc)
    for index, (fleet, _) in enumerate(accepted):
        _check(fleet, by_namespace[f"fleet-{index}"])
