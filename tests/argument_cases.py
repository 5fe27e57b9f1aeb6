"""The argument cases' machinery: how ``tests/test_args_*.py`` state a wrong argument and the
checks each case is held to (not a test module).

The contract: a wrong argument raises ``ValueError`` (the library's ``ConfigurationError``)
before anything is added to the construct tree. The message is plain Python (no jsii, no
JavaScript stack), starts with the parameter, shows the value and says what is allowed:
``"<parameter>: got <repr(value)>; <what is allowed>"``, where a value that may be a credential
is shown as ``<str of N characters, not shown>``.

A :class:`Case` is one wrong argument and what its error must say. By what the mistake is given
to, it gets these checks:

- a construct built in a chart (:func:`ws`, :func:`namespace`, :func:`ingress`,
  :func:`construct`, ...): :func:`check_raises`, :func:`check_tree_unchanged` and
  :func:`check_plain_python`, which need jsii;
- of those, the ``HardenedWorkspace`` keywords (:func:`ws`) also go through
  ``resolve({...})``, the pure step that finds every argument mistake:
  :func:`check_resolve`, without jsii (``tests/unit/test_resolve_cases.py``);
- a value object's factory or constructor (:func:`value`: ``Probe``, ``NetworkPeer``, ``Home``,
  ``SecretKeyRef``, ``ImageProfile``): :func:`check_raises` and :func:`check_plain_python`,
  without jsii. No chart is involved, so there is no tree to compare.

Each ``tests/test_args_<subject>.py`` holds the ``CASES`` of one subject (and the tests only that
subject needs); ``tests/test_args.py`` runs the checks above over the cases of every subject.

Nothing here imports cdk8s before a case is built in a chart: the case tables are read by the
jsii-free unit tests.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

import kasm_constructs as kc
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.manifests.grammar import ConfigurationError

if TYPE_CHECKING:
    import cdk8s

#: The baseline: every workspace case differs from it by the keywords it names.
VNC: dict[str, Any] = {"VNC_PW": ("kasm-secrets", "vnc-password")}
BASE: dict[str, Any] = {"image": "kasmweb/desktop:1.16.0", "secret_env": VNC}
GENERIC_IMAGE = "nginx:1.25"
HOME = "/home/kasm-user"
#: ``default_name`` for the cases run through ``resolve``.
DEFAULT_NAME = "desk"
#: The id of the library's per-app bookkeeping construct (``_tree.AppState.ID``), at the root.
APP_STATE_ID = "kasm-constructs"

Thunk = Callable[[], object]
Prepare = Callable[["cdk8s.Chart"], Thunk]

_JS_NOISE = ("jsii", "@jsii", "at Kernel", "at Object.", "node:internal")


def cdk8s_module() -> ModuleType:
    """cdk8s, imported when a case is built, not when the tables are read."""
    return importlib.import_module("cdk8s")


# --- how a case makes its mistake ---------------------------------------------------------------
@dataclass(frozen=True)
class Build:
    """Exactly one of ``prepare`` (a construct in a chart) and ``call`` (a value object)."""

    #: Builds what the case needs in the chart, then returns the construction to be refused.
    prepare: Prepare | None = None
    #: The factory call to be refused; it needs no chart.
    call: Thunk | None = None
    #: For a ``HardenedWorkspace`` case: its keywords, which ``resolve`` must refuse too.
    arguments: Mapping[str, Any] | None = None


def ws(**overrides: Any) -> Build:
    """The baseline workspace ``desktop`` with ``overrides``."""
    arguments = {**BASE, **overrides}

    def prepare(chart: cdk8s.Chart) -> Thunk:
        return lambda: kc.HardenedWorkspace(chart, "desktop", **arguments)

    return Build(prepare=prepare, arguments=arguments)


def value(function: Callable[..., object], *args: Any, **kwargs: Any) -> Build:
    """A value object's factory (or constructor): no chart, no jsii."""
    return Build(call=lambda: function(*args, **kwargs))


def construct(prepare: Prepare) -> Build:
    """Any construction in the chart: ``prepare(chart)`` returns the call to be refused."""
    return Build(prepare=prepare)


def namespace(**overrides: Any) -> Build:
    kwargs = {"name": "kasm", **overrides}
    return construct(lambda chart: lambda: kc.RestrictedNamespace(chart, "namespace", **kwargs))


def ingress(
    target: Mapping[str, Any] | None = None, construct_id: str = "ingress", **overrides: Any
) -> Build:
    """A WorkspaceIngress for a workspace built first (with ``target`` overrides)."""

    def prepare(chart: cdk8s.Chart) -> Thunk:
        workspace = kc.HardenedWorkspace(chart, "desktop", **{**BASE, **(target or {})})
        kwargs = {
            "workspace": workspace,
            "host": "desktop.example.com",
            "tls_secret": "desktop-tls",
            **overrides,
        }
        return lambda: kc.WorkspaceIngress(chart, construct_id, **kwargs)

    return construct(prepare)


def ingress_without_workspace(**overrides: Any) -> Build:
    kwargs = {"host": "desktop.example.com", "tls_secret": "desktop-tls", **overrides}
    return construct(lambda chart: lambda: kc.WorkspaceIngress(chart, "ingress", **kwargs))


def twice(first: Mapping[str, Any], second: Mapping[str, Any], *, ids: tuple[str, str]) -> Build:
    """One workspace, then a second one in the same chart (the one to be refused)."""

    def prepare(chart: cdk8s.Chart) -> Thunk:
        kc.HardenedWorkspace(chart, ids[0], **{**BASE, **first})
        return lambda: kc.HardenedWorkspace(chart, ids[1], **{**BASE, **second})

    return construct(prepare)


# --- what the error must say --------------------------------------------------------------------
class Shown:
    """A value as a message must show it, written out: ``Shown("<str of 8 characters, not
    shown>")`` for a hidden credential."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Case:
    id: str
    build: Build
    #: ``error.parameter``, exactly.
    parameter: str
    #: The value as shown after ``got``: all of it (``exact``), or a part of it.
    shows: str
    exact: bool
    #: More regexes the message must match.
    extra: tuple[str, ...] = ()

    @property
    def in_chart(self) -> bool:
        return self.build.prepare is not None

    @property
    def resolvable(self) -> bool:
        return self.build.arguments is not None

    def check_message(self, message: str) -> None:
        if self.exact:
            start = f"{self.parameter}: got {self.shows}; "
            assert message.startswith(start), f"{message!r} does not start with {start!r}"
        else:
            # The part is looked for after "got" and before the "; allowed" part, so text that
            # merely appears in the explanation (an example value, say) does not count.
            pattern = f"^{re.escape(self.parameter)}: got [^;]*?{re.escape(self.shows)}"
            assert re.search(pattern, message), f"{message!r} does not match {pattern!r}"
        for extra in self.extra:
            assert re.search(extra, message), f"{extra!r} not in {message!r}"


def bad(
    id: str,
    build: Build,
    parameter: str,
    value: object = None,
    *extra: str,
    shows: str | None = None,
) -> Case:
    """A case whose error names ``parameter`` and shows ``repr(value)`` exactly, or, with
    ``shows``, shows that text as part of the value."""
    if shows is None:
        return Case(id, build, parameter, repr(value), True, extra)
    return Case(id, build, parameter, shows, False, extra)


def params(cases: Iterable[Case], *, in_chart: bool) -> list[Any]:
    """``pytest.param`` per case, of the construct cases or of the value-object cases."""
    return [pytest.param(case, id=case.id) for case in cases if case.in_chart == in_chart]


def resolvable(cases: Iterable[Case]) -> list[Any]:
    return [pytest.param(case, id=case.id) for case in cases if case.resolvable]


#: The subjects: one ``tests/test_args_<subject>.py`` each.
SUBJECTS = (
    "constructs",
    "env",
    "image",
    "lifecycle",
    "metadata",
    "network",
    "probes",
    "resources",
    "storage",
)


def subject_modules() -> list[ModuleType]:
    return [importlib.import_module(f"tests.test_args_{subject}") for subject in SUBJECTS]


def all_cases() -> list[Case]:
    """The ``CASES`` of every subject."""
    return [case for module in subject_modules() for case in module.CASES]


# --- the checks ---------------------------------------------------------------------------------
def raised(build: Thunk) -> ValueError:
    """The ``ValueError`` that ``build()`` raises. Anything else fails in one line: a jsii
    error carries a JavaScript stack that takes pytest ~0.4 s to format."""
    try:
        build()
    except ValueError as error:
        return error
    except Exception as error:
        pytest.fail(f"{type(error).__name__} instead of ValueError: {error}"[:500], pytrace=False)
    pytest.fail("DID NOT RAISE ValueError", pytrace=False)


def _refused(case: Case, chart: cdk8s.Chart | None) -> ValueError:
    if case.build.call is not None:
        return raised(case.build.call)
    assert case.build.prepare is not None and chart is not None
    return raised(case.build.prepare(chart))


def resolve_error(case: Case) -> ValueError:
    """What ``resolve`` raises for a workspace case's keywords (pure: no jsii)."""
    assert case.build.arguments is not None
    arguments = case.build.arguments
    return raised(lambda: resolve(arguments, default_name=DEFAULT_NAME, chart_labels={}))


def check_raises(case: Case, chart: cdk8s.Chart | None = None) -> None:
    """A ``ValueError`` whose message names the parameter and shows the value."""
    case.check_message(str(_refused(case, chart)))


def check_plain_python(case: Case, chart: cdk8s.Chart | None = None) -> None:
    """A ``ConfigurationError`` with ``parameter`` and ``value`` as its message shows them, and
    no trace of jsii; a workspace's is exactly what ``resolve`` raises."""
    error = _refused(case, chart)
    message = str(error)
    for noise in _JS_NOISE:
        assert noise not in message, f"{noise!r} in {message!r}"
    assert type(error).__module__.split(".")[0] not in ("jsii", "constructs", "cdk8s")
    assert isinstance(error, ConfigurationError), type(error)
    assert error.parameter == case.parameter
    assert message.startswith(f"{error.parameter}: got {error.value!r}; "), message
    if case.exact:
        assert repr(error.value) == case.shows
    if case.resolvable:
        assert message == str(resolve_error(case))


def check_resolve(case: Case) -> None:
    """``resolve`` refuses a workspace case's keywords as the construct does."""
    error = resolve_error(case)
    assert isinstance(error, ConfigurationError), type(error)
    assert error.parameter == case.parameter
    case.check_message(str(error))


def tree(chart: cdk8s.Chart) -> dict[str, object]:
    """What a refused construction must leave as it was: the chart's children, every construct
    of the app (by path) and the object names the library has handed out in the app.

    The library's bookkeeping construct at the root is compared by what it holds (the names
    taken), not listed among the constructs; that a refused construction does not make it is
    ``test_args_metadata.test_a_refused_construction_adds_no_bookkeeping_construct``.
    """
    # Every read is a call across the jsii bridge (~0.4 ms): each path is read once.
    constructs = {c.node.path: c for c in chart.node.root.node.find_all()}  # parents first
    state = constructs.pop(APP_STATE_ID, None)
    prefix = f"{chart.node.path}/"
    return {
        "chart children": [
            p[len(prefix) :]
            for p in constructs
            if p.startswith(prefix) and "/" not in p[len(prefix) :]
        ],
        "app constructs": list(constructs),
        "names claimed": {} if state is None else dict(state.claimed),
    }


def check_tree_unchanged(case: Case, chart: cdk8s.Chart) -> None:
    """The refused construction leaves the construct tree (and the names taken) as it was."""
    assert case.build.prepare is not None
    build = case.build.prepare(chart)
    before = tree(chart)
    raised(build)
    assert tree(chart) == before
