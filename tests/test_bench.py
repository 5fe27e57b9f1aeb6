"""Smoke test of the fleet benchmark (bench/): it runs and reports sane numbers. Not timed."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import cdk8s
import pytest

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


def test_imports_and_targets_are_reported(report: dict[str, Any]) -> None:
    commands = report["imports"]["commands"]
    assert set(commands) == {
        "baseline",
        "import kasm_constructs",
        "from kasm_constructs import HardenedWorkspace",
    }
    for item in commands.values():
        assert _positive(item["wall_s"])
        assert _positive(item["in_process_s"])
        assert isinstance(item["added_wall_pct"], float)
    targets = report["targets"]
    assert len(targets) == 4
    for target in targets:
        assert isinstance(target["passed"], bool)
        assert isinstance(target["value"], int | float)
