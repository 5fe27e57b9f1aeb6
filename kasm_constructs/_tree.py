"""Construct-tree helpers: where a construct goes, what its objects are called (both checked
before or as it is added), and plain API objects.

cdk8s itself neither rejects two objects of one kind with the same name in one namespace, nor
reports a bad scope or id except as a JavaScript error. The constructs here check both and raise
:class:`~kasm_constructs.ConfigurationError` instead.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import cdk8s
from constructs import Construct

from ._validation import check_dns1035_label, check_str, fail

__all__ = ["api_object", "chart_of", "claim_names"]

_API_VERSIONS = {"NetworkPolicy": "networking.k8s.io/v1", "PodDisruptionBudget": "policy/v1"}

# Per app: (kind, namespace, name) -> path of the construct that made the object.
_CLAIMED: weakref.WeakKeyDictionary[object, dict[tuple[str, str | None, str], str]] = (
    weakref.WeakKeyDictionary()
)


def chart_of(scope: object, id: object) -> cdk8s.Chart:
    """The chart ``scope`` belongs to, once ``scope`` and ``id`` are known to be usable."""
    if not isinstance(scope, Construct):
        fail("scope", scope, "expected a construct inside a cdk8s.Chart")
    check_str("id", id)
    if scope.node.try_find_child(str(id)) is not None:
        fail("id", id, f"a construct with this id already exists in {scope.node.path!r}")
    try:
        return cdk8s.Chart.of(scope)
    except RuntimeError:
        fail("scope", scope.node.path or "<app>", "expected a construct inside a cdk8s.Chart")


def claim_names(
    construct: Construct,
    namespace: str | None,
    objects: Sequence[tuple[str, str]],
    *,
    service_name: str | None = None,
) -> None:
    """Record the objects (kind, name) ``construct`` makes; on a clash, or when
    ``service_name`` is not a valid Service name, take it out of the tree and raise."""
    scope = construct.node.scope
    claimed = _CLAIMED.setdefault(construct.node.root, {})
    keys = [(kind, namespace, name) for kind, name in objects]
    try:
        if service_name is not None:
            check_dns1035_label("name", service_name)
        for kind, _, name in keys:
            if (kind, namespace, name) in claimed:
                where = f"in namespace {namespace!r}" if namespace else "in the cluster"
                fail(
                    "name",
                    name,
                    f"{kind} {name!r} {where} is already made by "
                    f"{claimed[(kind, namespace, name)]!r}; choose another name or construct id",
                )
    except ValueError:
        if scope is not None:
            scope.node.try_remove_child(construct.node.id)
        raise
    claimed.update(dict.fromkeys(keys, construct.node.path))


def api_object(
    scope: Construct, kind: str, metadata: cdk8s.ApiObjectMetadata, spec: object
) -> cdk8s.ApiObject:
    """A plain ApiObject with its spec set by one JSON patch. Unlike a cdk8s-plus object's,
    its JSON is not converted after patches, so quantities and ports stay as written."""
    obj = cdk8s.ApiObject(
        scope, kind, api_version=_API_VERSIONS[kind], kind=kind, metadata=metadata
    )
    obj.add_json_patch(cdk8s.JsonPatch.add("/spec", spec))
    return obj
