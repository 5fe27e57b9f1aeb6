"""A fleet's two paths write the same bytes: people no one touched are rendered in Python and
handed to cdk8s in bulk; a person whose cdk8s-plus objects are touched is built through the
ordinary constructs. Every preset and option here goes through both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import cdk8s
import pytest
import yaml

from kasm_constructs import (
    FleetAccess,
    Gpu,
    IngressController,
    NetworkPeer,
    PodSecurityExemption,
    Probe,
    Schedule,
    Seat,
    SessionPolicy,
    WorkspaceFleet,
)
from kasm_constructs._pipeline import render
from kasm_constructs.constructs.fleet import SEALED
from kasm_constructs.errors import REFUSED, ConfigurationError, refusal_message
from tests import scenario_cases

IMAGE = "kasmweb/desktop:1.16.0"
#: Presets that between them set every option a preset may set.
PRESETS: dict[str, dict[str, Any]] = {
    "plain": {"image": IMAGE},
    "chrome": {
        "image": "kasmweb/chrome:1.16.0",
        "egress_internet": True,
        "requests": {"cpu": "500m", "memory": "1Gi"},
        "limits": {"cpu": 2, "memory": "3Gi"},
        "shm_size": "1Gi",
        "labels": {"team": "web", "tier": "gold"},
        "annotations": {"example.com/owner": "web team"},
        "schedule": Schedule(timezone="Europe/Berlin", stagger="20m"),
        "gpu": Gpu.nvidia(runtime_class_name="nvidia", supplemental_groups=[44, 109]),
    },
    "code": {
        "image": "kasmweb/vs-code:1.15.1",
        "egress_to": [NetworkPeer.from_ip_block("10.20.0.0/16").on(443, 22)],
        "egress_dns": [NetworkPeer.from_ip_block("169.254.20.10/32")],
        "env": {"GIT_AUTHOR": "fleet", "KASM_SVC_AUDIO": "1"},
        "secret_env": {"GIT_TOKEN": ("{user}-git", "token"), "PROXY": ("shared-proxy", "url")},
        "writable_paths": {"/tmp": "2Gi", "/var/run/pulse": "64Mi", "/data/cache": "5Gi"},
        "image_pull_policy": "IfNotPresent",
        "image_pull_secrets": ["regcred"],
        "termination_grace_period_seconds": 60,
        "session_policy": SessionPolicy.locked_down(),
    },
    "tuned": {
        "image": "registry.example.com/mirror/desktop:1.16.0",
        "image_profile": "kasmweb-1.16",
        "run_as_user": 1000,
        "ports": {"vnc": 6901, "extra": 7000},
        "startup_probe": Probe.from_tcp_socket("vnc", period_seconds=10, failure_threshold=30),
        "liveness_probe": Probe.disabled(),
        "readiness_probe": Probe.from_exec(["/bin/true"]),
        "command": ["/dockerstartup/kasm_default_profile.sh", "/dockerstartup/vnc_startup.sh"],
        "args": ["--wait"],
        "host_users": False,
        "pod_security_version": "1.30",
        "service_account_name": "desktops-shared",
        "pod_security_exemptions": {
            "capabilities_restricted": PodSecurityExemption("debugger", allow=["SYS_PTRACE"])
        },
    },
}
USERS: dict[str, Any] = {
    "alice": Seat("plain", email="alice@corp.example"),
    "bob": Seat("chrome", email="bob@corp.example", groups=["web", "desktop-users"]),
    "carol": Seat("code", stopped=True, email="carol@corp.example"),
    "dave": Seat(
        "tuned", overrides={"shm_size": "2Gi", "egress_internet": True}, email="dave@corp.example"
    ),
    "erin": Seat(
        "chrome",
        overrides={"labels": {"desk": "3"}, "env": {"TZ": "UTC"}},
        email="erin@corp.example",
    ),
}
#: The organisation's sign-in, for the hosts below.
SIGN_IN = replace(
    scenario_cases.SIGN_IN,
    redirect_host="sign-in.desktops.example.com",
    cookie_domain="desktops.example.com",
)
ACCESS = {
    "none": None,
    "route": FleetAccess.route(
        host="{user}.desktops.example.com",
        gateway="public",
        gateway_namespace="gateway-system",
        section_name="https",
        ca_config_map="desktops-ca",
        issuer="desktops-ca",
    ),
    "route-own-certificates": FleetAccess.route(
        host="{user}.d.example.com", gateway="public", ca_config_map="ca"
    ),
    "ingress": FleetAccess.ingress(
        host="{user}.desktops.example.com",
        tls_secret="{user}-tls",
        ingress_class_name="nginx",
        controller=IngressController.ingress_nginx(namespace="ingress", body_size="1g"),
    ),
    "route-sign-in": FleetAccess.route(
        host="{user}.desktops.example.com",
        gateway="public",
        gateway_namespace="gateway-system",
        section_name="https",
        ca_config_map="desktops-ca",
        issuer="desktops-ca",
        sign_in=SIGN_IN,
    ),
    "route-sign-in-without-password": FleetAccess.route(
        host="{user}.desktops.example.com",
        gateway="public",
        section_name="https",
        ca_config_map="desktops-ca",
        sign_in=replace(SIGN_IN, vnc_password=False),
    ),
    "ingress-sign-in": FleetAccess.ingress(
        host="{user}.desktops.example.com",
        tls_secret="{user}-tls",
        sign_in=SIGN_IN,
        sign_in_tls_secret="sign-in-tls",
    ),
}


def _app(access: str, touch: Callable[[WorkspaceFleet], None] = lambda _: None) -> str:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "team", namespace="desktops", labels={"cost-center": "42"})
    fleet = WorkspaceFleet(
        chart,
        "desktops",
        users=USERS,
        presets=PRESETS,
        access=ACCESS[access],
        labels={"fleet-owner": "platform"},
        resource_quota=True,
        namespace=True,
    )
    touch(fleet)
    return app.synth_yaml()


def _documents(text: str) -> dict[tuple[str, str], str]:
    """Each document's text, by kind and name."""
    found = {}
    for document in text.split("\n---\n"):
        data = yaml.safe_load(document)
        if data:
            found[(data["kind"], data["metadata"]["name"])] = document.strip()
    return found


def _touch_everyone(fleet: WorkspaceFleet) -> None:
    for person in fleet.workspaces.values():
        assert person.workload is not None


@pytest.mark.parametrize("access", ACCESS)
def test_both_paths_write_the_same_bytes_for_every_person(access: str) -> None:
    bulk = _documents(_app(access))
    built = _documents(_app(access, _touch_everyone))
    assert set(bulk) == set(built)
    for key, text in bulk.items():
        assert text == built[key], key
    assert len(bulk) > 3 * len(USERS)


def test_untouched_people_keep_the_order_of_the_constructs() -> None:
    """Untouched, the bulk objects sit where the people's constructs would: the same file, in
    the same order, as when every person is built (and touched people go last)."""
    text = _app("route")
    names = [(d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(text) if d]
    assert names[0] == ("Namespace", "desktops")
    assert names[-1] == ("ResourceQuota", "desktops")
    alice = [kind for kind, name in names if name == "desktops-alice-plain"]
    assert alice == [
        "ServiceAccount",
        "Service",
        "StatefulSet",
        "NetworkPolicy",
        "HTTPRoute",
        "BackendTLSPolicy",
        "Certificate",
    ]


def test_touching_one_person_builds_only_them() -> None:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "team", namespace="desktops")
    fleet = WorkspaceFleet(chart, "desktops", users=USERS, presets=PRESETS)
    alice = fleet.workspaces["alice"]
    assert alice.name == "desktops-alice-plain" and not alice.built  # reading builds nothing
    alice.allow_from(NetworkPeer.from_pod_labels({"app": "debugger"}), [6901])
    assert alice.built and not fleet.workspaces["bob"].built
    assert cdk8s.ApiObject.of(alice.workload).kind == "StatefulSet"
    docs = [d for d in yaml.safe_load_all(app.synth_yaml()) if d]
    (policy,) = [
        d
        for d in docs
        if d["kind"] == "NetworkPolicy" and d["metadata"]["name"] == "desktops-alice-plain"
    ]
    assert {"app": "debugger"} in [
        peer.get("podSelector", {}).get("matchLabels")
        for rule in policy["spec"]["ingress"]
        for peer in rule["from"]
    ]
    # Alice once, not twice: her bulk objects made way for her constructs
    assert sum(d["metadata"]["name"] == "desktops-alice-plain" for d in docs) == 4


def test_touching_a_person_after_synth_is_refused() -> None:
    app = cdk8s.App()
    fleet = WorkspaceFleet(
        cdk8s.Chart(app, "team", namespace="desktops"), "desktops", users=USERS, presets=PRESETS
    )
    app.synth_yaml()
    with pytest.raises(ConfigurationError, match=r"^workspaces\['bob'\]: got 'bob'; the fleet"):
        fleet.workspaces["bob"].workload  # noqa: B018 - touching is the point


def test_the_guard_refuses_on_both_paths_with_the_same_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever the guard refuses, it refuses in bulk (at construction) and through the
    constructs (when written), with the same words."""
    real = render.container

    def privileged(s: Any) -> dict[str, Any]:
        body = real(s)
        body["securityContext"] = {**body["securityContext"], "privileged": True}
        return body

    monkeypatch.setattr(render, "container", privileged)
    with pytest.raises(RuntimeError) as bulk:
        _app("none")
    app = cdk8s.App()
    fleet_options: dict[str, Any] = {"users": {"alice": "plain"}, "presets": PRESETS}
    monkeypatch.setattr(render, "container", real)
    fleet = WorkspaceFleet(
        cdk8s.Chart(app, "team", namespace="desktops"), "desktops", **fleet_options
    )
    monkeypatch.setattr(render, "container", privileged)
    with pytest.raises(RuntimeError) as built:
        fleet.workspaces["alice"].workload  # noqa: B018
        app.synth_yaml()
    bulk_lines = str(bulk.value).split("\n")
    built_lines = str(built.value).split("\n")
    assert bulk_lines[0] == built_lines[0] == f"{REFUSED}:"
    assert built_lines[1] in bulk_lines  # alice's refusal, word for word
    assert "rule privileged" in built_lines[1]


def test_an_untouched_persons_objects_refuse_to_change() -> None:
    """A bulk object was judged as it is: a JSON patch is refused at once, and a label added to
    its metadata when it is written; both name the way to change a person."""
    app = cdk8s.App()
    fleet = WorkspaceFleet(
        cdk8s.Chart(app, "team", namespace="desktops"), "desktops", users=USERS, presets=PRESETS
    )
    workload = next(
        child
        for child in fleet.node.children
        if isinstance(child, cdk8s.ApiObject) and child.kind == "StatefulSet"
    )
    with pytest.raises(RuntimeError, match=r"fleet\.workspaces\[user\]"):
        workload.add_json_patch(cdk8s.JsonPatch.add("/spec/template/spec/hostPID", True))
    workload.metadata.add_label("privileged", "yes")
    with pytest.raises(RuntimeError) as written:
        app.synth_yaml()
    assert refusal_message(written.value) == SEALED  # clean_errors shows it alone
