"""Write the files generated from the library's declarations: ``roster.schema.json`` and the
option tables in README.md (between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``).

``make docs`` runs ``python -m tools.generate``; ``tests/test_generated.py`` fails when a
committed file differs from what this writes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from kasm_constructs._pipeline.model import FleetOptions, WorkspaceOptions
from kasm_constructs._pipeline.roster import SCHEMA, schema_text
from kasm_constructs.options.declare import markdown_table

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"

#: Generated blocks of README.md: name -> what fills it.
BLOCKS: dict[str, Callable[[], str]] = {
    "workspace-options": lambda: markdown_table(WorkspaceOptions),
    "fleet-options": lambda: markdown_table(FleetOptions),
}


def readme(text: str) -> str:
    """``text`` (README.md) with every generated block rewritten."""
    for name, make in BLOCKS.items():
        pattern = re.compile(
            rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)", flags=re.DOTALL
        )
        if not pattern.search(text):
            raise SystemExit(f"README.md has no block {name!r}")
        text = pattern.sub(lambda m, make=make: f"{m[1]}{make()}\n{m[2]}", text)
    return text


def outputs() -> dict[Path, str]:
    """Every generated file and what it must hold."""
    return {SCHEMA: schema_text(), README: readme(README.read_text(encoding="utf-8"))}


def main() -> int:
    for path, text in outputs().items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
