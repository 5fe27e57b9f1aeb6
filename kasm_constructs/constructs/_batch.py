"""Rendered manifests into a construct tree, thousands per call across the jsii bridge.

Every ``cdk8s.ApiObject`` made from Python costs several calls across the bridge to the Node
process that holds the construct tree: about 0.6 ms per object with its patches, 4.5 s for the
7,000 objects of 1,000 people against 0.26 s for this batch (bench/README.md, bench.batch).
:func:`add_manifests` sends the manifests instead as JSON, about :data:`CHUNK_SIZE` characters
per call, to the jsii module :mod:`kasm_constructs.constructs._manifest_batch` (its TypeScript is
``jsii-src/manifest-batch/index.ts``; ``make jsii`` regenerates it), which makes each object on
the Node side exactly as Python would have:

- ``cdk8s.ApiObject(scope, id, api_version=..., kind=..., metadata=...)``, so the chart's
  namespace applies when the manifest has none, the chart's labels are merged under the
  manifest's own, and the metadata's keys come out sorted (cdk8s sorts the keys of props);
- then one ``JsonPatch.add("/<key>", value)`` per other top-level key, in the manifest's order,
  so the body keeps its key order at every depth (cdk8s does not sort patched values);
- keys whose value is ``None`` are dropped at any depth below the top level, as jsii drops them
  from the dicts it passes (a top-level ``None`` stays ``null``, as with ``JsonPatch.add``).

``cdk8s synth`` then writes the same bytes as for objects made one by one from Python
(tests/test_manifest_batch.py). The objects are ordinary children of ``scope``:
``scope.node.find_child(id)``, ``ApiObject.of``, ``add_json_patch`` and dependencies work on
them as on any other. What the library keeps in Python about its objects (the names claimed in
:class:`~kasm_constructs.constructs._tree.AppState`, validations) is not made here.

Called from a validation (``node.add_validation``), the objects are written too: ``App.synth()``
and ``synth_yaml()`` validate the whole app before they list what to write. But they validate
it again in each chart's ``toJson()`` (1 + the number of charts calls in all), so such a
validation must add its objects on its first call only. Dependencies between the objects it
adds order them within their chart, but do not order the charts (tests/test_manifest_batch.py
pins when cdk8s validates, and what it then writes).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import cdk8s
from constructs import Construct

from kasm_constructs.constructs._manifest_batch import ManifestBatch
from kasm_constructs.manifests.grammar import check_int, check_str, fail, hidden

__all__ = ["CHUNK_SIZE", "add_manifests", "default_id", "remove_manifests"]

#: Characters of JSON per call. For the 70,000 objects of 10,000 people (bench/batch.py, about
#: 100 MB of JSON), add_manifests took 2.9 to 3.5 s with chunks of 256 KB to 4 MB, 5.2 s with
#: 16 MB and 28 s as one call: beyond a few MB, a string through the jsii pipe costs more than
#: its size.
CHUNK_SIZE: Final = 1 << 20
#: The top-level keys that become the ApiObject's props; every other one is a JSON patch.
_HEADER: Final = ("apiVersion", "kind", "metadata")


def add_manifests(
    scope: Construct,
    manifests: Sequence[Mapping[str, Any]],
    *,
    ids: Sequence[str] | None = None,
    chunk_size: int = CHUNK_SIZE,
    sealed: str | None = None,
) -> None:
    """Add one ``cdk8s.ApiObject`` per manifest as a child of ``scope``, in order.

    Args:
        scope: a construct inside a ``cdk8s.Chart``.
        manifests: Kubernetes objects as JSON-like values (dicts, lists, strings, numbers,
            booleans, ``None``), each with string ``apiVersion``, ``kind`` and
            ``metadata.name``. They are not changed.
        ids: the construct id of each object (constructs turns ``/`` into ``--``); default
            :func:`default_id` of each manifest.
        chunk_size: about how many characters of JSON to send per call.
        sealed: when given, the objects refuse any later change (a JSON patch, a change to
            their metadata) with this message: what was judged is what is written.

    Raises:
        ConfigurationError: a manifest lacks ``apiVersion``, ``kind`` or ``metadata.name``, or
            holds a value JSON cannot carry; two ids are the same, or ``scope`` already has a
            child with one of them; ``scope`` is not in a chart. Nothing is added then.
    """
    check_int("chunk_size", chunk_size, minimum=1, maximum=1 << 30)
    if isinstance(manifests, str | bytes | Mapping) or not isinstance(manifests, Sequence):
        fail("manifests", hidden(manifests), "expected a sequence (list) of manifests")
    construct_ids = _construct_ids(manifests, ids)
    if not construct_ids:
        return
    _check_scope(scope)
    _check_free(scope, construct_ids, "ids" if ids is not None else "manifests")
    sent: list[str] = []
    try:
        for chunk, chunk_ids in _chunks(manifests, construct_ids, chunk_size):
            sent += chunk_ids
            ManifestBatch.add(scope, chunk, sealed)
    except BaseException:
        # All or nothing: take out what the earlier chunks added.
        if sent:
            ManifestBatch.remove(scope, json.dumps(sent))
        raise


def remove_manifests(scope: Construct, ids: Sequence[str]) -> None:
    """Take out the children of ``scope`` that :func:`add_manifests` made with ``ids``."""
    if ids:
        ManifestBatch.remove(scope, json.dumps(list(ids)))


def default_id(manifest: Mapping[str, Any]) -> str:
    """``<kind>[.<group>][:<namespace>]:<name>``, e.g. ``Service:desktops:alice`` or
    ``HTTPRoute.gateway.networking.k8s.io:alice``: the namespace only when the manifest names
    one. Like kubectl's ``kind.group/name``, two manifests share an id only when they are the
    same object; no kind, group, namespace or name holds a ``:``, and no kind a ``.``."""
    api_version: str = manifest["apiVersion"]
    metadata: Mapping[str, Any] = manifest["metadata"]
    group = api_version.rpartition("/")[0]
    namespace = metadata.get("namespace")
    parts = [f"{manifest['kind']}.{group}" if group else manifest["kind"]]
    if isinstance(namespace, str) and namespace:
        parts.append(namespace)
    parts.append(metadata["name"])
    return ":".join(parts)


def _check_manifest(index: int, manifest: object) -> None:
    """What cdk8s needs to make the object: string apiVersion, kind and metadata.name."""
    where = f"manifests[{index}]"
    if not isinstance(manifest, Mapping):
        fail(where, hidden(manifest), "expected a manifest (a mapping)")
    check_str(f"{where}['apiVersion']", manifest.get("apiVersion"))
    check_str(f"{where}['kind']", manifest.get("kind"))
    metadata = manifest.get("metadata")
    if not isinstance(metadata, Mapping):
        fail(f"{where}['metadata']", hidden(metadata), "expected a mapping with a 'name'")
    check_str(f"{where}['metadata']['name']", metadata.get("name"))


def _construct_ids(manifests: Sequence[Mapping[str, Any]], ids: Sequence[str] | None) -> list[str]:
    """The construct id of each manifest, each checked, all different."""
    for index, manifest in enumerate(manifests):
        _check_manifest(index, manifest)
    if ids is None:
        chosen = [default_id(manifest) for manifest in manifests]
        where = "manifests"
    else:
        if isinstance(ids, str) or not isinstance(ids, Sequence) or len(ids) != len(manifests):
            count = len(ids) if isinstance(ids, Sequence) else ids
            fail("ids", count, f"expected a sequence of {len(manifests)} ids, one per manifest")
        chosen = [check_str(f"ids[{index}]", id) for index, id in enumerate(ids)]
        where = "ids"
    first: dict[str, int] = {}
    for index, id in enumerate(chosen):
        # constructs' sanitizeId: "a/b" and "a--b" are the same id.
        earlier = first.setdefault(id.replace("/", "--"), index)
        if earlier != index:
            what = "construct id" if ids is not None else "kind, namespace and name (the id)"
            fail(f"{where}[{index}]", id, f"the same {what} as {where}[{earlier}]")
    return chosen


def _check_scope(scope: object) -> None:
    if not isinstance(scope, Construct):
        fail("scope", scope, "expected a construct inside a cdk8s.Chart")
    try:
        cdk8s.Chart.of(scope)
    except RuntimeError:
        fail("scope", scope.node.path or "<app>", "expected a construct inside a cdk8s.Chart")


def _check_free(scope: Construct, ids: list[str], where: str) -> None:
    """No child of ``scope`` has one of ``ids`` yet (one call across the bridge)."""
    taken = set(json.loads(ManifestBatch.taken(scope, json.dumps(ids))))
    for index, id in enumerate(ids):
        if id in taken:
            fail(f"{where}[{index}]", id, f"{scope.node.path!r} already has a child with this id")


def _plain(value: object) -> object:
    """A mapping or sequence json does not know, as the dict or list it stands for."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray):
        return list(value)
    raise TypeError(f"a {type(value).__name__} is no JSON value")


#: Compact JSON, in the manifests' key order; NaN and the infinities are no JSON.
_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_plain
)


def _entry(index: int, id: str, manifest: Mapping[str, Any]) -> str:
    """``{"id": ..., "manifest": ...}`` as JSON."""
    try:
        body = _ENCODER.encode(manifest)
    except (TypeError, ValueError) as error:
        fail(f"manifests[{index}]", hidden(manifest), f"expected JSON values only: {error}")
    return f'{{"id":{json.dumps(id)},"manifest":{body}}}'


def _chunks(
    manifests: Sequence[Mapping[str, Any]], ids: list[str], size: int
) -> Iterator[tuple[str, list[str]]]:
    """JSON arrays of entries of about ``size`` characters each (at least one entry), with the
    ids they hold."""
    parts: list[str] = []
    chunk_ids: list[str] = []
    length = 0
    for index, (id, manifest) in enumerate(zip(ids, manifests, strict=True)):
        part = _entry(index, id, manifest)
        parts.append(part)
        chunk_ids.append(id)
        length += len(part) + 1
        if length >= size:
            yield f"[{','.join(parts)}]", chunk_ids
            parts, chunk_ids, length = [], [], 0
    if parts:
        yield f"[{','.join(parts)}]", chunk_ids
