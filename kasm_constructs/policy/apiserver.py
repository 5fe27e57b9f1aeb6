"""What the API server would reject in a written workload, checked offline.

The guard runs these on every workload as it is written, JSON patches and cdk8s-plus additions
included, so a manifest that ``kubectl apply`` would refuse is refused at synth instead. Each
check is one rule of ``k8s.io/kubernetes/pkg/apis/core/validation`` (``ValidatePodSpec``,
``ValidateObjectMeta``) or ``pkg/apis/apps/validation``, named beside it. Pure: no jsii.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from kasm_constructs.manifests.grammar import is_port_name, is_quantity

__all__ = ["ANNOTATIONS_LIMIT", "problems"]

#: ValidateAnnotationsSize: the total size of an object's annotations, keys and values.
ANNOTATIONS_LIMIT = 256 * 1024

_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_PORT_HANDLERS = ("livenessProbe", "readinessProbe", "startupProbe")
_LIFECYCLE = ("postStart", "preStop")
# ValidatePodSpec with spec.os.name windows: fields that are Linux-only (validateWindows)
_LINUX_ONLY_POD = (
    "hostUsers",
    "securityContext.seLinuxOptions",
    "securityContext.seccompProfile",
    "securityContext.fsGroup",
    "securityContext.fsGroupChangePolicy",
    "securityContext.sysctls",
    "securityContext.runAsUser",
    "securityContext.runAsGroup",
    "securityContext.supplementalGroups",
)
_LINUX_ONLY_CONTAINER = (
    "securityContext.seLinuxOptions",
    "securityContext.seccompProfile",
    "securityContext.capabilities",
    "securityContext.readOnlyRootFilesystem",
    "securityContext.privileged",
    "securityContext.allowPrivilegeEscalation",
    "securityContext.procMount",
    "securityContext.runAsUser",
    "securityContext.runAsGroup",
)


def _get(node: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _containers(pod: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for kind in _CONTAINER_LISTS:
        for index, container in enumerate(_list(pod.get(kind))):
            if isinstance(container, Mapping):
                yield f"{kind}[{index}]", container


def _is_port(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 1 <= value <= 65535
    return is_port_name(value)


def _quantities(pod: Mapping[str, Any], at: str) -> Iterator[str]:
    """Resource lists and emptyDir sizes are quantities (validateResourceRequirements,
    validateEmptyDirVolumeSource)."""
    for where, container in _containers(pod):
        for kind in ("requests", "limits"):
            amounts = _get(container, f"resources.{kind}")
            for resource, amount in (amounts or {}).items() if isinstance(amounts, Mapping) else ():
                if not is_quantity(amount):
                    yield _typed(f"{at}.{where}.resources.{kind}.{resource}", amount, "a quantity")
    for index, volume in enumerate(_list(pod.get("volumes"))):
        empty_dir = _get(volume, "emptyDir")
        size = _get(volume, "emptyDir.sizeLimit")
        if isinstance(empty_dir, Mapping) and "sizeLimit" in empty_dir and not is_quantity(size):
            yield _typed(f"{at}.volumes[{index}].emptyDir.sizeLimit", size, "a quantity")


def _typed(field: str, value: object, expected: str) -> str:
    return (
        f"field {field} is {json.dumps(value)}, not {expected}. JSON patches on "
        "ApiObject.of(workspace.workload) are applied as written, after the workspace's own "
        'fields: write plain values ("8Gi", not {"value": "8Gi"}).'
    )


def _ports(pod: Mapping[str, Any], at: str) -> Iterator[str]:
    """Probe and lifecycle ports are a number from 1 to 65535 or a port name."""
    for where, container in _containers(pod):
        handlers = [*_PORT_HANDLERS, *(f"lifecycle.{name}" for name in _LIFECYCLE)]
        for handler in handlers:
            for action in ("httpGet", "tcpSocket"):
                node = _get(container, f"{handler}.{action}")
                if isinstance(node, Mapping) and not _is_port(node.get("port")):
                    yield _typed(
                        f"{at}.{where}.{handler}.{action}.port", node.get("port"), "a port"
                    )


def _volumes(pod: Mapping[str, Any], claims: set[str], at: str) -> Iterator[str]:
    """Volume names are unique, every mount names a volume, and no two mounts of a container
    share a path (validateVolumes, validateVolumeMounts)."""
    names: set[str] = set()
    for index, volume in enumerate(_list(pod.get("volumes"))):
        name = volume.get("name") if isinstance(volume, Mapping) else None
        if name in names:
            yield f'field {at}.volumes[{index}].name: volume "{name}" is defined twice'
        names.add(str(name))
    known = names | claims
    for where, container in _containers(pod):
        paths: set[str] = set()
        for index, mount in enumerate(_list(container.get("volumeMounts"))):
            if not isinstance(mount, Mapping):
                continue
            field = f"{at}.{where}.volumeMounts[{index}]"
            if mount.get("name") not in known:
                yield (
                    f'field {field}.name: mounts volume "{mount.get("name")}", which the pod does '
                    "not define (a volume added through the cdk8s-plus API of another object, or "
                    "removed by a JSON patch?)"
                )
            path = str(mount.get("mountPath"))
            if path in paths:
                yield f'field {field}.mountPath: "{path}" is mounted twice in one container'
            paths.add(path)


def _annotations(metadata: object, at: str) -> Iterator[str]:
    annotations = _get(metadata, "annotations")
    if isinstance(annotations, Mapping):
        size = sum(len(str(k)) + len(str(v)) for k, v in annotations.items())
        if size > ANNOTATIONS_LIMIT:
            yield (
                f"field {at}.annotations: {size} bytes of annotations; the API server accepts at "
                f"most {ANNOTATIONS_LIMIT} (256 KiB)"
            )


def _windows(pod: Mapping[str, Any], at: str) -> Iterator[str]:
    """A pod with ``os.name: windows`` may not set Linux-only fields (validateWindows)."""
    if _get(pod, "os.name") != "windows":
        return
    set_fields = [f"{at}.{f}" for f in _LINUX_ONLY_POD if _get(pod, f) is not None]
    for where, container in _containers(pod):
        set_fields += [
            f"{at}.{where}.{f}" for f in _LINUX_ONLY_CONTAINER if _get(container, f) is not None
        ]
    if set_fields:
        yield (
            f"field {at}.os.name is windows, but a Windows pod may not set the Linux-only "
            f"fields {', '.join(set_fields)}"
        )


def problems(manifest: Mapping[str, Any]) -> list[str]:
    """One message per reason the API server would reject the workload ``manifest``."""
    spec = manifest.get("spec")
    if not isinstance(spec, Mapping):
        return ["field spec: missing or not an object"]
    template = spec.get("template")
    pod = _get(template, "spec")
    if not isinstance(pod, Mapping):
        return ["field spec.template.spec: missing or not an object"]
    found = list(_annotations(manifest.get("metadata"), "metadata"))
    found += _annotations(_get(template, "metadata"), "spec.template.metadata")
    selector = _get(spec, "selector.matchLabels")
    labels = _get(template, "metadata.labels") or {}
    if isinstance(selector, Mapping):
        missing = {k: v for k, v in selector.items() if labels.get(k) != v}
        if missing:
            found.append(
                f"field spec.template.metadata.labels: the selector {dict(selector)} does not "
                f"select the pods, whose labels differ at {missing} (a label changed through "
                "the cdk8s-plus API or a JSON patch?)"
            )
    claims = {str(_get(c, "metadata.name")) for c in _list(spec.get("volumeClaimTemplates"))}
    at = "spec.template.spec"
    found += _quantities(pod, at)
    found += _ports(pod, at)
    found += _volumes(pod, claims, at)
    found += _windows(pod, at)
    for index, claim in enumerate(_list(spec.get("volumeClaimTemplates"))):
        storage = _get(claim, "spec.resources.requests.storage")
        if not is_quantity(storage):
            found.append(
                _typed(
                    f"spec.volumeClaimTemplates[{index}].spec.resources.requests.storage",
                    storage,
                    "a quantity",
                )
            )
    return found
