"""Files generated from the library's declarations are up to date: ``make docs`` writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.generate import outputs


@pytest.mark.parametrize("path, text", outputs().items(), ids=lambda p: getattr(p, "name", ""))
def test_the_committed_file_is_what_the_declarations_generate(path: Path, text: str) -> None:
    assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make docs`"
