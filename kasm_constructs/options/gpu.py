"""``Gpu``: a GPU for a desktop, through a device plugin, under Pod Security "restricted".

A desktop asks for the device plugin's extended resource; the plugin gives the container the
device nodes, so no ``hostPath`` ``/dev/dri`` is mounted (Kasm's GPU guide: a hostPath device
"appears, but opening it fails with Operation not permitted"). KasmVNC renders with the GPU
through DRI3 (``-hw3d``) when the render node can be opened: the image turns it on when ``HW3D``
is set, with the node in ``DRINODE``; the desktop's user opens it through the node's group
(``render`` or ``video``), whose id differs per node, hence ``supplemental_groups``.

VirtualGL (``KASM_EGL_CARD``, ``KASM_RENDERD``) is not used: the images start it only when the
desktop's user *owns* both device files (``-O``), which device-plugin nodes are not (Kasm's own
installer makes it so by running ``chown`` as root, which a restricted pod cannot).

Sources:

- [core] kasmtech/workspaces-core-images release/1.16.0 ``src/common/startup_scripts/
  vnc_startup.sh`` L50-56 (``DRINODE`` defaults to ``/dev/dri/renderD128``; any value of
  ``HW3D``, even ``false``, turns on ``-hw3d``), L198, L218 (VirtualGL only with ``-O``);
  ``dockerfile-kasm-core`` L28-31, L218 (the NVIDIA EGL vendor file and library path).
- [helm] kasmtech/kasm-helm ``docs/how-to/nodes/gpu.md`` ("Why this is needed", steps 4-6):
  ``nvidia.com/gpu`` (GPU Operator), ``kasm.com/dri`` (Kasm's DRI device plugin, which sets
  ``DRINODE``), the ``render``/``video`` groups, user namespaces cannot open DRI nodes.
- [nvidia] NVIDIA/k8s-device-plugin v0.20.0 ``README.md`` L104-113, L170-188; NVIDIA/gpu-operator
  ``deployments/gpu-operator/values.yaml`` L81 (RuntimeClass ``nvidia``).
- [intel] intel/intel-device-plugins-for-kubernetes ``cmd/gpu_plugin/README.md`` L44-52
  (``gpu.intel.com/i915``, ``gpu.intel.com/xe``).
- [quota] kubernetes/website ``concepts/policy/resource-quotas.md``, "Resource Quota For
  Extended Resources": only ``requests.`` quota items for extended resources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from kasm_constructs.manifests.grammar import (
    check_absolute_path,
    check_dns_subdomain,
    check_int,
    fail,
    is_extended_resource,
)
from kasm_constructs.options.forms import Factories, Form

__all__ = ["DRI_RESOURCE", "NVIDIA_RESOURCE", "Gpu"]

#: The GPU Operator's and NVIDIA device plugin's resource [nvidia].
NVIDIA_RESOURCE = "nvidia.com/gpu"
#: Kasm's DRI device plugin's resource, for Intel and AMD GPUs [helm].
DRI_RESOURCE = "kasm.com/dri"


@dataclass(frozen=True)
class Gpu:
    """A GPU for a desktop. Make one with :meth:`nvidia` or :meth:`dri`."""

    #: The device plugin's extended resource, asked for in requests and limits.
    resource: str
    count: int = 1
    #: The pod's ``runtimeClassName`` (e.g. ``nvidia`` with the GPU Operator), or ``None``.
    runtime_class_name: str | None = None
    #: The pod's ``supplementalGroups``: the ids of the render and video groups on the nodes.
    supplemental_groups: Sequence[int] = ()
    #: What the image needs to render with it [core].
    env: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not is_extended_resource(self.resource):
            fail("Gpu(resource)", self.resource, "expected an extended resource, 'domain/name'")
        check_int("Gpu(count)", self.count, minimum=1, maximum=64)
        if self.runtime_class_name is not None:
            check_dns_subdomain("Gpu(runtime_class_name)", self.runtime_class_name)
        if isinstance(self.supplemental_groups, str) or not isinstance(
            self.supplemental_groups, Sequence
        ):
            fail("Gpu(supplemental_groups)", self.supplemental_groups, "expected group ids")
        for gid in self.supplemental_groups:
            check_int("Gpu(supplemental_groups) item", gid, minimum=1, maximum=2**31 - 1)
        object.__setattr__(self, "supplemental_groups", tuple(self.supplemental_groups))
        object.__setattr__(self, "env", MappingProxyType(dict(self.env)))

    @classmethod
    def nvidia(
        cls,
        count: int = 1,
        runtime_class_name: str | None = None,
        *,
        supplemental_groups: Sequence[int] = (),
        drinode: str | None = None,
    ) -> Gpu:
        """An NVIDIA GPU (``nvidia.com/gpu``): the NVIDIA runtime adds its device nodes.
        ``runtime_class_name``: ``"nvidia"`` where the runtime is not the node's default (the
        GPU Operator's RuntimeClass). ``supplemental_groups``: the nodes' render and video group
        ids; ``drinode``: the render node, where it is not ``/dev/dri/renderD128``."""
        return cls(
            NVIDIA_RESOURCE,
            count,
            runtime_class_name,
            supplemental_groups,
            _env(drinode),
        )

    @classmethod
    def dri(
        cls,
        resource: str = DRI_RESOURCE,
        count: int = 1,
        *,
        supplemental_groups: Sequence[int] = (),
        drinode: str | None = None,
        runtime_class_name: str | None = None,
    ) -> Gpu:
        """An Intel or AMD GPU through a DRI device plugin: ``kasm.com/dri`` (Kasm's, which sets
        ``DRINODE`` itself), ``gpu.intel.com/i915`` or ``gpu.intel.com/xe`` (Intel's; give
        ``drinode`` on nodes with several GPUs). ``supplemental_groups``: the nodes' render
        and video group ids (without them the desktop's user cannot open the node)."""
        return cls(resource, count, runtime_class_name, supplemental_groups, _env(drinode))

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{nvidia: {count, ...}}`` or ``{dri: {resource, ...}}``."""
        return Factories(cls, ("nvidia", "dri"))


def _env(drinode: str | None) -> dict[str, str]:
    """``HW3D`` (any value turns ``-hw3d`` on [core]) and, when given, ``DRINODE``."""
    env = {"HW3D": "true"}
    if drinode is not None:
        check_absolute_path("Gpu(drinode)", drinode)
        if not drinode.startswith("/dev/dri/"):
            fail("Gpu(drinode)", drinode, "expected a render node, e.g. '/dev/dri/renderD129'")
        env["DRINODE"] = drinode
    return env
