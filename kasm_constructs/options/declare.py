"""How an option is declared: once, as a key of a ``TypedDict`` whose type is
``Annotated[<type>, Option(doc, default=...)]``.

That one declaration is the source of everything that names the option:

- the construct's ``__init__(self, scope, id, **options: Unpack[TheOptions])``, which mypy and
  editors check key by key;
- its real signature (``inspect.signature``, ``help()``: :func:`signature`) and the ``Args:``
  section of its docstring (:func:`args_doc`);
- the defaults (:func:`with_defaults`) and the "did you mean" for an unknown keyword;
- what a fleet's preset and a person's overrides may set (:attr:`Option.scope`);
- the roster's JSON Schema and how a roster's YAML becomes Python values (``forms``);
- the README's option table (:func:`markdown_table`).
"""

from __future__ import annotations

import difflib
import inspect
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal

from kasm_constructs.errors import ConfigurationError

__all__ = [
    "REQUIRED",
    "Declared",
    "Option",
    "Scope",
    "Scoped",
    "args_doc",
    "declared",
    "did_you_mean",
    "markdown_table",
    "signature",
    "with_defaults",
]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of an option that must be given.
REQUIRED: Final = _Required()

#: Who may set an option in a fleet: ``preset`` (a preset, and a person's overrides),
#: ``preset-only`` (a preset, never one person: it reaches beyond them), ``fleet`` (the fleet
#: decides it for everybody; neither may set it).
Scope = Literal["preset", "preset-only", "fleet"]


@dataclass(frozen=True)
class Option:
    """The declaration of one option, besides its name and type."""

    #: What it does, in reStructuredText, one paragraph. "Default: ..." is added from
    #: ``default`` (or ``default_doc``).
    doc: str
    default: object = REQUIRED
    #: Says what the default means where the value does not (``None``: "the image's ports").
    default_doc: str | None = None
    #: Who may set it in a fleet.
    scope: Scope = "preset"
    #: ``False``: Python only, even if its type can be written in YAML (with the reason in
    #: ``doc``): it may weaken what a roster line should not.
    roster: bool = True


@dataclass(frozen=True)
class Scoped:
    """``Annotated`` metadata of a ``TypedDict`` of options (or a mapping of its keywords) in a
    fleet: only the options of ``scopes`` may be set there (a preset's, a person's overrides)."""

    options: type
    scopes: tuple[Scope, ...]
    #: What these options are called where they are written (``preset``, ``overrides``).
    name: str = ""
    #: Changes to options set elsewhere: none is required.
    partial: bool = False

    def allows(self, name: str) -> bool:
        """Whether the option ``name`` may be set here."""
        return any(d.name == name and d.option.scope in self.scopes for d in declared(self.options))


@dataclass(frozen=True)
class Declared:
    """One declared option: its name, its type (without ``Annotated``), its :class:`Option`."""

    name: str
    hint: Any
    option: Option

    @property
    def required(self) -> bool:
        return self.option.default is REQUIRED


@cache
def declared(options: type) -> tuple[Declared, ...]:
    """The options a ``TypedDict`` declares, in declaration order."""
    hints = typing.get_type_hints(options, include_extras=True)
    result = []
    for name, hint in hints.items():
        # Python 3.11 reads Required[...] from string annotations without stripping it.
        annotated = hint
        while typing.get_origin(annotated) in (typing.Required, typing.NotRequired):
            (annotated,) = typing.get_args(annotated)
        if typing.get_origin(annotated) is not typing.Annotated:
            raise TypeError(f"{options.__name__}.{name}: expected Annotated[<type>, Option(...)]")
        inner, *extras = typing.get_args(annotated)
        (option,) = [extra for extra in extras if isinstance(extra, Option)]
        result.append(Declared(name, inner, option))
    return tuple(result)


def did_you_mean(word: str, known: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known``, or ``""``."""
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def with_defaults(options: type, given: Mapping[str, object]) -> dict[str, Any]:
    """``given`` with every option it leaves out at its default, in declaration order. An
    unknown keyword or a missing required one is a :class:`ConfigurationError`."""
    known = {d.name: d for d in declared(options)}
    for key in given:
        if key not in known:
            raise ConfigurationError(
                str(key),
                given[key],
                f"unknown keyword{did_you_mean(str(key), tuple(known))}; expected one of "
                f"{', '.join(known)}",
            )
    result: dict[str, Any] = {}
    for name, d in known.items():
        if name in given:
            result[name] = given[name]
        elif d.required:
            raise ConfigurationError(name, None, "required: give it")
        else:
            result[name] = d.option.default
    return result


def signature(options: type, *leading: inspect.Parameter) -> inspect.Signature:
    """The signature of a constructor that takes ``leading`` positional parameters, then the
    options as keywords: what ``inspect.signature`` and ``help()`` show."""
    keywords = [
        inspect.Parameter(
            d.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty if d.required else d.option.default,
            annotation=d.hint,
        )
        for d in declared(options)
    ]
    return inspect.Signature([*leading, *keywords], return_annotation=None)


def _default_text(d: Declared) -> str:
    if d.required:
        return "Required."
    if d.option.default_doc is not None:
        return f"Default: {d.option.default_doc}."
    default = d.option.default
    shown = "none" if default in (None, (), {}) else f"``{default!r}``"
    return f"Default: {shown}."


def args_doc(options: type, *, indent: str = "    ") -> str:
    """The ``Args:`` entries of the options, in Google style."""
    lines = []
    for d in declared(options):
        text = " ".join(f"{d.option.doc} {_default_text(d)}".split())
        lines.append(f"{indent}{d.name}: {text}")
    return "\n".join(lines)


def _markdown(text: str) -> str:
    """reStructuredText roles and literals as Markdown code."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"``\1``", " ".join(text.split()))
    return text.replace("``", "`").replace("|", "\\|")


def markdown_table(options: type) -> str:
    """A Markdown table of the options: keyword, default, what it does."""
    rows = ["| keyword | default | what |", "| --- | --- | --- |"]
    for d in declared(options):
        default = _markdown(_default_text(d).removeprefix("Default: ").rstrip("."))
        rows.append(f"| `{d.name}` | {default} | {_markdown(d.option.doc)} |")
    return "\n".join(rows)
