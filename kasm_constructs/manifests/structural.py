"""What the API server does with a custom resource and the structural schema of its CRD (the
version's ``openAPIV3Schema``), in plain Python: no jsonschema, no CEL library.

Sources (k8s.io/apiextensions-apiserver and k8s.io/apiserver, Kubernetes 1.33):

- [prunenulls] ``pkg/apiserver/schema/defaulting/prunenulls.go``
  ``PruneNonNullableNullsWithoutDefaults``: a ``null`` where the schema does not allow one and
  has no default is dropped, not refused;
- [defaulting] ``pkg/apiserver/schema/defaulting/algorithm.go`` ``Default``: missing fields
  (and non-nullable nulls) take the schema's ``default``, which is then defaulted in turn. The
  API server validates the pruned, defaulted object, and so does the validator;
- [listtype] ``pkg/apiserver/schema/listtype/validation.go``: ``x-kubernetes-list-type: set``
  items and ``map`` keys are unique (a missing key counts as its default);
- [pruning] ``pkg/apiserver/schema/pruning/algorithm.go``: fields a structural schema does not
  declare are unknown, unless ``x-kubernetes-preserve-unknown-fields``; the root's
  ``metadata`` is ObjectMeta, which the schema does not describe;
- [cel] ``k8s.io/apiserver/pkg/cel``: ``escaping.go`` (``Escape``: how a rule names a
  property), ``common/schemas.go`` (``SchemaDeclType``: the CEL type of each schema type) and
  ``pkg/apiserver/schema/cel/validation.go`` (a rule runs where its value is present, with
  ``self`` bound to it; for list items and map values, once per item).
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

__all__ = [
    "TIME_FORMATS",
    "FieldPath",
    "Schema",
    "apply_defaults",
    "cel_value",
    "duplicate_entries",
    "escape",
    "json_schema",
    "prune_nulls",
    "reads_time",
    "rule_sites",
    "schema_path",
]

Schema = Mapping[str, Any]
#: Keys and list indexes from an object's root: ``("spec", "rules", 0, "matches")``.
FieldPath = tuple[str | int, ...]

#: Formats whose CEL type is a timestamp or a duration [cel]: cel-expr-python takes those only
#: as protobuf messages inside a value, so a rule that may read one is not evaluated.
TIME_FORMATS: Final = frozenset({"date-time", "datetime", "date", "duration"})

# [cel] escaping.go
_CEL_RESERVED: Final = frozenset(
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
        "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
        "void", "while",
    }
)  # fmt: skip
_CEL_EXPAND: Final = re.compile(r"__|[-./]|[^a-zA-Z0-9\-./_]")
_CEL_ESCAPES: Final = {"__": "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__"}


# --- before validation: nulls and defaults ---------------------------------------------------


def prune_nulls(value: Any, schema: Schema | None) -> Any:
    """``value`` without the nulls the schema neither allows nor defaults [prunenulls]."""
    if isinstance(value, Mapping):
        pruned = {}
        for key, item in value.items():
            sub = _field_schema(schema, key)
            if item is None and sub is not None and not _nullable(sub) and _no_default(sub):
                continue
            pruned[key] = prune_nulls(item, sub)
        return pruned
    if isinstance(value, list):
        items = schema.get("items") if schema is not None else None
        return [prune_nulls(item, items) for item in value]
    return value


def apply_defaults(value: Any, schema: Schema | None) -> Any:
    """``value`` with the schema's defaults filled in, as the API server does [defaulting]."""
    if schema is None:
        return value
    if isinstance(value, Mapping):
        properties: Mapping[str, Schema] = schema.get("properties") or {}
        filled = dict(value)
        for key, sub in properties.items():
            if not _no_default(sub) and (key not in filled or _non_nullable_null(filled[key], sub)):
                filled[key] = copy.deepcopy(sub["default"])
        additional = _additional(schema)
        result = {}
        for key, item in filled.items():
            if key in properties:
                result[key] = apply_defaults(item, properties[key])
            else:
                result[key] = apply_defaults(_default_if_null(item, additional), additional)
        return result
    if isinstance(value, list):
        items: Schema | None = schema.get("items")
        return [apply_defaults(_default_if_null(item, items), items) for item in value]
    return value


def _default_if_null(value: Any, schema: Schema | None) -> Any:
    """A non-nullable null becomes the schema's default (None if it has none)."""
    if schema is not None and _non_nullable_null(value, schema):
        return copy.deepcopy(schema.get("default"))
    return value


def _field_schema(schema: Schema | None, key: str) -> Schema | None:
    if schema is None:
        return None
    properties = schema.get("properties") or {}
    return properties[key] if key in properties else _additional(schema)


def _additional(schema: Schema) -> Schema | None:
    additional = schema.get("additionalProperties")
    return additional if isinstance(additional, Mapping) else None


def _nullable(schema: Schema) -> bool:
    return bool(schema.get("nullable"))


def _no_default(schema: Schema) -> bool:
    return schema.get("default") is None


def _non_nullable_null(value: Any, schema: Schema | None) -> bool:
    return value is None and schema is not None and not _nullable(schema)


# --- the structural schema as JSON Schema ----------------------------------------------------


def json_schema(schema: Schema) -> dict[str, Any]:
    """The CRD schema as JSON Schema draft 4, the dialect of OpenAPI 3.0's schemas, with what
    the API server adds to it: an object rejects fields it does not declare (kubectl's default
    strict field validation; the API server would otherwise drop them [pruning]),
    ``nullable`` allows ``null``, and ``x-kubernetes-int-or-string`` means an integer or a
    string. The root always has ``apiVersion``, ``kind`` and ``metadata`` [pruning], and its
    ``metadata`` stays open: the API server validates ObjectMeta itself. List types, patterns
    and formats are keywords of the validator."""
    converted = _convert({**schema, "type": "object"})
    _add_type_and_object_meta(converted)
    _open_metadata(converted, schema)
    return converted


def _add_type_and_object_meta(converted: dict[str, Any]) -> None:
    properties = converted.setdefault("properties", {})
    for name, kind in (("apiVersion", "string"), ("kind", "string"), ("metadata", "object")):
        properties.setdefault(name, {"type": kind})


def _convert(node: Schema) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            result[key] = {name: _convert(sub) for name, sub in value.items()}
        elif key in ("items", "not") or (key == "additionalProperties" and _is_schema(value)):
            result[key] = _convert(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            result[key] = [_convert(sub) for sub in value]
        else:
            result[key] = value
    if node.get("x-kubernetes-int-or-string"):
        result.pop("type", None)
        result.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if node.get("nullable"):
        if "type" in result:
            result["type"] = [result["type"], "null"]
        if "enum" in result and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
    if node.get("x-kubernetes-embedded-resource"):
        _add_type_and_object_meta(result)
        _open_metadata(result, node)
    closed = not node.get("x-kubernetes-preserve-unknown-fields")
    if node.get("type") == "object" and closed and "additionalProperties" not in node:
        result["additionalProperties"] = False
    return result


def _is_schema(value: object) -> bool:
    return isinstance(value, Mapping)


def _open_metadata(converted: dict[str, Any], node: Schema) -> None:
    """Undo the closing of ``metadata`` (ObjectMeta), unless the schema closed it itself."""
    metadata = converted.get("properties", {}).get("metadata")
    declared = node.get("properties", {}).get("metadata", {})
    if metadata is not None and "additionalProperties" not in declared:
        metadata.pop("additionalProperties", None)


# --- list types --------------------------------------------------------------------------------


def duplicate_entries(items: list[Any], schema: Schema) -> Iterator[tuple[int, int, str]]:
    """For each entry of a ``set`` or ``map`` list that repeats an earlier one [listtype]: its
    index, the earlier one's, and what they share (``name=http``, or the set's value)."""
    list_type = schema.get("x-kubernetes-list-type")
    if list_type not in ("set", "map"):
        return
    keys: list[str] = schema.get("x-kubernetes-list-map-keys") or []
    item_schema = schema.get("items") or {}
    key_schemas: Mapping[str, Schema] = item_schema.get("properties") or {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if list_type == "map":
            if not isinstance(item, Mapping):
                continue
            values = [item.get(key, key_schemas.get(key, {}).get("default")) for key in keys]
            shared = ", ".join(f"{key}={value!r}" for key, value in zip(keys, values, strict=True))
            identity = repr(values)
        else:
            shared = identity = _canonical(item)
        if identity in seen:
            yield index, seen[identity], shared
        else:
            seen[identity] = index


def _canonical(value: Any) -> str:
    """A text that two JSON values share exactly when they are equal (1 and true differ)."""
    if isinstance(value, Mapping):
        members = ", ".join(f"{key!r}: {_canonical(value[key])}" for key in sorted(value))
        return "{" + members + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_canonical(item) for item in value) + "]"
    return f"{type(value).__name__}:{value!r}"


# --- CEL rules ---------------------------------------------------------------------------------


def rule_sites(
    value: Any, schema: Schema | None, path: FieldPath = ()
) -> Iterator[tuple[FieldPath, Schema, Any]]:
    """(path, schema, value) of each present, non-null value whose schema has
    ``x-kubernetes-validations`` rules [cel]: the places where rules run."""
    if value is None or schema is None:
        return
    if schema.get("x-kubernetes-validations"):
        yield path, schema, value
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from rule_sites(item, _field_schema(schema, key), (*path, key))
    elif isinstance(value, list):
        items = schema.get("items")
        for index, item in enumerate(value):
            yield from rule_sites(item, items, (*path, index))


def escape(name: str) -> str | None:
    """The name a CEL rule uses for the property ``name``, or None when a rule cannot name it
    [cel] ``Escape``: ``namespace`` -> ``__namespace__``, ``a-b`` -> ``a__dash__b``."""
    if not name or name[0] in "0123456789":
        return None
    if name in _CEL_RESERVED:
        return f"__{name}__"
    parts = _CEL_EXPAND.split(name)
    separators = _CEL_EXPAND.findall(name)
    if any(separator not in _CEL_ESCAPES for separator in separators):
        return None
    escaped = [parts[0]]
    for separator, part in zip(separators, parts[1:], strict=True):
        escaped += [_CEL_ESCAPES[separator], part]
    return "".join(escaped)


def cel_value(value: Any, schema: Schema | None) -> Any:
    """``value`` as a rule sees it [cel]: property names escaped (a map's keys are not), numbers
    of ``type: number`` as floats, ``format: byte`` strings as bytes."""
    if schema is None:
        return value
    if isinstance(value, Mapping):
        properties: Mapping[str, Schema] | None = schema.get("properties")
        if properties is None:
            additional = _additional(schema)
            return {key: cel_value(item, additional) for key, item in value.items()}
        result = {}
        for key, item in value.items():
            name = escape(key)
            if name is not None:
                result[name] = cel_value(item, properties.get(key))
        return result
    if isinstance(value, list):
        items = schema.get("items")
        return [cel_value(item, items) for item in value]
    if schema.get("type") == "number" and type(value) is int:
        return float(value)
    if schema.get("format") == "byte" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return value
    return value


def reads_time(schema: Schema) -> bool:
    """Whether a value of ``schema`` may hold a field of a :data:`TIME_FORMATS` format."""
    if schema.get("format") in TIME_FORMATS:
        return True
    subs: list[Any] = [*(schema.get("properties") or {}).values()]
    subs += [schema.get("items"), schema.get("additionalProperties")]
    return any(isinstance(sub, Mapping) and reads_time(sub) for sub in subs)


def schema_path(path: FieldPath) -> str:
    """A field path with list indexes as ``[*]``: where in the schema a rule is declared."""
    return "".join(
        "[*]" if isinstance(part, int) else (f".{part}" if index else part)
        for index, part in enumerate(path)
    )
