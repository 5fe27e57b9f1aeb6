"""A roster read as untrusted input: as strictly as kubectl reads a manifest, every mistake in one
run, each with its file, line, the wrong word and a suggestion where one is close."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import cdk8s
import pytest
import yaml

from kasm_constructs import RosterError, WorkspaceFleet
from tests.helpers import REPO, child_env

GOOD = """\
presets:
  desktop: {image: kasmweb/desktop:1.16.0}
users:
  alice: desktop
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def _fleet(path: Path) -> WorkspaceFleet:
    return WorkspaceFleet.from_roster(cdk8s.Chart(cdk8s.App(), "c", namespace="d"), "f", path)


def _problems(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(RosterError) as error:
        _fleet(_write(tmp_path, text))
    return error.value.problems


def test_a_good_roster_builds() -> None:
    fleet = _fleet(REPO / "examples" / "fleet" / "roster.yaml")
    assert len(fleet.plan.people) == 25


# --- read as strictly as kubectl ------------------------------------------------------------------
def test_a_key_written_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """\
        presets:
          desktop: {image: kasmweb/desktop:1.16.0}
          desktop: {image: kasmweb/desktop:1.16.0, egress_internet: true}
        users:
          alice: desktop
          bob: desktop
          alice: desktop
        """,
    )
    assert problems == [
        (3, "file", "the key 'desktop' is written twice, here and on line 2"),
        (7, "file", "the key 'alice' is written twice, here and on line 5"),
    ]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a: &a [*a]\n", 1, "anchor 'a' value contains itself"),
        ("? [a, b]\n: 1\n", 1, "invalid map key: a mapping or sequence"),
        ("presets: !custom {}\n", 1, "the tag !custom: write plain YAML, without tags"),
        ("presets:\n  <<: {a: 1}\n", 2, "a merge key (<<): write the keys out instead"),
        ("presets: {}\n---\nusers: {}\n", 2, "a second YAML document: this file is one document"),
        ("presets: {desktop: [\n", 2, "not YAML: "),
    ],
    ids=["recursive-alias", "complex-key", "custom-tag", "merge-key", "two-documents", "syntax"],
)
def test_what_kubectl_would_not_read_is_one_clear_mistake(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    ((at, field, said),) = _problems(tmp_path, text)
    assert (at, field) == (line, "file")
    assert said.startswith(message)


def test_nested_aliases_stop_at_go_yamls_limit_fast(tmp_path: Path) -> None:
    """A few hundred bytes of nested aliases (a billion laughs) are refused in well under a
    second, without expanding them."""
    levels = [f'a: &a ["{"x" * 8}"]']
    levels += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
    ]
    start = time.perf_counter()
    ((_, field, message),) = _problems(tmp_path, "\n".join(levels) + "\n")
    assert time.perf_counter() - start < 1.0
    assert (field, message) == ("file", "document contains excessive aliasing (go-yaml's limit)")


def test_yaml_11_as_kubectl_reads_it(tmp_path: Path) -> None:
    """07:00 is a string for go-yaml (not sexagesimal 420 as for PyYAML), 4 is a quantity."""
    path = _write(
        tmp_path,
        """\
        presets:
          desktop:
            image: kasmweb/desktop:1.16.0
            requests: {cpu: 1, memory: 2Gi}
            limits: {cpu: 4, memory: 4Gi}
            env: {START: 07:00}
        users: {alice: desktop}
        """,
    )
    fleet = _fleet(path)
    settings = fleet.plan.people[0].settings
    assert settings.env["START"] == "07:00"
    assert (settings.requests["cpu"], settings.limits["cpu"]) == ("1", "4")


# --- every mistake at once, each where it was written -------------------------------------------
TEN_MISTAKES = """\
name: Desktops
home_sise: 10Gi
access:
  route: {host: "{user}.d.example.com", gateway: public, ca_config_map: ca, isuer: ca}
presets:
  desktop:
    image: kasmweb/desktop:1.16.0
    requests: {cpu: lots}
    egress_internet: yes please
  chrome:
    image: kasmweb/chrome:1.16.0
    startup_probe: {}
users:
  alice: chrme
  bob: {preset: desktop, stoped: true}
  carol: {preset: chrome, overrides: {shm_sise: 1Gi}}
  dave: {preset: chrome, overrides: {service_account_name: admin}}
"""


def test_a_roster_with_ten_mistakes_reports_ten_in_one_run(tmp_path: Path) -> None:
    problems = _problems(tmp_path, TEN_MISTAKES)
    assert [(line, field) for line, field, _ in problems] == [
        (1, "name"),
        (2, "home_sise"),
        (4, "access.route.isuer"),
        (8, "presets['desktop'].requests['cpu']"),
        (9, "presets['desktop'].egress_internet"),
        (12, "presets['chrome'].startup_probe"),
        (14, "users['alice'].preset"),
        (15, "users['bob'].stoped"),
        (16, "users['carol'].overrides.shm_sise"),
        (17, "users['dave'].overrides.service_account_name"),
    ]
    said = {field: message for _, field, message in problems}
    assert said["home_sise"].startswith("unknown key; did you mean 'home_size'?")
    assert said["access.route.isuer"].startswith("unknown key; did you mean 'issuer'?")
    assert said["users['bob'].stoped"].startswith("unknown key; did you mean 'stopped'?")
    assert "did you mean 'chrome'?" in said["users['alice'].preset"]
    assert said["users['carol'].overrides.shm_sise"].startswith(
        "unknown key; did you mean 'shm_size'?"
    )
    assert said["presets['desktop'].egress_internet"] == ("got 'yes please'; expected a boolean")


def test_the_example_app_prints_a_bad_roster_without_a_stack(tmp_path: Path) -> None:
    app = tmp_path / "fleet"
    shutil.copytree(REPO / "examples" / "fleet", app, ignore=shutil.ignore_patterns("dist"))
    (app / "roster.yaml").write_text(TEN_MISTAKES)
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=app,
        capture_output=True,
        text=True,
        env=child_env(),
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"kasm-constructs: {app / 'roster.yaml'}: 10 mistakes:"
    assert len(lines) == 11
    for noise in ("Traceback", "jsii", 'File "', "at "):
        assert not any(line.lstrip().startswith(noise) for line in lines), result.stderr


def test_the_schema_and_the_reader_agree_on_the_example(tmp_path: Path) -> None:
    """The generated schema accepts what the reader reads (and vice versa on a mistake)."""
    import jsonschema  # noqa: PLC0415 - a test dependency

    from kasm_constructs._pipeline.roster import roster_schema  # noqa: PLC0415

    validator = jsonschema.Draft202012Validator(roster_schema())
    example: Any = yaml.safe_load((REPO / "examples" / "fleet" / "roster.yaml").read_text())
    assert list(validator.iter_errors(example)) == []
    bad: Any = yaml.safe_load(GOOD)
    bad["users"]["bob"] = {"preset": "desktop", "stoped": True}
    assert list(validator.iter_errors(bad))
