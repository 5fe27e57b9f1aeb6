"""A pytest plugin for the proof that the unit tests never start jsii (test_no_jsii.py runs
``pytest tests/unit -p tests.unit.jsii_blocker`` in a child process). Not for this process: it
would block the construct tests, so no module imports it.

From the moment it is loaded (before any conftest or test module), importing jsii, or cdk8s,
cdk8s-plus or constructs, which start it, raises ``ImportError``; and the session fails if any of
them is in ``sys.modules`` at its end.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

import pytest

BLOCKED = ("jsii", "cdk8s", "cdk8s_plus_28", "constructs")
REASON = "tests/unit must not start jsii"
CLEAN = "jsii blocker: nothing of jsii was imported"


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in BLOCKED:
            raise ImportError(f"import of {fullname!r}: {REASON}")
        return None


def loaded() -> list[str]:
    return sorted(name for name in sys.modules if name.partition(".")[0] in BLOCKED)


sys.meta_path.insert(0, _Blocker())


def pytest_sessionfinish(session: pytest.Session) -> None:
    if loaded():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    found = loaded()
    terminalreporter.write_line(f"jsii blocker: imported {found}" if found else CLEAN)
