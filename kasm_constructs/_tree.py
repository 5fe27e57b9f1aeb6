"""Construct-tree helpers: where a construct goes, what its objects are called (both checked
before or as it is added), and plain API objects.

cdk8s itself neither rejects two objects of one kind with the same name in one namespace, nor
reports a bad scope or id except as a JavaScript error. The constructs here check both and raise
:class:`~kasm_constructs.ConfigurationError` instead.

Every read of a construct's property is a call across the jsii bridge, so what does not change
(a scope's chart, path and app; a chart's namespace and labels) is read once per scope.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import cdk8s
from constructs import Construct, IConstruct

from ._validation import check_dns1035_label, check_str, fail

__all__ = ["Placement", "api_object", "place"]

_API_VERSIONS = {"NetworkPolicy": "networking.k8s.io/v1", "PodDisruptionBudget": "policy/v1"}
_DUPLICATE_ID = "There is already a Construct with name"


@dataclass(frozen=True)
class _Scope:
    chart: cdk8s.Chart
    namespace: str | None
    labels: Mapping[str, str]
    app: IConstruct
    path: str


_SCOPES: weakref.WeakKeyDictionary[Construct, _Scope] = weakref.WeakKeyDictionary()
# Per app: (kind, namespace, name) -> path of the construct that made the object.
_CLAIMED: weakref.WeakKeyDictionary[IConstruct, dict[tuple[str, str | None, str], str]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class Placement:
    """A construct about to be added: its scope, id and path, and its chart's facts."""

    scope: Construct
    id: str
    chart: cdk8s.Chart
    namespace: str | None
    labels: Mapping[str, str]
    app: IConstruct
    path: str

    def dns_label(self, max_len: int) -> str:
        """``cdk8s.Names.to_dns_label(construct, max_len=...)`` for the new construct, computed
        here instead of across the bridge (tests/test_names.py holds it to cdk8s's)."""
        return dns_label(self.path, max_len)

    def add(self, create: Callable[[], None]) -> None:
        """Run ``create`` (the construct's ``super().__init__``), reporting a taken id."""
        try:
            create()
        except RuntimeError as error:
            if _DUPLICATE_ID not in str(error):
                raise
        else:
            return
        fail(
            "id",
            self.id,
            f"a construct with this id already exists in {self.path.rsplit('/', 1)[0]!r}",
        )

    def claim(self, objects: Sequence[tuple[str, str]], *, service_name: str | None = None) -> None:
        """Record the objects (kind, name) the new construct makes; on a clash, or when
        ``service_name`` is not a valid Service name, take the construct out of the tree and
        raise."""
        claimed = _CLAIMED.setdefault(self.app, {})
        keys = [(kind, self.namespace, name) for kind, name in objects]
        try:
            if service_name is not None:
                check_dns1035_label("name", service_name)
            for kind, namespace, name in keys:
                if (kind, namespace, name) in claimed:
                    where = f"in namespace {namespace!r}" if namespace else "in the cluster"
                    fail(
                        "name",
                        name,
                        f"{kind} {name!r} {where} is already made by "
                        f"{claimed[(kind, namespace, name)]!r}; choose another name or "
                        "construct id",
                    )
        except ValueError:
            self.scope.node.try_remove_child(self.id)
            raise
        claimed.update(dict.fromkeys(keys, self.path))


_DNS_NAME = re.compile(r"^[0-9a-z-]+$")
_NOT_DNS = re.compile(r"[^0-9a-zA-Z-_.]")


def dns_label(path: str, max_len: int) -> str:
    """cdk8s's ``Names.toDnsLabel`` for the construct at ``path`` (the app root excluded): the
    path's components, normalized, then the first 8 characters of the construct's address."""
    components = path.split("/")
    if len(components) == 1 and _DNS_NAME.match(components[0]) and len(path) <= max_len:
        return path
    # constructs' addressOf(): sha1 over every scope id (the root's is "") but "Default"
    digest = hashlib.sha1(b"\n", usedforsecurity=False)
    for component in components:
        if component != "Default":
            digest.update(component.encode() + b"\n")
    parts = [_NOT_DNS.sub("", c.lower())[:max_len] for c in components]
    parts.append(("c8" + digest.hexdigest())[:8])
    # toHumanForm(): keep the end when too long, drop repeats and "resource"/"default" parts
    reversed_parts = parts[::-1]
    kept = [p for i, p in enumerate(reversed_parts) if i == 0 or p != reversed_parts[i - 1]]
    joined = "/".join(kept)[:max_len].split("/")[::-1]
    words = "-".join(p for p in joined if p).split("-")
    return "-".join(w for w in words if w and w.lower() not in ("resource", "default"))


def place(scope: object, id: object) -> Placement:
    """Check that ``scope`` is inside a chart and ``id`` is a usable construct id."""
    if not isinstance(scope, Construct):
        fail("scope", scope, "expected a construct inside a cdk8s.Chart")
    check_str("id", id)
    assert isinstance(id, str)
    facts = _SCOPES.get(scope)
    if facts is None:
        if isinstance(scope, cdk8s.Chart):
            chart = scope
        else:
            try:
                chart = cdk8s.Chart.of(scope)
            except RuntimeError:
                fail("scope", scope.node.path or "<app>", "expected a construct inside a Chart")
        node = scope.node
        facts = _Scope(chart, chart.namespace, chart.labels, node.root, node.path)
        _SCOPES[scope] = facts
    # constructs replaces "/" in an id with "--"
    path = f"{facts.path}/{id.replace('/', '--')}" if facts.path else id
    return Placement(scope, id, facts.chart, facts.namespace, facts.labels, facts.app, path)


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
