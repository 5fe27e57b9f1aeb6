"""The YAML form of every option: how a roster writes it, derived from the option's declared
type. One :class:`Form` per type gives both the roster's JSON Schema (:meth:`Form.schema`) and
the reading of a roster's values into the Python values the constructs take
(:meth:`Form.read`), so the two cannot disagree.

- ``str``, ``int``, ``bool``, ``None``; ``Mapping[str, X]``; ``Sequence[X]``; ``tuple[str,
  str]``; unions of these, told apart by the YAML type of the value;
- a ``TypedDict`` of options (``WorkspaceOptions``, ``FleetOptions``): a mapping of its keys,
  those a fleet allows where it is written (``declare.Scoped``); options declared
  ``roster=False``, or of a type without a YAML form, are Python only;
- a value class with ``from_*``-style factories (``FleetAccess``, ``IngressController``): a
  mapping of one factory's name to its keywords, ``{route: {host: ..., gateway: ...}}``;
- a value class with a form of its own (``SecretKeyRef``, ``NetworkPeer``, ``Seat``): its
  ``roster_form()`` classmethod.

Reading never stops at a mistake: each is added to ``problems`` with where it was made, and
the value left out, so one run reports every mistake of a file.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from kasm_constructs.errors import ConfigurationError
from kasm_constructs.options.declare import REQUIRED, Scoped, declared, did_you_mean

__all__ = [
    "OMITTED",
    "Factories",
    "Form",
    "Keywords",
    "Problem",
    "Record",
    "form_of",
]

#: What reading a value with a mistake gives: the value is left out.
OMITTED: Final = object()
#: The keyword a value object names in its errors: ``FleetAccess.route(host)`` -> ``host``.
_KEYWORD_IN_PARAMETER: Final = re.compile(r"\((\w+)\)(?: item| key)?$")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """A mistake in a roster: where (``path``, the keys to it; ``field``, as a person reads
    it, e.g. ``presets['chrome'].requests['cpu']``) and what."""

    path: Path
    field: str
    message: str


@dataclass
class At:
    """Where a value being read is, and where its mistakes go."""

    path: Path
    field: str
    problems: list[Problem]

    def key(self, key: str) -> At:
        """A keyword of an options mapping or a record: ``.key``."""
        return At((*self.path, key), f"{self.field}.{key}" if self.field else key, self.problems)

    def item(self, key: str | int) -> At:
        """An entry of a mapping or list: ``['key']`` or ``[0]``."""
        return At((*self.path, key), f"{self.field}[{key!r}]", self.problems)

    def report(self, message: str) -> object:
        self.problems.append(Problem(self.path, self.field or "file", message))
        return OMITTED

    def error(self, error: ConfigurationError) -> object:
        """A mistake a value object found when it was made."""
        return self.report(str(error))


_JSON_TYPES: Final = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "object": Mapping,
    "array": list,
    "null": type(None),
}


def _yaml_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    for name, kind in _JSON_TYPES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _article(kind: str) -> str:
    return {"object": "a mapping", "array": "a list", "null": "null", "integer": "an integer"}.get(
        kind, f"a {kind}"
    )


class Form:
    """How one type is written in YAML."""

    #: The YAML types this form reads (JSON Schema's names).
    types: tuple[str, ...] = ()

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def read(self, value: object, at: At) -> object:
        """The Python value of ``value``; :data:`OMITTED` (with a problem in ``at``) if it is
        wrong."""
        raise NotImplementedError

    def expected(self) -> str:
        return " or ".join(_article(t) for t in self.types)


@dataclass(frozen=True)
class Scalar(Form):
    """A string, integer or boolean."""

    kind: str
    description: str = ""

    @property
    def types(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.kind,)

    def schema(self) -> dict[str, Any]:
        return {"type": self.kind}

    def read(self, value: object, at: At) -> object:
        if _yaml_type(value) != self.kind:
            return at.report(f"got {value!r}; expected {self.expected()}")
        return value


@dataclass(frozen=True)
class Null(Form):
    types: tuple[str, ...] = ("null",)

    def schema(self) -> dict[str, Any]:
        return {"type": "null"}

    def read(self, value: object, at: At) -> object:
        return value


@dataclass(frozen=True)
class OneOf(Form):
    """A union: the member that reads the value's YAML type reads it."""

    members: tuple[Form, ...]

    @property
    def types(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(dict.fromkeys(t for m in self.members for t in m.types))

    def schema(self) -> dict[str, Any]:
        schemas = [m.schema() for m in self.members]
        simple = all(set(s) == {"type"} for s in schemas)
        if simple:
            return {"type": [s["type"] for s in schemas]}
        return {"anyOf": schemas}

    def read(self, value: object, at: At) -> object:
        kind = _yaml_type(value)
        for member in self.members:
            if kind in member.types:
                return member.read(value, at)
        return at.report(f"got {value!r}; expected {self.expected()}")


@dataclass(frozen=True)
class MapOf(Form):
    """A mapping of strings to one form."""

    values: Form
    types: tuple[str, ...] = ("object",)

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.values.schema()}

    def read(self, value: object, at: At) -> object:
        if not isinstance(value, Mapping):
            return at.report(f"got {value!r}; expected a mapping")
        result = {}
        for key, item in value.items():
            read = self.values.read(item, at.item(key))
            if read is not OMITTED:
                result[key] = read
        return result


@dataclass(frozen=True)
class ListOf(Form):
    """A list of one form; ``length``: exactly that many items (a tuple)."""

    items: Form
    length: int | None = None
    types: tuple[str, ...] = ("array",)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.items.schema()}
        if self.length is not None:
            schema["minItems"] = schema["maxItems"] = self.length
        return schema

    def read(self, value: object, at: At) -> object:
        if not isinstance(value, list) or (self.length not in (None, len(value))):
            size = f"{self.length} items" if self.length is not None else "items"
            return at.report(f"got {value!r}; expected a list of {size}")
        read = [self.items.read(item, at.item(index)) for index, item in enumerate(value)]
        kept = [item for item in read if item is not OMITTED]
        if len(kept) != len(read):
            return OMITTED
        return tuple(kept) if self.length is not None else kept


@dataclass(frozen=True)
class Keywords(Form):
    """A ``TypedDict`` of options, or the part of it a fleet allows where it is written."""

    options: type
    scoped: Scoped | None = None
    description: str = ""
    types: tuple[str, ...] = ("object",)

    @property
    def _partial(self) -> bool:
        return self.scoped is not None and self.scoped.partial

    def _fields(self) -> dict[str, tuple[Form | None, bool]]:
        """Every option: its form (None: Python only) and whether it may be written here."""
        fields = {}
        for d in declared(self.options):
            form = form_of(d.hint) if d.option.roster else None
            allowed = self.scoped is None or self.scoped.allows(d.name)
            fields[d.name] = (form, allowed)
        return fields

    def schema(self) -> dict[str, Any]:
        properties = {}
        required = []
        for d in declared(self.options):
            form, allowed = self._fields()[d.name]
            if form is None or not allowed:
                continue
            properties[d.name] = {**form.schema(), "description": _plain(d.option.doc)}
            if d.option.default is REQUIRED and not self._partial:
                required.append(d.name)
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": properties,
        }
        if required:
            schema["required"] = required
        if self.description:
            schema["description"] = self.description
        if self.scoped is not None and self.scoped.name:
            schema["title"] = self.scoped.name
        return schema

    def read(self, value: object, at: At) -> object:
        if not isinstance(value, Mapping):
            return at.report(f"got {value!r}; expected a mapping")
        fields = self._fields()
        writable = [name for name, (form, allowed) in fields.items() if form and allowed]
        result: dict[str, object] = {}
        for key, item in value.items():
            where = at.key(str(key))
            if key not in fields:
                where.report(
                    f"unknown key{did_you_mean(str(key), writable)}; expected one of "
                    f"{', '.join(writable)}"
                )
                continue
            form, allowed = fields[key]
            if not allowed:
                scope = next(d.option.scope for d in declared(self.options) if d.name == key)
                where.report(
                    f"the fleet sets {key} for every person"
                    if scope == "fleet"
                    else f"a preset may set {key}, one person's overrides may not"
                )
                continue
            if form is None:
                where.report("takes Python objects: set it from Python")
                continue
            read = form.read(item, where)
            if read is not OMITTED:
                result[str(key)] = read
        for d in declared(self.options):
            if d.option.default is REQUIRED and d.name not in value and not self._partial:
                at.report(f"{d.name} is required")
        return result


@dataclass(frozen=True)
class Record(Form):
    """A value class written as a mapping of some of its constructor's keywords."""

    cls: type
    #: Keyword -> its form (a keyword without one is Python only).
    fields: Mapping[str, Form]
    required: tuple[str, ...] = ()
    make: Callable[..., object] | None = None
    #: Keyword as written -> the factory's parameter, where they differ (``except``).
    renamed: Mapping[str, str] = field(default_factory=dict)
    types: tuple[str, ...] = ("object",)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: form.schema() for name, form in self.fields.items()},
        }
        if self.required:
            schema["required"] = list(self.required)
        return schema

    def read(self, value: object, at: At) -> object:
        if not isinstance(value, Mapping):
            return at.report(f"got {value!r}; expected a mapping")
        keywords: dict[str, object] = {}
        wrong = False
        for key, item in value.items():
            where = at.key(str(key))
            form = self.fields.get(str(key))
            if form is None:
                where.report(
                    f"unknown key{did_you_mean(str(key), tuple(self.fields))}; expected one of "
                    f"{', '.join(self.fields)}"
                )
                wrong = True
                continue
            read = form.read(item, where)
            wrong = wrong or read is OMITTED
            keywords[str(key)] = read
        for name in self.required:
            if name not in value:
                at.report(f"{name} is required")
                wrong = True
        if wrong:
            return OMITTED
        try:
            return (self.make or self.cls)(**keywords)
        except ConfigurationError as error:
            # "FleetAccess.route(host)" is the key "host" of what the roster wrote
            named = _KEYWORD_IN_PARAMETER.search(error.parameter)
            back = {old: new for new, old in self.renamed.items()}
            key = back.get(named[1], named[1]) if named else None
            if key in self.fields:
                return at.key(str(key)).report(f"got {error.value!r}; {error.allowed}")
            return at.error(error)

    @classmethod
    def of(
        cls,
        target: type,
        factory: Callable[..., object] | None = None,
        *,
        rename: Mapping[str, str] | None = None,
    ) -> Record:
        """The record of ``factory``'s keywords (default: the class's constructor), each
        with the form of its annotation; keywords without one are Python only."""
        function = factory or target
        hints = typing.get_type_hints(
            function.__init__ if isinstance(function, type) else function  # type: ignore[misc]
        )
        parameters = inspect.signature(function).parameters
        fields: dict[str, Form] = {}
        required = []
        for name, parameter in parameters.items():
            if name in ("self", "cls") or name not in hints:
                continue
            form = form_of(hints[name])
            if form is None:
                continue
            written = (rename or {}).get(name, name)
            fields[written] = form
            if parameter.default is inspect.Parameter.empty:
                required.append(written)
        make = function
        if rename:
            back = {new: old for old, new in rename.items()}

            def make(**keywords: object) -> object:
                return function(**{back.get(k, k): v for k, v in keywords.items()})

        renamed = {new: old for old, new in (rename or {}).items()}
        return cls(target, fields, tuple(required), make, renamed)


@dataclass(frozen=True)
class Factories(Form):
    """A value class made by named factories: ``{<factory>: {<keyword>: ...}}``."""

    cls: type
    names: tuple[str, ...]
    types: tuple[str, ...] = ("object",)
    records: Mapping[str, Record] = field(default_factory=dict)

    def _records(self) -> Mapping[str, Record]:
        return self.records or {
            name: Record.of(self.cls, getattr(self.cls, name)) for name in self.names
        }

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [name],
                    "properties": {name: record.schema()},
                }
                for name, record in self._records().items()
            ]
        }

    def read(self, value: object, at: At) -> object:
        records = self._records()
        if not isinstance(value, Mapping) or len(value) != 1:
            return at.report(
                f"got {value!r}; expected one of "
                + " or ".join(f"{{{name}: {{...}}}}" for name in records)
            )
        ((name, settings),) = value.items()
        if name not in records:
            return at.key(str(name)).report(
                f"unknown kind{did_you_mean(str(name), tuple(records))}; expected "
                + " or ".join(records)
            )
        return records[name].read({} if settings is None else settings, at.key(str(name)))


def _plain(doc: str) -> str:
    """A docstring paragraph as plain text, for a schema's description."""
    return " ".join(doc.replace("``", "").replace(":class:", "").replace(":func:", "").split())


_SCALARS: Final = {str: "string", int: "integer", bool: "boolean"}


def form_of(hint: Any) -> Form | None:
    """The YAML form of a declared type, or ``None`` when it has none (Python only)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        inner, *extras = args
        scoped = next((e for e in extras if isinstance(e, Scoped)), None)
        if scoped is not None:
            return Keywords(scoped.options, scoped)
        return form_of(inner)
    if hint is type(None):
        return Null()
    if hint in _SCALARS:
        return Scalar(_SCALARS[hint])
    if origin in (typing.Union, types.UnionType):
        # members without a YAML form are Python only: the roster writes the others; a union
        # of nothing but those and None is Python only as a whole
        members = [m for m in (form_of(arg) for arg in args) if m is not None]
        if all(isinstance(m, Null) for m in members):
            return None
        return OneOf(tuple(members))
    if origin in (Mapping, dict):
        _, value = args
        value_form = form_of(value)
        return None if value_form is None else MapOf(value_form)
    if origin in (Sequence, list) or (origin is tuple and len(args) == 2 and args[1] is ...):
        item = form_of(args[0])
        return None if item is None else ListOf(item)
    if origin is tuple:
        items = [form_of(arg) for arg in args]
        if None in items or len(set(map(repr, items))) != 1:
            return None
        first = items[0]
        assert first is not None
        return ListOf(first, length=len(items))
    if _is_typed_dict(hint):
        return Keywords(hint)
    roster_form = getattr(hint, "roster_form", None)
    if callable(roster_form):
        form = roster_form()
        assert isinstance(form, Form)
        return form
    return None


def _is_typed_dict(hint: object) -> bool:
    return isinstance(hint, type) and typing.is_typeddict(hint)
