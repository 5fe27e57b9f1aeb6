"""Read manifest files exactly as ``kubectl apply -f`` (kubectl 1.32) reads them.

kubectl does not read YAML the way most YAML libraries do. This module follows its code path,
step by step, on top of PyYAML's event parser (libyaml through ``yaml.CParser`` when PyYAML was
built with it, PyYAML's pure-Python parser otherwise; both give the same results):

1. k8s.io/cli-runtime ``pkg/resource/visitor.go`` (``FileVisitor``): a UTF-8 byte order mark is
   dropped and UTF-16 with a byte order mark is decoded.
2. k8s.io/apimachinery ``pkg/util/yaml/decoder.go`` (``YAMLOrJSONDecoder``): a file whose first
   non-space character (within 4096 bytes) is ``{`` is a stream of JSON values, anything else
   is YAML cut into documents at every line that starts with ``---`` (``YAMLReader``; only
   spaces or a comment may follow it), CRLF read as LF (``LineReader``).
3. sigs.k8s.io/yaml v1.4.0 ``yaml.go`` over its fork of go-yaml v2 (``goyaml.v2/decode.go``,
   ``resolve.go``): only the *first* YAML document of each piece is read; YAML 1.1 scalars
   (``yes``/``no``/``on``/``off``/``y``/``n`` are booleans, ``0o17``, ``017``, ``0x1F``,
   ``0b11`` and ``1_000`` integers, timestamps stay strings, ``1:30`` a string); a merge key sets
   its keys *where it stands*, so it overrides the keys before it; later duplicate keys win;
   keys become JSON strings (``yes`` -> ``"true"``, ``1.10`` -> ``"1.1"``); aliases are bounded
   by go-yaml's "excessive aliasing" ratio.
4. The YAML becomes JSON (``encoding/json``) which ``k8s.io/apimachinery/pkg/util/json`` reads
   back: whole numbers that fit in int64 are ints, everything else a float, so ``1.0`` is ``1``
   and ``18446744073709551615`` a float; NaN and infinities make kubectl fail.
5. ``unstructured.UnstructuredJSONScheme`` (apimachinery ``pkg/apis/meta/v1/unstructured/
   helpers.go``) and cli-runtime ``metadata_decoder.go`` and ``FlattenListVisitor``: any object
   with an ``items`` key is a list whose items are the objects (items without kind and
   apiVersion get the list's); ``kind`` must be a non-empty string; ``apiVersion`` and
   ``metadata`` must decode as ``TypeMeta``/``ObjectMeta``.

Where kubectl's behaviour is undefined or unsafe this reader refuses the file instead (each is
listed in docs/audit.md): non-UTF-8 bytes (kubectl substitutes U+FFFD), keys that collide once
converted to strings (kubectl keeps one at random), a byte order mark inside the text, control
characters anywhere, nesting deeper than ``MAX_DEPTH`` and files larger than ``MAX_FILE_BYTES``.

Public API: :func:`read_file`, :func:`read_bytes`, :class:`KubeObject`, :class:`ManifestError`,
and for single scalars :func:`resolve_plain_scalar`, :func:`resolve_plain_key`,
:func:`is_merge_key`.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
import struct
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

# ---------------------------------------------------------------------------------------------
# Limits. kubectl's own: go-yaml stops at 10,000 levels and at "excessive aliasing"; these are
# stricter where a manifest has no business going.
# ---------------------------------------------------------------------------------------------

#: The largest file read, in bytes (kubectl has no limit; the API server takes 3 MiB a request).
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
#: The deepest nesting of mappings and sequences (go-yaml and encoding/json allow 10,000).
MAX_DEPTH: Final = 512
# apimachinery pkg/util/yaml/decoder.go: NewYAMLOrJSONDecoder(reader, 4096) in visitor.go
JSON_SNIFF_BYTES: Final = 4096
# goyaml.v2/decode.go: allowedAliasRatio and the check in decoder.unmarshal
ALIAS_RATIO_RANGE: Final = (400_000, 4_000_000)
ALIAS_RATIO_BOUNDS: Final = (0.99, 0.10)
ALIAS_CHECK_FROM: Final = (100, 1000)  # (alias decodes, decodes) before the ratio is checked

_INT64: Final = (-(2**63), 2**63 - 1)
_UINT64_MAX: Final = 2**64 - 1

# goyaml.v2 tags (yamlh.go)
_TAG: Final = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP, _BINARY, _MERGE = (
    _TAG + name for name in ("str", "bool", "int", "float", "null", "timestamp", "binary", "merge")
)
_RESOLVABLE: Final = frozenset({"", _STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP})


class ManifestError(ValueError):
    """A file kubectl would not read (or this reader refuses); ``str()`` names file and line."""

    def __init__(
        self, problem: str, source: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.problem, self.source, self.line, self.column = problem, source, line, column
        where = source if line is None else f"{source}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {problem}")


class _ProblemError(Exception):
    """A problem found below the file level; turned into a ManifestError with a position."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem)
        self.problem, self.mark = problem, mark


# ---------------------------------------------------------------------------------------------
# Scalars: goyaml.v2/resolve.go, then the JSON round trip (step 4 above).
# ---------------------------------------------------------------------------------------------

# resolve.go resolveMapList
_RESOLVE_MAP: Final[Mapping[str, tuple[str, Any]]] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), (_BOOL, True)),
    **dict.fromkeys(("on", "On", "ON"), (_BOOL, True)),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), (_BOOL, False)),
    **dict.fromkeys(("off", "Off", "OFF"), (_BOOL, False)),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), (_NULL, None)),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), (_FLOAT, math.nan)),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (_FLOAT, math.inf)),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), (_FLOAT, -math.inf)),
    "<<": (_MERGE, "<<"),
}
# resolve.go resolveTable: the first byte says what a plain scalar might be
_HINTS: Final[Mapping[str, str]] = {
    **dict.fromkeys("+-", "S"),
    **dict.fromkeys("0123456789", "D"),
    **dict.fromkeys("yYnNtTfFoO~", "M"),
    ".": ".",
}
# resolve.go yamlStyleFloat
_YAML_STYLE_FLOAT: Final = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# strconv.ParseFloat on text that starts with ".": Go's decimal float literal, "_" between digits
_GO_DOT_FLOAT: Final = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")
# strconv.ParseInt(s, 0, 64) and ParseUint: an optional sign (ParseInt only), then a base prefix
_GO_INT_BODY: Final = {
    "0x": (16, re.compile(r"[0-9a-fA-F]+")),
    "0o": (8, re.compile(r"[0-7]+")),
    "0b": (2, re.compile(r"[01]+")),
}
_OCTAL: Final = re.compile(r"0[0-7]*")
_DECIMAL: Final = re.compile(r"[0-9]+")
_BINARY_DIGITS: Final = re.compile(r"[01]+")
# resolve.go allowedTimestampFormats, as time.Parse reads those layouts
_TIMESTAMP_TEXT: Final = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?"
)


def _go_parse_int(text: str, signed: bool, base: int = 0) -> int | None:
    """strconv.ParseInt(text, base, 64) (``signed``) or ParseUint; None on error. Base 0
    reads Go's prefixes (0x, 0o, 0b, a leading 0 for octal); base 2 is plain binary."""
    sign, body = 1, text
    if signed and body[:1] in ("+", "-"):
        sign, body = (-1 if body[0] == "-" else 1), body[1:]
    prefix = body[:2].lower()
    if base == 2:
        if not _BINARY_DIGITS.fullmatch(body):
            return None
        value = sign * int(body, 2)
    elif prefix in _GO_INT_BODY:
        base, digits = _GO_INT_BODY[prefix]
        if not digits.fullmatch(body[2:]):
            return None
        value = sign * int(body[2:], base)
    elif _OCTAL.fullmatch(body):
        value = sign * int(body, 8)
    elif _DECIMAL.fullmatch(body):
        value = sign * int(body)
    else:
        return None
    low, high = _INT64 if signed else (0, _UINT64_MAX)
    return value if low <= value <= high else None


def _go_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) for text already known to be a decimal literal."""
    value = float(text.replace("_", ""))
    return None if math.isinf(value) else value


def _is_timestamp(text: str) -> bool:
    """resolve.go parseTimestamp: one of four time.Parse layouts, with valid field ranges."""
    match = _TIMESTAMP_TEXT.fullmatch(text)
    if match is None:
        return False
    year, month, day, *clock = match.groups()
    hour, minute, second = [int(part) for part in clock if part is not None] or [0, 0, 0]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return hour < 24 and minute < 60 and second < 60


def _resolve_hinted(text: str, hint: str, try_timestamp: bool) -> tuple[str, Any] | None:
    """The int, float or timestamp branch of resolve.go resolve() for a hinted scalar."""
    if hint == ".":
        if _GO_DOT_FLOAT.fullmatch(text):
            value = _go_float(text)
            if value is not None:
                return _FLOAT, value
        return None
    if hint not in ("D", "S"):
        return None
    if try_timestamp and _is_timestamp(text):
        return _TIMESTAMP, text
    plain = text.replace("_", "")
    for signed in (True, False):
        integer = _go_parse_int(plain, signed)
        if integer is not None:
            return _INT, integer
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        value = _go_float(plain)
        if value is not None:
            return _FLOAT, value
    # resolve.go's explicit "0b" branch: ParseInt(plain[2:], 2, 64) takes a sign after "0b"
    attempts: tuple[tuple[str, bool], ...] = ()
    if plain.startswith("0b"):
        attempts = ((plain[2:], True), (plain[2:], False))
    elif plain.startswith("-0b"):
        attempts = (("-" + plain[3:], True),)
    for digits, signed in attempts:
        integer = _go_parse_int(digits, signed, base=2)
        if integer is not None:
            return _INT, integer
    return None


def _resolve(tag: str, text: str) -> tuple[str, Any]:
    """resolve.go resolve(tag, in): the tag and Go value of a scalar; raises _ProblemError."""
    if tag not in _RESOLVABLE:
        return tag, text
    resolved: tuple[str, Any] = (_STR, text)
    hint = _HINTS.get(text[:1], "") if text else "N"
    if hint and tag != _STR:
        known = _RESOLVE_MAP.get(text)
        if known is not None:
            resolved = known
        else:
            resolved = _resolve_hinted(text, hint, tag in ("", _TIMESTAMP)) or resolved
    rtag, value = resolved
    if tag in ("", rtag, _STR):
        return resolved
    if tag == _FLOAT and rtag == _INT and value <= _INT64[1]:
        return _FLOAT, float(value)
    raise _ProblemError(f"cannot decode {_short_tag(rtag)} as a {_short_tag(tag)}")


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _go_binary(text: str) -> str:
    """decode.go: base64.StdEncoding.DecodeString (CR and LF ignored), as a Go string that
    encoding/json writes with U+FFFD for each byte that is not UTF-8."""
    try:
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except ValueError:
        raise _ProblemError("!!binary value contains invalid base64 data") from None
    return _go_utf8(data)


def _go_utf8(data: bytes) -> str:
    """Go's UTF-8 decoding: each byte of an invalid sequence becomes one U+FFFD."""
    out: list[str] = []
    index = 0
    while index < len(data):
        for width in (1, 2, 3, 4):
            try:
                out.append(data[index : index + width].decode("utf-8"))
            except UnicodeDecodeError:
                continue
            index += width
            break
        else:
            out.append("\ufffd")
            index += 1
    return "".join(out)


def _scalar(tag: str | None, plain: bool, text: str) -> tuple[str, Any]:
    """decode.go decoder.scalar for an interface{} target: the tag and Go value."""
    if tag is None:
        if not plain:
            return _STR, text
        tag = ""
    rtag, value = _resolve(tag, text)
    if rtag == _BINARY:
        return _STR, _go_binary(value)
    if rtag == _TIMESTAMP or rtag not in _RESOLVABLE:
        return _STR, text
    return rtag, value


def _json_value(rtag: str, value: Any) -> Any:
    """A Go value as it comes back from encoding/json and apimachinery's int-preserving read."""
    if rtag == _FLOAT:
        return _json_float(value)
    if rtag == _INT and value > _INT64[1]:
        return float(value)
    return value


def _json_float(value: float) -> int | float:
    """encoding/json writes a float64 in its shortest form ('f' below 1e21), and apimachinery
    reads back a plain integer that fits in int64 as an int."""
    if math.isnan(value) or math.isinf(value):
        raise _ProblemError(f"json: unsupported value: {value!r} (kubectl cannot send it)")
    if not value.is_integer() or abs(value) >= 1e21:
        return value
    integer = int(value) if abs(value) < 2**53 else int(Decimal(repr(value)))
    return integer if _INT64[0] <= integer <= _INT64[1] else value


def _json_key(rtag: str, value: Any) -> str:
    """sigs.k8s.io/yaml convertToJSONableObject: a Go map key as a JSON object key."""
    if rtag == _STR:
        return str(value)
    if rtag == _BOOL:
        return "true" if value else "false"
    if rtag == _INT and value <= _INT64[1]:
        return str(value)
    if rtag == _FLOAT:
        return _go_float32_g(value)
    go_type = {_NULL: "<nil>", _INT: "uint64"}.get(rtag, rtag)
    raise _ProblemError(f"unsupported map key of type {go_type}")


def _go_float32_g(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with go-yaml's .inf, -.inf and .nan."""
    if math.isnan(value):
        return ".nan"
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    for precision in range(9):
        text = f"{single:.{precision}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, exponent_text = text.split("e")
    digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    exponent = int(exponent_text)
    sign = "-" if mantissa.startswith("-") else ""
    if exponent < -4 or exponent >= 6:
        fraction = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{fraction}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return f"{sign}{Decimal(f'{digits[0]}.{digits[1:]}e{exponent}'):f}"


def resolve_plain_scalar(text: str) -> Any:
    """What kubectl sends the API server for ``text`` written as a plain (unquoted) YAML scalar
    in value position: a str, int, float, bool or None.

    >>> [resolve_plain_scalar(s) for s in ("yes", "0o17", "1.0", "1:30", "~", "0x1F")]
    [True, 15, 1, '1:30', None, 31]

    Raises ValueError for ``.nan``, ``.inf`` and ``-.inf``: kubectl refuses to convert them.
    """
    try:
        return _json_value(*_scalar(None, True, text))
    except _ProblemError as problem:
        raise ValueError(problem.problem) from None


def resolve_plain_key(text: str) -> str:
    """The JSON key kubectl makes of ``text`` written as a plain mapping key: ``yes`` ->
    ``"true"``, ``1.10`` -> ``"1.1"``, ``0x1F`` -> ``"31"``. Raises ValueError for keys kubectl
    refuses (``~``, ``null``, integers above int64) and for ``<<`` (see :func:`is_merge_key`)."""
    if is_merge_key(text):
        raise ValueError("'<<' as a plain key is a merge key, not a key")
    try:
        return _json_key(*_scalar(None, True, text))
    except _ProblemError as problem:
        raise ValueError(problem.problem) from None


def is_merge_key(text: str) -> bool:
    """Whether ``text`` as a plain mapping key is a merge key to kubectl (go-yaml v2 isMerge):
    then it is not a key, its value's keys are set at that place (overriding earlier ones)."""
    return text == "<<"


# ---------------------------------------------------------------------------------------------
# Decoded values: dicts and lists that remember where each key and item was written.
# ---------------------------------------------------------------------------------------------


class _Map(dict[str, Any]):
    """A decoded mapping; ``marks`` holds the PyYAML mark of each key, ``ids`` the Go identity
    of keys that were not strings (None when all were)."""

    __slots__ = ("ids", "marks")
    marks: dict[str, Any]
    ids: dict[str, object] | None


class _Seq(list[Any]):
    """A decoded sequence; ``marks`` holds the PyYAML mark of each item."""

    __slots__ = ("marks",)
    marks: list[Any]


def _new_map() -> _Map:
    mapping = _Map()
    mapping.marks = {}
    mapping.ids = None
    return mapping


def _new_seq() -> _Seq:
    sequence = _Seq()
    sequence.marks = []
    return sequence


_MAP, _SEQ, _SCALAR = "map", "seq", "scalar"
_KEY, _VALUE, _MERGE_VALUE = 0, 1, 2


class _Anchor:
    """An anchored node: its kind, decoded value and decode count (``size``). ``size`` first
    holds the decode count where the node starts and ``done`` says when it is complete."""

    __slots__ = ("done", "kind", "size", "value")

    def __init__(self, kind: str, value: Any = None, size: int = 1, done: bool = True) -> None:
        self.kind, self.value, self.size, self.done = kind, value, size, done


class _Frame:
    """An open mapping or sequence while events arrive."""

    __slots__ = (
        "anchor",
        "container",
        "flow",
        "key",
        "key_id",
        "key_mark",
        "kind",
        "merges",
        "start_mark",
        "state",
    )

    def __init__(self, kind: str, container: Any, anchor: _Anchor | None) -> None:
        self.kind, self.container, self.anchor = kind, container, anchor
        self.state = _KEY
        self.flow = False
        self.start_mark: Any = None
        self.key: str = ""
        self.key_id: object = None
        self.key_mark: Any = None
        self.merges: list[_Map] | None = None  # set for a sequence that is a merge value


class _Counter:
    """goyaml.v2 decode.go decoder.unmarshal's decode and alias counts ("excessive aliasing").

    Aliases are not re-decoded here (their value is shared), so an alias adds the decode count
    of its target in one step; the check is monotone within that step, so checking after it is
    the same as checking after every node. Checks run in document order (go-yaml decodes the
    items of a merge sequence last to first, which only matters at the very limit).
    """

    __slots__ = ("aliased", "decoded")

    def __init__(self) -> None:
        self.decoded, self.aliased = 1, 0  # the document node

    def alias(self, size: int, where: Any) -> None:
        self.decoded += 1
        self.check(where)
        self.decoded += size
        self.aliased += size
        self.check(where)

    def check(self, where: Any) -> None:
        aliased, decoded = self.aliased, self.decoded
        if aliased > ALIAS_CHECK_FROM[0] and decoded > ALIAS_CHECK_FROM[1]:
            low, high = ALIAS_RATIO_RANGE
            first, last = ALIAS_RATIO_BOUNDS
            share = min(max((decoded - low) / (high - low), 0.0), 1.0)
            if aliased / decoded > first - (first - last) * share:
                raise _ProblemError("document contains excessive aliasing (go-yaml's limit)", where)


# ---------------------------------------------------------------------------------------------
# YAML: one document from PyYAML's events, decoded as go-yaml v2 decodes into interface{}.
# ---------------------------------------------------------------------------------------------


_scan_line_break: Callable[[Any], str] = yaml.scanner.Scanner.scan_line_break


class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event parser (used where PyYAML has no libyaml), with the tab rules
    of libyaml and go-yaml, which PyYAML's scanner does not have: a tab separates tokens in a
    flow collection or after a key, and inside a plain scalar."""

    _BREAKS = "\r\n\x85\u2028\u2029"

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def scan_to_next_token(self) -> None:
        """goyaml.v2 scannerc.go yaml_parser_scan_to_next_token."""
        while True:
            while self.peek() == " " or (
                self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)
            ):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0" + self._BREAKS:
                    self.forward()
            if not _scan_line_break(self):
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
        """PyYAML's own, with tabs among the blanks (libyaml's IS_BLANK)."""
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        if self.peek() not in self._BREAKS:
            return [whitespaces] if whitespaces else []
        line_break = _scan_line_break(self)
        self.allow_simple_key = True
        breaks: list[str] = []
        while True:
            if self.prefix(3) in ("---", "...") and self.peek(3) in "\0 \t" + self._BREAKS:
                return None
            if self.peek() in " \t":
                self.forward()
            elif self.peek() in self._BREAKS:
                breaks.append(_scan_line_break(self))
            else:
                break
        if line_break != "\n":
            return [line_break, *breaks]
        return [*breaks] if breaks else [" "]


def _libyaml_parser() -> Any:
    try:
        from yaml._yaml import CParser  # noqa: PLC0415
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    return CParser


_CParser: Any = _libyaml_parser()
#: Whether libyaml parses (True) or PyYAML's pure-Python parser (False).
USING_LIBYAML: Final = _CParser is not None


def _parser(text: str, pure: bool) -> Any:
    return _PureParser(text) if pure or _CParser is None else _CParser(text)


def _first_document(text: str, pure: bool = False) -> Any:
    """The first YAML document of ``text`` as go-yaml v2's Unmarshal reads it (None when empty);
    the rest of ``text`` is not parsed, as go-yaml does not. Raises _ProblemError or YAMLError."""
    parser = _parser(text, pure)
    get_event = parser.get_event
    get_event()  # StreamStartEvent
    event = get_event()
    if type(event) is StreamEndEvent:
        return None
    assert type(event) is DocumentStartEvent
    if event.version not in (None, (1, 1)):  # goyaml.v2 parserc.go: only %YAML 1.1
        raise _ProblemError("found incompatible YAML document (only %YAML 1.1 is read)", event)
    return _decode_node(get_event, text)


# Where libyaml 0.2.5 (PyYAML's C parser) or PyYAML's own scanner read YAML 1.2 or otherwise
# differently from go-yaml v2 (goyaml.v2/scannerc.go), the file is refused rather than misread:
# - the escape "\/" (go-yaml: "found unknown escape character");
_ESCAPED_SLASH: Final = re.compile(r"(?<!\\)(?:\\\\)*\\/")
# - a tag followed by "," "[" or "]": go-yaml's tag takes them (yaml_parser_scan_tag_uri);
_TAG_TOKEN: Final = re.compile(r"(?:&[^\s,\[\]{}]+\s+)?(![^\s{}]*)")
# - "?" inside a plain scalar in a flow collection: go-yaml ends the scalar there.


def _divergence(event: Any, source: str, flow_depth: int) -> str | None:
    """Why go-yaml would read this event's text differently from PyYAML, or None."""
    start, end = event.start_mark.index, event.end_mark.index
    if event.tag is not None:
        token = _TAG_TOKEN.match(source, start)
        tag = token.group(1) if token is not None else ""
        if not tag.startswith("!<") and any(char in tag for char in ",[]"):
            return "a tag followed by ',', '[' or ']' (kubectl reads them as part of the tag)"
    style = getattr(event, "style", None) or None  # plain: None (PyYAML) or "" (libyaml)
    if style == '"' and _ESCAPED_SLASH.search(source, start, end):
        return "found unknown escape character '/' (YAML 1.1 has no \\/ escape)"
    if flow_depth and style is None and "?" in getattr(event, "value", ""):
        return "'?' in a plain scalar inside a flow collection (kubectl cannot read it)"
    return None


def _decode_node(get_event: Any, source: str) -> Any:
    """Decode one node (and everything below it) from ``get_event``; an explicit stack, so
    nesting costs no recursion. ``source`` is the parsed text."""
    anchors: dict[str, _Anchor] = {}
    counter = _Counter()
    stack: list[_Frame] = []
    flow_depth = 0
    while True:
        event = get_event()
        cls = type(event)
        mark = event.start_mark
        if cls is ScalarEvent:
            counter.decoded += 1
            if counter.aliased:
                counter.check(event)
            tag, plain, text = event.tag, event.implicit[0], event.value
            if (tag is not None or event.style == '"' or (flow_depth and "?" in text)) and (
                problem := _divergence(event, source, flow_depth)
            ):
                raise _ProblemError(problem, event)
            if tag is None and plain and text[:1] not in _HINTS and text:
                rtag, value = _STR, text  # the common case, short-cut
            else:
                rtag, value = _scalar(tag, plain, text)
            if event.anchor is not None:
                anchors[event.anchor] = _Anchor(_SCALAR, (rtag, value), 1)
            merge = text == "<<" and (plain or tag == _MERGE)
            done = _deliver(stack, (rtag, value), _SCALAR, mark, merge)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            is_map = cls is MappingStartEvent
            parent = stack[-1] if stack else None
            merge_list = not is_map and parent is not None and parent.state == _MERGE_VALUE
            if not merge_list:  # goyaml.v2 decoder.merge does not unmarshal the sequence
                counter.decoded += 1
                if counter.aliased:
                    counter.check(event)
            if len(stack) >= MAX_DEPTH:
                raise _ProblemError(f"nesting deeper than {MAX_DEPTH} levels", event)
            if event.tag is not None and (problem := _divergence(event, source, flow_depth)):
                raise _ProblemError(problem, event)
            flow_depth += bool(event.flow_style)
            kind = _MAP if is_map else _SEQ
            anchor = None
            if event.anchor is not None:  # registered now: go-yaml's parser does (p.anchor)
                start = counter.decoded - 1  # merge_list: its node was not counted
                anchor = anchors[event.anchor] = _Anchor(kind, size=start, done=False)
            frame = _Frame(kind, _new_map() if is_map else _new_seq(), anchor)
            frame.flow = bool(event.flow_style)
            if merge_list:
                frame.merges = []
            frame.start_mark = mark
            stack.append(frame)
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            flow_depth -= frame.flow
            if frame.anchor is not None:
                frame.anchor.value = frame.container
                frame.anchor.size = counter.decoded - frame.anchor.size
                frame.anchor.done = True
            done = _deliver(stack, frame.container, frame.kind, frame.start_mark, False, frame)
        elif cls is AliasEvent:
            target = anchors.get(event.anchor)
            if target is None:
                raise _ProblemError(f"unknown anchor '{event.anchor}' referenced", event)
            if not target.done:
                raise _ProblemError(f"anchor '{event.anchor}' value contains itself", event)
            counter.alias(target.size, event)
            done = _deliver(stack, target.value, target.kind, mark, False)
        else:  # pragma: no cover - PyYAML emits no other event inside a document
            raise _ProblemError(f"unexpected {cls.__name__}", event)
        if done is not _OPEN:
            return done


_OPEN: Final = object()


def _deliver(
    stack: list[_Frame],
    value: Any,
    kind: str,
    mark: Any,
    merge: bool,
    closed: _Frame | None = None,
) -> Any:
    """Hand a decoded node to its parent; return the document's value once the root is done,
    otherwise _OPEN. Scalars travel as (tag, Go value) until their place is known."""
    if not stack:
        return _json_value(*value) if kind == _SCALAR else value
    parent = stack[-1]
    if parent.kind == _SEQ:
        if parent.merges is not None:  # an item of a merge sequence
            if kind != _MAP:
                raise _ProblemError("map merge requires map or sequence of maps as the value", mark)
            parent.merges.append(value)
            return _OPEN
        parent.container.append(_json_value(*value) if kind == _SCALAR else value)
        parent.container.marks.append(mark)
        return _OPEN
    if parent.state == _KEY:
        if merge:
            parent.state, parent.key_mark = _MERGE_VALUE, mark
            return _OPEN
        if kind != _SCALAR:
            raise _ProblemError("invalid map key: a mapping or sequence", mark)
        rtag, key = value
        parent.key = _json_key(rtag, key)
        # the Go map key: its type and value (every NaN is a key of its own)
        parent.key_id = parent.key if rtag == _STR else (rtag, object() if _is_nan(key) else key)
        parent.key_mark, parent.state = mark, _VALUE
        return _OPEN
    target: _Map = parent.container
    if parent.state == _MERGE_VALUE:
        parent.state = _KEY
        if kind == _MAP:
            merged = [value]
        elif closed is not None and closed.merges is not None:
            merged = closed.merges[::-1]  # goyaml.v2 merge: earlier maps take precedence
        else:
            raise _ProblemError("map merge requires map or sequence of maps as the value", mark)
        for mapping in merged:
            for key, item in mapping.items():
                identity = key if mapping.ids is None else mapping.ids.get(key, key)
                _set(target, key, item, identity, parent.key_mark)
        return _OPEN
    parent.state = _KEY
    item = _json_value(*value) if kind == _SCALAR else value
    _set(target, parent.key, item, parent.key_id, parent.key_mark)
    return _OPEN


def _set(target: _Map, key: str, value: Any, identity: object, mark: Any) -> None:
    """Set a key as go-yaml sets a Go map key, then refuse keys that collide as JSON strings
    (sigs.k8s.io/yaml would keep one of them at random)."""
    ids = target.ids
    if ids is None and identity is not key and identity != key:
        ids = target.ids = {existing: existing for existing in target}
    if ids is not None:
        previous = ids.get(key)
        if previous is not None and previous != identity:
            raise _ProblemError(
                f'keys {_describe(previous)} and {_describe(identity)} both become "{key}" in '
                "JSON; kubectl would keep one of them at random",
                mark,
            )
        ids[key] = identity
    target[key] = value
    target.marks[key] = mark


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _describe(identity: object) -> str:
    if isinstance(identity, tuple):
        value = identity[1] if isinstance(identity[1], bool | int | float) else math.nan
        return f"{value!r} ({_short_tag(identity[0])})"
    return json.dumps(identity)


# ---------------------------------------------------------------------------------------------
# Files: bytes -> text -> JSON stream or YAML pieces -> documents -> Kubernetes objects.
# ---------------------------------------------------------------------------------------------

# unicode.IsSpace, which Go's TrimSpace and TrimLeftFunc use
_GO_SPACE: Final = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)
# What libyaml and go-yaml accept (readerc.go), for the whole text: PyYAML's C parser checks
# only what it reads, its pure-Python one everything.
_NOT_PRINTABLE: Final = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# apimachinery YAMLReader: a line that starts with "---"
_SEPARATOR: Final = re.compile(r"^---([^\n]*)\n", re.MULTILINE)
_JSON_SPACE: Final = re.compile(r"[ \t\n\r]*")
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_JSON_TOKENS: Final = re.compile(r'"(?:[^"\\]|\\.)*"|([\[{])|([\]}])')


@dataclass(frozen=True)
class _Document:
    """One JSON or YAML document: its value and where it came from, to find fields in it."""

    value: Any
    source: str
    line: int  # 1-based line of its first character
    json_text: str | None = None  # the file's text for a JSON document ...
    json_offset: int = 0  # ... and where the document starts in it


@dataclass(frozen=True)
class KubeObject:
    """One object kubectl would send to the API server, and where it is written.

    ``value`` is the object as the API server receives it. ``line`` is the 1-based line where
    the object starts; ``list_kind`` names the list it came from (None for a top-level object).
    """

    value: Mapping[str, Any]
    source: str
    line: int
    list_kind: str | None = None
    _document: _Document | None = field(default=None, repr=False, compare=False)
    _path: tuple[str | int, ...] = field(default=(), repr=False, compare=False)

    @property
    def kind(self) -> str:
        return str(self.value["kind"])

    @property
    def name(self) -> str | None:
        return _metadata_string(self.value, "name")

    @property
    def namespace(self) -> str | None:
        return _metadata_string(self.value, "namespace")

    def position(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The (line, column), both 1-based, where the field at ``path`` (keys and list
        indexes from the object's root) is written, or its nearest written parent."""
        document = self._document
        if document is None:
            return self.line, 1
        full_path = (*self._path, *path)
        if document.json_text is not None:
            return _json_position(document.json_text, document.json_offset, full_path)
        line, column = document.line, 1
        node = document.value
        for key in full_path:
            marks = getattr(node, "marks", None)
            try:
                mark = marks[key] if marks is not None else None
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
            if mark is not None:
                line, column = document.line + mark.line, mark.column + 1
        return line, column


def _metadata_string(value: Mapping[str, Any], key: str) -> str | None:
    metadata = value.get("metadata")
    found = metadata.get(key) if isinstance(metadata, Mapping) else None
    return found if isinstance(found, str) else None


def read_file(path: str | Path, pure: bool = False) -> list[KubeObject]:
    """The objects kubectl reads from the file at ``path`` (``"-"``: standard input); raises
    ManifestError for a file kubectl would not read, or that this reader refuses.
    ``pure`` forces PyYAML's pure-Python parser (for tests)."""
    source = str(path)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with Path(path).open("rb") as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ManifestError(f"cannot read: {error.strerror or error}", source) from error
    return read_bytes(data, "<stdin>" if source == "-" else source, pure)


def read_bytes(data: bytes, source: str, pure: bool = False) -> list[KubeObject]:
    """The objects kubectl reads from a file holding ``data``; ``source`` names it in errors."""
    if len(data) > MAX_FILE_BYTES:
        raise ManifestError(f"larger than {MAX_FILE_BYTES // 2**20} MiB (MAX_FILE_BYTES)", source)
    text = _decode(data, source)
    return [obj for document in _documents(text, source, pure) for obj in _objects(document)]


def _decode(data: bytes, source: str) -> str:
    """visitor.go FileVisitor: unicode.BOMOverride(unicode.UTF8.NewDecoder())."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data[0] == 0xFF else "utf-16-be"
        data = data[2:]
    else:
        encoding = "utf-8"
        data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ManifestError(
            f"not {encoding.upper()} text ({error.reason} at byte {error.start}); kubectl would "
            "read U+FFFD in its place",
            source,
            line,
        ) from None
    if "\x00" in text:
        raise ManifestError(
            "contains a NUL character", source, text.count("\n", 0, text.index("\x00")) + 1
        )
    return text


def _is_json(text: str) -> bool:
    """decoder.go GuessJSONStream: "{" after leading space, within the first 4096 bytes."""
    stripped = text.lstrip(_GO_SPACE)
    if not stripped.startswith("{"):
        return False
    return len(text[: len(text) - len(stripped)].encode()) < JSON_SNIFF_BYTES


def _documents(text: str, source: str, pure: bool) -> Iterator[_Document]:
    if _is_json(text):
        yield from _json_documents(text, source)
        return
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise ManifestError(
            f"control characters are not allowed (U+{ord(bad.group()):04X})", source, line
        )
    text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    for start, end, line in _pieces(text, source):
        piece = text[start:end].removeprefix("\ufeff")
        if "\ufeff" in piece:
            offset = start + piece.index("\ufeff")
            raise ManifestError(
                "byte order mark (U+FEFF) inside the text", source, text.count("\n", 0, offset) + 1
            )
        try:
            value = _first_document(piece, pure)
        except _ProblemError as problem:
            mark = getattr(problem.mark, "start_mark", problem.mark)
            raise _error(problem.problem, source, line, mark) from None
        except yaml.MarkedYAMLError as error:
            message = " ".join(filter(None, (error.context, error.problem)))
            raise _error(message or "invalid YAML", source, line, error.problem_mark) from None
        except yaml.YAMLError as error:  # ReaderError: checked above, kept for safety
            raise ManifestError(f"invalid YAML: {error}", source, line) from None
        if value is not None:
            yield _Document(value, source, line)


def _error(problem: str, source: str, line: int, mark: Any) -> ManifestError:
    if mark is None:
        return ManifestError(problem, source, line)
    return ManifestError(problem, source, line + mark.line, mark.column + 1)


def _pieces(text: str, source: str) -> Iterator[tuple[int, int, int]]:
    """decoder.go YAMLReader.Read: (start, end, first line) of each piece of ``text``. A "---"
    line ends the piece before it, or starts one when nothing came before it."""
    start, line = 0, 1
    for match in _SEPARATOR.finditer(text):
        rest = match.group(1).strip(_GO_SPACE)
        if rest and not rest.startswith("#"):
            line_number = line + text.count("\n", start, match.start())
            raise ManifestError(f"invalid YAML document separator: {rest}", source, line_number)
        if match.start() > start:
            yield start, match.start(), line
            line += text.count("\n", start, match.end())
            start = match.end()
    if start < len(text):
        yield start, len(text), line


def _json_documents(text: str, source: str) -> Iterator[_Document]:
    """encoding/json Decoder over a stream of JSON values; apimachinery's number reading."""
    decoder = json.JSONDecoder(
        parse_int=_json_int, parse_float=_json_float_text, parse_constant=_json_constant
    )
    position, line = 0, 1
    deep = text.count("{") + text.count("[") > MAX_DEPTH
    while True:
        start = _skip_space(text, position)
        if start == len(text):
            return
        line += text.count("\n", position, start)
        if deep:
            _check_json_depth(text, start, source, line)
        try:
            value, position = decoder.raw_decode(text, start)
        except (ValueError, _ProblemError) as error:
            offset = getattr(error, "pos", start)
            problem = getattr(error, "msg", None) or getattr(error, "problem", str(error))
            error_line = line + text.count("\n", start, offset)
            raise ManifestError(f"invalid JSON: {problem}", source, error_line) from None
        if text.find("\\u", start, position) != -1:
            value = _replace_surrogates(value)
        if value is not None:
            yield _Document(value, source, line, text, start)
        line += text.count("\n", start, position)


def _skip_space(text: str, position: int) -> int:
    """The position of the first non-space character (JSON's space) at or after ``position``."""
    match = _JSON_SPACE.match(text, position)
    return position if match is None else match.end()


def _json_int(text: str) -> int | float:
    value = int(text)
    return value if _INT64[0] <= value <= _INT64[1] else float(value)


def _json_float_text(text: str) -> int | float:
    value = float(text)
    if math.isinf(value):
        raise _ProblemError(f"cannot unmarshal number {text} into a float64")
    return _json_float(value)


def _json_constant(text: str) -> Any:
    raise _ProblemError(f"invalid character '{text[0]}' looking for beginning of value")


def _check_json_depth(text: str, start: int, source: str, line: int) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before Python's recursive reader sees it."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text, start):
        if match.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                where = line + text.count("\n", start, match.start())
                raise ManifestError(f"nesting deeper than {MAX_DEPTH} levels", source, where)
        elif match.group(2):
            depth -= 1
            if depth == 0:
                return


def _replace_surrogates(value: Any) -> Any:
    """encoding/json reads an unpaired \\uD800-\\uDFFF escape as U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _json_position(text: str, offset: int, path: Sequence[str | int]) -> tuple[int, int]:
    """(line, column) of the field at ``path`` in the JSON value starting at ``offset``: the
    last occurrence of a duplicated key, as encoding/json keeps it."""
    decoder = json.JSONDecoder()
    found = offset
    position = offset
    for key in path:
        position = _skip_space(text, position)
        opener = text[position : position + 1]
        if (opener == "{") != isinstance(key, str) or opener not in ("{", "["):
            break
        located = _json_member(text, position + 1, key, decoder)
        if located is None:
            break
        found, position = located
    line = text.count("\n", 0, found) + 1
    return line, found - (text.rfind("\n", 0, found) + 1) + 1


def _json_member(
    text: str, position: int, key: str | int, decoder: json.JSONDecoder
) -> tuple[int, int] | None:
    """Where the member ``key`` of the object or array opened just before ``position`` is:
    (start of its key or item, start of its value)."""
    found: tuple[int, int] | None = None
    index = 0
    while True:
        position = _skip_space(text, position)
        if text[position : position + 1] in ("}", "]"):
            return found
        item_start = position
        if isinstance(key, str):
            name, position = decoder.raw_decode(text, position)
            position = _skip_space(text, position) + 1  # the ":"
            position = _skip_space(text, position)
            if name == key:
                found = (item_start, position)
        elif index == key:
            return item_start, position
        _, position = decoder.raw_decode(text, position)
        position = _skip_space(text, position)
        if text[position : position + 1] == ",":
            position += 1
        index += 1


# ---------------------------------------------------------------------------------------------
# Documents -> objects: unstructured decoding, list flattening and the metadata check.
# ---------------------------------------------------------------------------------------------


def _objects(document: _Document) -> Iterator[KubeObject]:
    value = document.value
    where = document.source
    if not isinstance(value, dict):
        raise ManifestError(
            f"document is a {_json_type(value)}, not an object (kubectl: cannot unmarshal "
            "into unstructured.detector)",
            where,
            document.line,
        )
    top = KubeObject(value, where, document.line, None, document)
    gvk_problem = _group_version_kind_problem(value)
    if gvk_problem:
        raise _object_error(top, gvk_problem, ("kind",))
    for path, problem in shape_problems(value, OBJECT_META_SHAPE):
        raise _object_error(top, problem, path)
    if "items" not in value:
        yield top
        return
    items = value["items"]
    if not isinstance(items, list | type(None)):
        raise _object_error(
            top, "items must be a list (kubectl reads the object as a list)", ("items",)
        )
    list_kind = str(value["kind"])
    item_kind = list_kind.removesuffix("List")
    for index, entry in enumerate(items or ()):
        path = ("items", index)
        item = {} if entry is None else entry
        if not isinstance(item, dict):
            raise _object_error(top, f"list item is a {_json_type(item)}, not an object", path)
        if not _is_str(item.get("kind")) and not _is_str(item.get("apiVersion")):
            # helpers.go decodeToList: "Set the item's Kind and APIVersion ... from the List."
            item = {**item, "kind": item_kind, "apiVersion": value.get("apiVersion") or ""}
        line = top.position(path)[0]
        obj = KubeObject(item, where, line, list_kind, document, path)
        if isinstance(item.get("items"), list):
            raise _object_error(obj, "a list inside a list (kubectl: is not a list)", ("items",))
        problem = _group_version_kind_problem(item, need_version=True)
        if problem:
            raise _object_error(obj, problem, ("kind",))
        yield obj


def _is_str(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _group_version_kind_problem(value: Mapping[str, Any], need_version: bool = False) -> str:
    """Object 'Kind' is missing (unstructured Decode) and, for list items, no apiVersion
    (UnstructuredObjectTyper.ObjectKinds). apiVersion parses as schema.ParseGroupVersion."""
    api_version = value.get("apiVersion")
    api_version = api_version if isinstance(api_version, str) else ""
    parts = api_version.split("/")
    if len(parts) > 2 or not _is_str(value.get("kind")):
        return "object has no kind (a non-empty string, with an apiVersion of at most one /)"
    if need_version and (api_version in ("", "/") or parts[-1] == ""):
        return "object has no apiVersion field"
    return ""


def _object_error(obj: KubeObject, problem: str, path: Sequence[str | int]) -> ManifestError:
    line, column = obj.position(path)
    dotted = format_path(path)
    return ManifestError(f"{dotted}: {problem}" if dotted else problem, obj.source, line, column)


def format_path(path: Sequence[str | int]) -> str:
    """``("spec", "containers", 0, "name")`` -> ``"spec.containers[0].name"``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else "object"


# ---------------------------------------------------------------------------------------------
# Shapes: how encoding/json decodes a value into a typed Go field (null is always accepted).
# A shape is a scalar type name, a dict of fields (unknown fields ignored), or ("list", shape)
# or ("map", shape).
# ---------------------------------------------------------------------------------------------

Shape = str | Mapping[str, Any] | tuple[str, Any]

_RFC3339: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))"
)
_INT_RANGES: Final = {"int64": _INT64, "int32": (-(2**31), 2**31 - 1)}
_SCALAR_TYPES: Final = {
    "string": "a string",
    "bool": "a boolean",
    "int64": "an integer",
    "int32": "an integer",
    "time": "an RFC 3339 time string",
}


def shape_problems(
    value: Any, shape: Shape, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, problem) for every place where ``value`` would not decode into ``shape``.
    Messages name the expected and found JSON types, never the value."""
    if value is None:
        return
    if isinstance(shape, str):
        if not _fits(value, shape):
            yield path, f"must be {_SCALAR_TYPES[shape]}, not {_article(value)}"
    elif isinstance(shape, tuple):
        container, item_shape = shape
        if container == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                yield from shape_problems(item, item_shape, (*path, index))
        elif container == "map" and isinstance(value, dict):
            for key, item in value.items():
                yield from shape_problems(item, item_shape, (*path, key))
        else:
            yield (
                path,
                f"must be {'a list' if container == 'list' else 'an object'}, not "
                + (_article(value)),
            )
    elif not isinstance(value, dict):
        yield path, f"must be an object, not {_article(value)}"
    else:
        for key, field_shape in shape.items():
            if key in value:
                yield from shape_problems(value[key], field_shape, (*path, key))


def _article(value: object) -> str:
    found = _json_type(value)
    return f"{'an' if found[0] in 'ao' else 'a'} {found}"


def _fits(value: object, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    return isinstance(value, str) and _is_rfc3339(value)


def _is_rfc3339(text: str) -> bool:
    """metav1.Time.UnmarshalJSON: time.Parse(time.RFC3339, text)."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    try:
        datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    zone_hour, zone_minute = match.group(9), match.group(10)
    return zone_hour is None or (int(zone_hour) < 24 and int(zone_minute) < 60)


# k8s.io/apimachinery/pkg/apis/meta/v1/types.go: ObjectMeta and OwnerReference, with
# ManagedFieldsEntry; cli-runtime metadata_decoder.go decodes every object into TypeMeta and it.
OBJECT_META: Final[Mapping[str, Shape]] = {
    **dict.fromkeys(
        ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion"), "string"
    ),
    "generation": "int64",
    "creationTimestamp": "time",
    "deletionTimestamp": "time",
    "deletionGracePeriodSeconds": "int64",
    "labels": ("map", "string"),
    "annotations": ("map", "string"),
    "ownerReferences": (
        "list",
        {
            **dict.fromkeys(("apiVersion", "kind", "name", "uid"), "string"),
            **dict.fromkeys(("controller", "blockOwnerDeletion"), "bool"),
        },
    ),
    "finalizers": ("list", "string"),
    "managedFields": (
        "list",
        {
            **dict.fromkeys(
                ("manager", "operation", "apiVersion", "fieldsType", "subresource"), "string"
            ),
            "time": "time",
        },
    ),
}
OBJECT_META_SHAPE: Final[Mapping[str, Shape]] = {
    "apiVersion": "string",
    "kind": "string",
    "metadata": OBJECT_META,
}
