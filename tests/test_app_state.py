"""The library's per-app bookkeeping (``_tree.AppState``): one construct at the app's root,
found once per scope (each lookup is three calls across the jsii bridge) and remembered on the
scope itself, never in a module-level registry, never shared between apps."""

from __future__ import annotations

import importlib
import pkgutil
import weakref

import cdk8s
import pytest

import kasm_constructs
from kasm_constructs import ConfigurationError, HardenedWorkspace
from kasm_constructs.constructs import _tree
from kasm_constructs.constructs._tree import AppState

MODULES = [m for m in pkgutil.iter_modules(kasm_constructs.__path__) if m.name != "__main__"]
WEAK_REGISTRIES = (weakref.WeakKeyDictionary, weakref.WeakValueDictionary, weakref.WeakSet)
SECRET_ENV = {"VNC_PW": ("kasm-secrets", "vnc-password")}


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


def test_no_module_keeps_a_registry_of_constructs() -> None:
    """jsii holds every object strongly, so a module-level weak registry never shrinks."""
    registries = [
        f"{module.__name__}.{name}"
        for module in (importlib.import_module(f"kasm_constructs.{m.name}") for m in MODULES)
        for name, value in vars(module).items()
        if isinstance(
            value, (weakref.WeakKeyDictionary, weakref.WeakValueDictionary, weakref.WeakSet)
        )
    ]
    assert registries == []
