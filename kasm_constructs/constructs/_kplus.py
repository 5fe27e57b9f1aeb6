"""The one module that knows how cdk8s-plus renders a workload, and how a workspace's own
fields join it.

A workspace's ``workload`` is a cdk8s-plus ``Deployment`` or ``StatefulSet``, so it composes
with cdk8s-plus (selectors, scheduling, connections, ``ApiObject.of``). cdk8s-plus renders it
through an API object of its own, which converts its JSON *after* JSON patches and reads
``.value`` of every quantity and port (cdk8s-team/cdk8s#908, #1184). So the workspace replaces
that API object with a :class:`WorkloadObject`, whose ``to_json``

1. renders cdk8s-plus's object (metadata, replicas, scheduling, everything the cdk8s-plus API
   added), with a placeholder where the workspace container goes (cdk8s-plus renders no pod
   without a container);
2. merges the fields the workspace owns (``_render.merge_workload``, pure), in place of the
   placeholder: plain JSON, nothing to wrap;
3. applies the JSON patches given to ``ApiObject.of(workspace.workload)``, in order, as plain
   JSON (so ``"8Gi"`` stays ``"8Gi"`` and ``hostPID`` stays ``hostPID``);
4. has the guard judge the result, and returns it: what is judged is what is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus

from kasm_constructs._pipeline.render import merge_workload
from kasm_constructs.policy.guard import refusal

__all__ = ["PLACEHOLDER_KEYS", "WorkloadObject", "placeholder", "select"]

#: The fields cdk8s-plus renders for the placeholder container. Anything else on it was added
#: through the cdk8s-plus API (``workload.containers[0].env``, ``.mount(...)``, ...) and would
#: be lost when the workspace container takes its place, so it is refused.
PLACEHOLDER_KEYS = frozenset({"image", "imagePullPolicy", "name", "resources", "securityContext"})

#: The guard: (manifest, problems found while merging) -> every error, worded for the user.
Judge = Callable[[Mapping[str, Any], list[str]], list[str]]


def placeholder(name: str, image: str) -> kplus.ContainerProps:
    """The container cdk8s-plus renders where the workspace container will go."""
    return kplus.ContainerProps(name=name, image=image)


class WorkloadObject(cdk8s.ApiObject):
    """The API object of a workspace's cdk8s-plus workload (see the module docstring).

    It takes the place of cdk8s-plus's own object as the workload's ``Resource`` child, so
    ``ApiObject.of(workspace.workload)`` returns it. ``metadata`` is cdk8s-plus's, so labels and
    annotations added through either object reach the manifest.
    """

    def __init__(
        self,
        workload: kplus.Deployment | kplus.StatefulSet,
        *,
        kind: str,
        api_version: str,
        name: str,
        owned: Mapping[str, Any],
        judge: Judge,
    ) -> None:
        source = cdk8s.ApiObject.of(workload)
        workload.node.try_remove_child("Resource")
        super().__init__(
            workload,
            "Resource",
            api_version=api_version,
            kind=kind,
            metadata=cdk8s.ApiObjectMetadata(name=name),
        )
        self._source = source
        self._owned = owned
        self._judge = judge
        self._patches: list[cdk8s.JsonPatch] = []

    @property
    def metadata(self) -> cdk8s.ApiObjectMetadataDefinition:
        """The object's metadata (cdk8s-plus's)."""
        return self._source.metadata

    def add_json_patch(self, *ops: cdk8s.JsonPatch) -> None:
        """Patch the manifest after the workspace's fields are in place. Write plain JSON:
        ``"8Gi"``, not ``{"value": "8Gi"}``."""
        self._patches.extend(ops)

    def to_json(self) -> Any:
        """The manifest as written: cdk8s-plus's rendering, the workspace's fields, the JSON
        patches, judged by the guard."""
        manifest: dict[str, Any] = self._source.to_json()
        problems = merge_workload(manifest, self._owned, placeholder_keys=PLACEHOLDER_KEYS)
        if self._patches:
            manifest = cdk8s.JsonPatch.apply(manifest, *self._patches)
        errors = self._judge(manifest, problems)
        if errors:
            raise refusal(errors)
        return manifest


def select(service: kplus.Service, labels: Mapping[str, str]) -> None:
    """Make ``service`` select exactly ``labels`` (cdk8s-plus's StatefulSet adds its own
    ``cdk8s.io/metadata.addr`` selector to its Service, which this replaces)."""
    cdk8s.ApiObject.of(service).add_json_patch(cdk8s.JsonPatch.add("/spec/selector", dict(labels)))
