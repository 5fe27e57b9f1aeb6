"""Construct-tree helpers: where a construct goes, what its objects are called (both checked
before or as it is added), and plain API objects.

cdk8s neither rejects two objects of one kind with the same name in one namespace, nor reports
a bad scope or id except as a JavaScript error. The constructs check both here and raise
:class:`~kasm_constructs.ConfigurationError` instead.

What the library remembers about an app (the object names taken, and facts about the scopes it
was given) lives in one construct at the app's root, :class:`AppState` (id
``kasm-constructs``), and goes away with the app. Every read of a construct's property is a call
across the jsii bridge, so what does not change (a scope's chart, path, namespace and labels) is
read once per scope and kept there. Finding that construct from a scope costs three calls, so
a scope that a construct of the library was added to carries a reference to it, in the
attribute :data:`STATE_ATTRIBUTE`: nothing is kept at module level.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import cdk8s
from constructs import Construct

from kasm_constructs.manifests.cdk8s_names import dns_label
from kasm_constructs.manifests.grammar import check_str, fail
from kasm_constructs.manifests.kinds import API_VERSIONS, CLUSTER_SCOPED_KINDS
from kasm_constructs.options.declare import args_doc, signature

__all__ = [
    "AppState",
    "Placement",
    "api_object",
    "place",
    "public_signature",
    "remember",
    "takes_options",
]

_DUPLICATE_ID = "There is already a Construct with name"
#: The kubectl context's namespace applies to objects without one: usually "default".
_NO_NAMESPACE = "default"


@dataclass(frozen=True)
class ScopeFacts:
    """What does not change about a scope: its chart, the chart's namespace and labels, and
    the scope's path."""

    chart: cdk8s.Chart
    namespace: str | None
    labels: Mapping[str, str]
    path: str


class AppState(Construct):
    """The library's bookkeeping for one app: a construct at the root, id ``kasm-constructs``,
    made when the first construct of the library is added (never by one that is refused).

    - ``claimed``: (kind, namespace, name) -> the path of the construct that made that object;
    - ``scopes``: the :class:`ScopeFacts` of each scope a construct was added to;
    - ``listeners``: (namespace, Gateway, listener) -> the sign-in on it and the path of the
      construct that wrote it: one listener, one sign-in, written once.
    """

    ID = "kasm-constructs"

    def __init__(self, root: Construct) -> None:
        super().__init__(root, self.ID)
        self.claimed: dict[tuple[str, str, str], str] = {}
        self.scopes: dict[Construct, ScopeFacts] = {}
        self.listeners: dict[tuple[str, str, str], tuple[object, str]] = {}

    @classmethod
    def find(cls, root: Construct) -> AppState | None:
        """The state of the app ``root``, if a construct of the library was added to it."""
        state = root.node.try_find_child(cls.ID)
        return state if isinstance(state, AppState) else None


#: The attribute of a scope that holds its app's :class:`AppState`, once a construct of the
#: library was added to it (or, for a ``WorkspaceFleet``, as soon as it exists).
STATE_ATTRIBUTE = "_kasm_constructs_app_state"


def remember(scope: Construct, state: AppState) -> None:
    """Let the constructs added to ``scope`` find its app's state without the bridge."""
    setattr(scope, STATE_ATTRIBUTE, state)


def _facts(scope: Construct) -> ScopeFacts:
    if isinstance(scope, cdk8s.Chart):
        chart = scope
    else:
        try:
            chart = cdk8s.Chart.of(scope)
        except RuntimeError:
            fail("scope", scope.node.path or "<app>", "expected a construct inside a Chart")
    return ScopeFacts(chart, chart.namespace, chart.labels, scope.node.path)


@dataclass
class Placement:
    """A construct about to be added: its scope, id and path, its chart's facts, and its app
    (whose state is made when the construct claims its objects)."""

    scope: Construct
    id: str
    facts: ScopeFacts
    root: Construct | None
    _state: AppState | None

    @property
    def path(self) -> str:
        # constructs replaces "/" in an id with "--"
        id = self.id.replace("/", "--")
        return f"{self.facts.path}/{id}" if self.facts.path else id

    @property
    def namespace(self) -> str | None:
        return self.facts.namespace

    @property
    def labels(self) -> Mapping[str, str]:
        return self.facts.labels

    @property
    def state(self) -> AppState:
        """The app's state, made now if this is the library's first construct in the app."""
        if self._state is None:
            assert self.root is not None
            self._state = AppState.find(self.root) or AppState(self.root)
            remember(self.scope, self._state)
        self._state.scopes.setdefault(self.scope, self.facts)
        return self._state

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

    def claim(self, objects: Sequence[tuple[str, str]], namespace: str | None = None) -> None:
        """Record the objects (kind, name) the new construct makes, in ``namespace`` (default:
        its chart's); on a clash, take the construct out of the tree and raise. An object
        without a namespace goes to the kubectl context's, usually ``default``, so it clashes
        with one there; a cluster-scoped one clashes with its name anywhere."""
        namespace = namespace or self.namespace or _NO_NAMESPACE
        keys = [
            (kind, "" if kind in CLUSTER_SCOPED_KINDS else namespace, name)
            for kind, name in objects
        ]
        claimed = self.state.claimed
        for key in keys:
            if key in claimed:
                kind, where, name = key
                self.scope.node.try_remove_child(self.id)
                place = f"in namespace {where!r}" if where else "in the cluster"
                fail(
                    "name",
                    name,
                    f"{kind} {name!r} {place} is already made by {claimed[key]!r}; choose "
                    "another name or construct id",
                )
        claimed.update(dict.fromkeys(keys, self.path))


def place(scope: object, id: object) -> Placement:
    """Check that ``scope`` is inside a chart and ``id`` is a usable construct id. Nothing is
    added to the tree."""
    if not isinstance(scope, Construct):
        fail("scope", scope, "expected a construct inside a cdk8s.Chart")
    check_str("id", id)
    assert isinstance(id, str)
    # A scope used before, or made by this library, knows its app's state: no lookup.
    known = getattr(scope, STATE_ATTRIBUTE, None)
    root = None
    if isinstance(known, AppState):
        state: AppState | None = known
    else:
        root = cdk8s.App.of(scope)
        state = AppState.find(root)
    facts = state.scopes.get(scope) if state is not None else None
    return Placement(scope, id, facts or _facts(scope), root, state)


def api_object(
    scope: Construct,
    kind: str,
    metadata: cdk8s.ApiObjectMetadata,
    spec: object,
    *,
    id: str | None = None,
) -> cdk8s.ApiObject:
    """A plain ApiObject (construct id ``id``, default the kind) with its spec set by one JSON
    patch."""
    obj = cdk8s.ApiObject(
        scope, id or kind, api_version=API_VERSIONS[kind], kind=kind, metadata=metadata
    )
    obj.add_json_patch(cdk8s.JsonPatch.add("/spec", spec))
    return obj


C = TypeVar("C", bound=type)

_SCOPE_AND_ID = (
    inspect.Parameter("scope", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Construct),
    inspect.Parameter("id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
)


def takes_options(options: type) -> Callable[[C], C]:
    """Give a construct whose ``__init__`` takes ``scope, id, **options: Unpack[options]`` the
    signature (``inspect.signature``, ``help``) and the ``Args:`` docs of every option, from
    their one declaration (``_pipeline.declare``)."""

    def decorate(cls: C) -> C:
        cls.__signature__ = signature(options, *_SCOPE_AND_ID)  # type: ignore[attr-defined]
        cls.__doc__ = f"{(cls.__doc__ or '').rstrip()}\n{args_doc(options, indent=' ' * 8)}\n"
        return cls

    return decorate


def public_signature(cls: C) -> C:
    """Give a construct class the signature of its ``__init__`` (without ``self``), so
    ``inspect.signature`` and ``help`` show it instead of jsii's metaclass ``(*args,
    **kwargs)``."""
    init = inspect.signature(cls.__dict__["__init__"])
    cls.__signature__ = init.replace(parameters=list(init.parameters.values())[1:])  # type: ignore[attr-defined]
    return cls
