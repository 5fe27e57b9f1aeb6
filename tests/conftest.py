"""Test set-up: the pinned Node.js for jsii, and shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# jsii starts the `node` on PATH: use the pinned Node 22 when `make` installed it.
if (REPO / "node_modules" / ".bin" / "node").exists():
    os.environ["PATH"] = f"{REPO / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"

import cdk8s  # noqa: E402


@pytest.fixture
def chart() -> cdk8s.Chart:
    """A chart in namespace "kasm" of a fresh app."""
    return cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
