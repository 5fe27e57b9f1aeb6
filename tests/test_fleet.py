"""Issue #12: a desktop per person (WorkspaceFleet), from a roster, with homes that outlive a
stop."""

from __future__ import annotations

import gc
import inspect
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import cdk8s
import jsonschema
import pytest
import yaml

from kasm_constructs import FleetAccess, RosterError, Seat, WorkspaceFleet
from kasm_constructs._pipeline.model import PRESET_SCOPES, FleetOptions, WorkspaceOptions
from kasm_constructs._pipeline.plan import USER_LABEL, plan, quota
from kasm_constructs._pipeline.roster import SCHEMA, schema_text
from kasm_constructs.options.declare import declared
from tests.helpers import REPO, Manifest, container, one

FLEET_OWNED = [d.name for d in declared(WorkspaceOptions) if d.option.scope == "fleet"]

PRESETS: dict[str, dict[str, Any]] = {
    "desktop": {"image": "kasmweb/desktop:1.16.0"},
    "chrome": {
        "image": "kasmweb/chrome:1.16.0",
        "egress_internet": True,
        "requests": {"cpu": "500m", "memory": "1Gi"},
        "limits": {"cpu": "2", "memory": "3Gi"},
    },
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
    WorkspaceFleet(chart, "desktops", users=users, presets=PRESETS, **kwargs)
    return [d for d in yaml.safe_load_all(app.synth_yaml()) if d]


def _named(docs: list[Manifest], kind: str, name: str) -> Manifest:
    (found,) = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


# --- names and labels ---------------------------------------------------------------------------
def test_names_come_from_the_fleet_and_the_person_not_the_construct_path() -> None:
    docs = _fleet({"alice": "chrome", "bob": "desktop"}, access=ROUTE)
    people = {d["metadata"]["name"] for d in docs if d["kind"] == "StatefulSet"}
    assert people == {"desktops-alice-chrome", "desktops-bob-desktop"}
    (claim,) = _named(docs, "StatefulSet", "desktops-alice-chrome")["spec"]["volumeClaimTemplates"]
    assert claim["metadata"]["name"] == "home"  # the claim: home-desktops-alice-chrome-0
    # renaming the construct ids around it changes nothing
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "renamed-chart", namespace="desktops")
    WorkspaceFleet(chart, "renamed", name="desktops", users={"alice": "chrome"}, presets=PRESETS)
    names = {d["metadata"]["name"] for d in yaml.safe_load_all(app.synth_yaml()) if d}
    assert "desktops-alice-chrome" in names


def test_every_object_of_a_person_carries_their_label() -> None:
    docs = _fleet({"alice": "chrome", "bob": "desktop"}, access=ROUTE)
    alices = [d for d in docs if d["metadata"].get("labels", {}).get(USER_LABEL) == "alice"]
    assert sorted(d["kind"] for d in alices) == [
        "BackendTLSPolicy",
        "HTTPRoute",
        "NetworkPolicy",
        "Service",
        "ServiceAccount",
        "StatefulSet",
    ]
    workload = _named(docs, "StatefulSet", "desktops-alice-chrome")
    assert workload["spec"]["template"]["metadata"]["labels"][USER_LABEL] == "alice"
    (claim,) = workload["spec"]["volumeClaimTemplates"]
    assert claim["metadata"]["labels"][USER_LABEL] == "alice"  # the PVC is found too


@pytest.mark.parametrize(
    "users, message",
    [
        ({"Alice": "chrome"}, r"^users\['Alice'\]\.users key: got 'Alice'"),
        ({"alice.smith": "chrome"}, r"^users\['alice.smith'\]"),
        ({"a" * 50: "chrome"}, r"^users\['a{50}'\]\.users key: got 'desktops-a{50}-chrome'"),
        ({"alice": "safari"}, r"^users\['alice'\]\.preset: got 'safari'; expected one of"),
    ],
)
def test_a_person_id_that_cannot_make_a_name_is_refused(
    users: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _fleet(users)


def _plan(**options: Any) -> Any:
    return plan(options, default_name="desktops", chart_labels={}, namespace="desktops")


def test_two_ids_that_map_to_one_name_are_refused() -> None:
    presets = {"b-c": {"image": "kasmweb/desktop:1.16.0"}, "c": {"image": "kasmweb/desktop:1.16.0"}}
    _, problems = _plan(name="f", users={"a": "b-c", "a-b": "c"}, presets=presets)
    (problem,) = problems
    assert re.match(
        r"users\['a-b'\]\.users key: got 'a-b'; .*'f-a-b-c', like those of 'a'",
        str(problem.qualified()),
    )


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("users", [{"alice": "chrome"}, {"alice": "no-such-preset"}])
def test_the_garbage_collector_is_paused_while_a_fleet_is_built_then_as_it_was(
    enabled: bool, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fleet pauses the cyclic collector while it plans and renders (a quarter of the build
    of 10,000 people), and leaves it as it found it, also after a refusal."""
    import kasm_constructs.constructs.fleet as fleet_module  # noqa: PLC0415

    seen: list[bool] = []
    real_plan = fleet_module.plan

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(fleet_module, "plan", watched)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        try:
            _fleet(users)
        except ValueError:
            assert "no-such-preset" in str(users)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]


# --- homes outlive everything but an explicit delete --------------------------------------------
def test_stopping_a_person_keeps_their_home() -> None:
    docs = _fleet({"alice": Seat("chrome", stopped=True), "bob": "desktop"})
    stopped = _named(docs, "StatefulSet", "desktops-alice-chrome")
    assert stopped["spec"]["replicas"] == 0
    assert stopped["spec"]["volumeClaimTemplates"]  # still declared: the claim stays bound to it
    assert _named(docs, "StatefulSet", "desktops-bob-desktop")["spec"]["replicas"] == 1


def test_removing_a_person_removes_their_workload_but_never_writes_or_deletes_a_claim() -> None:
    before = _fleet({"alice": "chrome", "bob": "desktop"})
    after = _fleet({"bob": "desktop"})
    assert "desktops-alice-chrome" not in {d["metadata"]["name"] for d in after}
    for docs in (before, after):
        assert not [d for d in docs if d["kind"] == "PersistentVolumeClaim"]
        for workload in (d for d in docs if d["kind"] == "StatefulSet"):
            assert workload["spec"]["persistentVolumeClaimRetentionPolicy"] == {
                "whenDeleted": "Retain",
                "whenScaled": "Retain",
            }


def test_a_home_per_person_and_preset_unless_shared() -> None:
    per_preset = _fleet({"alice": "chrome"})
    shared = _fleet({"alice": "chrome"}, home_per_preset=False)
    assert _named(per_preset, "StatefulSet", "desktops-alice-chrome")
    assert _named(shared, "StatefulSet", "desktops-alice")  # a preset change keeps the claim


# --- presets, overrides, access ------------------------------------------------------------------
def test_presets_size_each_kind_of_desktop_and_seats_override_them() -> None:
    docs = _fleet(
        {
            "alice": "chrome",
            "bob": "desktop",
            "carol": Seat("chrome", overrides={"shm_size": "1Gi"}),
        }
    )
    chrome = container(_named(docs, "StatefulSet", "desktops-alice-chrome"))
    assert chrome["resources"]["limits"]["memory"] == "3Gi"
    assert chrome["image"] == "kasmweb/chrome:1.16.0"
    desktop = container(_named(docs, "StatefulSet", "desktops-bob-desktop"))
    assert desktop["resources"]["limits"]["memory"] == "4Gi"
    carol = _named(docs, "StatefulSet", "desktops-carol-chrome")
    (shm,) = [v for v in carol["spec"]["template"]["spec"]["volumes"] if v["name"] == "dshm"]
    assert shm["emptyDir"]["sizeLimit"] == "1Gi"


def test_each_person_gets_their_secret_and_host() -> None:
    docs = _fleet({"alice": "chrome"}, access=ROUTE, vnc_secret="vnc-{user}", vnc_secret_key="pw")
    (variable,) = [
        e
        for e in container(_named(docs, "StatefulSet", "desktops-alice-chrome"))["env"]
        if e["name"] == "VNC_PW"
    ]
    assert variable["valueFrom"] == {"secretKeyRef": {"key": "pw", "name": "vnc-alice"}}
    route = _named(docs, "HTTPRoute", "desktops-alice-chrome")
    assert route["spec"]["hostnames"] == ["alice.desktops.example.com"]


@pytest.mark.parametrize("keyword", FLEET_OWNED)
def test_a_preset_may_not_set_what_the_fleet_decides(keyword: str) -> None:
    presets = {"desktop": {"image": "kasmweb/desktop:1.16.0", keyword: None}}
    with pytest.raises(ValueError, match=rf"^presets\['desktop'\]\.{keyword}: got '{keyword}'"):
        WorkspaceFleet(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "f", users={}, presets=presets)


def test_ingress_access_gets_one_ingress_per_person() -> None:
    access = FleetAccess.ingress(host="{user}.d.example.com", tls_secret="wildcard-tls")
    docs = _fleet({"alice": "chrome", "bob": "desktop"}, access=access)
    hosts = sorted(d["spec"]["rules"][0]["host"] for d in docs if d["kind"] == "Ingress")
    assert hosts == ["alice.d.example.com", "bob.d.example.com"]


# --- fleet-level objects -------------------------------------------------------------------------
def test_each_desktop_has_its_own_policy_admitting_only_the_access_path() -> None:
    docs = _fleet(
        {
            "alice": "chrome",
            "bob": "desktop",
            "carol": Seat("chrome", overrides={"egress_internet": False}),
            "dave": Seat("desktop", overrides={"egress_internet": True}),
        },
        access=ROUTE,
    )
    policies = {d["metadata"]["name"]: d["spec"] for d in docs if d["kind"] == "NetworkPolicy"}
    assert set(policies) == {
        "desktops-alice-chrome",
        "desktops-bob-desktop",
        "desktops-carol-chrome",
        "desktops-dave-desktop",
    }
    # Envoy Gateway's proxies for the Gateway public/gateway-system: namespace *and* labels
    gateway = {
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
    for name, policy in policies.items():
        workload = _named(docs, "StatefulSet", name)
        assert policy["podSelector"] == workload["spec"]["selector"]  # this person only
        assert policy["ingress"] == [
            {"from": [gateway], "ports": [{"port": 6901, "protocol": "TCP"}]}
        ]
        for rule in policy["egress"]:
            for peer in rule["to"]:  # never a desktop: no pod or namespace of the fleet
                assert "podSelector" not in peer or peer["podSelector"] == {
                    "matchLabels": {"k8s-app": "kube-dns"}
                }
    # each person's own settings, overrides included: DNS, and the internet where asked
    internet = {"desktops-alice-chrome": True, "desktops-bob-desktop": False}
    internet |= {"desktops-carol-chrome": False, "desktops-dave-desktop": True}
    for name, expected in internet.items():
        assert len(policies[name]["egress"]) == 1 + expected, name


def test_the_quota_is_the_sum_of_the_running_desktops() -> None:
    users = {"alice": "chrome", "bob": "desktop", "carol": Seat("desktop", stopped=True)}
    docs = _fleet(users, resource_quota=True, namespace=True)
    hard = one(docs, "ResourceQuota")["spec"]["hard"]
    # chrome 500m + desktop 1; chrome 3Gi + desktop 4Gi; two running; three homes of 10Gi
    assert (hard["requests.cpu"], hard["limits.memory"]) == ("1500m", "7Gi")
    assert (hard["pods"], hard["persistentvolumeclaims"], hard["requests.storage"]) == (
        "2",
        "3",
        "30Gi",
    )
    assert one(docs, "Namespace")["metadata"]["name"] == "desktops"


# --- the roster file ------------------------------------------------------------------------------
def _roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_the_example_roster_builds_the_fleet_it_describes() -> None:
    docs = [
        d
        for d in yaml.safe_load_all((REPO / "examples/fleet/dist/desktops.k8s.yaml").read_text())
        if d
    ]
    workloads = [d for d in docs if d["kind"] == "StatefulSet"]
    assert len(workloads) == 25
    assert sum(w["spec"].get("replicas") == 0 for w in workloads) == 3  # the others: KEDA's
    images = {container(w)["image"] for w in workloads}
    assert images == {f"kasmweb/{i}:1.16.0" for i in ("desktop", "chrome", "vs-code")}
    routes = [d for d in docs if d["kind"] == "HTTPRoute"]
    # one per person, and the sign-in's redirect host, on the Gateway's namespace
    assert len(routes) == 26
    assert [d["spec"]["hostnames"] for d in routes if d["metadata"]["namespace"] != "desktops"] == [
        ["sign-in.desktops.example.com"]
    ]
    policies = [d for d in docs if d["kind"] == "SecurityPolicy"]
    assert len(policies) == 26
    emails = {
        c["values"][0]
        for p in policies
        for r in p["spec"].get("authorization", {}).get("rules", [])
        for c in r["principal"]["jwt"]["claims"]
        if c["name"] == "email"
    }
    assert len(emails) == 25


def test_the_example_roster_and_the_schema_agree() -> None:
    schema = json.loads(SCHEMA.read_text())
    roster = yaml.safe_load((REPO / "examples/fleet/roster.yaml").read_text())
    jsonschema.Draft202012Validator(schema).validate(roster)
    allowed = sorted(schema["$defs"]["preset"]["properties"])
    python_only = {"startup_probe", "readiness_probe", "liveness_probe"}  # Probe: no YAML form
    python_only |= {d.name for d in declared(WorkspaceOptions) if not d.option.roster}
    keywords = {d.name for d in declared(WorkspaceOptions) if d.option.scope in PRESET_SCOPES}
    assert allowed == sorted(keywords - python_only)
    assert sorted(schema["properties"]) == sorted(d.name for d in declared(FleetOptions))


def test_the_roster_schema_is_generated_from_the_declaration() -> None:
    """roster.schema.json is what ``make docs`` writes from FleetOptions and WorkspaceOptions;
    an option declared, changed or removed there changes it."""
    assert SCHEMA.read_text() == schema_text()


def test_one_mistake_in_a_roster_names_the_file_line_and_field(tmp_path: Path) -> None:
    path = _roster(
        tmp_path,
        """\
        presets:
          desktop:
            image: kasmweb/desktop:1.16.0
            requests: {cpu: lots}
        users:
          alice: desktop
        """,
    )
    with pytest.raises(RosterError) as error:
        WorkspaceFleet.from_roster(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "f", path)
    assert error.value.problems == [
        (
            4,
            "presets['desktop'].requests['cpu']",
            "got 'lots'; expected a Kubernetes quantity, e.g. '500m', '2', '512Mi', '4Gi' or '1G'",
        )
    ]
    assert str(error.value).startswith(f"{path}: 1 mistake:\n  {path}:4: presets['desktop']")


def test_every_mistake_in_a_roster_is_reported_in_one_run(tmp_path: Path) -> None:
    path = _roster(
        tmp_path,
        """\
        home_size: big
        colour: blue
        presets:
          desktop:
            image: kasmweb/desktop:1.16.0
            replicas: 3
          chrome:
            image: kasmweb/chrome:1.16.0
            startup_probe: {}
        users:
          alice: safari
          Bob: desktop
          carol: {preset: chrome, overrides: {shm_size: huge}}
        """,
    )
    with pytest.raises(RosterError) as error:
        WorkspaceFleet.from_roster(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "f", path)
    assert [(line, field) for line, field, _ in error.value.problems] == [
        (1, "home_size"),
        (2, "colour"),
        (6, "presets['desktop'].replicas"),
        (9, "presets['chrome'].startup_probe"),
        (11, "users['alice'].preset"),
        (12, "users['Bob'].users key"),
        (13, "users['carol'].overrides.shm_size"),
    ]
    assert str(error.value).startswith(f"{path}: 7 mistakes:\n  {path}:1: home_size: got 'big'")


def test_a_roster_that_is_not_yaml_names_the_line(tmp_path: Path) -> None:
    path = _roster(tmp_path, "presets: {desktop: [\nusers: {}\n")
    with pytest.raises(RosterError, match=rf"^{re.escape(str(path))}: 1 mistake:\n  .*:3: file: "):
        WorkspaceFleet.from_roster(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "f", path)


def test_quota_arithmetic_is_pure() -> None:
    fleet, problems = _plan(name="f", users={"a": "chrome", "b": "chrome"}, presets=PRESETS)
    assert problems == []
    assert quota(fleet)["limits.memory"] == "6Gi"


def test_the_readmes_quota_figures_are_the_examples() -> None:
    docs = yaml.safe_load_all((REPO / "examples/fleet/dist/desktops.k8s.yaml").read_text())
    hard = next(d for d in docs if d and d["kind"] == "ResourceQuota")["spec"]["hard"]
    section = (REPO / "README.md").read_text().split("## A desktop per person", 1)[1]
    shown = dict(re.findall(r"`([a-z.]+): ([0-9A-Za-z]+)`", section.split("\n## ", 1)[0]))
    assert shown and shown == {key: hard[key] for key in shown}


def test_the_fleet_and_its_roster_are_one_declaration() -> None:
    """WorkspaceFleet's signature, the plan's defaults and the roster's keys all come from
    FleetOptions: nothing to keep in step."""
    fleet = inspect.signature(WorkspaceFleet).parameters
    keywords = {n: p.default for n, p in fleet.items() if p.kind is p.KEYWORD_ONLY}
    assert keywords == {
        d.name: inspect.Parameter.empty if d.required else d.option.default
        for d in declared(FleetOptions)
    }
