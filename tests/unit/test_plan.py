"""A fleet's ``plan``, without jsii: every person decided once, every mistake found at once."""

from __future__ import annotations

from typing import Any

import pytest

from kasm_constructs import Seat
from kasm_constructs._pipeline import plan as planning
from kasm_constructs._pipeline.plan import plan

PRESETS: dict[str, dict[str, Any]] = {
    "desktop": {"image": "kasmweb/desktop:1.16.0"},
    "chrome": {"image": "kasmweb/chrome:1.16.0", "egress_internet": True},
    "code": {"image": "kasmweb/vs-code:1.16.0", "limits": {"cpu": "4", "memory": "6Gi"}},
}


def _plan(**options: Any) -> Any:
    return plan(options, default_name="team", chart_labels={"team": "a"}, namespace="desktops")


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = planning.resolve

    def counting(options: Any, **kwargs: Any) -> Any:
        calls.append(str(options["name"]))
        return real(options, **kwargs)

    monkeypatch.setattr(planning, "resolve", counting)
    return calls


def test_each_person_of_a_100_person_fleet_is_resolved_exactly_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    presets = list(PRESETS)
    users: dict[str, Any] = {f"p{i:03}": presets[i % 3] for i in range(100)}
    for i in range(0, 100, 7):  # some with overrides, some stopped
        users[f"p{i:03}"] = Seat(presets[i % 3], stopped=i % 2 == 0, overrides={"shm_size": "1Gi"})
    fleet, problems = _plan(users=users, presets=PRESETS)
    assert problems == []
    assert len(fleet.people) == 100
    assert sorted(calls) == sorted(p.name for p in fleet.people)  # once each, nobody else
    # the settings the construct creates objects from are those decided here
    shm = [v for v in fleet.people[0].settings.volumes if v.mount_path == "/dev/shm"]
    assert shm[0].size_limit == "1Gi"


def test_a_preset_mistake_is_reported_once_however_many_use_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    presets = {**PRESETS, "desktop": {"image": "kasmweb/desktop:1.16.0", "shm_size": "lots"}}
    users = {f"p{i}": "desktop" for i in range(20)}
    _, problems = _plan(users=users, presets=presets)
    assert [str(p.qualified()) for p in problems] == [
        "presets['desktop'].shm_size: got 'lots'; expected a Kubernetes quantity greater than "
        "zero, e.g. '500m', '2', '512Mi', '4Gi' or '1G'"
    ]
    # the first person finds it; nobody else on the preset is resolved; the two unused
    # presets are checked once each, as a person would get them
    assert len(calls) == 1 + 2


def test_an_override_mistake_is_the_persons() -> None:
    users = {"alice": Seat("chrome", overrides={"requests": {"cpu": "lots"}}), "bob": "chrome"}
    fleet, problems = _plan(users=users, presets=PRESETS)
    assert [str(p.qualified()).split(":")[0] for p in problems] == [
        "users['alice'].overrides.requests['cpu']"
    ]
    assert [p.user for p in fleet.people] == ["bob"]


def test_every_mistake_at_once() -> None:
    _, problems = _plan(
        users={"Alice": "chrome", "bob": "safari", "carol": Seat("chrome", overrides={"x": 1})},
        presets={**PRESETS, "bad": {"image": "kasmweb/desktop:1.16.0", "replicas": 2}},
        home_size="big",
        colour="blue",
    )
    assert [str(p.qualified()).split(":")[0] for p in problems] == [
        "colour",
        "home_size",
        "presets['bad'].replicas",
        "users['Alice'].users key",
        "users['bob'].preset",
        "users['carol'].overrides.x",
    ]


def test_unknown_words_get_a_suggestion() -> None:
    _, problems = _plan(
        users={"alice": "chrme", "bob": Seat("chrome", overrides={"shm_sise": "1Gi"})},
        presets=PRESETS,
        home_sise="1Gi",
    )
    messages = [str(p.qualified()) for p in problems]
    assert "did you mean 'home_size'?" in messages[0]
    assert "did you mean 'chrome'?" in messages[1]
    assert "did you mean 'shm_size'?" in messages[2]


def test_the_fleet_name_defaults_to_the_construct_id_for_python_and_rosters_alike() -> None:
    fleet, _ = _plan(users={"alice": "chrome"}, presets=PRESETS)
    assert fleet.name == "team"
    assert fleet.people[0].name == "team-alice-chrome"
