"""go-yaml v2 as kubectl 1.32 runs it (sigs.k8s.io/yaml v1.4.0 ``goyaml.v2``), over PyYAML's events.

The private half of :mod:`kasm_constructs.manifests.kubeyaml`: how one YAML document becomes the
JSON value
kubectl sends. ``goyaml.v2/resolve.go`` resolves plain scalars (YAML 1.1), ``decode.go`` decodes
nodes into Go values (merge keys where they stand, later duplicate keys win, the "excessive
aliasing" limit), ``yaml.go`` (``convertToJSONableObject``) turns keys into strings and
``encoding/json`` plus ``k8s.io/apimachinery/pkg/util/json`` round-trip the numbers. PyYAML's
parser (libyaml, or its pure-Python one) produces the events; where either reads a construct
differently from go-yaml's scanner (``scannerc.go``) the document is refused.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
import struct
from collections.abc import Callable, Mapping
from decimal import Decimal
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

#: The deepest nesting of mappings and sequences (go-yaml and encoding/json allow 10,000).
MAX_DEPTH: Final = 512
# goyaml.v2/decode.go: allowedAliasRatio and the check in decoder.unmarshal
ALIAS_RATIO_RANGE: Final = (400_000, 4_000_000)
ALIAS_RATIO_BOUNDS: Final = (0.99, 0.10)
ALIAS_CHECK_FROM: Final = (100, 1000)  # (alias decodes, decodes) before the ratio is checked

INT64: Final = (-(2**63), 2**63 - 1)
_UINT64_MAX: Final = 2**64 - 1

# goyaml.v2 tags (yamlh.go)
_TAG: Final = "tag:yaml.org,2002:"
_STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP, _BINARY, _MERGE = (
    _TAG + name for name in ("str", "bool", "int", "float", "null", "timestamp", "binary", "merge")
)
_RESOLVABLE: Final = frozenset({"", _STR, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP})


class ProblemError(Exception):
    """A problem in a document, with the PyYAML mark (or event) where it is, if known."""

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
        if len(body) > len(str(_UINT64_MAX)):  # too large, and int() refuses 4,300 digits
            return None
        value = sign * int(body)
    else:
        return None
    low, high = INT64 if signed else (0, _UINT64_MAX)
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
    """resolve.go resolve(tag, in): the tag and Go value of a scalar; raises ProblemError."""
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
    if tag == _FLOAT and rtag == _INT and value <= INT64[1]:
        return _FLOAT, float(value)
    raise ProblemError(f"cannot decode {_short_tag(rtag)} as a {_short_tag(tag)}")


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _go_binary(text: str) -> str:
    """decode.go: base64.StdEncoding.DecodeString (CR and LF ignored), as a Go string that
    encoding/json writes with U+FFFD for each byte that is not UTF-8."""
    try:
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except ValueError:
        raise ProblemError("!!binary value contains invalid base64 data") from None
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


def scalar_value(tag: str | None, plain: bool, text: str) -> tuple[str, Any]:
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


def json_value(rtag: str, value: Any) -> Any:
    """A Go value as it comes back from encoding/json and apimachinery's int-preserving read."""
    if rtag == _FLOAT:
        return json_float(value)
    if rtag == _INT and value > INT64[1]:
        return float(value)
    return value


def json_float(value: float) -> int | float:
    """encoding/json writes a float64 in its shortest form ('f' below 1e21), and apimachinery
    reads back a plain integer that fits in int64 as an int."""
    if math.isnan(value) or math.isinf(value):
        raise ProblemError(f"json: unsupported value: {value!r} (kubectl cannot send it)")
    if not value.is_integer() or abs(value) >= 1e21:
        return value
    integer = int(value) if abs(value) < 2**53 else int(Decimal(repr(value)))
    return integer if INT64[0] <= integer <= INT64[1] else value


def json_key(rtag: str, value: Any) -> str:
    """sigs.k8s.io/yaml convertToJSONableObject: a Go map key as a JSON object key."""
    if rtag == _STR:
        return str(value)
    if rtag == _BOOL:
        return "true" if value else "false"
    if rtag == _INT and value <= INT64[1]:
        return str(value)
    if rtag == _FLOAT:
        return _go_float32_g(value)
    go_type = {_NULL: "<nil>", _INT: "uint64"}.get(rtag, rtag)
    raise ProblemError(f"unsupported map key of type {go_type}")


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
                raise ProblemError("document contains excessive aliasing (go-yaml's limit)", where)


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
            at_marker = self.column == 0 and self.prefix(3) in ("---", "...")
            if at_marker and self.peek(3) in "\0 \t" + self._BREAKS:
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


def first_document(text: str, pure: bool = False, strict: list[ProblemError] | None = None) -> Any:
    """The first YAML document of ``text`` as go-yaml v2's Unmarshal reads it (None when empty);
    the rest of ``text`` is not parsed, as go-yaml does not. Raises ProblemError or YAMLError.

    ``strict`` (a list, for files people edit, such as rosters): stricter than go-yaml, as
    kubectl's strict decoding is. A tag other than ``!!str``, ``!!int``, ``!!float``,
    ``!!bool``, ``!!null``, ``!!map`` or ``!!seq``, a merge key ``<<`` and a second document
    raise ProblemError; a duplicate key is added to the list (with the line of the first) and
    the first one's value is kept."""
    parser = _parser(text, pure)
    get_event = parser.get_event
    get_event()  # StreamStartEvent
    event = get_event()
    if type(event) is StreamEndEvent:
        return None
    assert type(event) is DocumentStartEvent
    if event.version not in (None, (1, 1)):  # goyaml.v2 parserc.go: only %YAML 1.1
        raise ProblemError("found incompatible YAML document (only %YAML 1.1 is read)", event)
    value = _decode_node(get_event, text, strict)
    if strict is not None:
        get_event()  # DocumentEndEvent
        after = get_event()
        if type(after) is not StreamEndEvent:
            raise ProblemError("a second YAML document: this file is one document", after)
    return value


#: The tags a strict reading accepts (decode.go's own).
_STRICT_TAGS: Final = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TAG + "map", _TAG + "seq"})


# Where libyaml 0.2.5 (PyYAML's C parser) or PyYAML's own scanner read YAML 1.2 or otherwise
# differently from go-yaml v2 (goyaml.v2/scannerc.go), the file is refused rather than misread:
# - the escape "\/" (go-yaml: "found unknown escape character");
_ESCAPED_SLASH: Final = re.compile(r"(?<!\\)(?:\\\\)*\\/")
# - a tag followed by "," "[" or "]": go-yaml's tag takes them (yaml_parser_scan_tag_uri);
_TAG_TOKEN: Final = re.compile(r"(?:&[^\s,\[\]{}]+\s+)?(![^\s{}]*)")
# - "?" inside a plain scalar in a flow collection: go-yaml ends the scalar there;
# - ":" then a flow indicator right after a plain scalar in a flow collection ("[a:]", "a:{"):
#   go-yaml keeps the ":" in the scalar or fails, libyaml fails, PyYAML reads a key.
_COLON_INDICATORS: Final = frozenset(":" + indicator for indicator in ",[]{}")


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
    if flow_depth and style is None and source[end : end + 2] in _COLON_INDICATORS:
        return "':' right after a plain scalar, before ',' '[' ']' '{' or '}' in a flow collection"
    return None


def _decode_node(get_event: Any, source: str, strict: list[ProblemError] | None = None) -> Any:
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
            if strict is not None:
                _check_strict(tag, text, plain, event)
            if (
                tag is not None
                or event.style == '"'
                or (flow_depth and ("?" in text or source.startswith(":", event.end_mark.index)))
            ) and (problem := _divergence(event, source, flow_depth)):
                raise ProblemError(problem, event)
            if tag is None and plain and text[:1] not in _HINTS and text:
                rtag, value = _STR, text  # the common case, short-cut
            else:
                rtag, value = scalar_value(tag, plain, text)
            if event.anchor is not None:
                anchors[event.anchor] = _Anchor(_SCALAR, (rtag, value), 1)
            merge = text == "<<" and (plain or tag == _MERGE)
            done = _deliver(stack, (rtag, value), _SCALAR, mark, merge, None, strict)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            is_map = cls is MappingStartEvent
            parent = stack[-1] if stack else None
            merge_list = not is_map and parent is not None and parent.state == _MERGE_VALUE
            if not merge_list:  # goyaml.v2 decoder.merge does not unmarshal the sequence
                counter.decoded += 1
                if counter.aliased:
                    counter.check(event)
            if len(stack) >= MAX_DEPTH:
                raise ProblemError(f"nesting deeper than {MAX_DEPTH} levels", event)
            if event.tag is not None and (problem := _divergence(event, source, flow_depth)):
                raise ProblemError(problem, event)
            if strict is not None:
                _check_strict(event.tag, None, False, event)
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
            done = _deliver(
                stack, frame.container, frame.kind, frame.start_mark, False, frame, strict
            )
        elif cls is AliasEvent:
            target = anchors.get(event.anchor)
            if target is None:
                raise ProblemError(f"unknown anchor '{event.anchor}' referenced", event)
            if not target.done:
                raise ProblemError(f"anchor '{event.anchor}' value contains itself", event)
            counter.alias(target.size, event)
            done = _deliver(stack, target.value, target.kind, mark, False, None, strict)
        else:  # pragma: no cover - PyYAML emits no other event inside a document
            raise ProblemError(f"unexpected {cls.__name__}", event)
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
    strict: list[ProblemError] | None = None,
) -> Any:
    """Hand a decoded node to its parent; return the document's value once the root is done,
    otherwise _OPEN. Scalars travel as (tag, Go value) until their place is known."""
    if not stack:
        return json_value(*value) if kind == _SCALAR else value
    parent = stack[-1]
    if parent.kind == _SEQ:
        if parent.merges is not None:  # an item of a merge sequence
            if kind != _MAP:
                raise ProblemError("map merge requires map or sequence of maps as the value", mark)
            parent.merges.append(value)
            return _OPEN
        parent.container.append(json_value(*value) if kind == _SCALAR else value)
        parent.container.marks.append(mark)
        return _OPEN
    if parent.state == _KEY:
        if merge:
            parent.state, parent.key_mark = _MERGE_VALUE, mark
            return _OPEN
        if kind != _SCALAR:
            raise ProblemError("invalid map key: a mapping or sequence", mark)
        rtag, key = value
        parent.key = json_key(rtag, key)
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
            raise ProblemError("map merge requires map or sequence of maps as the value", mark)
        for mapping in merged:
            for key, item in mapping.items():
                identity = key if mapping.ids is None else mapping.ids.get(key, key)
                _set(target, key, item, identity, parent.key_mark, strict)
        return _OPEN
    parent.state = _KEY
    item = json_value(*value) if kind == _SCALAR else value
    _set(target, parent.key, item, parent.key_id, parent.key_mark, strict)
    return _OPEN


def _check_strict(tag: str | None, text: str | None, plain: bool, event: Any) -> None:
    """Refuse what a strict reading does not take: other tags, merge keys."""
    if tag is not None and tag not in _STRICT_TAGS:
        raise ProblemError(f"the tag {_short_tag(tag)}: write plain YAML, without tags", event)
    if text == "<<" and (plain or tag == _MERGE):
        raise ProblemError("a merge key (<<): write the keys out instead", event)


def _set(
    target: _Map,
    key: str,
    value: Any,
    identity: object,
    mark: Any,
    strict: list[ProblemError] | None = None,
) -> None:
    """Set a key as go-yaml sets a Go map key, then refuse keys that collide as JSON strings
    (sigs.k8s.io/yaml would keep one of them at random). ``strict``: a key set twice is added
    to it, and the first value kept."""
    if strict is not None and key in target:
        first = target.marks[key].line + 1
        strict.append(
            ProblemError(f"the key {key!r} is written twice, here and on line {first}", mark)
        )
        return
    ids = target.ids
    if ids is None and identity is not key and identity != key:
        ids = target.ids = {existing: existing for existing in target}
    if ids is not None:
        previous = ids.get(key)
        if previous is not None and previous != identity:
            raise ProblemError(
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
