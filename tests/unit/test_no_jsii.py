"""The unit tests never start jsii: they run in a child process in which importing jsii (or
cdk8s, cdk8s-plus, constructs) fails, and which fails if any of them was imported at all."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# jsii_blocker's words: importing it here would install it in this process, and block the
# construct tests.
CLEAN = "jsii blocker: nothing of jsii was imported"
REASON = "tests/unit must not start jsii"


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_unit_tests_run_without_jsii() -> None:
    result = _python(
        "-m",
        "pytest",
        "tests/unit",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "tests.unit.jsii_blocker",
        "--deselect",
        "tests/unit/test_no_jsii.py",  # this module: it would run itself again
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert CLEAN in result.stdout, output[-4000:]
    passed = re.search(r"\b(\d+) passed\b", result.stdout)
    assert passed and int(passed[1]) > 300, output[-2000:]


def test_the_blocker_blocks() -> None:
    """Without this, the test above could pass with a blocker that blocks nothing."""
    result = _python("-c", "import tests.unit.jsii_blocker\nimport cdk8s")
    assert result.returncode != 0
    assert f"ImportError: import of 'cdk8s': {REASON}" in result.stderr
