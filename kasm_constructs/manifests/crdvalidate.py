"""Custom resources checked against the pinned CRDs, as the API server checks them on a create.

For an object of a group and kind that a pinned CRD defines (:mod:`.crds`):

1. its version must be one the CRD serves;
2. ``metadata.name`` must be a DNS subdomain and ``metadata.namespace`` a DNS label
   (apiextensions-apiserver ``pkg/registry/customresource/validator.go``:
   ``ValidateObjectMetaAccessor`` with ``NameIsDNSSubdomain``);
3. the object, its disallowed nulls dropped and its defaults filled in (:mod:`.structural`),
   must match the version's schema. jsonschema's ``Draft4Validator`` checks it, with the API
   server's own meaning of four keywords: ``pattern`` is Go's regexp (RE2, :mod:`.goregexp`),
   ``format`` is kube-openapi's (:mod:`.formats`), ``x-kubernetes-list-type`` makes set items
   and map keys unique, and an object rejects the fields it does not declare (kubectl's default
   strict field validation);
4. when the schema holds (the API server skips the rules of an object with schema errors), the
   ``x-kubernetes-validations`` CEL rules of every present field must hold (:mod:`.crdcel`):
   when the validator has a :class:`~.crdcel.CelRules`, else they are counted, not evaluated.

Needs ``jsonschema`` and ``google-re2`` (``pip install 'kasm-constructs[validate]'``); the CEL
rules need ``cel-expr-python`` too (``pip install 'kasm-constructs[cel]'``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from jsonschema import Draft4Validator, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from kasm_constructs.manifests.crdcel import CelRules, rule_message
from kasm_constructs.manifests.crds import PinnedCrd, PinnedCrds, split_api_version
from kasm_constructs.manifests.formats import check as check_format
from kasm_constructs.manifests.goregexp import matches
from kasm_constructs.manifests.grammar import is_dns_label, is_dns_subdomain
from kasm_constructs.manifests.structural import (
    FieldPath,
    Schema,
    apply_defaults,
    cel_value,
    duplicate_entries,
    json_schema,
    prune_nulls,
    reads_time,
    rule_sites,
    schema_path,
)

__all__ = [
    "CustomResourceValidator",
    "UncheckedRule",
    "Verdict",
    "Violation",
]

#: Why a rule is not evaluated when the time-typed values it may read cannot be passed to it.
TIME_REASON: Final = (
    "it may read a date-time or duration field, which cel-expr-python takes only as a protobuf "
    "message"
)
_MESSAGE_LIMIT: Final = 300


@dataclass(frozen=True)
class Violation:
    """One reason the API server would refuse the object: where, why, and the CEL rule, if a
    rule says it."""

    path: FieldPath
    message: str
    rule: str | None = None


@dataclass(frozen=True)
class UncheckedRule:
    """A rule that applies to the object but was not evaluated, and why."""

    #: Where the schema declares it, list items as ``[*]``: ``spec.rules[*]``.
    where: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Verdict:
    """What validating one custom resource found."""

    crd: PinnedCrd
    version: str
    violations: tuple[Violation, ...]
    #: CEL rules evaluated on the object.
    rules_evaluated: int = 0
    #: CEL rules that apply to the object but were not evaluated.
    rules_unchecked: tuple[UncheckedRule, ...] = ()
    #: True when schema errors kept the CEL rules from being evaluated (as in the API server).
    rules_skipped: bool = False

    @property
    def valid(self) -> bool:
        return not self.violations


class CustomResourceValidator:
    """Validates custom resources against the pinned CRDs (by default the shipped ones); with
    ``cel``, their CEL rules too. ``cel_missing`` says why there is no ``cel``."""

    def __init__(
        self,
        crds: PinnedCrds | None = None,
        cel: CelRules | None = None,
        cel_missing: str = "cel-expr-python is not installed",
    ) -> None:
        self.crds = crds if crds is not None else PinnedCrds.load()
        self.cel = cel
        self.cel_missing = cel_missing
        self._validators: dict[tuple[str, str, str], Validator] = {}
        self._reads_time: dict[int, bool] = {}

    def validate(self, manifest: Mapping[str, Any]) -> Verdict | None:
        """The verdict on ``manifest``, or None when no pinned CRD defines its kind."""
        group, version = split_api_version(str(manifest.get("apiVersion", "")))
        crd = self.crds.find(group, str(manifest.get("kind", "")))
        if crd is None:
            return None
        schema = crd.served.get(version)
        if schema is None:
            return Verdict(crd, version, (_unserved(crd, version),))
        value = apply_defaults(prune_nulls(manifest, schema), schema)
        violations = [*_metadata_violations(manifest)]
        violations += _schema_violations(self._validator(crd, version), value)
        if violations:
            return Verdict(crd, version, tuple(violations), rules_skipped=_has_rules(value, schema))
        return self._with_rules(crd, version, value, schema)

    def _validator(self, crd: PinnedCrd, version: str) -> Validator:
        key = (crd.group, crd.kind, version)
        if key not in self._validators:
            self._validators[key] = _VALIDATOR_CLASS(json_schema(crd.served[version]))
        return self._validators[key]

    def _with_rules(self, crd: PinnedCrd, version: str, value: Any, schema: Schema) -> Verdict:
        """The verdict on a defaulted ``value`` that its schema accepts: its CEL rules'."""
        violations: list[Violation] = []
        unchecked: list[UncheckedRule] = []
        evaluated = 0
        cel = self.cel
        for path, node, node_value in rule_sites(value, schema):
            self_value: Any = None
            for validation in node["x-kubernetes-validations"]:
                rule = str(validation["rule"])
                reason = self.cel_missing if cel is None else self._unsupported(cel, rule, node)
                if cel is None or reason is not None:
                    unchecked.append(UncheckedRule(schema_path(path), rule, reason or ""))
                    continue
                if self_value is None:
                    self_value = cel_value(node_value, node)
                outcome = cel.evaluate(rule, self_value)
                evaluated += 1
                if outcome is False:
                    violations.append(Violation(path, rule_message(validation), rule))
                elif outcome is not True:
                    message = (
                        f"the rule fails with an error, which the API server refuses: {outcome}"
                    )
                    violations.append(Violation(path, message, rule))
        return Verdict(crd, version, tuple(violations), evaluated, tuple(unchecked))

    def _unsupported(self, cel: CelRules, rule: str, node: Schema) -> str | None:
        """Why ``rule``, declared at ``node``, cannot be evaluated, or None."""
        reason = cel.unsupported(rule)
        if reason is None and self._node_reads_time(node):
            reason = TIME_REASON
        return reason

    def _node_reads_time(self, node: Schema) -> bool:
        if id(node) not in self._reads_time:
            self._reads_time[id(node)] = reads_time(node)
        return self._reads_time[id(node)]


def _has_rules(value: Any, schema: Schema) -> bool:
    return next(rule_sites(value, schema), None) is not None


def _unserved(crd: PinnedCrd, version: str) -> Violation:
    served = ", ".join(f"{crd.group}/{name}" for name in crd.served)
    state = "no longer serves" if version in crd.unserved else "does not define"
    return Violation(
        ("apiVersion",), f"the pinned CRD {crd.source} {state} version {version!r}: use {served}"
    )


def _metadata_violations(manifest: Mapping[str, Any]) -> Iterator[Violation]:
    metadata = manifest.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    name = metadata.get("name")
    if name is None:
        if not metadata.get("generateName"):
            yield Violation(("metadata",), "metadata.name is required (or generateName)")
    elif not is_dns_subdomain(name):
        yield Violation(
            ("metadata", "name"),
            f"{name!r} is not a DNS subdomain: at most 253 lowercase letters, digits, '-' and "
            "'.', starting and ending with a letter or digit",
        )
    namespace = metadata.get("namespace")
    if namespace is not None and not is_dns_label(namespace):
        yield Violation(
            ("metadata", "namespace"),
            f"{namespace!r} is not a DNS label: at most 63 lowercase letters, digits and '-', "
            "starting and ending with a letter or digit",
        )


# --- jsonschema with the API server's keywords -------------------------------------------------


def _pattern(validator: Validator, pattern: str, instance: Any, schema: Schema) -> Iterator[Any]:
    if isinstance(instance, str) and not matches(pattern, instance):
        yield ValidationError(f"{_shorten(repr(instance))} does not match {pattern!r}")


def _format(validator: Validator, name: str, instance: Any, schema: Schema) -> Iterator[Any]:
    if not check_format(name, instance):
        yield ValidationError(f"{_shorten(repr(instance))} is not a valid {name!r}")


def _list_type(validator: Validator, kind: str, instance: Any, schema: Schema) -> Iterator[Any]:
    if not isinstance(instance, list):
        return
    for index, first, shared in duplicate_entries(instance, schema):
        error = ValidationError(
            f"duplicate entry ({shared}): entry [{first}] has the same "
            + ("value: the list is a set" if kind == "set" else "keys: the list is a map")
        )
        error.path.append(index)  # located at the duplicate itself
        yield error


_VALIDATOR_CLASS: Final = validators.extend(  # type: ignore[no-untyped-call]
    Draft4Validator,
    {"pattern": _pattern, "format": _format, "x-kubernetes-list-type": _list_type},
)


def _schema_violations(validator: Validator, value: Any) -> Iterator[Violation]:
    for error in validator.iter_errors(value):
        path: FieldPath = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and error.validator_value is False:
            declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            instance = error.instance if isinstance(error.instance, Mapping) else {}
            for key in instance:
                if key not in declared:
                    yield Violation(
                        (*path, key),
                        f"unknown field {key!r}: the schema does not declare it (kubectl apply "
                        "refuses the object; other clients see the field dropped)",
                    )
        else:
            yield Violation(path, _message(error))


def _message(error: ValidationError) -> str:
    """jsonschema's message, without a whole object in it."""
    if error.validator == "type":
        return f"must be {_type_names(error.validator_value)}, not {_json_type(error.instance)}"
    alternatives = error.validator_value if error.validator == "anyOf" else None
    if isinstance(alternatives, list) and all(set(sub) == {"type"} for sub in alternatives):
        wanted = " or ".join(_type_names(sub["type"]) for sub in alternatives)
        return f"must be {wanted}, not {_json_type(error.instance)}"
    return _shorten(error.message)


_TYPE_NAMES: Final = {
    "array": "a list",
    "boolean": "a boolean",
    "integer": "an integer",
    "null": "null",
    "number": "a number",
    "object": "an object",
    "string": "a string",
}


def _type_names(value: Any) -> str:
    names = value if isinstance(value, list) else [value]
    return " or ".join(_TYPE_NAMES.get(str(name), str(name)) for name in names)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _shorten(text: str) -> str:
    if len(text) <= _MESSAGE_LIMIT:
        return text
    return text[: _MESSAGE_LIMIT - 3] + "..."
