"""The library's per-app bookkeeping (``_tree.AppState``): one construct at the app's root,
found once per scope (each lookup is three calls across the jsii bridge) and remembered on the
scope itself, never in a module-level registry, never shared between apps."""

from __future__ import annotations

import collections
import importlib
import inspect
import pkgutil
import sys
import weakref
from collections.abc import Callable, Iterator
from types import ModuleType, SimpleNamespace
from typing import Any

import cdk8s
import pytest

import kasm_constructs
from kasm_constructs import (
    ConfigurationError,
    FleetAccess,
    HardenedWorkspace,
    RestrictedNamespace,
    WorkspaceCertificate,
    WorkspaceFleet,
    WorkspaceIngress,
    WorkspaceRoute,
)
from kasm_constructs.constructs import _tree
from kasm_constructs.constructs._tree import AppState

SECRET_ENV = {"VNC_PW": ("kasm-secrets", "vnc-password")}
#: What a registry can be kept in: any mutable container, weak or not.
CONTAINERS = (
    dict,
    list,
    set,
    bytearray,
    collections.deque,
    weakref.WeakKeyDictionary,
    weakref.WeakValueDictionary,
    weakref.WeakSet,
)


def workspace(scope: cdk8s.Chart, id: str, **kwargs: object) -> HardenedWorkspace:
    return HardenedWorkspace(
        scope, id, image="kasmweb/desktop:1.16.0", secret_env=SECRET_ENV, **kwargs
    )


def test_one_state_at_the_root_of_each_app() -> None:
    app = cdk8s.App()
    first, second = (cdk8s.Chart(app, name, namespace="kasm") for name in ("a", "b"))
    workspace(first, "desktop")
    workspace(second, "other")
    states = [c for c in app.node.children if isinstance(c, AppState)]
    assert len(states) == 1 and states[0].node.id == "kasm-constructs"
    assert set(states[0].claimed.values()) == {"a/desktop", "b/other"}


def test_a_scope_used_before_is_not_looked_up_again(monkeypatch: pytest.MonkeyPatch) -> None:
    chart = cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
    workspace(chart, "first", name="first")

    def no_lookup(scope: object) -> None:
        raise AssertionError("the app was looked up across the bridge again")

    monkeypatch.setattr(cdk8s.App, "of", staticmethod(no_lookup))
    assert workspace(chart, "second").name.startswith("kasm-second")
    assert isinstance(getattr(chart, _tree.STATE_ATTRIBUTE), AppState)
    # the remembered state is the app's: it still knows the names taken
    with pytest.raises(ConfigurationError, match="already made by 'kasm/first'"):
        workspace(chart, "third", name="first")


def test_apps_do_not_share_names() -> None:
    for _ in range(2):
        chart = cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
        assert workspace(chart, "desktop", name="desktop").name == "desktop"


# --- no module-level registry ---------------------------------------------------------------------
def library_modules() -> list[ModuleType]:
    """Every module of the package, subpackages included (``__main__`` runs the CLI), and any
    other ``kasm_constructs`` module already imported (the generated ``imports``)."""
    names = [
        info.name
        for info in pkgutil.walk_packages(kasm_constructs.__path__, "kasm_constructs.")
        if info.name.rsplit(".", 1)[-1] != "__main__"
    ]
    modules = [kasm_constructs, *(importlib.import_module(name) for name in names)]
    loaded = [
        module
        for name, module in sorted(sys.modules.items())
        if name.startswith("kasm_constructs.") and module not in modules
    ]
    return modules + loaded


def module_state(modules: list[ModuleType]) -> dict[str, object]:
    """``module.name`` (or ``module.Class.name``) -> a fingerprint of every module-level value
    (see :func:`fingerprint`). Class attributes count: a class is module-level too."""
    state: dict[str, object] = {}
    for module in modules:
        for name, value in _globals(module):
            state[f"{module.__name__}.{name}"] = fingerprint(value)
    return state


def _globals(module: ModuleType) -> Iterator[tuple[str, object]]:
    for name, value in list(vars(module).items()):
        if name.startswith("__") and name.endswith("__"):
            continue
        yield name, value
        if inspect.isclass(value) and value.__module__ == module.__name__:
            for attribute, member in list(vars(value).items()):
                if not (attribute.startswith("__") and attribute.endswith("__")):
                    yield f"{name}.{attribute}", member


def _has_state(value: object) -> bool:
    """An object whose attributes can hold a registry: an instance, not code or a namespace."""
    return (
        hasattr(value, "__dict__")
        and not callable(value)
        and not isinstance(value, ModuleType | classmethod | staticmethod | property)
    )


def fingerprint(value: object, seen: frozenset[int] = frozenset()) -> object:
    """What a value is bound to and everything it holds: a container (:data:`CONTAINERS`) by its
    items and an object by its attributes, each fingerprinted in turn, to any depth; anything
    else by identity. An entry added, removed or replaced anywhere inside changes it."""
    if id(value) in seen or not (isinstance(value, CONTAINERS) or _has_state(value)):
        return id(value)
    inner = seen | {id(value)}
    held: object
    if isinstance(value, dict | weakref.WeakKeyDictionary | weakref.WeakValueDictionary):
        held = sorted(
            (repr(fingerprint(k, inner)), repr(fingerprint(v, inner)))
            for k, v in list(value.items())
        )
    elif isinstance(value, set | weakref.WeakSet):
        held = sorted(repr(fingerprint(item, inner)) for item in list(value))
    elif isinstance(value, CONTAINERS):
        held = [fingerprint(item, inner) for item in list(value)]
    else:
        held = fingerprint(vars(value), inner)
    return (id(value), type(value).__name__, held)


def build_every_kind() -> cdk8s.App:
    """An app with several constructs of every kind the library offers, synthesized."""
    app = cdk8s.App()
    for team in ("a", "b"):
        chart = cdk8s.Chart(app, team, namespace=f"team-{team}")
        RestrictedNamespace(chart, "namespace", name=f"team-{team}")
        desktops = [
            workspace(chart, f"desktop-{n}", backend_tls_secret=f"tls-{n}", replicas=2)
            for n in range(2)
        ]
        WorkspaceIngress(
            chart, "ingress", workspace=desktops[0], host=f"{team}.example.com", tls_secret="tls"
        )
        WorkspaceCertificate(chart, "certificate", workspace=desktops[1], issuer="desktops-ca")
        WorkspaceRoute(
            chart,
            "route",
            workspace=desktops[1],
            gateway="public",
            gateway_namespace="gateway-system",
            hostnames=[f"{team}-route.example.com"],
            ca_config_map="desktops-ca",
        )
        WorkspaceFleet(
            chart,
            "fleet",
            users={"alice": "desktop", "bob": "desktop"},
            presets={"desktop": {"image": "kasmweb/desktop:1.16.0"}},
            access=FleetAccess.route(
                host="{user}.desktops.example.com",
                gateway="public",
                gateway_namespace="gateway-system",
                ca_config_map="desktops-ca",
            ),
        )
    app.synth_yaml()
    return app


def module_state_changes(build: Callable[[], object]) -> list[str]:
    """The module-level values that ``build()`` adds, rebinds or changes the contents of, once
    it has run once: the first run imports what the library imports on first use (the generated
    ``imports``); a registry grows with every run."""
    build()
    modules = library_modules()
    before = module_state(modules)
    build()
    after = module_state(modules)
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def test_no_module_keeps_a_registry_of_constructs() -> None:
    """Building and synthesizing apps of every construct changes no module-level value of the
    library: no registry, weak or strong (jsii holds every object strongly, so a weak one would
    never shrink either), no counter. Per-app facts live on the app (:class:`AppState`)."""
    assert module_state_changes(build_every_kind) == []


#: name -> (a registry, how a construct enters it)
REGISTRIES: dict[str, tuple[Callable[[], Any], Callable[[Any, object], None]]] = {
    "dict": (dict, lambda r, c: r.__setitem__(id(c), c)),
    "list": (list, lambda r, c: r.append(c)),
    "set": (set, lambda r, c: r.add(c)),
    "WeakSet": (weakref.WeakSet, lambda r, c: r.add(c)),
    "WeakKeyDictionary": (weakref.WeakKeyDictionary, lambda r, c: r.__setitem__(c, True)),
    "list in a dict": (lambda: {"all": []}, lambda r, c: r["all"].append(c)),
    "attribute of an object": (lambda: SimpleNamespace(seen=[]), lambda r, c: r.seen.append(c)),
}


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
def test_a_module_level_registry_is_found(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """The check above can fail: a registry that every HardenedWorkspace enters, kept in a module
    of a subpackage, is named."""
    from kasm_constructs.constructs import workspace as module  # noqa: PLC0415

    make, enter = REGISTRIES[kind]
    registry = make()
    monkeypatch.setattr(module, "_SEEN", registry, raising=False)
    _enter_on_construction(monkeypatch, lambda construct: enter(registry, construct))
    changed = module_state_changes(build_every_kind)
    assert changed == ["kasm_constructs.constructs.workspace._SEEN"]


def test_a_class_level_registry_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    registry: list[object] = []
    monkeypatch.setattr(HardenedWorkspace, "instances", registry, raising=False)
    _enter_on_construction(monkeypatch, registry.append)
    changed = module_state_changes(build_every_kind)
    assert changed == ["kasm_constructs.constructs.workspace.HardenedWorkspace.instances"]


def _enter_on_construction(
    monkeypatch: pytest.MonkeyPatch, enter: Callable[[HardenedWorkspace], None]
) -> None:
    """Make every HardenedWorkspace (a fleet's too) ``enter`` itself once constructed."""
    construct = HardenedWorkspace.__init__

    def entering(self: HardenedWorkspace, *args: Any, **kwargs: Any) -> None:
        construct(self, *args, **kwargs)
        enter(self)

    monkeypatch.setattr(HardenedWorkspace, "__init__", entering)
