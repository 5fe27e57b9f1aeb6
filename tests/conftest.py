"""Test set-up: the pinned Node.js for jsii, and shared fixtures.

cdk8s is imported inside the ``chart`` fixture, not here: ``pytest tests/unit`` never starts
the jsii runtime (tests/unit/test_no_jsii.py holds it to that).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import cdk8s

REPO = Path(__file__).resolve().parents[1]

# jsii starts the `node` on PATH: use the pinned Node 22 when `make` installed it.
if (REPO / "node_modules" / ".bin" / "node").exists():
    os.environ["PATH"] = f"{REPO / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"


@pytest.fixture
def chart() -> cdk8s.Chart:
    """A chart in namespace "kasm" of a fresh app."""
    import cdk8s  # noqa: PLC0415 - the first test that needs a chart starts jsii, no sooner

    return cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
