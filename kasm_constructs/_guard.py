"""The synth-time Pod Security guard.

cdk8s runs every construct's validations in ``app.synth()``. The guard evaluates the workload as
it will be written, JSON patches included, and refuses to synthesize one that is no longer
Pod Security "restricted". A failed validation reaches Python as a ``RuntimeError`` raised
through jsii; when nothing catches it, :func:`install_excepthook` prints its message alone,
without the JavaScript stack.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

import constructs
import jsii

from ._render import FieldPath, field_path
from .pod_security import evaluate

__all__ = ["PodSecurityGuard", "install_excepthook"]

_CDK8S_VALIDATION = "Validation failed with the following errors:"


@jsii.implements(constructs.IValidation)
class PodSecurityGuard:
    """Validates one workload's final manifest against Pod Security "restricted"."""

    def __init__(
        self,
        workspace: str,
        manifest: Callable[[], Mapping[str, Any]],
        version: str,
        exemptions: Mapping[str, str],
        typed_fields: Sequence[FieldPath],
        extra_checks: Callable[[], list[str]],
    ) -> None:
        self._workspace = workspace
        self._manifest = manifest
        self._version = version
        self._exemptions = exemptions
        self._typed_fields = typed_fields
        self._extra_checks = extra_checks

    def validate(self) -> list[str]:
        """Called by cdk8s at synth: one message per violation that is not exempted."""
        manifest = self._manifest()
        errors = self._extra_checks()
        errors += [
            f'HardenedWorkspace "{self._workspace}": field {field_path(path)} is missing from '
            "the output (it is null in the YAML). A JSON patch on a cdk8s-plus workload must "
            'write a quantity or port as {"value": "2Gi"} (cdk8s-team/cdk8s#1184); or set it '
            "through the construct's parameters."
            for path in self._typed_fields
            if _lookup(manifest, path) is None
        ]
        for v in evaluate(manifest, "restricted", self._version):
            if v.check in self._exemptions:
                continue
            where = f'container "{v.container}", ' if v.container else ""
            errors.append(
                f'HardenedWorkspace "{self._workspace}": {where}field {v.field}: '
                f'violates Pod Security "restricted" (v{self._version}) rule {v.check}: '
                f"{v.message}. To accept it, pass "
                f'pod_security_exemptions={{"{v.check}": "<reason>"}}.'
            )
        return errors


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
