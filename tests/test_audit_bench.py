"""Smoke test of the audit benchmark (bench/audit.py): it runs and reports sane numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO, child_env

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: p{index}}}
spec:
  hostPID: {host_pid}
  containers: [{{name: app, image: busybox}}]
"""


def test_the_benchmark_prints_a_report(tmp_path: Path) -> None:
    for index in range(12):
        folder = tmp_path / "baseline" / "v1.30" / ("fail" if index % 2 else "pass")
        folder.mkdir(parents=True, exist_ok=True)
        text = POD.format(index=index, host_pid="true" if index % 2 else "false")
        (folder / f"pod{index}.yaml").write_text(text, encoding="utf-8")
    report = json.loads(_bench(tmp_path, "--repeat", "2", "--pure", "--json"))
    assert report["files"] == 12
    assert report["rounds"] == 2
    assert set(report["rows"]) == {"floor", "read", "audit", "audit, pure Python"}
    for row in report["rows"].values():
        assert 0 < row["min_s"] <= row["median_s"]
        assert row["us_per_file"] > 0
    assert report["rows"]["floor"]["x_floor"] == 1.0
    assert report["passed"] == (report["target"]["audit_x_floor"] <= 3.0)
    table = _bench(tmp_path, "--repeat", "1")
    assert "| audit |" in table
    assert "x the floor (target ≤ 3.0)" in table


def _bench(fixtures: Path, *args: str) -> str:
    """The output of ``python -m bench.audit --fixtures FIXTURES ARGS``."""
    command = [sys.executable, "-m", "bench.audit", "--fixtures", str(fixtures), *args]
    completed = subprocess.run(
        command, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout
