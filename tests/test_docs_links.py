"""Every relative link in the README and docs/ points at a file of this repository: a clone (and
the sdist) has no ``../shared``, and a renamed file must not leave a dead link behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", REPO / "CHANGELOG.md", REPO / "bench" / "README.md"]
DOCS += [*sorted((REPO / "docs").glob("*.md")), REPO / "imports" / "README.md"]
#: [text](target) outside code spans; the target up to a space, ")" or "#".
LINK = re.compile(r"\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)")
CODE_SPAN = re.compile(r"`[^`]*`")


def relative_links(path: Path) -> list[str]:
    text = "\n".join(
        CODE_SPAN.sub("", line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("    ", "```"))
    )
    return [t for t in LINK.findall(text) if not re.match(r"^[a-z]+:", t)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve_inside_the_repository(doc: Path) -> None:
    links = relative_links(doc)
    broken = [
        link
        for link in links
        if not (doc.parent / link).resolve().is_relative_to(REPO)
        or not (doc.parent / link).resolve().exists()
    ]
    assert broken == []


def test_the_readme_links_to_the_files_it_names() -> None:
    links = relative_links(REPO / "README.md")
    assert "kasm_constructs/images.py" in links and "docs/design.md" in links
