"""The synth-time Pod Security guard.

cdk8s runs every construct's validations when it synthesizes. The guard evaluates each
workspace's workload as it will be written, JSON patches included, and refuses to synthesize
one that is no longer Pod Security "restricted".

- One guard per chart judges all the chart's workspaces, so a workspace costs no bridge call
  for its validation at construction.
- cdk8s validates the whole app once per synth and again for every chart it writes
  (``App._synthChart``). Reading a workload's manifest is the expensive part, so the guard
  judges once per synth: while one Python call into cdk8s (``app.synth()``,
  ``app.synth_yaml()``, ``chart.to_json()``, ...) is running, it answers from its last verdict.
- A failed validation reaches Python as a ``RuntimeError`` raised through jsii; when nothing
  catches it, :func:`install_excepthook` prints its message alone, without the JavaScript stack.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import cdk8s
import constructs
import jsii

from ._render import FieldPath, field_path
from .pod_security import evaluate

__all__ = ["Judged", "install_excepthook", "watch"]

_CDK8S_VALIDATION = "Validation failed with the following errors:"
_JSII = str(Path(jsii.__file__).parent) + os.sep


@dataclass(frozen=True)
class Judged:
    """One workspace as the guard sees it."""

    path: str
    manifest: Callable[[], Mapping[str, Any]]
    version: str
    exemptions: Mapping[str, str]
    typed_fields: Sequence[FieldPath]
    #: Messages about cdk8s-plus additions the pod spec patch would drop.
    extra_checks: Callable[[], list[str]]

    def errors(self) -> list[str]:
        """One message per problem that is not exempted."""
        manifest = self.manifest()
        errors = self.extra_checks()
        containers = _lookup(manifest, ("spec", "template", "spec", "containers"))
        if isinstance(containers, list) and len(containers) > 1:
            errors.append(
                f'HardenedWorkspace "{self.path}": the workspace runs one container; '
                f"{len(containers) - 1} more were added through the cdk8s-plus API. Run them "
                "in their own workload."
            )
        errors += [
            f'HardenedWorkspace "{self.path}": field {field_path(path)} is missing from '
            "the output (it is null in the YAML). A JSON patch on a cdk8s-plus workload must "
            'write a quantity or port as {"value": "2Gi"} (cdk8s-team/cdk8s#1184); or set it '
            "through the construct's parameters."
            for path in self.typed_fields
            if _lookup(manifest, path) is None
        ]
        for v in evaluate(manifest, "restricted", self.version):
            if v.check in self.exemptions:
                continue
            where = f'container "{v.container}", ' if v.container else ""
            errors.append(
                f'HardenedWorkspace "{self.path}": {where}field {v.field}: '
                f'violates Pod Security "restricted" (v{self.version}) rule {v.check}: '
                f"{v.message}. To accept it, pass "
                f'pod_security_exemptions={{"{v.check}": "<reason>"}}.'
            )
        return errors


def _synth_call() -> FrameType | None:
    """The frame of the outermost Python call into jsii now running (the user's synth call).

    A validation callback runs inside it. Holding the frame keeps its identity unique, so a
    later synth call, even one made from the same line, is told apart.
    """
    outermost = None
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.startswith(_JSII):
            outermost = frame
        frame = frame.f_back
    return outermost


@jsii.implements(constructs.IValidation)
class _ChartGuard:
    """Judges the workspaces of one chart, once per synth call."""

    def __init__(self) -> None:
        self.workspaces: list[Judged] = []
        self._call: FrameType | None = None
        self._errors: list[str] = []

    def validate(self) -> list[str]:
        call = _synth_call()
        if call is None or call is not self._call:
            self._errors = [error for w in self.workspaces for error in w.errors()]
            self._call = call
        return list(self._errors)


_GUARDS: weakref.WeakKeyDictionary[cdk8s.Chart, _ChartGuard] = weakref.WeakKeyDictionary()


def watch(chart: cdk8s.Chart, workspace: Judged) -> None:
    """Judge ``workspace`` whenever ``chart``'s app synthesizes."""
    guard = _GUARDS.get(chart)
    if guard is None:
        guard = _GUARDS[chart] = _ChartGuard()
        chart.node.add_validation(guard)
    guard.workspaces.append(workspace)


def _lookup(manifest: Mapping[str, Any], path: FieldPath) -> object:
    """The value at ``path`` (keys and list indexes), or None."""
    node: Any = manifest
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            node = node.get(key) if isinstance(node, Mapping) else None
    return node


def install_excepthook() -> None:
    """Print an uncaught cdk8s validation failure as its message, without the jsii stack."""
    previous = sys.excepthook
    if getattr(previous, "_kasm_constructs", False):
        return

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        message = str(error)
        if isinstance(error, RuntimeError) and _CDK8S_VALIDATION in message:
            print(f"cdk8s synth refused: {message.removeprefix('Error: ')}", file=sys.stderr)
            return
        previous(kind, error, trace)

    hook._kasm_constructs = True  # type: ignore[attr-defined]
    sys.excepthook = hook
