"""Rosters: a fleet as a YAML file, for :meth:`WorkspaceFleet.from_roster`.

The keys mirror :class:`~kasm_constructs.WorkspaceFleet`'s keywords, and both come from one
declaration (``_pipeline.model.FleetOptions``): ``roster.schema.json`` beside the package is
generated from it (:func:`roster_schema`), and so is the reading of each value
(``options.forms``)::

    name: desktops
    vnc_secret: "{user}-vnc"
    home_size: 20Gi
    access:
      route: {host: "{user}.desktops.example.com", gateway: public,
              gateway_namespace: gateway-system, ca_config_map: desktops-ca, issuer: desktops-ca}
    presets:
      chrome: {image: "kasmweb/chrome:1.16.0", egress_internet: true}
    users:
      alice: chrome
      bob: {preset: chrome, stopped: true, overrides: {limits: {memory: 6Gi}}}

A roster is edited by many people, so it is read as untrusted input, as strictly as kubectl
reads a manifest: YAML 1.1 as go-yaml v2 resolves it (``07:00`` is a string, ``0o17`` a
number), go-yaml's limits on aliases and nesting, and no tags, merge keys or duplicate keys.
Every mistake in the file is reported in one :class:`~kasm_constructs.RosterError`, each with
the file, the line, the field and, where a word is close to a known one, a "did you mean".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kasm_constructs._pipeline.model import FleetOptions
from kasm_constructs._pipeline.plan import Problem as Found
from kasm_constructs.errors import ConfigurationError, RosterError
from kasm_constructs.manifests._goyaml import ProblemError, first_document
from kasm_constructs.options.forms import At, Problem, form_of

__all__ = ["SCHEMA", "Roster", "read_roster", "roster_schema"]

#: The JSON Schema of a roster (generated: ``make docs``; a test fails when it is stale).
SCHEMA = Path(__file__).parents[1] / "roster.schema.json"
_SCHEMA_ID = (
    "https://github.com/kasm-constructs/kasm-constructs/blob/main/kasm_constructs/"
    "roster.schema.json"
)
_FIRST_NAME = re.compile(r"[A-Za-z_]+")
#: The largest roster read, as kubectl reads at most 1 MiB... of a ConfigMap; 16 MiB is tens of
#: thousands of people.
MAX_BYTES = 16 * 2**20

Path_ = tuple[str | int, ...]


@dataclass
class Roster:
    """A roster file, read: the fleet's options, the mistakes found while reading them, and
    the line of every key."""

    file: str
    options: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    lines: dict[Path_, int] = field(default_factory=dict)
    #: Mistakes whose line is known (a key written twice): (line, field, message).
    located: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def mistaken(self) -> bool:
        """Whether reading found a mistake."""
        return bool(self.problems or self.located)

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of the nearest key above it."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, found: Iterable[tuple[tuple[str, ...], ConfigurationError]]) -> RosterError:
        """Every mistake: those found while reading, and ``found`` (where in the options,
        what), which the fleet found."""
        problems = [*self.located]
        problems += [(self.line(p.path), p.field, p.message) for p in self.problems]
        for where, error in found:
            first = _FIRST_NAME.match(error.parameter)
            path = (*where, first[0]) if first else where
            qualified = _qualified(where, error)
            message = f"got {error.value!r}; {error.allowed}"
            problems.append((self.line(path), qualified, message))
        return RosterError(self.file, problems)


def _qualified(where: tuple[str, ...], error: ConfigurationError) -> str:
    """The field of a mistake found at ``where``: ``presets['chrome'].requests['cpu']``."""
    return Found(where, error).qualified().parameter


def read_roster(path: str | Path) -> Roster:
    """The fleet's options in the roster at ``path`` and the mistakes found reading them. A
    file that cannot be read as YAML is a :class:`~kasm_constructs.RosterError` at once."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
        if len(data) > MAX_BYTES:
            raise RosterError(file, [(1, "file", f"larger than {MAX_BYTES // 2**20} MiB")])
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(file, [(1, "file", f"cannot read it: {error}")]) from error
    duplicates: list[ProblemError] = []
    try:
        value = first_document(text, strict=duplicates)
    except (ProblemError, yaml.YAMLError) as error:
        raise RosterError(file, [(_line(error), "file", _what(error))]) from None
    roster = Roster(file, {})
    _lines(value, (), roster.lines)
    roster.located += [(_line(d), "file", d.problem) for d in duplicates]
    if not isinstance(value, Mapping):
        raise RosterError(file, [(1, "file", "expected a mapping of fleet settings")])
    form = form_of(FleetOptions)
    assert form is not None
    options = form.read(value, At((), "", roster.problems))
    roster.options = dict(options) if isinstance(options, Mapping) else {}
    return roster


def _line(error: ProblemError | yaml.YAMLError) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "mark", None)
    mark = getattr(mark, "start_mark", mark)
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else 1


def _what(error: ProblemError | yaml.YAMLError) -> str:
    if isinstance(error, ProblemError):
        return error.problem
    problem = getattr(error, "problem", None) or str(error)
    return f"not YAML: {problem}"


def _lines(value: Any, path: Path_, lines: dict[Path_, int]) -> None:
    """Record the line of every key and item below ``value`` (a decoded mapping or list)."""
    marks = getattr(value, "marks", None)
    if isinstance(value, Mapping) and marks is not None:
        for key, item in value.items():
            lines[(*path, key)] = marks[key].line + 1
            _lines(item, (*path, key), lines)
    elif isinstance(value, list) and marks is not None:
        for index, item in enumerate(value):
            lines[(*path, index)] = marks[index].line + 1
            _lines(item, (*path, index), lines)


def roster_schema() -> dict[str, Any]:
    """The JSON Schema of a roster, from the declaration of the fleet's options."""
    form = form_of(FleetOptions)
    assert form is not None
    definitions: dict[str, Any] = {}
    body = _hoisted(form.schema(), definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "kasm-constructs roster",
        "description": "A fleet of desktops, one per person, for WorkspaceFleet.from_roster: "
        "the keys mirror WorkspaceFleet's keywords. Generated from their declaration.",
        **body,
        "$defs": definitions,
    }


def _hoisted(schema: Any, definitions: dict[str, Any]) -> Any:
    """``schema`` with every sub-schema that has a ``title`` moved to ``$defs``."""
    if isinstance(schema, list):
        return [_hoisted(item, definitions) for item in schema]
    if not isinstance(schema, dict):
        return schema
    inner = {key: _hoisted(value, definitions) for key, value in schema.items()}
    title = inner.get("title")
    if isinstance(title, str) and "properties" in inner:
        definitions[title] = inner
        return {"$ref": f"#/$defs/{title}"}
    return inner


def schema_text() -> str:
    """``roster.schema.json`` as it is written."""
    return json.dumps(roster_schema(), indent=2) + "\n"
