"""What cdk8s writes, read the way kubectl reads it: the strings that would change type.

cdk8s writes YAML with the ``yaml`` library (2.9.1, bundled in cdk8s 2.70) and its YAML 1.1
schema (``lib/yaml.js``: ``version: '1.1'``). That library quotes a string only when one of the
schema's scalar tags would read it as something else (``yaml/dist/schema/yaml-1.1/*.js``,
``schema/common/null.js``) or when YAML's syntax needs it. kubectl reads the file with go-yaml
v2, whose resolver differs: Go's integer parser takes ``0o17``, ``0B11`` and ``0X1F``, and
``<<`` is a merge key. So a few strings are written plain and read as another type: a string
``"0o022"`` in ``env`` reaches the API server as the number 18, and a key ``<<`` merges its
mapping into the object around it.

:func:`misreadings` finds them in a manifest; :func:`check_strings` refuses them in
arguments. kubectl's reading is :mod:`kasm_constructs.manifests.kubeyaml`'s.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import Any

from kasm_constructs.manifests.grammar import fail
from kasm_constructs.manifests.kubeyaml import is_merge_key, resolve_plain_key, resolve_plain_scalar

__all__ = ["check_strings", "misreadings", "written_plain"]

# yaml 2.9.1, schema/yaml-1.1 and schema/common/null.js: the `test` of every non-string tag. A
# plain string that matches one is quoted.
_SCHEMA_TESTS = [
    re.compile(pattern)
    for pattern in (
        r"^(?:~|[Nn]ull|NULL)?$",  # null
        r"^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$",  # bool true
        r"^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$",  # bool false
        r"^[-+]?0b[0-1_]+$",  # int, binary
        r"^[-+]?0[0-7_]+$",  # int, octal
        r"^[-+]?[0-9][0-9_]*$",  # int
        r"^[-+]?0x[0-9a-fA-F_]+$",  # int, hex
        r"^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$",  # float, special
        r"^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$",  # float, exponent
        r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$",  # float
        r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$",  # int, sexagesimal
        r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$",  # float, sexagesimal
        r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",  # timestamp (a prefix is enough to be quoted)
    )
]
# YAML syntax: a plain scalar cannot start with an indicator, hold ": " or " #", or have
# surrounding or line-breaking white space; the writer quotes those.
_SYNTAX = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: |\s#|\s$|[\n\r\t]|:$")


def written_plain(text: str) -> bool:
    """Whether cdk8s writes ``text`` as a plain (unquoted) scalar."""
    return not _SYNTAX.search(text) and not any(t.search(text) for t in _SCHEMA_TESTS)


# go-yaml v2's resolve.go only tries to read a plain scalar as something else when its first
# character is one of these (resolveTable: digits, signs, '.') or when the whole of it is one of
# its special words (resolveMap: booleans, nulls, '<<'): every other string is read as written.
_FIRST = frozenset("0123456789+-.")
_WORDS = frozenset(
    f"{w}"
    for word in ("y", "yes", "n", "no", "true", "false", "on", "off", "null")
    for w in (word, word.capitalize(), word.upper())
) | {"~", "<<", ""}


def _maybe_other(text: str) -> bool:
    """Whether kubectl might read ``text`` as something other than this string."""
    return text[:1] in _FIRST or text in _WORDS


def _read_as(text: str, *, key: bool) -> str | None:
    """How kubectl reads ``text`` written plain, when that is not the same string."""
    if not _maybe_other(text):
        return None
    if key and is_merge_key(text):
        return "a merge key (its mapping is merged into the object around it)"
    try:
        read = resolve_plain_key(text) if key else resolve_plain_scalar(text)
    except ValueError as error:
        return f"nothing it can send ({error})"
    if read == text:
        return None
    return f"the {type(read).__name__} {read!r}" if not isinstance(read, str) else repr(read)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str, bool]]:
    """Every string in an argument ``value``: (its Python path, e.g. ``env['A']``, the text,
    whether it is a key)."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield f"{path} key", key, True
            yield from _strings(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for member in dataclasses.fields(value):
            yield from _strings(getattr(value, member.name), f"{path}.{member.name}")


def misreadings(manifest: Mapping[str, Any]) -> list[str]:
    """One message per string in ``manifest`` that cdk8s writes plain and kubectl reads as
    something else."""
    found: list[str] = []

    def visit(value: Any, path: tuple[str | int, ...]) -> None:
        # The hot loop of every write: paths are formatted only for what is found.
        if isinstance(value, str):
            if (read := _read_as(value, key=False)) is not None and written_plain(value):
                found.append(
                    f"{_field(path)}: {value!r} is written unquoted, and kubectl reads it as {read}"
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if (read := _read_as(key, key=True)) is not None and written_plain(key):
                    found.append(
                        f"{_field(path)} key: {key!r} is written unquoted, and kubectl reads it "
                        f"as {read}"
                    )
                if not isinstance(item, bool | int | float):
                    visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))

    visit(manifest, ())
    return found


def _field(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def check_strings(parameter: str, value: object) -> None:
    """Refuse a string anywhere in ``value`` that would reach the API server as another type."""
    for path, text, key in _strings(value, parameter):
        read = _read_as(text, key=key)
        if read is not None and written_plain(text):
            fail(
                path,
                text,
                f"cdk8s writes it unquoted and kubectl reads it as {read}; the API server would "
                "get something else than you wrote",
            )
