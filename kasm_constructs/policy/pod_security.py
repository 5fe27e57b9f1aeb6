"""Evaluate Kubernetes manifests against the Pod Security Standards.

A pure-Python reading of the checks in kubernetes/pod-security-admission (``policy/check_*.go``):
the same check IDs, levels and policy versions, applied to plain manifest dicts so that a
synthesized chart can be audited without a cluster.

Like upstream, the restricted level is every baseline check plus the restricted checks, where a
restricted check may *override* the baseline check for the same concern (for example
``capabilities_restricted`` replaces ``capabilities_baseline``), so one problem is reported once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, NamedTuple

__all__ = [
    "APPARMOR_ANNOTATION_LOCALHOST_PREFIX",
    "APPARMOR_ANNOTATION_PREFIX",
    "APPARMOR_ANNOTATION_VALUES",
    "APPARMOR_PROFILE_TYPES",
    "BASELINE_ADDABLE_CAPABILITIES",
    "CONTAINER_FIELDS",
    "EXEMPTION_ANNOTATION",
    "GENERIC_POD_TEMPLATE_PATHS",
    "HOST_FIELD_ACTIONS",
    "HOST_FIELD_HANDLERS",
    "HOST_NAMESPACE_FIELDS",
    "LATEST_VERSION",
    "LEVELS",
    "POD_TEMPLATE_PATHS",
    "PROC_MOUNT_TYPES",
    "RESTRICTED_ADDABLE_CAPABILITIES",
    "RESTRICTED_REQUIRED_DROP",
    "RESTRICTED_VOLUME_SOURCES",
    "SAFE_SYSCTLS",
    "SECCOMP_PROFILE_TYPES",
    "SELINUX_FORBIDDEN_OPTIONS",
    "SELINUX_TYPES",
    "SUPPORTED_VERSIONS",
    "USER_NAMESPACE_EXEMPT_FROM",
    "WINDOWS_EXEMPT_FROM",
    "PodSecurityExemption",
    "RefusedAnnotation",
    "Violation",
    "check_ids",
    "evaluate",
    "evaluate_exempted",
    "exemption_annotations",
    "exemption_refusal",
    "exemptions_from_annotations",
    "overriding_check",
    "pod_template",
    "pod_template_path",
    "read_exemptions",
]

LATEST_VERSION: Final[str] = "1.37"
SUPPORTED_VERSIONS: Final[tuple[str, ...]] = tuple(f"1.{minor}" for minor in range(23, 38))
LEVELS: Final[tuple[str, ...]] = ("baseline", "restricted")

# ---------------------------------------------------------------------------------------------
# Policy data. A versioned table maps the policy version that introduced some entries to those
# entries; a policy version sees every entry introduced at or before it.
# ---------------------------------------------------------------------------------------------

# policy/check_capabilities_baseline.go (capabilities_allowed_1_0)
BASELINE_ADDABLE_CAPABILITIES: Final = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)

# policy/check_capabilities_restricted.go (capabilityAll, capabilityNetBindService)
RESTRICTED_REQUIRED_DROP: Final = "ALL"
RESTRICTED_ADDABLE_CAPABILITIES: Final = frozenset({"NET_BIND_SERVICE"})

# policy/check_sysctls.go (sysctls_allowed_1_0, _1_27, _1_29, _1_32, sysctlsAllowedV1Dot37)
SAFE_SYSCTLS: Final[Mapping[str, frozenset[str]]] = {
    "1.0": frozenset(
        {
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start",
        }
    ),
    "1.27": frozenset({"net.ipv4.ip_local_reserved_ports"}),
    "1.29": frozenset(
        {
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        }
    ),
    "1.32": frozenset({"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}),
    "1.37": frozenset({"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}),
}

# policy/check_seLinuxOptions.go (selinuxAllowedTypes1_0, selinuxAllowedTypes1_31).
# The empty string stands for an unset type.
SELINUX_TYPES: Final[Mapping[str, frozenset[str]]] = {
    "1.0": frozenset({"", "container_t", "container_init_t", "container_kvm_t"}),
    "1.31": frozenset({"container_engine_t"}),
}
# policy/check_seLinuxOptions.go: these seLinuxOptions must stay empty.
SELINUX_FORBIDDEN_OPTIONS: Final = ("user", "role")

# policy/check_appArmorProfile.go: the securityContext.appArmorProfile field ...
APPARMOR_PROFILE_TYPES: Final = frozenset({"RuntimeDefault", "Localhost"})
# ... and the deprecated per-container annotation (empty, runtime/default or localhost/<name>).
APPARMOR_ANNOTATION_PREFIX: Final = "container.apparmor.security.beta.kubernetes.io/"
APPARMOR_ANNOTATION_VALUES: Final = frozenset({"", "runtime/default"})
APPARMOR_ANNOTATION_LOCALHOST_PREFIX: Final = "localhost/"

# policy/check_seccompProfile_baseline.go (validSeccomp), also used by the restricted check
SECCOMP_PROFILE_TYPES: Final = frozenset({"RuntimeDefault", "Localhost"})

# policy/check_procMount_baseline.go (corev1.DefaultProcMount)
PROC_MOUNT_TYPES: Final = frozenset({"Default"})

# policy/check_restrictedVolumes.go: the only volume sources the restricted level allows
RESTRICTED_VOLUME_SOURCES: Final = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "image",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)

# policy/check_hostNamespaces.go
HOST_NAMESPACE_FIELDS: Final = ("hostNetwork", "hostPID", "hostIPC")

# policy/check_hostProbesAndhostLifecycle.go: handlers whose httpGet/tcpSocket host must be empty
HOST_FIELD_HANDLERS: Final = (
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle.postStart",
    "lifecycle.preStop",
)
HOST_FIELD_ACTIONS: Final = ("httpGet", "tcpSocket")

# Windows pods (spec.os.name: windows) skip these checks from the given policy version on.
# policy/check_allowPrivilegeEscalation.go, check_seccompProfile_restricted.go,
# check_capabilities_restricted.go (the 1.25 revisions)
WINDOWS_EXEMPT_FROM: Final[Mapping[str, str]] = {
    "allowPrivilegeEscalation": "1.25",
    "seccompProfile_restricted": "1.25",
    "capabilities_restricted": "1.25",
}

# Pods in a user namespace (spec.hostUsers: false) skip these checks from the given version on.
# policy/helpers.go (relaxPolicyForUserNamespacePod), used by check_runAsNonRoot.go,
# check_runAsUser.go and check_procMount_baseline.go (the 1.35 revisions)
USER_NAMESPACE_EXEMPT_FROM: Final[Mapping[str, str]] = {
    "runAsNonRoot": "1.35",
    "runAsUser": "1.35",
    "procMount": "1.35",
}

# Where each kind keeps its pod template (an object with metadata and spec), as keys from the
# manifest root; a Pod is its own template.
# admission/admission.go (DefaultPodSpecExtractor)
POD_TEMPLATE_PATHS: Final[Mapping[str, tuple[str, ...]]] = {
    "Pod": (),
    "PodTemplate": ("template",),
    "ReplicationController": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
# Any other kind (a custom resource: Argo Rollout, Knative Service, OpenKruise CloneSet ...)
# runs a pod when one of these paths holds a pod template whose spec has containers.
GENERIC_POD_TEMPLATE_PATHS: Final[tuple[tuple[str, ...], ...]] = (
    ("spec", "template"),
    ("spec", "jobTemplate", "spec", "template"),
)

# policy/visitor.go (visitContainers): the order in which containers are visited
CONTAINER_FIELDS: Final = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True)
class Violation:
    """One reason a manifest does not meet a Pod Security Standards level.

    ``check`` is the upstream check ID, ``field`` a dotted path into the evaluated manifest,
    ``container`` the container concerned (None for pod-level problems).
    """

    check: str
    message: str
    field: str
    container: str | None = None
    #: What exactly is forbidden, where a check is about values: the capabilities added, the
    #: host namespaces, volume types, host ports, sysctls, profiles. An exemption that names
    #: its ``allow`` values covers a violation only when all of these are among them.
    values: tuple[str, ...] = ()


def evaluate(
    manifest: Mapping[str, Any], level: str = "restricted", version: str = LATEST_VERSION
) -> list[Violation]:
    """Return every violation of ``level`` at policy ``version`` in ``manifest``.

    ``level`` is "baseline" or "restricted"; ``version`` is "latest" or one of
    ``SUPPORTED_VERSIONS``. An empty list means the manifest is allowed; manifests whose kind
    has no pod template are always allowed. Raises ValueError for an unknown level or version.
    """
    level = _checked_level(level)
    version = _checked_version(version)
    pod = _locate_pod(manifest, version)
    if pod is None:
        return []
    reporting = check_ids(level, version)
    return [
        Violation(check.id, finding.message, finding.field, finding.container, finding.values)
        for check in _CHECKS
        if check.id in reporting and not _exempt(check.id, pod)
        for finding in check.run(pod)
    ]


def pod_template(manifest: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """Return the (metadata, pod spec) of the pod a manifest runs, or None for other kinds.

    Missing parts come back as empty mappings.
    """
    pod = _locate_pod(manifest, LATEST_VERSION)
    return None if pod is None else (pod.metadata, pod.spec.data)


def pod_template_path(manifest: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The keys from the manifest root to the pod template it runs (``()`` for a Pod), or None.

    A kind of ``POD_TEMPLATE_PATHS`` always has its path; any other kind has the first of
    ``GENERIC_POD_TEMPLATE_PATHS`` whose template spec has ``containers``.
    """
    kind = manifest.get("kind")
    if isinstance(kind, str) and kind in POD_TEMPLATE_PATHS:
        return POD_TEMPLATE_PATHS[kind]
    for path in GENERIC_POD_TEMPLATE_PATHS:
        if "containers" in _mapping(_lookup(manifest, path).get("spec")):
            return path
    return None


# ---------------------------------------------------------------------------------------------
# Argument checking and version arithmetic
# ---------------------------------------------------------------------------------------------


def _checked_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be 'baseline' or 'restricted', got {level!r}")
    return level


def _checked_version(version: str) -> str:
    if version == "latest":
        return LATEST_VERSION
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(
            f"version must be 'latest' or a policy version from {SUPPORTED_VERSIONS[0]} "
            f"to {SUPPORTED_VERSIONS[-1]} (e.g. '1.29'), got {version!r}"
        )
    return version


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _reached(since: str | None, version: str) -> bool:
    """Whether ``version`` is at or after ``since`` (never, when ``since`` is None)."""
    return since is not None and _version_key(since) <= _version_key(version)


def _entries_at(table: Mapping[str, frozenset[str]], version: str) -> frozenset[str]:
    """Union of the entries a versioned table holds at ``version``."""
    return frozenset().union(
        *(entries for since, entries in table.items() if _reached(since, version))
    )


# ---------------------------------------------------------------------------------------------
# Reading a manifest: the pod, its containers and the paths to them
# ---------------------------------------------------------------------------------------------


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: object) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else ()


def _strings(value: object) -> list[str]:
    return [str(item) for item in _items(value)]


def _lookup(data: Mapping[str, Any], keys: Iterable[str]) -> Mapping[str, Any]:
    for key in keys:
        data = _mapping(data.get(key))
    return data


def _quoted(items: Iterable[str], separator: str = ", ") -> str:
    return separator.join(f'"{item}"' for item in items)


class _Finding(NamedTuple):
    field: str
    message: str
    container: str | None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Subject:
    """The pod spec or one container: whom to blame, where it is, and its content."""

    who: str
    path: str
    data: Mapping[str, Any]
    container: str | None = None

    def get(self, dotted: str) -> Any:
        """The value at a dotted path below this subject, or None."""
        *parents, last = dotted.split(".")
        return _lookup(self.data, parents).get(last)

    def field(self, dotted: str) -> str:
        return f"{self.path}.{dotted}"

    def finding(self, dotted: str, message: str, *values: object) -> _Finding:
        """A finding about the field at ``dotted``; ``message`` follows the subject's name;
        ``values``: what exactly is forbidden."""
        return _Finding(
            self.field(dotted), f"{self.who} {message}", self.container, tuple(map(str, values))
        )


@dataclass(frozen=True)
class _Pod:
    metadata: Mapping[str, Any]
    metadata_path: str
    spec: _Subject
    version: str

    def containers(self) -> Iterator[_Subject]:
        for kind in CONTAINER_FIELDS:
            for index, item in enumerate(_items(self.spec.get(kind))):
                container = _mapping(item)
                name = str(container.get("name") or f"{kind}[{index}]")
                yield _Subject(
                    f'container "{name}"', self.spec.field(f"{kind}[{index}]"), container, name
                )

    def subjects(self) -> Iterator[_Subject]:
        """The pod spec, then every container: all places a securityContext can be set."""
        yield self.spec
        yield from self.containers()

    @property
    def is_windows(self) -> bool:
        return bool(self.spec.get("os.name") == "windows")

    @property
    def in_user_namespace(self) -> bool:
        return self.spec.get("hostUsers") is False


def _locate_pod(manifest: Mapping[str, Any], version: str) -> _Pod | None:
    prefix = pod_template_path(manifest)
    if prefix is None:
        return None
    template = _lookup(manifest, prefix)
    base = "".join(f"{key}." for key in prefix)
    spec = _Subject("pod", f"{base}spec", _mapping(template.get("spec")))
    return _Pod(_mapping(template.get("metadata")), f"{base}metadata", spec, version)


def _exempt(check_id: str, pod: _Pod) -> bool:
    return (pod.is_windows and _reached(WINDOWS_EXEMPT_FROM.get(check_id), pod.version)) or (
        pod.in_user_namespace and _reached(USER_NAMESPACE_EXEMPT_FROM.get(check_id), pod.version)
    )


# ---------------------------------------------------------------------------------------------
# Checks. Each yields findings for one upstream check; _CHECKS below says when each applies.
# ---------------------------------------------------------------------------------------------

_CheckFunction = Callable[[_Pod], Iterable[_Finding]]


def _host_namespaces(pod: _Pod) -> Iterator[_Finding]:
    for name in HOST_NAMESPACE_FIELDS:
        if pod.spec.get(name) is True:
            yield pod.spec.finding(name, f"must not set {name}=true", name)


def _privileged(pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        if container.get("securityContext.privileged") is True:
            yield container.finding(
                "securityContext.privileged", "must not set securityContext.privileged=true"
            )


def _added_capabilities(allowed: frozenset[str], pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        added = _strings(container.get("securityContext.capabilities.add"))
        forbidden = sorted({capability for capability in added if capability not in allowed})
        if forbidden:
            yield container.finding(
                "securityContext.capabilities.add",
                f"must not include {_quoted(forbidden)} in securityContext.capabilities.add "
                f"(allowed: {_quoted(sorted(allowed))})",
                *forbidden,
            )


def _capabilities_baseline(pod: _Pod) -> Iterator[_Finding]:
    return _added_capabilities(BASELINE_ADDABLE_CAPABILITIES, pod)


def _capabilities_restricted(pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        if RESTRICTED_REQUIRED_DROP not in _strings(
            container.get("securityContext.capabilities.drop")
        ):
            yield container.finding(
                "securityContext.capabilities.drop",
                f'must set securityContext.capabilities.drop=["{RESTRICTED_REQUIRED_DROP}"]',
            )
    yield from _added_capabilities(RESTRICTED_ADDABLE_CAPABILITIES, pod)


def _volumes(pod: _Pod) -> Iterator[tuple[int, str, Mapping[str, Any]]]:
    for index, item in enumerate(_items(pod.spec.get("volumes"))):
        volume = _mapping(item)
        yield index, str(volume.get("name") or f"volumes[{index}]"), volume


def _host_path_volumes(pod: _Pod) -> Iterator[_Finding]:
    for index, name, volume in _volumes(pod):
        if volume.get("hostPath") is not None:
            yield pod.spec.finding(
                f"volumes[{index}].hostPath", f'must not use a hostPath volume ("{name}")', name
            )


def _restricted_volumes(pod: _Pod) -> Iterator[_Finding]:
    for index, name, volume in _volumes(pod):
        for source, value in volume.items():
            if source != "name" and value is not None and source not in RESTRICTED_VOLUME_SOURCES:
                yield pod.spec.finding(
                    f"volumes[{index}].{source}",
                    f'must not use volume type {source} (volume "{name}"); allowed types: '
                    f"{', '.join(sorted(RESTRICTED_VOLUME_SOURCES))}",
                    source,
                )


def _host_ports(pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        for index, port in enumerate(_items(container.get("ports"))):
            host_port = _mapping(port).get("hostPort")
            if host_port not in (None, 0):
                yield container.finding(
                    f"ports[{index}].hostPort",
                    f"must not use hostPort {host_port} (hostPort must be unset or 0)",
                    host_port,
                )


def _forbidden_profile(subject: _Subject, kind: str, allowed: frozenset[str]) -> _Finding | None:
    """A finding when ``subject`` sets ``securityContext.<kind>.type`` outside ``allowed``."""
    profile = subject.get(f"securityContext.{kind}")
    if not isinstance(profile, Mapping) or profile.get("type") in allowed:
        return None
    field = f"securityContext.{kind}.type"
    return subject.finding(
        field,
        f'must not set {field} to "{profile.get("type") or ""}" '
        f"(allowed: {_quoted(sorted(allowed))})",
        profile.get("type") or "",
    )


def _allowed_apparmor_annotation(value: str) -> bool:
    return value in APPARMOR_ANNOTATION_VALUES or value.startswith(
        APPARMOR_ANNOTATION_LOCALHOST_PREFIX
    )


def _apparmor_profile(pod: _Pod) -> Iterator[_Finding]:
    for subject in pod.subjects():
        finding = _forbidden_profile(subject, "appArmorProfile", APPARMOR_PROFILE_TYPES)
        if finding:
            yield finding
    annotations = _mapping(pod.metadata.get("annotations"))
    for key, value in sorted(annotations.items()):
        if key.startswith(APPARMOR_ANNOTATION_PREFIX) and not _allowed_apparmor_annotation(
            str(value)
        ):
            container = key.removeprefix(APPARMOR_ANNOTATION_PREFIX)
            yield _Finding(
                f"{pod.metadata_path}.annotations[{key}]",
                f'annotation {key}="{value}" is forbidden '
                f'(allowed: "runtime/default", "localhost/<profile>" or empty)',
                container,
                (str(value),),
            )


def _selinux_options(pod: _Pod) -> Iterator[_Finding]:
    allowed = _entries_at(SELINUX_TYPES, pod.version)
    for subject in pod.subjects():
        options = subject.get("securityContext.seLinuxOptions")
        if not isinstance(options, Mapping):
            continue
        selinux_type = str(options.get("type") or "")
        if selinux_type not in allowed:
            yield subject.finding(
                "securityContext.seLinuxOptions.type",
                f'must not set securityContext.seLinuxOptions.type to "{selinux_type}" '
                f"(allowed at v{pod.version}: {_quoted(sorted(allowed - {''}))} or unset)",
                selinux_type,
            )
        for option in SELINUX_FORBIDDEN_OPTIONS:
            if options.get(option):
                yield subject.finding(
                    f"securityContext.seLinuxOptions.{option}",
                    f"must not set securityContext.seLinuxOptions.{option}",
                )


def _proc_mount(pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        proc_mount = container.get("securityContext.procMount")
        if proc_mount is not None and proc_mount not in PROC_MOUNT_TYPES:
            yield container.finding(
                "securityContext.procMount",
                f'must not set securityContext.procMount to "{proc_mount}" '
                f"(allowed: {_quoted(sorted(PROC_MOUNT_TYPES))} or unset)",
                proc_mount,
            )


def _forbidden_seccomp(subject: _Subject) -> _Finding | None:
    return _forbidden_profile(subject, "seccompProfile", SECCOMP_PROFILE_TYPES)


def _seccomp_profile_baseline(pod: _Pod) -> Iterator[_Finding]:
    for subject in pod.subjects():
        finding = _forbidden_seccomp(subject)
        if finding:
            yield finding


def _seccomp_profile_restricted(pod: _Pod) -> Iterator[_Finding]:
    pod_finding = _forbidden_seccomp(pod.spec)
    pod_sets_valid_profile = pod_finding is None and isinstance(
        pod.spec.get("securityContext.seccompProfile"), Mapping
    )
    if pod_finding:
        yield pod_finding
    for container in pod.containers():
        if isinstance(container.get("securityContext.seccompProfile"), Mapping):
            finding = _forbidden_seccomp(container)
            if finding:
                yield finding
        elif not pod_sets_valid_profile:
            yield _Finding(
                container.field("securityContext.seccompProfile.type"),
                f"pod or {container.who} must set securityContext.seccompProfile.type to "
                f"{_quoted(sorted(SECCOMP_PROFILE_TYPES), ' or ')}",
                container.container,
            )


def _sysctls(pod: _Pod) -> Iterator[_Finding]:
    safe = _entries_at(SAFE_SYSCTLS, pod.version)
    for index, item in enumerate(_items(pod.spec.get("securityContext.sysctls"))):
        name = str(_mapping(item).get("name") or "")
        if name not in safe:
            yield pod.spec.finding(
                f"securityContext.sysctls[{index}].name",
                f'must not set sysctl "{name}": only these are safe at v{pod.version}: '
                f"{', '.join(sorted(safe))}",
                name,
            )


def _windows_host_process(pod: _Pod) -> Iterator[_Finding]:
    for subject in pod.subjects():
        if subject.get("securityContext.windowsOptions.hostProcess") is True:
            yield subject.finding(
                "securityContext.windowsOptions.hostProcess",
                "must not set securityContext.windowsOptions.hostProcess=true",
            )


def _host_probes_and_host_lifecycle(pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        for handler in HOST_FIELD_HANDLERS:
            for action in HOST_FIELD_ACTIONS:
                host = container.get(f"{handler}.{action}.host")
                if host:
                    yield container.finding(
                        f"{handler}.{action}.host",
                        f'must not set {handler}.{action}.host (uses "{host}"); leave it empty',
                    )


def _allow_privilege_escalation(pod: _Pod) -> Iterator[_Finding]:
    for container in pod.containers():
        if container.get("securityContext.allowPrivilegeEscalation") is not False:
            yield container.finding(
                "securityContext.allowPrivilegeEscalation",
                "must set securityContext.allowPrivilegeEscalation=false",
            )


def _run_as_non_root(pod: _Pod) -> Iterator[_Finding]:
    pod_value = pod.spec.get("securityContext.runAsNonRoot")
    for subject in pod.subjects():
        value = subject.get("securityContext.runAsNonRoot")
        if value is False:
            yield subject.finding(
                "securityContext.runAsNonRoot", "must not set securityContext.runAsNonRoot=false"
            )
        elif value is not True and subject.container is not None and pod_value is not True:
            yield _Finding(
                subject.field("securityContext.runAsNonRoot"),
                f"pod or {subject.who} must set securityContext.runAsNonRoot=true",
                subject.container,
            )


def _run_as_user(pod: _Pod) -> Iterator[_Finding]:
    for subject in pod.subjects():
        user = subject.get("securityContext.runAsUser")
        if user == 0 and not isinstance(user, bool):
            yield subject.finding(
                "securityContext.runAsUser", "must not set runAsUser=0 (use a non-zero UID)"
            )


class _Check(NamedTuple):
    """One upstream check: its ID, level, the policy version it starts at, and what it does."""

    id: str
    level: str
    since: str
    run: _CheckFunction
    overrides: tuple[str, ...] = ()

    def applies(self, level: str, version: str) -> bool:
        return LEVELS.index(self.level) <= LEVELS.index(level) and _reached(self.since, version)


# The registry, in upstream's order. `since` is upstream's lowest MinimumVersion for the check;
# `overrides` is upstream's OverrideCheckIDs (baseline checks the restricted one replaces).
_CHECKS: Final[tuple[_Check, ...]] = (
    # policy/check_hostNamespaces.go
    _Check("hostNamespaces", "baseline", "1.0", _host_namespaces),
    # policy/check_privileged.go
    _Check("privileged", "baseline", "1.0", _privileged),
    # policy/check_capabilities_baseline.go
    _Check("capabilities_baseline", "baseline", "1.0", _capabilities_baseline),
    # policy/check_hostPathVolumes.go
    _Check("hostPathVolumes", "baseline", "1.0", _host_path_volumes),
    # policy/check_hostPorts.go
    _Check("hostPorts", "baseline", "1.0", _host_ports),
    # policy/check_appArmorProfile.go
    _Check("appArmorProfile", "baseline", "1.0", _apparmor_profile),
    # policy/check_seLinuxOptions.go
    _Check("seLinuxOptions", "baseline", "1.0", _selinux_options),
    # policy/check_procMount_baseline.go
    _Check("procMount", "baseline", "1.0", _proc_mount),
    # policy/check_seccompProfile_baseline.go
    _Check("seccompProfile_baseline", "baseline", "1.19", _seccomp_profile_baseline),
    # policy/check_sysctls.go
    _Check("sysctls", "baseline", "1.0", _sysctls),
    # policy/check_windowsHostProcess.go
    _Check("windowsHostProcess", "baseline", "1.0", _windows_host_process),
    # policy/check_hostProbesAndhostLifecycle.go
    _Check("hostProbesAndHostLifecycle", "baseline", "1.34", _host_probes_and_host_lifecycle),
    # policy/check_restrictedVolumes.go
    _Check("restrictedVolumes", "restricted", "1.0", _restricted_volumes, ("hostPathVolumes",)),
    # policy/check_allowPrivilegeEscalation.go
    _Check("allowPrivilegeEscalation", "restricted", "1.8", _allow_privilege_escalation),
    # policy/check_runAsNonRoot.go
    _Check("runAsNonRoot", "restricted", "1.0", _run_as_non_root),
    # policy/check_runAsUser.go
    _Check("runAsUser", "restricted", "1.23", _run_as_user),
    # policy/check_seccompProfile_restricted.go
    _Check(
        "seccompProfile_restricted",
        "restricted",
        "1.19",
        _seccomp_profile_restricted,
        ("seccompProfile_baseline",),
    ),
    # policy/check_capabilities_restricted.go
    _Check(
        "capabilities_restricted",
        "restricted",
        "1.22",
        _capabilities_restricted,
        ("capabilities_baseline",),
    ),
    # policy/check_procMount_restricted.go: procMount without the user-namespace relaxation
    _Check("procMount_restricted", "restricted", "1.35", _proc_mount, ("procMount",)),
)


def overriding_check(check_id: str) -> str | None:
    """The restricted check that replaces the baseline check ``check_id`` at restricted level
    (``capabilities_restricted`` for ``capabilities_baseline``), or None."""
    return next((c.id for c in _CHECKS if check_id in c.overrides), None)


@cache
def check_ids(level: str = "restricted", version: str = LATEST_VERSION) -> frozenset[str]:
    """The IDs of the checks that can report at ``level`` and ``version`` (overridden baseline
    checks excluded), e.g. to name an exemption."""
    level, version = _checked_level(level), _checked_version(version)
    active = [check for check in _CHECKS if check.applies(level, version)]
    overridden = {check_id for check in active for check_id in check.overrides}
    return frozenset(check.id for check in active if check.id not in overridden)


# ---------------------------------------------------------------------------------------------
# Exemptions: checks accepted on purpose, written on the object as annotations
# ---------------------------------------------------------------------------------------------

#: An exemption is written as ``<prefix><check>: <reason>`` and, when it names what it allows,
#: ``<prefix><check>.allow: <value>,<value>``.
EXEMPTION_ANNOTATION: Final = "pod-security.kasm-constructs.io/"
_ALLOW_SUFFIX: Final = ".allow"


@dataclass(frozen=True)
class PodSecurityExemption:
    """A Pod Security check accepted on purpose: why, and optionally exactly what it allows.

    Without ``allow`` it accepts every violation of its own check, but never relaxes the
    baseline check that a restricted check overrides (``capabilities_restricted`` exempted still
    refuses ``SYS_ADMIN``, which baseline forbids). With ``allow`` it accepts only violations
    about those values (``allow=["SYS_PTRACE"]``: adding SYS_PTRACE, at either level), and
    anything beyond them is still refused.
    """

    reason: str
    allow: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.reason, str) or not self.reason.strip() or "\n" in self.reason:
            raise ValueError(
                f"PodSecurityExemption(reason): got {self.reason!r}; expected a one-line reason"
            )
        allow = self.allow
        valid = not isinstance(allow, str) and all(
            isinstance(v, str) and v and "," not in v and v == v.strip() for v in allow
        )
        if not valid:
            raise ValueError(
                f"PodSecurityExemption(allow): got {allow!r}; expected a list of values such as "
                "['SYS_PTRACE'] (no commas, no surrounding spaces)"
            )
        object.__setattr__(self, "allow", tuple(allow))

    def covers(self, violation: Violation, *, own_check: bool) -> bool:
        """Whether this exemption accepts ``violation`` (of its own check, or of the baseline
        check its check overrides)."""
        if self.allow:
            return bool(violation.values) and set(violation.values) <= set(self.allow)
        return own_check


def exemption_refusal(check: object, version: str = LATEST_VERSION) -> str | None:
    """Why ``check`` cannot be exempted at policy ``version``, or None when it can.

    The one rule for what an exemption may name, applied where the library takes
    ``pod_security_exemptions``, where the audit reads the annotations, and in
    :func:`evaluate_exempted`: a check that reports at "restricted" (:func:`check_ids`). A
    baseline check that a restricted check overrides is not one: the restricted check's
    exemption accepts it, for the values its ``allow`` names, and a plain reason never does.
    """
    known = check_ids("restricted", version)
    if isinstance(check, str) and check in known:
        return None
    parent = overriding_check(check) if isinstance(check, str) else None
    if parent in known:
        return (
            f"{check} is the baseline check that {parent} overrides at restricted: exempt "
            f"{parent} and name the values it accepts (allow=[...], written as its .allow "
            f"annotation); a plain reason never relaxes {check}"
        )
    return f"expected a check id of policy v{_checked_version(version)}: one of {sorted(known)}"


def exemption_annotations(exemptions: Mapping[str, PodSecurityExemption]) -> dict[str, str]:
    """The annotations that record ``exemptions`` (check id -> exemption) on an object."""
    annotations = {}
    for check, exemption in exemptions.items():
        annotations[f"{EXEMPTION_ANNOTATION}{check}"] = exemption.reason
        if exemption.allow:
            annotations[f"{EXEMPTION_ANNOTATION}{check}{_ALLOW_SUFFIX}"] = ",".join(exemption.allow)
    return annotations


@dataclass(frozen=True)
class RefusedAnnotation:
    """An exemption annotation that :func:`exemption_annotations` never writes: not honoured."""

    #: The annotation's key.
    key: str
    #: Why it is refused.
    problem: str


def read_exemptions(
    annotations: Mapping[str, Any], version: str = LATEST_VERSION
) -> tuple[dict[str, PodSecurityExemption], list[RefusedAnnotation]]:
    """What an object's ``annotations`` exempt at policy ``version``, and the exemption
    annotations refused, each with why.

    Exactly what :func:`exemption_annotations` writes for exemptions the library accepts is
    honoured: ``read_exemptions(exemption_annotations(e))`` is ``(e, [])``. Anything else under
    :data:`EXEMPTION_ANNOTATION` is refused, and its exemption not honoured: a check that cannot
    be exempted (:func:`exemption_refusal`), a reason that is not one non-blank line, an
    ``.allow`` without its reason, an ``.allow`` list the library would not write.
    """
    written: dict[str, dict[str, tuple[str, object]]] = {}  # check -> {"reason"|"allow": entry}
    for key, value in annotations.items():
        if isinstance(key, str) and key.startswith(EXEMPTION_ANNOTATION):
            name = key.removeprefix(EXEMPTION_ANNOTATION)
            part = "allow" if name.endswith(_ALLOW_SUFFIX) else "reason"
            check = name.removesuffix(_ALLOW_SUFFIX) if part == "allow" else name
            written.setdefault(check, {})[part] = (key, value)
    honoured: dict[str, PodSecurityExemption] = {}
    refused: list[RefusedAnnotation] = []
    for check, parts in written.items():
        if "reason" not in parts:
            key = parts["allow"][0]
            orphan = f"an .allow annotation without {key.removesuffix(_ALLOW_SUFFIX)}"
            refused.append(RefusedAnnotation(key, orphan))
            continue
        problem = exemption_refusal(check, version)
        found = (
            _exemption(parts) if problem is None else RefusedAnnotation(parts["reason"][0], problem)
        )
        if isinstance(found, RefusedAnnotation):
            refused.append(found)
        else:
            honoured[check] = found
    return honoured, refused


def _exemption(parts: Mapping[str, tuple[str, object]]) -> PodSecurityExemption | RefusedAnnotation:
    """The exemption that one reason annotation, and its ``.allow`` if any, record; the checks
    are PodSecurityExemption's own."""
    reason_key, reason = parts["reason"]
    try:
        exemption = PodSecurityExemption(reason if isinstance(reason, str) else "")
    except ValueError:
        return RefusedAnnotation(reason_key, "the reason must be one non-blank line")
    if "allow" not in parts:
        return exemption
    allow_key, allowed = parts["allow"]
    try:
        if isinstance(allowed, str):
            return PodSecurityExemption(exemption.reason, tuple(allowed.split(",")))
    except ValueError:
        pass
    return RefusedAnnotation(
        allow_key,
        "expected values separated by commas, none empty and no spaces around them "
        "(e.g. SYS_PTRACE,SYS_ADMIN)",
    )


def exemptions_from_annotations(
    annotations: Mapping[str, Any], version: str = LATEST_VERSION
) -> dict[str, PodSecurityExemption]:
    """The exemptions recorded on an object that are honoured (see :func:`read_exemptions`)."""
    return read_exemptions(annotations, version)[0]


def evaluate_exempted(
    manifest: Mapping[str, Any],
    exemptions: Mapping[str, PodSecurityExemption],
    version: str = LATEST_VERSION,
) -> tuple[list[Violation], list[Violation]]:
    """Evaluate ``manifest`` against "restricted", accepting what ``exemptions`` cover.

    Returns (refused, accepted). A baseline check that an exempted restricted check overrides
    is evaluated too, so an exemption never relaxes baseline beyond what it names. Raises
    ValueError for an exemption of a check that :func:`exemption_refusal` refuses: nothing
    honours what the library would not write.
    """
    version = _checked_version(version)
    for check in exemptions:
        problem = exemption_refusal(check, version)
        if problem is not None:
            raise ValueError(f"exemptions: {check!r} cannot be exempted: {problem}")
    violations = evaluate(manifest, "restricted", version)
    overridden = {
        baseline: check.id
        for check in _CHECKS
        if check.id in exemptions and check.applies("restricted", version)
        for baseline in check.overrides
    }  # baseline check -> the exempted restricted check that overrides it
    if overridden:
        violations += [v for v in evaluate(manifest, "baseline", version) if v.check in overridden]
    refused: list[Violation] = []
    accepted: list[Violation] = []
    for v in violations:
        own = exemptions.get(v.check)
        parent = exemptions.get(overridden.get(v.check, ""))
        covered = (own is not None and own.covers(v, own_check=True)) or (
            parent is not None and parent.covers(v, own_check=False)
        )
        (accepted if covered else refused).append(v)
    return refused, accepted
