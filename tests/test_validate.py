"""``kasm-constructs validate`` (docs/validate.md): custom resources against the schemas and CEL
rules of the pinned CRDs, and the pieces it is made of: the shipped schemas, Go patterns,
formats, the API server's pruning and defaulting, and the CEL rules.

The examples' and scenarios' custom resources are validated in test_examples.py and
test_scenarios.py (``tests.judges.crd_errors``). The CRD files are read from ``../shared/crds``
only to check that the shipped schemas are up to date (skipped, saying why, without them).
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kasm_constructs.cli.main import main
from kasm_constructs.manifests import formats, goregexp, structural
from kasm_constructs.manifests.crdcel import CelRules
from kasm_constructs.manifests.crds import SCHEMA_FILE, PinnedCrd, PinnedCrds
from kasm_constructs.manifests.crdvalidate import CustomResourceValidator, Verdict
from tests.helpers import REPO, SHARED, child_env
from tools.crd_schemas import render

CRDS = SHARED / "crds"
EXAMPLE_DIRS = [
    "dist",
    *sorted(str(p.relative_to(REPO)) for p in REPO.glob("examples/*/dist")),
]


@pytest.fixture(scope="module")
def pinned() -> PinnedCrds:
    return PinnedCrds.load()


@pytest.fixture(scope="module")
def validator() -> CustomResourceValidator:
    return CustomResourceValidator(cel=CelRules())


def _schemas(pinned: PinnedCrds) -> Iterator[tuple[str, dict[str, Any]]]:
    for crd in pinned:
        for version, schema in crd.served.items():
            yield f"{crd.name}/{version}", dict(schema)


def _nodes(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema node (not the maps of ``properties``)."""
    if isinstance(schema, list):
        for item in schema:
            yield from _nodes(item)
    elif isinstance(schema, dict):
        yield schema
        for key, value in schema.items():
            if key == "properties":
                for sub in value.values():
                    yield from _nodes(sub)
            elif key not in ("default", "enum", "example", "x-kubernetes-validations"):
                yield from _nodes(value)


# --- the shipped schemas ---------------------------------------------------------------------


def test_shipped_schemas_are_what_make_schemas_writes_from_the_pinned_crds() -> None:
    if not CRDS.is_dir():
        pytest.skip(f"the pinned CRDs are not at {CRDS}")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(CRDS), "stale: run `make schemas`"


def test_every_pinned_crd_ships_with_the_versions_it_serves(pinned: PinnedCrds) -> None:
    shipped = {(crd.name, crd.scope, *crd.served, "|", *crd.unserved) for crd in pinned}
    assert shipped == {
        ("HTTPRoute.gateway.networking.k8s.io", "Namespaced", "v1", "v1beta1", "|"),
        ("Gateway.gateway.networking.k8s.io", "Namespaced", "v1", "v1beta1", "|"),
        ("ReferenceGrant.gateway.networking.k8s.io", "Namespaced", "v1", "v1beta1", "|"),
        ("BackendTLSPolicy.gateway.networking.k8s.io", "Namespaced", "v1", "|", "v1alpha3"),
        ("Certificate.cert-manager.io", "Namespaced", "v1", "|"),
        ("SecurityPolicy.gateway.envoyproxy.io", "Namespaced", "v1alpha1", "|"),
        ("HTTPRouteFilter.gateway.envoyproxy.io", "Namespaced", "v1alpha1", "|"),
        ("BackendTrafficPolicy.gateway.envoyproxy.io", "Namespaced", "v1alpha1", "|"),
        ("ClientTrafficPolicy.gateway.envoyproxy.io", "Namespaced", "v1alpha1", "|"),
        ("ScaledObject.keda.sh", "Namespaced", "v1alpha1", "|"),
    }
    # The descriptions are left out (two thirds of the CRDs' bytes), nothing that validates.
    assert SCHEMA_FILE.stat().st_size < 700_000
    assert not any("description" in node for _, s in _schemas(pinned) for node in _nodes(s))


# --- patterns: Go's regexp, through RE2 -----------------------------------------------------


def _shipped_patterns() -> list[str]:
    patterns = {
        node["pattern"]
        for _, schema in _schemas(PinnedCrds.load())
        for node in _nodes(schema)
        if isinstance(node.get("pattern"), str)
    }
    return sorted(patterns)


def test_every_shipped_pattern_compiles() -> None:
    patterns = _shipped_patterns()
    assert len(patterns) > 20
    for pattern in patterns:
        goregexp.compile_go(pattern)


@pytest.mark.parametrize(
    ("pattern", "text", "matches", "python_re_matches"),
    [
        (r"^[a-z.]+$", "desk.example.com\n", False, True),  # Python's $ before a final newline
        (r"^\d+$", "12٣", False, True),
        (r"^\w+$", "é", False, True),
        (r"^\s$", "\v", False, True),  # Go's \s has no vertical tab
        (r"^a{,2}$", "a{,2}", True, False),  # a literal in Go
        (r"^[[:alpha:]]+$", "ab", True, False),
        (r"^\pL+$", "éa", True, None),  # None: Python's re refuses the pattern
        (r"^\x{41}\z", "A", True, None),
        (r"^(?P<word>a)(?:b)$", "ab", True, True),
        (r"b", "abc", True, True),  # a search, not a full match
    ],
)
def test_patterns_mean_what_they_mean_to_go(
    pattern: str, text: str, matches: bool, python_re_matches: bool | None
) -> None:
    assert goregexp.matches(pattern, text) is matches
    if python_re_matches is None:
        with pytest.raises(re.error):
            re.compile(pattern)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # [[ is a possible nested set
            assert (re.search(pattern, text) is not None) is python_re_matches


def test_patterns_match_in_linear_time() -> None:
    """Envoy Gateway's CORS origins: Python's re backtracks exponentially on this pattern."""
    (origin,) = [p for p in _shipped_patterns() if r"(([\w-]+\.?)+)?" in p]
    value = "https://" + "a" * 100_000 + "!"
    started = time.perf_counter()
    assert not goregexp.matches(origin, value)
    assert time.perf_counter() - started < 0.5
    python = re.compile(origin)
    started = time.perf_counter()
    assert not python.search("https://" + "a" * 18 + "!")
    assert time.perf_counter() - started > 0.001  # already measurable at 18 characters


# --- formats ------------------------------------------------------------------------------------


def test_every_shipped_format_is_checked_or_unchecked_by_the_api_server_too() -> None:
    used = {
        str(node["format"]).replace("-", "")
        for _, schema in _schemas(PinnedCrds.load())
        for node in _nodes(schema)
        if "format" in node
    }
    assert used <= set(formats.CHECKS) | formats.NOT_CHECKED
    assert {"byte", "datetime", "ipv4", "ipv6", "int32", "int64"} <= used


@pytest.mark.parametrize(
    ("name", "value", "valid"),
    [
        ("byte", "YWJj", True),
        ("byte", "YQ==", True),
        ("byte", "YQ", False),  # padding is required
        ("byte", "", False),  # govalidator's pattern needs one group
        ("byte", "YW J j", False),
        ("date-time", "2024-01-31T10:00:00Z", True),
        ("date-time", "2024-01-31t10:00:00.123+01:00", True),
        ("date-time", "2024-02-30T10:00:00Z", False),
        ("date-time", "2024-01-31T24:00:00Z", False),
        ("date-time", "2024-01-31T10:00:00", False),  # a zone is required
        ("date-time", "2024-01-31 10:00:00Z", False),
        ("date", "2024-02-29", True),
        ("date", "2023-02-29", False),
        ("ipv4", "10.0.0.1", True),
        ("ipv4", "010.0.0.1", True),  # ParseIPSloppy
        ("ipv4", "10.0.0", False),
        ("ipv4", "::ffff:10.0.0.1", True),  # it parses and holds a dot
        ("ipv4", "::1", False),
        ("ipv6", "fd00::1", True),
        ("ipv6", "fe80::1%eth0", False),  # Go reads no zone
        ("ipv6", "10.0.0.1", False),
        ("int32", 2**40, True),  # not a format kube-openapi checks
        ("uri", "not a uri", True),  # not used by the pinned CRDs, so not implemented
    ],
)
def test_formats(name: str, value: object, valid: bool) -> None:
    assert formats.check(name, value) is valid


# --- pruning, defaulting, CEL's view -----------------------------------------------------------

ROUTE_SCHEMA = {
    "type": "object",
    "properties": {
        "metadata": {"type": "object"},
        "spec": {
            "type": "object",
            "properties": {
                "hostnames": {"type": "array", "items": {"type": "string"}},
                "weight": {"type": "number"},
                "note": {"type": "string", "nullable": True},
                "rules": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "matches": {
                                "type": "array",
                                "default": [{"path": {"type": "PathPrefix"}}],
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "path": {
                                            "type": "object",
                                            "default": {"type": "PathPrefix"},
                                            "properties": {
                                                "type": {"type": "string"},
                                                "value": {"type": "string", "default": "/"},
                                            },
                                        }
                                    },
                                },
                            }
                        },
                    },
                },
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
        },
    },
}


def test_nulls_the_schema_does_not_allow_are_dropped_and_defaults_filled_in_recursively() -> None:
    spec = {
        "hostnames": None,
        "note": None,
        "rules": [{}, {"matches": None}],
        "labels": {"a": None},
    }
    value = structural.apply_defaults(
        structural.prune_nulls({"spec": spec}, ROUTE_SCHEMA), ROUTE_SCHEMA
    )
    defaulted = [{"path": {"type": "PathPrefix", "value": "/"}}]
    assert value == {
        "spec": {
            "note": None,
            "rules": [{"matches": defaulted}, {"matches": defaulted}],
            "labels": {},  # a map's values are pruned too
        }
    }
    assert spec["rules"] == [{}, {"matches": None}]  # the input is not changed


def test_json_schema_closes_objects_but_metadata_and_preserved_ones() -> None:
    converted = structural.json_schema(ROUTE_SCHEMA)
    spec = converted["properties"]["spec"]
    assert converted["additionalProperties"] is False
    assert "additionalProperties" not in converted["properties"]["metadata"]
    assert spec["additionalProperties"] is False
    assert spec["properties"]["labels"]["additionalProperties"] == {"type": "string"}
    assert "additionalProperties" not in spec["properties"]["config"]
    assert spec["properties"]["note"]["type"] == ["string", "null"]
    assert converted["properties"]["apiVersion"] == {"type": "string"}  # always at the root
    port = {"x-kubernetes-int-or-string": True, "pattern": "^a$"}
    both = structural.json_schema({"type": "object", "properties": {"port": port}})
    assert both["properties"]["port"] == {
        "x-kubernetes-int-or-string": True,
        "pattern": "^a$",
        "anyOf": [{"type": "integer"}, {"type": "string"}],
    }


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("namespace", "__namespace__"),
        ("name", "name"),
        ("a.b-c/d", "a__dot__b__dash__c__slash__d"),
        ("x__y", "x__underscores__y"),
        ("x_y", "x_y"),
        ("1x", None),
        ("a b", None),
        ("", None),
    ],
)
def test_cel_property_names(name: str, escaped: str | None) -> None:
    assert structural.escape(name) == escaped


def test_cel_value_escapes_properties_not_map_keys_and_types_numbers_and_bytes() -> None:
    schema = {
        "type": "object",
        "properties": {
            "namespace": {"type": "string"},
            "weight": {"type": "number"},
            "body": {"type": "string", "format": "byte"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    value = {"namespace": "a", "weight": 1, "body": "YWJj", "labels": {"a.b/c": "d"}}
    assert structural.cel_value(value, schema) == {
        "__namespace__": "a",
        "weight": 1.0,
        "body": b"abc",
        "labels": {"a.b/c": "d"},
    }


def test_list_maps_and_sets_repeat_no_key() -> None:
    listeners = {
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name", "port"],
        "items": {"properties": {"name": {}, "port": {"default": 80}}},
    }
    items = [{"name": "a"}, {"name": "a", "port": 80}, {"name": "a", "port": 81}, "odd"]
    assert list(structural.duplicate_entries(items, listeners)) == [(1, 0, "name='a', port=80")]
    values = ["a", 1, True, "a", 1.0]
    found = list(structural.duplicate_entries(values, {"x-kubernetes-list-type": "set"}))
    assert found == [(3, 0, "str:'a'")]  # 1, True and 1.0 are three values to JSON


# --- the CEL rules ------------------------------------------------------------------------------


def test_cel_evaluates_every_rule_of_the_pinned_crds(pinned: PinnedCrds) -> None:
    """None is reported as not evaluated: each compiles, and none reads a time-typed field."""
    cel = CelRules()
    rules = [
        (name, node, v["rule"])
        for name, schema in _schemas(pinned)
        for node in _nodes(schema)
        for v in node.get("x-kubernetes-validations", [])
    ]
    assert len(rules) == 495  # docs/validate.md says so
    assert [(name, rule) for name, _, rule in rules if cel.unsupported(rule)] == []
    assert [(name, rule) for name, node, rule in rules if structural.reads_time(node)] == []


def test_cel_outcomes() -> None:
    cel = CelRules()
    rule = "self.minReplicaCount <= self.maxReplicaCount"
    assert cel.evaluate(rule, {"minReplicaCount": 1, "maxReplicaCount": 2}) is True
    assert cel.evaluate(rule, {"minReplicaCount": 3, "maxReplicaCount": 2}) is False
    assert cel.evaluate(rule, {"minReplicaCount": 3}) == (
        'NOT_FOUND: Key not found in map : "maxReplicaCount"'
    )
    assert cel.evaluate("self.a", {"a": 1}) == "it returned a value of type int, not a bool"
    assert cel.unsupported("self.x == oldSelf.x") == (
        "a transition rule (oldSelf): it applies to updates only"
    )
    assert "does not compile" in (cel.unsupported("isQuantity(self)") or "")
    assert "does not compile" in (cel.unsupported("self.(") or "")


# --- the validator ------------------------------------------------------------------------------


def _route() -> dict[str, Any]:
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "desk", "namespace": "kasm"},
        "spec": {
            "parentRefs": [{"name": "gw", "namespace": "infra"}],
            "hostnames": ["desk.example.com"],
            "rules": [{"backendRefs": [{"name": "desk", "port": 6901}]}],
        },
    }


def _scaled_object() -> dict[str, Any]:
    cron = {"timezone": "UTC", "start": "0 8 * * *", "end": "0 18 * * *", "desiredReplicas": "1"}
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": "desk", "namespace": "kasm"},
        "spec": {
            "scaleTargetRef": {"name": "desk", "kind": "StatefulSet"},
            "minReplicaCount": 0,
            "maxReplicaCount": 1,
            "triggers": [{"type": "cron", "metadata": cron}],
        },
    }


def _changed(manifest: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy with the field at ``path`` (dotted, with list indexes) set, or deleted (...)."""
    copied = copy.deepcopy(manifest)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = copied
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return copied


def _problems(verdict: Verdict | None) -> list[tuple[str, str]]:
    assert verdict is not None
    return [(".".join(map(str, v.path)), v.message) for v in verdict.violations]


def test_valid_objects_pass_with_their_rules_evaluated(validator: CustomResourceValidator) -> None:
    for manifest in (_route(), _scaled_object()):
        verdict = validator.validate(manifest)
        assert verdict is not None and verdict.valid, verdict
        # Defaults filled in first matter: a route rule reads rules[0].matches, which only the
        # default sets here; without it, the rule would fail with "no such key".
        assert verdict.rules_evaluated > 0 and verdict.rules_unchecked == ()


@pytest.mark.parametrize(
    ("manifest", "problems"),
    [
        (
            _changed(_route(), "spec.rules.0.matches", [{"path": {"type": "Prefix"}}]),
            [
                (
                    "spec.rules.0.matches.0.path.type",
                    "'Prefix' is not one of ['Exact', 'PathPrefix', 'RegularExpression']",
                )
            ],
        ),
        (
            _changed(_scaled_object(), "spec.scaleTargetRef.name", ...),
            [("spec.scaleTargetRef", "'name' is a required property")],
        ),
        (
            _changed(_route(), "spec.rules.0.backendRefs.0.prot", "TCP"),
            [
                (
                    "spec.rules.0.backendRefs.0.prot",
                    "unknown field 'prot': the schema does not declare it (kubectl apply "
                    "refuses the object; other clients see the field dropped)",
                )
            ],
        ),
        (
            _changed(_route(), "spec.hostnames", ["desk.example.com\n"]),
            [
                (
                    "spec.hostnames.0",
                    r"'desk.example.com\n' does not match "
                    r"'^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
                )
            ],
        ),
        (
            _changed(_route(), "spec.rules.0.backendRefs.0.port", "6901"),
            [("spec.rules.0.backendRefs.0.port", "must be an integer, not a string")],
        ),
        (
            _changed(_scaled_object(), "spec.advanced", {"horizontalPodAutoscalerConfig": {}}),
            [],  # int-or-string and friends: the valid case
        ),
        (
            _changed(_route(), "apiVersion", "gateway.networking.k8s.io/v1alpha2"),
            [
                (
                    "apiVersion",
                    "the pinned CRD gateway-api-v1.5.1-httproutes.yaml does not define version "
                    "'v1alpha2': use gateway.networking.k8s.io/v1, "
                    "gateway.networking.k8s.io/v1beta1",
                )
            ],
        ),
        (
            _changed(_route(), "metadata.name", "Desk"),
            [
                (
                    "metadata.name",
                    "'Desk' is not a DNS subdomain: at most 253 lowercase letters, digits, '-' "
                    "and '.', starting and ending with a letter or digit",
                )
            ],
        ),
        (
            _changed(_route(), "spec.hostnames", None),  # pruned, as the API server does
            [],
        ),
        (  # CEL
            _changed(_scaled_object(), "spec.minReplicaCount", 5),
            [("spec", "minReplicaCount must be less than or equal to maxReplicaCount")],
        ),
        (  # CEL, with a property name escaped (namespace)
            _changed(
                _route(), "spec.parentRefs", [{"name": "gw"}, {"name": "gw", "sectionName": "a"}]
            ),
            [
                (
                    "spec.parentRefs",
                    "sectionName must be specified when parentRefs includes 2 or more "
                    "references to the same parent",
                )
            ],
        ),
    ],
)
def test_what_the_validator_refuses(
    validator: CustomResourceValidator, manifest: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    assert _problems(validator.validate(manifest)) == problems


def test_a_duplicate_listener_is_refused(validator: CustomResourceValidator) -> None:
    listeners = [
        {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "a.example.com"},
        {"name": "https", "port": 8443, "protocol": "HTTPS", "hostname": "b.example.com"},
    ]
    gateway = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": "gw"},
        "spec": {"gatewayClassName": "eg", "listeners": listeners},
    }
    verdict = validator.validate(gateway)
    assert _problems(verdict) == [
        (
            "spec.listeners.1",
            "duplicate entry (name='https'): entry [0] has the same keys: the list is a map",
        )
    ]
    assert verdict is not None and verdict.rules_skipped  # as the API server, no CEL then


def test_a_rule_that_fails_with_an_error_refuses_the_object() -> None:
    schema = {
        "type": "object",
        "properties": {
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "properties": {"a": {"type": "integer"}},
                "x-kubernetes-validations": [{"rule": "self.b == 1"}],
            },
        },
    }
    crd = PinnedCrd("widgets.yaml", "example.com", "Widget", "Namespaced", {"v1": schema})
    validator = CustomResourceValidator(PinnedCrds([crd]), cel=CelRules())
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}

    assert _problems(validator.validate({**widget, "spec": {"a": 1}})) == [
        (
            "spec",
            "the rule fails with an error, which the API server refuses: "
            'NOT_FOUND: Key not found in map : "b"',
        )
    ]
    assert _problems(validator.validate({**widget, "spec": {"a": 1, "b": 1}})) == [
        (
            "spec.b",
            "unknown field 'b': the schema does not declare it (kubectl apply refuses "
            "the object; other clients see the field dropped)",
        )
    ]


def test_without_cel_the_rules_are_listed_not_evaluated() -> None:
    without = CustomResourceValidator(cel=None, cel_missing="no CEL here")
    verdict = without.validate(_changed(_scaled_object(), "spec.minReplicaCount", 5))
    assert verdict is not None and verdict.valid
    assert verdict.rules_evaluated == 0
    (unchecked,) = verdict.rules_unchecked
    assert (unchecked.where, unchecked.reason) == ("spec", "no CEL here")
    assert unchecked.rule.startswith("!has(self.minReplicaCount) ||")


def test_kinds_without_a_pinned_crd_are_not_judged(validator: CustomResourceValidator) -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert validator.validate(widget) is None
    assert validator.validate({**_route(), "kind": "GRPCRoute"}) is None


# --- the command --------------------------------------------------------------------------------

BAD = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: desk
  namespace: kasm
spec:
  parentRefs:
    - name: gw
  rules:
    - matches:
        - path:
            type: Prefix
            value: /
      backendRefs:
        - name: desk
          port: 6901
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: desk
  namespace: kasm
spec:
  scaleTargetRef:
    kind: StatefulSet
  triggers:
    - type: cron
      metadata: {timezone: UTC, start: "0 8 * * *", end: "0 18 * * *", desiredReplicas: "1"}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: late
  namespace: kasm
spec:
  scaleTargetRef:
    name: desk
  minReplicaCount: 5
  maxReplicaCount: 2
  triggers:
    - type: cron
      metadata: {timezone: UTC, start: "0 8 * * *", end: "0 18 * * *", desiredReplicas: "1"}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
"""

MIN_MAX_RULE = (
    "!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? "
    "self.maxReplicaCount : 100)"
)


def test_the_command_reports_each_custom_resource_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")

    assert main(["validate", str(path)]) == 1

    assert capsys.readouterr().out.splitlines() == [
        f"INVALID {path}:1 HTTPRoute/desk (kasm)",
        f"  - {path}:12:13 spec.rules[0].matches[0].path.type: 'Prefix' is not one of "
        "['Exact', 'PathPrefix', 'RegularExpression']",
        "  (its CEL rules are evaluated once the schema errors are fixed)",
        f"INVALID {path}:18 ScaledObject/desk (kasm)",
        f"  - {path}:24:3 spec.scaleTargetRef: 'name' is a required property",
        "  (its CEL rules are evaluated once the schema errors are fixed)",
        f"INVALID {path}:30 ScaledObject/late (kasm)",
        f"  - {path}:35:1 spec: minReplicaCount must be less than or equal to maxReplicaCount "
        f"[CEL rule: {MIN_MAX_RULE}]",
        f"SKIPPED {path}:44 Widget/w: no pinned CRD defines Widget.example.com",
        "3 custom resources checked against the pinned CRDs: 0 valid, 3 invalid; "
        "1 skipped (no pinned CRD)",
        "CEL rules: 1 evaluation",
    ]


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")

    assert main(["validate", "--output", "json", str(path)]) == 1

    report = json.loads(capsys.readouterr().out)
    statuses = [(o["kind"], o["name"], o["status"], o["crd"]) for o in report["objects"]]
    assert statuses == [
        ("HTTPRoute", "desk", "invalid", "gateway-api-v1.5.1-httproutes.yaml"),
        ("ScaledObject", "desk", "invalid", "keda-v2.20.2-scaledobjects.yaml"),
        ("ScaledObject", "late", "invalid", "keda-v2.20.2-scaledobjects.yaml"),
        ("Widget", "w", "skipped", None),
    ]
    assert report["objects"][2]["violations"] == [
        {
            "field": "spec",
            "message": "minReplicaCount must be less than or equal to maxReplicaCount",
            "line": 35,
            "column": 1,
            "rule": MIN_MAX_RULE,
        }
    ]
    assert report["objects"][3]["reason"] == "no pinned CRD defines Widget.example.com"
    assert report["cel"] == {
        "available": True,
        "reason": None,
        "evaluations": 1,
        "notEvaluated": [],
    }


def test_every_committed_example_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *(str(REPO / d) for d in EXAMPLE_DIRS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    checked = [line for line in lines if line.startswith("VALID ")]
    assert len(checked) > 60
    assert not [line for line in lines if line.startswith(("INVALID", "SKIPPED"))]
    assert lines[-2] == f"{len(checked)} custom resources checked against the pinned CRDs: " + (
        f"{len(checked)} valid, 0 invalid"
    )
    assert re.fullmatch(r"CEL rules: \d{3,} evaluations", lines[-1])


def test_without_cel_expr_python_the_rules_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "late.yaml"
    path.write_text(BAD.split("---\n")[2], encoding="utf-8")
    monkeypatch.setitem(sys.modules, "cel_expr_python", None)  # import fails

    assert main(["validate", str(path)]) == 0  # the schema alone accepts it
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "1 custom resource checked against the pinned CRDs: 1 valid, 0 invalid",
        "CEL rules: not evaluated (1 rule applies): cel-expr-python is not installed "
        "(pip install 'kasm-constructs[cel]')",
    ]
    assert main(["validate", "--require-cel", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("kasm-constructs validate: error: --require-cel: the CEL rules need ")
    assert error.rstrip().endswith("pip install 'kasm-constructs[cel]'")


@pytest.mark.parametrize("missing", ["jsonschema", "re2"])
def test_without_jsonschema_or_re2_the_command_exits_2_naming_the_extra(
    missing: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    for module in ("kasm_constructs.manifests.crdvalidate", "kasm_constructs.manifests.goregexp"):
        monkeypatch.delitem(sys.modules, module, raising=False)

    assert main(["validate", str(REPO / "dist")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "kasm-constructs validate: error: validating custom resources needs jsonschema and "
        "google-re2 ("
    )
    assert captured.err.rstrip().endswith("pip install 'kasm-constructs[validate]'")


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("kind: HTTPRoute\napiVersion: [\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"kasm-constructs validate: error: {path}:")
    assert main(["validate", str(tmp_path / "missing.yaml")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["validate", str(tmp_path / "empty")]) == 2
    assert "(nothing to validate)" in capsys.readouterr().err


def test_python_dash_m_on_the_examples_takes_under_two_seconds() -> None:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "kasm_constructs", "validate", *EXAMPLE_DIRS],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.perf_counter() - started
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr
    assert "0 invalid" in completed.stdout
    assert elapsed < 2.0, elapsed
