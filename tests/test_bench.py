"""Smoke test of the fleet benchmark (bench/): it runs and reports sane numbers. Not timed."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import cdk8s
import pytest

from bench.fleet import IMPORT_COMMANDS, IMPORT_LIMIT, RATIO_LIMIT, SCALING_LIMIT
from kasm_constructs import HardenedWorkspace
from tests.helpers import REPO, child_env, synth

SIZES = (2, 3)


def _one_workspace(app: cdk8s.App) -> None:
    chart = cdk8s.Chart(app, "fleet", namespace="desktops")
    HardenedWorkspace(
        chart,
        "user-0",
        image="kasmweb/desktop:1.16.0",
        secret_env={"VNC_PW": ("kasm-secrets", "vnc-password")},
    )


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--sizes",
            ",".join(map(str, SIZES)),
            "--repeat",
            "1",
            "--import-repeat",
            "1",
            "--json",
        ],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_one_row_per_size(report: dict[str, Any]) -> None:
    assert report["repeat"] == 1
    assert [row["n"] for row in report["sizes"]] == list(SIZES)


def test_times_and_memory_are_positive(report: dict[str, Any]) -> None:
    for row in report["sizes"]:
        assert _positive(row["ratio"])
        for side in ("library", "floor"):
            numbers = row[side]
            for field in (
                "total_s",
                "construct_s",
                "synth_s",
                "ms_per_workspace",
                "python_peak_mib",
                "node_peak_mib",
                "node_all_peak_mib",
            ):
                assert _positive(numbers[field]), (row["n"], side, field, numbers[field])
            assert numbers["total_s"] >= numbers["construct_s"]
            assert numbers["node_all_peak_mib"] >= numbers["node_peak_mib"]


def test_objects_match_one_default_workspace(report: dict[str, Any]) -> None:
    manifests = synth(_one_workspace)
    kinds = sorted({m["kind"] for m in manifests})
    for row in report["sizes"]:
        assert row["objects_per_workspace"] == len(manifests)
        assert row["library"]["objects"] == len(manifests) * row["n"]
        assert row["floor"]["objects"] == row["library"]["objects"]
        assert row["library"]["kinds"] == kinds
        assert row["floor"]["identical_to_library"] is True


def test_imports_are_reported(report: dict[str, Any]) -> None:
    commands = report["imports"]["commands"]
    assert set(commands) == set(IMPORT_COMMANDS)
    for item in commands.values():
        assert _positive(item["wall_s"])
        assert _positive(item["in_process_s"])
        assert isinstance(item["added_wall_pct"], float)
    baseline = commands["baseline"]["wall_s"]
    for label, item in commands.items():
        assert item["python_c"] == IMPORT_COMMANDS[label]
        assert item["added_wall_pct"] == pytest.approx(100 * (item["wall_s"] / baseline - 1))


#: The targets of a workspace run, in order: (what the target text names, the limit, the digits
#: its value is rounded to, where its measure is in the report).
TARGETS: list[tuple[str, float, int, Callable[[dict[str, Any]], float]]] = [
    ("library/floor", RATIO_LIMIT, 3, lambda r: r["sizes"][-1]["ratio"]),
    (
        "ms/workspace",
        SCALING_LIMIT,
        3,
        lambda r: (
            r["sizes"][-1]["library"]["ms_per_workspace"]
            / r["sizes"][-2]["library"]["ms_per_workspace"]
        ),
    ),
    *[
        (
            f"`{label}`",
            100 * IMPORT_LIMIT,
            1,
            lambda r, label=label: r["imports"]["commands"][label]["added_wall_pct"],
        )
        for label in ("import kasm_constructs", "from kasm_constructs import HardenedWorkspace")
    ],
]


def check_targets(report: dict[str, Any]) -> None:
    """Each target reports the measure it is about (rounded), its limit, and ``passed`` exactly
    when that measure is within the limit."""
    targets = report["targets"]
    assert len(targets) == len(TARGETS)
    for target, (names, limit, digits, measure) in zip(targets, TARGETS, strict=True):
        value = measure(report)
        assert target["target"].startswith(names), target
        assert target["limit"] == limit, target
        assert target["value"] == round(value, digits), (target, value)
        assert target["passed"] is (value <= limit), (target, value)


def test_each_target_is_passed_exactly_when_its_measure_is_within_its_limit(
    report: dict[str, Any],
) -> None:
    check_targets(report)


@pytest.mark.parametrize("index", range(len(TARGETS)))
@pytest.mark.parametrize("field", ["passed", "value", "limit"])
def test_a_target_that_misreports_fails_the_check(
    report: dict[str, Any], index: int, field: str
) -> None:
    """The check above can fail: a target whose verdict, value or limit is not its measure's."""
    wrong = copy.deepcopy(report)
    target = wrong["targets"][index]
    target[field] = not target["passed"] if field == "passed" else target[field] * 2 + 1
    with pytest.raises(AssertionError):
        check_targets(wrong)
