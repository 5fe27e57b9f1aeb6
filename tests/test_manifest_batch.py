"""``add_manifests`` (kasm_constructs/constructs/_batch.py) and the jsii module behind it
(jsii-src/manifest-batch/index.ts, generated into kasm_constructs/constructs/_manifest_batch/):
rendered manifests handed to cdk8s in a few bridge calls synthesize to the very bytes that one
Python ``cdk8s.ApiObject`` per manifest (metadata as props, one ``JsonPatch.add`` per top-level
body key) synthesizes to.

Also pinned here, against the cdk8s of requirements.txt: what that identity rests on (cdk8s
sorts the keys of props, not of patched values; what jsii does with ``None``), and when cdk8s
calls validations (``node.add_validation``) and writes the objects a validation makes.
"""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cdk8s
import jsii
import pytest
import yaml
from constructs import Construct, IValidation

from kasm_constructs import ConfigurationError
from kasm_constructs.constructs import _batch
from kasm_constructs.constructs._batch import add_manifests, default_id
from kasm_constructs.constructs._manifest_batch import ManifestBatch
from tests.helpers import REPO, child_env
from tests.test_package import built_artifacts

Manifest = dict[str, Any]
HEADER = ("apiVersion", "kind", "metadata")
# ApiObjectMetadata's fields, by their keys in a manifest.
METADATA_FIELDS = {
    "name": "name",
    "namespace": "namespace",
    "labels": "labels",
    "annotations": "annotations",
    "finalizers": "finalizers",
}
CHART_NAMESPACE = "elsewhere"
# The manifests' own app.kubernetes.io/name wins over the chart's.
CHART_LABELS = {"team": "blue", "app.kubernetes.io/name": "from-the-chart"}
EXAMPLES = ("examples/fleet/dist/desktops.k8s.yaml", "examples/gateway/dist/desktops.k8s.yaml")


# --- the two routes ------------------------------------------------------------------------------


def _pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def python_route(scope: Construct, manifests: Sequence[Manifest], ids: Sequence[str]) -> None:
    """One ``cdk8s.ApiObject`` per manifest from Python, its body set by one ``JsonPatch.add``
    per top-level key: the route ``add_manifests`` must match."""
    for id, manifest in zip(ids, manifests, strict=True):
        metadata = {METADATA_FIELDS[key]: value for key, value in manifest["metadata"].items()}
        obj = cdk8s.ApiObject(
            scope,
            id,
            api_version=manifest["apiVersion"],
            kind=manifest["kind"],
            metadata=cdk8s.ApiObjectMetadata(**metadata),
        )
        patches = [
            cdk8s.JsonPatch.add(f"/{_pointer(key)}", value)
            for key, value in manifest.items()
            if key not in HEADER
        ]
        if patches:
            obj.add_json_patch(*patches)


Route = Callable[[Construct, Sequence[Manifest], Sequence[str]], None]


def batch_route(scope: Construct, manifests: Sequence[Manifest], ids: Sequence[str]) -> None:
    add_manifests(scope, manifests, ids=ids)


def _reversed_keys(value: Any) -> Any:
    """``value`` with the keys of every mapping in it in reverse order: an order cdk8s would
    only keep if it does not sort."""
    if isinstance(value, dict):
        return {key: _reversed_keys(value[key]) for key in reversed(value)}
    if isinstance(value, list):
        return [_reversed_keys(item) for item in value]
    return value


def _examples() -> tuple[list[Manifest], list[Manifest]]:
    """The objects of the committed fleet and gateway examples: every other one without its
    namespace (the chart's applies), every third with its body's keys reversed."""
    groups = []
    for path in EXAMPLES:
        manifests = [doc for doc in yaml.safe_load_all((REPO / path).read_text()) if doc]
        for index, manifest in enumerate(manifests):
            if index % 2:
                manifest["metadata"].pop("namespace", None)
            if index % 3 == 0:
                for key in [key for key in manifest if key not in HEADER]:
                    manifest[key] = _reversed_keys(manifest.pop(key))
        groups.append(manifests)
    fleet, gateway = groups
    return fleet, gateway


def _app_yaml(build: Callable[[cdk8s.Chart], object]) -> str:
    app = cdk8s.App()
    build(cdk8s.Chart(app, "desktops", namespace=CHART_NAMESPACE, labels=CHART_LABELS))
    return app.synth_yaml()


def _documents(text: str) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


# --- byte identity -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_yaml() -> dict[str, str]:
    """route -> the YAML of the examples' objects in two scopes of one chart."""
    fleet, gateway = _examples()

    def build(route: Route) -> Callable[[cdk8s.Chart], object]:
        def add(chart: cdk8s.Chart) -> None:
            for name, manifests in (("fleet", fleet), ("gateway", gateway)):
                route(Construct(chart, name), manifests, [default_id(m) for m in manifests])

        return add

    return {
        "python": _app_yaml(build(python_route)),
        "batch": _app_yaml(build(batch_route)),
    }


def test_batch_writes_the_bytes_the_python_route_writes(examples_yaml: dict[str, str]) -> None:
    assert examples_yaml["batch"] == examples_yaml["python"]


def test_batch_applies_the_chart_and_keeps_the_body_as_given(examples_yaml: dict[str, str]) -> None:
    fleet, gateway = _examples()
    given = fleet + gateway
    written = _documents(examples_yaml["batch"])

    assert [(m["kind"], m["metadata"]["name"]) for m in written] == [
        (m["kind"], m["metadata"]["name"]) for m in given
    ]
    for source, manifest in zip(given, written, strict=True):
        metadata = manifest["metadata"]
        # The chart's namespace where the manifest has none, its labels under the manifest's.
        assert metadata["namespace"] == source["metadata"].get("namespace", CHART_NAMESPACE)
        assert metadata["labels"] == {**CHART_LABELS, **source["metadata"].get("labels", {})}
        assert list(metadata) == sorted(metadata)
        # The body in the given key order, at every depth.
        body = {key: value for key, value in source.items() if key not in HEADER}
        assert json.dumps({k: v for k, v in manifest.items() if k not in HEADER}) == json.dumps(
            body
        )
    reversed_bodies = [m for m in written if list(m.get("spec", {})) != sorted(m.get("spec", {}))]
    assert reversed_bodies, "no body whose key order differs from the sorted one"


AWKWARD: list[Manifest] = [
    {
        "apiVersion": "example.com/v1",
        "kind": "Thing",
        "metadata": {"name": "thing", "labels": {"z": "1", "a": "2", "team": "red"}},
        "spec": {
            "zeta": None,
            "nested": {"keep": [None, {"drop": None, "stay": 0}], "gone": None, "empty": {}},
            "unicode": "Grüße, 東京 ☃",
            "10": "integer-like keys",
            "2": "come first in JavaScript",
            "numbers": [0, -1, 1.5, 2**53 + 1, 1e300, True, False],
            "strings": ["", "null", "yes", "0o17", "~/", "a\nb"],
            "a/b~c": "slash and tilde",
        },
        "status": None,
        "a/b": {"top-level key": "with a slash"},
    },
    {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "explicit",
            "namespace": "other",
            "annotations": {"b": "2", "a": "1"},
            "labels": {},
        },
    },
]


def test_awkward_values_are_written_as_the_python_route_writes_them() -> None:
    ids = ["thing", "explicit"]
    python = _app_yaml(lambda chart: python_route(chart, AWKWARD, ids))
    batch = _app_yaml(lambda chart: batch_route(chart, AWKWARD, ids))

    assert batch == python
    thing, config_map = _documents(batch)
    spec = thing["spec"]
    # jsii drops None-valued keys of the dicts inside a value; a None value itself, or one in a
    # list, stays null.
    assert "zeta" not in spec and "gone" not in spec["nested"]
    assert spec["nested"]["keep"] == [None, {"stay": 0}]
    assert "status" in thing and thing["status"] is None
    assert list(spec)[:2] == ["2", "10"]
    assert spec["a/b~c"] == "slash and tilde" and thing["a/b"] == {"top-level key": "with a slash"}
    assert thing["metadata"]["labels"] == {**CHART_LABELS, "z": "1", "a": "2", "team": "red"}
    assert config_map["metadata"] == {
        "annotations": {"a": "1", "b": "2"},
        "labels": CHART_LABELS,
        "name": "explicit",
        "namespace": "other",
    }
    assert "data" not in config_map


# --- order, chunks, ids --------------------------------------------------------------------------


def _config_map(name: str, **data: str) -> Manifest:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def _names(text: str) -> list[str]:
    return [doc["metadata"]["name"] for doc in _documents(text)]


def test_document_order_is_the_construct_tree_order() -> None:
    """Batch objects are children of ``scope`` like any other: they sit between the objects of
    the constructs added before and after them, and a construct made earlier keeps its place
    even when its objects are added later."""
    manifests = [_config_map(f"batch-{i}", i=str(i)) for i in range(3)]

    def build(route: Route) -> Callable[[cdk8s.Chart], object]:
        def add(chart: cdk8s.Chart) -> None:
            python_route(chart, [_config_map("before")], ["before"])
            earlier = Construct(chart, "earlier")
            route(chart, manifests, [default_id(m) for m in manifests])
            python_route(chart, [_config_map("after")], ["after"])
            python_route(earlier, [_config_map("late-in-earlier")], ["late"])

        return add

    batch = _app_yaml(build(batch_route))

    assert _names(batch) == ["before", "late-in-earlier", "batch-0", "batch-1", "batch-2", "after"]
    assert batch == _app_yaml(build(python_route))


@pytest.fixture
def add_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The scope's path and the size of each chunk ``add_manifests`` sends."""
    calls: list[tuple[str, int]] = []
    add = ManifestBatch.add

    def counted(scope: Construct, chunk: str, sealed: str | None = None) -> None:
        calls.append((scope.node.path, len(chunk)))
        add(scope, chunk, sealed)

    monkeypatch.setattr(_batch.ManifestBatch, "add", counted)
    return calls


@pytest.mark.parametrize("chunk_size", [1, 4_000, _batch.CHUNK_SIZE])
def test_any_chunk_size_writes_the_same_bytes(
    chunk_size: int, add_calls: list[tuple[str, int]], examples_yaml: dict[str, str]
) -> None:
    fleet, gateway = _examples()

    def build(chart: cdk8s.Chart) -> None:
        for name, manifests in (("fleet", fleet), ("gateway", gateway)):
            add_manifests(Construct(chart, name), manifests, chunk_size=chunk_size)

    assert _app_yaml(build) == examples_yaml["python"]
    count = len(fleet) + len(gateway)
    if chunk_size == 1:
        assert len(add_calls) == count  # one manifest per call
    elif chunk_size == _batch.CHUNK_SIZE:
        assert len(add_calls) == 2  # one per scope: the examples are about 0.3 MB
    else:
        assert 2 < len(add_calls) < count
        for scope in ("desktops/fleet", "desktops/gateway"):
            sizes = [size for path, size in add_calls if path == scope]
            # A chunk ends with the manifest that takes it to chunk_size or beyond.
            assert len(sizes) > 1 and min(sizes[:-1]) >= chunk_size, (scope, sizes)


def test_ids_given_or_derived_name_the_children(chart: cdk8s.Chart) -> None:
    manifests = [
        _config_map("settings"),
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
        {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "edge"},
        },
    ]
    add_manifests(Construct(chart, "derived"), manifests)
    add_manifests(Construct(chart, "given"), manifests, ids=["a", "b/c", "d"])

    derived = chart.node.find_child("derived")
    assert [child.node.id for child in derived.node.children] == [
        "ConfigMap:settings",
        "Deployment.apps:web",
        "HTTPRoute.gateway.networking.k8s.io:edge:web",
    ]
    given = chart.node.find_child("given")
    assert [child.node.path for child in given.node.children] == [
        "kasm/given/a",
        "kasm/given/b--c",  # constructs turns "/" into "--"
        "kasm/given/d",
    ]


def test_batch_objects_are_ordinary_api_objects() -> None:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    add_manifests(chart, [_config_map("settings", key="value")], ids=["settings"])

    obj = cdk8s.ApiObject.of(chart.node.find_child("settings"))
    assert isinstance(obj, cdk8s.ApiObject)
    assert (obj.kind, obj.name, obj.api_version) == ("ConfigMap", "settings", "v1")
    assert obj.metadata.namespace == "kasm"
    assert [o.name for o in chart.api_objects] == ["settings"]
    # Changed from Python afterwards, like an object made in Python.
    obj.metadata.add_label("added", "later")
    obj.add_json_patch(cdk8s.JsonPatch.add("/data/more", "patched"))
    (manifest,) = _documents(app.synth_yaml())
    assert manifest["metadata"]["labels"] == {"added": "later"}
    assert manifest["data"] == {"key": "value", "more": "patched"}


def test_nothing_to_add_adds_nothing(chart: cdk8s.Chart, add_calls: list[tuple[str, int]]) -> None:
    add_manifests(chart, [])

    assert add_calls == []
    assert chart.node.children == []


# --- mistakes ------------------------------------------------------------------------------------


def _without(manifest: Manifest, *path: str) -> Manifest:
    copy: Manifest = json.loads(json.dumps(manifest))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return copy


GOOD = _config_map("good")

OTHER = _config_map("other")
NO_NAME = _without(GOOD, "metadata", "name")
NAME = "manifests[1]['metadata']['name']"
STRING = "non-empty string"

# (manifests, keyword arguments, the parameter the error names, words of its message)
MISTAKES: dict[str, tuple[Any, dict[str, Any], str, str]] = {
    "no name": ([GOOD, NO_NAME], {}, NAME, STRING),
    "no kind": ([_without(GOOD, "kind")], {}, "manifests[0]['kind']", STRING),
    "no metadata": ([_without(GOOD, "metadata")], {}, "manifests[0]['metadata']", "a 'name'"),
    "not a manifest": ([GOOD, "kind: ConfigMap"], {}, "manifests[1]", "expected a manifest"),
    "one manifest, not a list": (GOOD, {}, "manifests", "sequence (list) of manifests"),
    "same derived id": ([GOOD, OTHER, GOOD], {}, "manifests[2]", "as manifests[0]"),
    "same given id": ([GOOD, OTHER], {"ids": ["x", "x"]}, "ids[1]", "as ids[0]"),
    "same id once sanitized": ([GOOD, OTHER], {"ids": ["a/b", "a--b"]}, "ids[1]", "as ids[0]"),
    "too few ids": ([GOOD, OTHER], {"ids": ["x"]}, "ids", "2 ids, one per manifest"),
    "empty id": ([GOOD], {"ids": [""]}, "ids[0]", STRING),
    "a set": ([{**GOOD, "data": {"k": {"a"}}}], {}, "manifests[0]", "a set is no JSON value"),
    "NaN": ([{**GOOD, "spec": {"ratio": float("nan")}}], {}, "manifests[0]", "Out of range"),
    "chunk size": ([GOOD], {"chunk_size": 0}, "chunk_size", "integer from 1"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_a_configuration_error_and_adds_nothing(
    mistake: str, chart: cdk8s.Chart
) -> None:
    manifests, kwargs, parameter, words = MISTAKES[mistake]

    with pytest.raises(ConfigurationError) as raised:
        add_manifests(chart, manifests, **kwargs)

    assert raised.value.parameter == parameter
    assert words in str(raised.value)
    assert chart.node.children == []


def test_an_id_taken_in_the_scope_is_a_configuration_error(chart: cdk8s.Chart) -> None:
    add_manifests(chart, [GOOD], ids=["good"])

    with pytest.raises(ConfigurationError, match="'kasm' already has a child with this id") as e:
        add_manifests(chart, [_config_map("other"), _config_map("again")], ids=["other", "good"])

    assert e.value.parameter == "ids[1]"
    assert [child.node.id for child in chart.node.children] == ["good"]


def test_a_mistake_in_a_later_chunk_takes_out_the_earlier_chunks(
    chart: cdk8s.Chart, add_calls: list[tuple[str, int]]
) -> None:
    manifests = [_config_map(f"ok-{i}") for i in range(3)] + [{**GOOD, "data": {"b": b"bytes"}}]
    Construct(chart, "before")

    with pytest.raises(ConfigurationError, match=r"manifests\[3\].*a bytes is no JSON value"):
        add_manifests(chart, manifests, chunk_size=1)

    assert len(add_calls) == 3  # three chunks were added ...
    assert [child.node.id for child in chart.node.children] == ["before"]  # ... and taken out


def test_the_message_shows_no_manifest_content(chart: cdk8s.Chart) -> None:
    """A manifest may be a Secret: the error names it by its place, never by its content."""
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "credentials"},
        "stringData": {"password": "hunter2", "when": {1, 2}},
    }

    with pytest.raises(ConfigurationError) as raised:
        add_manifests(chart, [secret])

    assert "hunter2" not in str(raised.value)
    assert raised.value.parameter == "manifests[0]"


@pytest.mark.parametrize("scope", ["outside", "app", "not a construct"])
def test_a_scope_outside_a_chart_is_a_configuration_error(scope: str) -> None:
    app = cdk8s.App()
    given: object = {"outside": Construct(app, "plain"), "app": app, "not a construct": "kasm"}[
        scope
    ]

    with pytest.raises(ConfigurationError, match=r"inside a cdk8s\.Chart") as raised:
        add_manifests(given, [GOOD])  # type: ignore[arg-type]

    assert raised.value.parameter == "scope"


# --- what cdk8s does, that the batch relies on ----------------------------------------------------


def test_cdk8s_sorts_the_keys_of_props_but_not_of_patched_values(tmp_path: Path) -> None:
    """So the body goes as JSON patches: as props (cdk8s.Include passes a whole manifest as
    props), its keys would come out sorted."""
    # (no "y" or "n": cdk8s.Include reads YAML 1.1, where they are booleans)
    body = {"zeta": {"b": 1, "a": 2}, "alpha": [{"q": 1, "p": 2}]}
    manifest = {"apiVersion": "v1", "kind": "Thing", "metadata": {"name": "t"}, "spec": body}
    source = tmp_path / "thing.yaml"
    source.write_text(yaml.safe_dump(manifest, sort_keys=False))

    def build(route: str) -> Callable[[cdk8s.Chart], object]:
        def add(chart: cdk8s.Chart) -> None:
            if route == "include":
                cdk8s.Include(chart, "t", url=str(source))
            else:
                labels = {"z": "1", "a": "2"}
                metadata = cdk8s.ApiObjectMetadata(name="t", labels=labels)
                obj = cdk8s.ApiObject(chart, "t", api_version="v1", kind="Thing", metadata=metadata)
                obj.add_json_patch(cdk8s.JsonPatch.add("/spec", body))

        return add

    (patched,) = _documents(_app_yaml(build("patch")))
    (included,) = _documents(_app_yaml(build("include")))
    assert json.dumps(patched["spec"]) == json.dumps(body)
    assert list(patched["metadata"]["labels"]) == sorted(patched["metadata"]["labels"])
    assert json.dumps(included["spec"]) == json.dumps(
        {"alpha": [{"p": 2, "q": 1}], "zeta": {"a": 2, "b": 1}}
    )


@jsii.implements(IValidation)
class Counted:
    """A validation that counts its calls and, on the first, makes ``make(scope)``."""

    def __init__(self, make: Callable[[], object] | None = None) -> None:
        self.calls = 0
        self.make = make

    def validate(self) -> list[str]:
        self.calls += 1
        if self.calls == 1 and self.make is not None:
            self.make()
        return []


def _late_objects(chart: cdk8s.Chart) -> Callable[[], object]:
    """What a validation makes: an ApiObject from Python and one from the batch."""

    def make() -> None:
        python_route(chart, [_config_map("late-python")], ["late-python"])
        add_manifests(chart, [_config_map("late-batch", b="1", a="2")])

    return make


def _charts(count: int, **app_props: Any) -> tuple[cdk8s.App, list[cdk8s.Chart], Counted]:
    app = cdk8s.App(**app_props)
    charts = [cdk8s.Chart(app, f"chart-{i}") for i in range(count)]
    python_route(charts[-1], [_config_map("early")], ["early"])
    counted = Counted(_late_objects(charts[0]))
    charts[0].node.add_validation(counted)
    return app, charts, counted


@pytest.mark.parametrize("charts", [1, 2, 3])
def test_synth_yaml_validates_once_then_once_per_chart_and_writes_what_validations_made(
    charts: int,
) -> None:
    """``App.synthYaml`` validates the whole app, then each ``chart.toJson()`` validates the
    whole app again: 1 + charts calls. The objects the first call makes are written."""
    app, _, counted = _charts(charts)

    text = app.synth_yaml()

    assert counted.calls == 1 + charts
    assert set(_names(text)) == {"early", "late-python", "late-batch"}


SYNTH_CALLS = {
    # App.synth validates, then calls chart.toJson() (another validation of the whole app) for
    # each chart, except with FOLDER_PER_CHART_FILE_PER_RESOURCE, which does not.
    cdk8s.YamlOutputType.FILE_PER_CHART: 1 + 2,
    cdk8s.YamlOutputType.FILE_PER_APP: 1 + 2,
    cdk8s.YamlOutputType.FILE_PER_RESOURCE: 1 + 2,
    cdk8s.YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: 1,
}


@pytest.mark.parametrize("output", SYNTH_CALLS)
def test_synth_validates_before_writing_and_writes_what_validations_made(
    output: cdk8s.YamlOutputType, tmp_path: Path
) -> None:
    app, _, counted = _charts(2, outdir=str(tmp_path), yaml_output_type=output)

    app.synth()

    assert counted.calls == SYNTH_CALLS[output]
    written = [name for path in tmp_path.rglob("*.yaml") for name in _names(path.read_text())]
    assert sorted(written) == ["early", "late-batch", "late-python"]


def test_chart_to_json_and_testing_synth_validate_the_whole_app_once() -> None:
    _, charts, counted = _charts(2)

    objects = charts[0].to_json()

    assert counted.calls == 1
    assert [o["metadata"]["name"] for o in objects] == ["late-python", "late-batch"]
    # Another chart's synthesis validates the whole app, the first chart's validation too.
    assert [o["metadata"]["name"] for o in cdk8s.Testing.synth(charts[1])] == ["early"]
    assert counted.calls == 2


def test_a_validation_that_makes_objects_on_every_call_fails_the_second_time() -> None:
    """So a validation that makes objects must make them once (the first call)."""
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm")

    @jsii.implements(IValidation)
    class EveryCall:
        def validate(self) -> list[str]:
            python_route(chart, [_config_map("again")], ["again"])
            return []

    chart.node.add_validation(EveryCall())

    with pytest.raises(RuntimeError, match="There is already a Construct with name 'again'"):
        app.synth_yaml()


def test_validations_of_objects_made_by_a_validation_run_from_the_next_pass_on() -> None:
    """The first pass walks the tree as it was when it began; the objects a validation adds
    are validated by the later passes (each chart's), if any."""

    def inner_calls(synthesize: Callable[[cdk8s.App, cdk8s.Chart], object]) -> int:
        app = cdk8s.App()
        chart = cdk8s.Chart(app, "kasm")
        inner = Counted()

        def make() -> None:
            add_manifests(chart, [GOOD], ids=["late"])
            chart.node.find_child("late").node.add_validation(inner)

        chart.node.add_validation(Counted(make))
        synthesize(app, chart)
        return inner.calls

    assert inner_calls(lambda app, chart: app.synth_yaml()) == 1  # the chart's pass
    assert inner_calls(lambda app, chart: chart.to_json()) == 0  # one pass only


def test_dependencies_made_in_a_validation_order_their_chart_but_not_the_charts(
    tmp_path: Path,
) -> None:
    """cdk8s orders the charts (and, when one depends on another, numbers their files) from the
    dependencies it resolved before the first validation; within a chart it resolves them again
    after. So a dependency between objects of one chart made by a validation counts, one
    between charts does not."""

    def app(late: bool, outdir: Path | None = None) -> cdk8s.App:
        app = cdk8s.App(outdir=str(outdir or tmp_path))
        first, second = cdk8s.Chart(app, "first"), cdk8s.Chart(app, "second")

        def make() -> None:
            add_manifests(first, [_config_map("a"), _config_map("b")], ids=["a", "b"])
            add_manifests(first, [_config_map("needs-other-chart")], ids=["c"])
            add_manifests(second, [_config_map("other-chart")], ids=["x"])
            objects = {id: cdk8s.ApiObject.of(first.node.find_child(id)) for id in "abc"}
            objects["a"].add_dependency(objects["b"])  # same chart: b first
            objects["c"].add_dependency(cdk8s.ApiObject.of(second.node.find_child("x")))

        if late:
            first.node.add_validation(Counted(make))
        else:
            make()
        return app

    assert _names(app(late=False).synth_yaml()) == ["other-chart", "b", "a", "needs-other-chart"]
    assert _names(app(late=True).synth_yaml()) == ["b", "a", "needs-other-chart", "other-chart"]
    for late, files in [
        (False, ["0000-second.k8s.yaml", "0001-first.k8s.yaml"]),
        (True, ["first.k8s.yaml", "second.k8s.yaml"]),
    ]:
        outdir = tmp_path / f"late-{late}"
        app(late, outdir).synth()
        assert sorted(path.name for path in outdir.iterdir()) == files


def test_late_objects_match_the_ones_made_before_synthesis() -> None:
    """Objects made by a validation are written exactly as if made before synthesis."""
    fleet, _ = _examples()

    def early(chart: cdk8s.Chart) -> None:
        add_manifests(chart, fleet)

    def late(chart: cdk8s.Chart) -> None:
        chart.node.add_validation(Counted(lambda: add_manifests(chart, fleet)))

    assert _app_yaml(late) == _app_yaml(early)


# --- the benchmark (bench/batch.py) ----------------------------------------------------------


def _example_counts(people: int) -> tuple[int, int]:
    """The objects of the fleet example shared by everyone, and those of its first ``people``
    people (whom the benchmark copies in turn)."""
    from bench.batch import USER_LABEL  # noqa: PLC0415

    text = (REPO / "examples" / "fleet" / "dist" / "desktops.k8s.yaml").read_text()
    docs = [d for d in yaml.safe_load_all(text) if d]
    users = [d["metadata"].get("labels", {}).get(USER_LABEL) for d in docs]
    order = list(dict.fromkeys(u for u in users if u is not None))
    copied = [order[i % len(order)] for i in range(people)]
    return users.count(None), sum(users.count(user) for user in copied)


def test_benchmark_people_are_the_example_people_renamed() -> None:
    from bench.batch import USER_LABEL, people  # noqa: PLC0415

    manifests = people(30)
    shared, theirs = _example_counts(30)

    assert len(manifests) == shared + theirs
    keys = [(m["kind"], m["metadata"]["name"]) for m in manifests]
    assert len(set(keys)) == len(keys)
    users = [m["metadata"].get("labels", {}).get(USER_LABEL) for m in manifests]
    # p00000 and p00025 are copies of the example's first person
    assert users.count("p00000") == users.count("p00025") == _example_counts(1)[1]
    # A name only as a whole word: the ServiceAccount token setting stays.
    assert "automountServiceAccountToken" in json.dumps(manifests)


def test_benchmark_runs_and_the_batch_writes_the_floor_s_bytes() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.batch", "--people", "2", "--repeat", "1", "--json"],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    (row,) = json.loads(completed.stdout)["sizes"]
    assert row["batch_identical_to_apiobj"] is True
    shared, theirs = _example_counts(2)
    assert row["objects"] == shared + theirs
    assert all(value > 0 for value in row["ratios"].values())
    for route, numbers in row["routes"].items():
        assert numbers["wall_s"] >= numbers["work_s"] > 0, route
        assert numbers["python_peak_mib"] > 0, route
        assert (numbers["node_peak_mib"] > 0) == (route != "pyyaml"), route


# --- the generated module: committed, current, shipped --------------------------------------------

GENERATED = REPO / "kasm_constructs" / "constructs" / "_manifest_batch"
SRCMAK = REPO / "node_modules" / "jsii-srcmak"


def _files(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def test_the_generated_module_is_named_for_this_project() -> None:
    assert _files(GENERATED) == [
        "__init__.py",
        "_jsii/__init__.py",
        "_jsii/kasm_constructs_manifest_batch@0.0.0.jsii.tgz",
        "py.typed",
    ]
    loader = (GENERATED / "_jsii" / "__init__.py").read_text()
    # It loads its assembly after those of the cdk8s and constructs it was compiled against.
    assert "import cdk8s._jsii\nimport constructs._jsii\n" in loader


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``make jsii`` would write, built into a temporary directory."""
    if not SRCMAK.is_dir():
        pytest.skip(f"jsii-srcmak is not installed at {SRCMAK}: run `make setup`")
    root = tmp_path_factory.mktemp("jsii")
    completed = subprocess.run(
        [sys.executable, str(REPO / "jsii-src" / "build.py"), "--out", str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return root / "kasm_constructs" / "constructs" / "_manifest_batch"


def test_committed_module_is_what_make_jsii_generates(regenerated: Path) -> None:
    """Byte for byte, the tarball included: the build is reproducible."""
    assert _files(regenerated) == _files(GENERATED)
    _, mismatch, errors = filecmp.cmpfiles(regenerated, GENERATED, _files(GENERATED), shallow=False)
    assert not mismatch and not errors, f"stale: run `make jsii` ({mismatch + errors})"


def test_wheel_ships_the_module_and_it_works_installed(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Installed from the wheel alone (its dependencies from this venv), the batch synthesizes."""
    wheel = built_artifacts(tmp_path_factory).wheel
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    inside = "kasm_constructs/constructs/_manifest_batch/"
    assert {inside + name for name in _files(GENERATED)} <= names
    assert not [name for name in names if name.startswith("jsii-src/") or name.endswith(".ts")]

    site = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "install"]
    subprocess.run([*pip, "--no-deps", "--no-index", "--target", site, wheel], check=True)
    script = textwrap.dedent(
        """\
        import json, sys
        import cdk8s
        from kasm_constructs.constructs import _batch

        app = cdk8s.App()
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        _batch.add_manifests(chart, [json.loads(sys.argv[1])])
        print(json.dumps({"file": _batch.__file__, "yaml": app.synth_yaml()}))
        """
    )
    env = child_env()
    env["PYTHONPATH"] = os.pathsep.join([str(site), env["PYTHONPATH"]])
    completed = subprocess.run(
        [sys.executable, "-c", script, json.dumps(GOOD)],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert Path(result["file"]).is_relative_to(site)
    assert _documents(result["yaml"]) == [
        {**GOOD, "metadata": {"name": "good", "namespace": "kasm"}}
    ]
