"""What docs/design.md says of the package's shape, held."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kasm_constructs"
SOURCES = [
    p
    for p in PACKAGE.rglob("*.py")
    if "imports" not in p.parts and "_manifest_batch" not in p.parts
]


def test_a_new_option_lives_in_three_modules() -> None:
    """ "The room for a change": termination_grace_period_seconds is declared in model.py,
    decided in resolve.py, rendered in render.py, and named nowhere else in the package."""
    naming = sorted(
        str(p.relative_to(PACKAGE))
        for p in SOURCES
        if "termination_grace_period_seconds" in p.read_text(encoding="utf-8")
    )
    assert naming == ["_pipeline/model.py", "_pipeline/render.py", "_pipeline/resolve.py"]


def _shims() -> list[tuple[str, str]]:
    """(old module, new module) of every shim at the package's top level."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree) or ""
        if doc.startswith("Moved to :mod:`"):
            found.append((f"kasm_constructs.{path.stem}", doc.split("`")[1]))
    return found


def test_there_are_shims() -> None:
    assert len(_shims()) >= 15


@pytest.mark.parametrize(("old", "new"), _shims())
def test_an_old_path_still_gives_the_moved_names(old: str, new: str) -> None:
    moved, shim = importlib.import_module(new), importlib.import_module(old)
    assert shim.__all__ == moved.__all__
    for name in moved.__all__:
        assert getattr(shim, name) is getattr(moved, name)
