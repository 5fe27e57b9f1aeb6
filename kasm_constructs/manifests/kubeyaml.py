"""Read manifest files exactly as ``kubectl apply -f`` (kubectl 1.32) reads them.

kubectl does not read YAML the way most YAML libraries do. This module follows its code path,
step by step, on top of PyYAML's event parser (libyaml, ``yaml._yaml.CParser``, when PyYAML was
built with it; PyYAML's pure-Python parser otherwise, which reads the same or refuses):

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

Where kubectl's behaviour is undefined or unsafe, or PyYAML's parser reads a construct
differently from go-yaml's, this reader refuses the file instead (each is listed in
docs/audit.md): non-UTF-8 bytes (kubectl substitutes U+FFFD), keys that collide once converted to
strings (kubectl keeps one at random), a byte order mark inside the text, control characters
anywhere, a few escape, tag and flow-collection corner cases (``_goyaml._divergence``), nesting
deeper than ``MAX_DEPTH`` and files larger than ``MAX_FILE_BYTES``.

Public API: :func:`read_file`, :func:`read_bytes`, :class:`KubeObject`, :class:`ManifestError`,
and for single scalars :func:`resolve_plain_scalar`, :func:`resolve_plain_key`,
:func:`is_merge_key`.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from kasm_constructs.manifests._goyaml import (
    INT64,
    MAX_DEPTH,
    USING_LIBYAML,
    ProblemError,
    first_document,
    json_float,
    json_key,
    json_value,
    scalar_value,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "USING_LIBYAML",
    "KubeObject",
    "ManifestError",
    "format_path",
    "is_merge_key",
    "read_bytes",
    "read_file",
    "resolve_plain_key",
    "resolve_plain_scalar",
    "shape_problems",
]

#: The largest file read, in bytes (kubectl has no limit; the API server takes 3 MiB a request).
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
# apimachinery pkg/util/yaml/decoder.go: NewYAMLOrJSONDecoder(reader, 4096) in visitor.go
JSON_SNIFF_BYTES: Final = 4096


class ManifestError(ValueError):
    """A file kubectl would not read (or this reader refuses); ``str()`` names file and line."""

    def __init__(
        self, problem: str, source: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.problem, self.source, self.line, self.column = problem, source, line, column
        where = source if line is None else f"{source}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {problem}")


def resolve_plain_scalar(text: str) -> Any:
    """What kubectl sends the API server for ``text`` written as a plain (unquoted) YAML scalar
    in value position: a str, int, float, bool or None.

    >>> [resolve_plain_scalar(s) for s in ("yes", "0o17", "1.0", "1:30", "~", "0x1F")]
    [True, 15, 1, '1:30', None, 31]

    Raises ValueError for ``.nan``, ``.inf`` and ``-.inf``: kubectl refuses to convert them.
    """
    try:
        return json_value(*scalar_value(None, True, text))
    except ProblemError as problem:
        raise ValueError(problem.problem) from None


def resolve_plain_key(text: str) -> str:
    """The JSON key kubectl makes of ``text`` written as a plain mapping key: ``yes`` ->
    ``"true"``, ``1.10`` -> ``"1.1"``, ``0x1F`` -> ``"31"``. Raises ValueError for keys kubectl
    refuses (``~``, ``null``, integers above int64) and for ``<<`` (see :func:`is_merge_key`)."""
    if is_merge_key(text):
        raise ValueError("'<<' as a plain key is a merge key, not a key")
    try:
        return json_key(*scalar_value(None, True, text))
    except ProblemError as problem:
        raise ValueError(problem.problem) from None


def is_merge_key(text: str) -> bool:
    """Whether ``text`` as a plain mapping key is a merge key to kubectl (go-yaml v2 isMerge):
    then it is not a key, its value's keys are set at that place (overriding earlier ones)."""
    return text == "<<"


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
            value = first_document(piece, pure)
        except ProblemError as problem:
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
        except (ValueError, ProblemError) as error:
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
    if len(text) > 20:  # past int64 (and int() refuses 4,300 digits): a float, or too large
        return _json_float_text(text)
    value = int(text)
    return value if INT64[0] <= value <= INT64[1] else float(value)


def _json_float_text(text: str) -> int | float:
    value = float(text)
    if math.isinf(value):
        raise ProblemError(f"cannot unmarshal number {text} into a float64")
    return json_float(value)


def _json_constant(text: str) -> Any:
    raise ProblemError(f"invalid character '{text[0]}' looking for beginning of value")


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
_INT_RANGES: Final = {"int64": INT64, "int32": (-(2**31), 2**31 - 1)}
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


#: The files a directory holds manifests in, and the path that means standard input.
MANIFEST_SUFFIXES: Final = (".json", ".yaml", ".yml")
STDIN: Final = "-"


def manifest_files(paths: Iterable[str]) -> Iterator[str]:
    """Each path, a directory replaced by its manifest files (recursively, in sorted order)."""
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            found = (
                file
                for file in Path(path).rglob("*")
                if file.suffix in MANIFEST_SUFFIXES and file.is_file()
            )
            yield from (str(file) for file in sorted(found, key=lambda file: file.parts))
        else:
            yield path
