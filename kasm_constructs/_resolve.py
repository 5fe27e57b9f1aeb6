"""From a workspace's arguments and its image profile to checked, defaulted values.

Plain Python, no jsii: every mistake is a :class:`ConfigurationError` raised before anything is
added to the construct tree. ``HardenedWorkspace`` calls one function per concern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Any

from ._render import HOME_VOLUME, SHM_PATH, SHM_VOLUME, Home, Volume
from ._validation import (
    check_absolute_path,
    check_annotations,
    check_dns_subdomain,
    check_env_name,
    check_int,
    check_labels,
    check_mapping,
    check_port_name,
    check_secret_key,
    fail,
    parse_quantity,
)
from .images import ImageProfile
from .network import NetworkPeer
from .pod_security import LATEST_VERSION, SUPPORTED_VERSIONS, check_ids
from .probes import Probe

#: Requests and limits when none are given: the seed manifest's values.
DEFAULT_REQUESTS: Mapping[str, str] = {"cpu": "1", "memory": "2Gi"}
DEFAULT_LIMITS: Mapping[str, str] = {"cpu": "2", "memory": "4Gi"}
#: Added to the ephemeral-storage limit on top of the emptyDirs, for container logs.
EPHEMERAL_STORAGE_HEADROOM = 2**30
#: The labels that select a workspace's pods; the construct sets them.
SELECTOR_KEYS = ("app.kubernetes.io/name", "app.kubernetes.io/instance")
#: Annotation prefixes the construct writes.
RESERVED_ANNOTATIONS = ("checkov.io/", "pod-security.kasm-constructs.io/")

_ACCESS_MODES = ("ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany")
_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_STANDARD_RESOURCES = ("cpu", "memory", "ephemeral-storage")
# IsExtendedResourceName: a domain-prefixed name outside kubernetes.io
_EXTENDED_RESOURCE = re.compile(
    r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
)
_STALE_FILES_SCRIPT = 'rm -f -- {files}; exec "$@"'


def flags(**values: object) -> None:
    """Boolean switches."""
    for name, value in values.items():
        if not isinstance(value, bool):
            fail(name, value, "expected True or False")


def string_list(parameter: str, value: object) -> list[str]:
    """A list of strings (a bare string is not one)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        fail(parameter, value, "expected a list of strings")
    for item in value:
        if not isinstance(item, str):
            fail(f"{parameter} item", item, "expected a string")
    return list(value)


def metadata(labels: object, annotations: object) -> tuple[dict[str, str], dict[str, str]]:
    """User labels and annotations, minus the keys the construct owns."""
    checked_labels = check_labels("labels", {} if labels is None else labels)
    for key in SELECTOR_KEYS:
        if key in checked_labels:
            fail("labels", {key: checked_labels[key]}, f"{key} is set by the construct")
    checked_annotations = check_annotations(
        "annotations", {} if annotations is None else annotations
    )
    for key in checked_annotations:
        if key.startswith(RESERVED_ANNOTATIONS):
            fail(
                "annotations",
                key,
                "checkov.io/ and pod-security.kasm-constructs.io/ annotations are written by "
                "the construct; use pod_security_exemptions for the latter",
            )
    return checked_labels, checked_annotations


def image_pull(policy: object, secrets: object) -> list[str]:
    """The pull policy and the names of the pull secrets."""
    if policy not in _PULL_POLICIES:
        fail("image_pull_policy", policy, f"expected one of {', '.join(_PULL_POLICIES)}")
    names = string_list("image_pull_secrets", secrets)
    for name in names:
        check_dns_subdomain("image_pull_secrets item", name)
    return names


def ports(value: object) -> dict[str, int]:
    """Port name -> number: valid names, numbers 1-65535, each number once."""
    mapping = check_mapping("ports", value)
    seen: dict[int, str] = {}
    for name, number in mapping.items():
        check_port_name("ports key", name)
        check_int(f"ports[{name!r}]", number, minimum=1, maximum=65535)
        if number in seen:
            fail(f"ports[{name!r}]", number, f"port {number} is already named {seen[number]!r}")
        seen[number] = name
    return dict(mapping)


def volumes(
    profile: ImageProfile,
    *,
    writable_paths: object,
    home_path: object,
    replicas: int,
    shm_size: object,
    home_claim: object,
    home_size: object,
    home_storage_class: object,
    home_access_mode: object,
    home_size_limit: object,
) -> tuple[list[Volume], Home | None]:
    """The writable emptyDirs, the home and /dev/shm, no path mounted twice; and the
    per-replica home claim, if any."""
    paths = check_mapping(
        "writable_paths", profile.writable_paths if writable_paths is None else writable_paths
    )
    home_mount = profile.home if home_path is None else check_absolute_path("home_path", home_path)
    shm = profile.shm_size if shm_size is None else shm_size
    parse_quantity("shm_size", shm, positive=True)
    if home_access_mode not in _ACCESS_MODES:
        fail("home_access_mode", home_access_mode, f"expected one of {', '.join(_ACCESS_MODES)}")
    if home_claim is not None and home_size is not None:
        fail("home_size", home_size, "home_claim and home_size are alternatives; pass one")
    if home_storage_class is not None and home_size is None:
        fail("home_storage_class", home_storage_class, "only used with home_size")
    given = {"home_claim": home_claim, "home_size": home_size, "home_size_limit": home_size_limit}
    persistent = home_claim is not None or home_size is not None
    if persistent and home_size_limit is not None:
        fail(
            "home_size_limit",
            home_size_limit,
            "only for an ephemeral home; it cannot be combined with home_claim or home_size",
        )
    if home_mount is None:
        for parameter, value in given.items():
            if value is not None:
                fail(parameter, value, "this image has no known home directory: set home_path too")

    result: list[Volume] = []
    used: dict[str, str] = {SHM_PATH: "shm_size"}

    def claim_path(parameter: str, path: str) -> None:
        for other, owner in used.items():
            if path == other or path.startswith(other + "/") or other.startswith(path + "/"):
                fail(parameter, path, f"overlaps {other!r} (from {owner}); mounts must not nest")
        used[path] = parameter

    home: Home | None = None
    if home_mount is not None:
        claim_path("home_path", home_mount)
        if home_claim is not None:
            check_dns_subdomain("home_claim", home_claim)
            if replicas > 1 and home_access_mode != "ReadWriteMany":
                fail(
                    "home_claim",
                    home_claim,
                    f"a {home_access_mode} claim attaches to one node, so {replicas} replicas "
                    "would hang in ContainerCreating (Multi-Attach error) and share one profile; "
                    "use home_size for a claim per replica, replicas=1, or a ReadWriteMany claim "
                    "with home_access_mode='ReadWriteMany'",
                )
            result.append(Volume(HOME_VOLUME, home_mount, claim=str(home_claim)))
        elif home_size is not None:
            parse_quantity("home_size", home_size, positive=True)
            if home_storage_class is not None:
                check_dns_subdomain("home_storage_class", home_storage_class)
            storage_class = None if home_storage_class is None else str(home_storage_class)
            home = Home(home_mount, str(home_size), str(home_access_mode), storage_class)
        else:
            limit = profile.home_size_limit if home_size_limit is None else home_size_limit
            parse_quantity("home_size_limit", limit, positive=True)
            result.append(Volume(HOME_VOLUME, home_mount, size_limit=str(limit)))

    names = {HOME_VOLUME, SHM_VOLUME}
    for path, size in paths.items():
        parameter = f"writable_paths[{path!r}]"
        check_absolute_path("writable_paths key", path)
        parse_quantity(parameter, size, positive=True)
        claim_path(parameter, path)
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:57].strip("-") or "path"
        name, suffix = slug, 2
        while name in names:
            name, suffix = f"{slug}-{suffix}", suffix + 1
        names.add(name)
        result.append(Volume(name, path, size_limit=size))
    result.append(Volume(SHM_VOLUME, SHM_PATH, size_limit=str(shm), memory=True))
    return result, home


def _hidden(value: object) -> str:
    return f"<{type(value).__name__}, not shown>"


def environment(
    profile: ImageProfile, env: object, secret_env: object, image: str
) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Plain variables (the image's, overridden by ``env``) and Secret references."""
    for key, value in profile.env.items():
        check_env_name("image_profile.env key", key)
        if not isinstance(value, str):
            fail(f"image_profile.env[{key!r}]", value, "expected a string")
    user_env = check_mapping("env", {} if env is None else env)
    for key, value in user_env.items():
        check_env_name("env key", key)
        if key in profile.required_secret_env:
            fail(
                f"env[{key!r}]",
                _hidden(value),
                f"{key} is a secret; bind it by reference with secret_env={{{key!r}: "
                "('<Secret name>', '<key>')}",
            )
        if not isinstance(value, str):
            fail(f"env[{key!r}]", value, "expected a string")
    secrets: dict[str, tuple[str, str]] = {}
    for key, ref in check_mapping("secret_env", {} if secret_env is None else secret_env).items():
        check_env_name("secret_env key", key)
        parameter = f"secret_env[{key!r}]"
        if not isinstance(ref, tuple) or len(ref) != 2:
            fail(parameter, _hidden(ref), "expected a (Secret name, key) tuple")
        check_dns_subdomain(f"{parameter} Secret name", ref[0])
        check_secret_key(f"{parameter} key", ref[1])
        if key in user_env:
            fail(parameter, ref, f"{key} is also set in env; set it in one place")
        secrets[key] = ref
    for key in profile.required_secret_env:
        if key not in secrets:
            fail(
                "secret_env",
                {k: v for k, v in secrets.items()},
                f"{image} needs {key} bound to a Secret, e.g. secret_env={{{key!r}: "
                "('kasm-secrets', 'vnc-password')}; without it the image falls back to its "
                "published default password",
            )
    plain = {k: v for k, v in {**profile.env, **user_env}.items() if k not in secrets}
    return plain, secrets


def format_bytes(amount: Decimal) -> str:
    """A byte count as a quantity, in the largest binary unit that divides it."""
    whole = int(amount.to_integral_value(rounding=ROUND_CEILING))
    for suffix, factor in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if whole % factor == 0:
            return f"{whole // factor}{suffix}"
    return str(whole)


def _resource_name(parameter: str, name: object) -> bool:
    """True for an extended resource; ValueError for an unknown name."""
    if name in _STANDARD_RESOURCES:
        return False
    valid = (
        isinstance(name, str)
        and bool(_EXTENDED_RESOURCE.match(name))
        and not name.split("/")[0].endswith("kubernetes.io")
    )
    if not valid:
        fail(
            f"{parameter} key",
            name,
            "expected cpu, memory, ephemeral-storage or an extended resource such as "
            "nvidia.com/gpu (not in the kubernetes.io domain)",
        )
    return True


def resources(
    requests: object, limits: object, volumes: Sequence[Volume]
) -> tuple[dict[str, str], dict[str, str]]:
    """Requests and limits as given; ``ephemeral-storage`` defaults from the emptyDirs."""
    given: dict[str, dict[str, str]] = {}
    amounts: dict[str, dict[str, Decimal]] = {}
    defaulted: set[tuple[str, str]] = set()  # (parameter, resource) not given by the user
    for parameter, value, default in (
        ("requests", requests, DEFAULT_REQUESTS),
        ("limits", limits, DEFAULT_LIMITS),
    ):
        if value is None:
            defaulted.update((parameter, name) for name in default)
        mapping = dict(check_mapping(parameter, default if value is None else value))
        amounts[parameter] = {}
        for name, quantity in mapping.items():
            key = f"{parameter}[{name!r}]"
            extended = _resource_name(parameter, name)
            amount = parse_quantity(key, quantity)
            if extended and amount != amount.to_integral_value():
                fail(key, quantity, "extended resources take whole numbers")
            amounts[parameter][name] = amount
        given[parameter] = mapping

    disk = sum(
        (parse_quantity("size", v.size_limit) for v in volumes if v.size_limit and not v.memory),
        Decimal(0),
    )
    derived = "ephemeral-storage"
    if disk and derived not in given["requests"]:
        given["requests"][derived] = format_bytes(disk)
        amounts["requests"][derived] = disk
        defaulted.add(("requests", derived))
    if disk and derived not in given["limits"]:
        limit = max(disk, amounts["requests"][derived]) + EPHEMERAL_STORAGE_HEADROOM
        given["limits"][derived] = format_bytes(limit)
        amounts["limits"][derived] = limit
        defaulted.add(("limits", derived))

    def described(parameter: str, name: str) -> str:
        default = " (the default)" if (parameter, name) in defaulted else ""
        return f"{parameter}[{name!r}]{default}"

    for name, requested in amounts["requests"].items():
        limit_amount = amounts["limits"].get(name)
        if limit_amount is not None and requested > limit_amount:
            fail(
                described("requests", name),
                given["requests"][name],
                f"a request may not exceed its limit, {described('limits', name)} = "
                f"{given['limits'][name]!r}",
            )
        if _EXTENDED_RESOURCE.match(name) and limit_amount != requested:
            fail(
                f"requests[{name!r}]",
                given["requests"][name],
                "extended resources need an equal limit",
            )
    memory_limit = amounts["limits"].get("memory")
    shm_size = next(str(v.size_limit) for v in volumes if v.memory)
    if memory_limit is not None and parse_quantity("shm_size", shm_size) > memory_limit:
        fail(
            "shm_size",
            shm_size,
            f"/dev/shm counts against memory, so it may not exceed limits['memory'] = "
            f"{given['limits']['memory']!r}",
        )
    return given["requests"], given["limits"]


def probes(
    profile: ImageProfile, declared: Mapping[str, int], given: Mapping[str, object]
) -> dict[str, dict[str, Any]]:
    """The rendered probes: ``given`` (parameter -> Probe or None) over the defaults, which are
    tcpSocket on the first port."""
    web_port = next(iter(declared), None)
    defaults: dict[str, Probe] = {}
    if web_port is not None:
        tcp = Probe.from_tcp_socket(web_port).handler
        defaults = {
            "startup_probe": Probe(
                tcp,
                period_seconds=5,
                timeout_seconds=3,
                failure_threshold=max(1, profile.startup_seconds // 5),
            ),
            "readiness_probe": Probe(tcp, period_seconds=10, timeout_seconds=3),
            "liveness_probe": Probe(tcp, period_seconds=30, timeout_seconds=5, failure_threshold=6),
        }
    rendered: dict[str, dict[str, Any]] = {}
    for parameter, probe in given.items():
        if probe is not None and not isinstance(probe, Probe):
            fail(parameter, probe, "expected a Probe (Probe.from_tcp_socket(...), ...) or None")
        chosen = probe if probe is not None else defaults.get(parameter)
        if chosen is None or not chosen.enabled:
            continue
        if parameter != "readiness_probe" and chosen.success_threshold != 1:
            fail(parameter, chosen, "success_threshold must be 1 for startup and liveness probes")
        port = chosen.port
        if isinstance(port, str) and port not in declared:
            fail(
                parameter,
                chosen,
                f"port {port!r} is not one of the declared ports {list(declared)}",
            )
        key = parameter.replace("_probe", "Probe")
        rendered[key] = chosen.render()
    return rendered


def command(
    profile: ImageProfile, given_command: object, given_args: object
) -> tuple[list[str] | None, list[str] | None]:
    """``command`` and ``args``. For an image with stale files: a wrapper that removes them,
    then execs the image's ENTRYPOINT with CMD exactly as built."""
    cmd = None if given_command is None else string_list("command", given_command)
    args = None if given_args is None else string_list("args", given_args)
    if cmd is not None or not profile.stale_files:
        return cmd, args
    script = _STALE_FILES_SCRIPT.format(files=" ".join(profile.stale_files))
    # Kubernetes drops the image's CMD once command is set, so CMD is restated as args.
    wrapper = ["/bin/sh", "-c", script, "kasm-entrypoint", *profile.entrypoint]
    return wrapper, args if args is not None else list(profile.cmd)


def peers(parameter: str, value: object) -> list[NetworkPeer]:
    """A list of :class:`NetworkPeer`."""
    if isinstance(value, (str, NetworkPeer)) or not isinstance(value, Sequence):
        fail(parameter, value, "expected a list of NetworkPeer")
    for peer in value:
        if not isinstance(peer, NetworkPeer):
            fail(
                f"{parameter} item",
                peer,
                "expected a NetworkPeer, e.g. NetworkPeer.from_namespace('ingress-nginx')",
            )
    return list(value)


def pod_security(version: object, exemptions: object) -> tuple[str, dict[str, str]]:
    """The guard's policy version and the exempted checks, check id -> reason."""
    resolved = LATEST_VERSION if version is None else version
    if resolved not in SUPPORTED_VERSIONS:
        fail("pod_security_version", version, f"expected one of {', '.join(SUPPORTED_VERSIONS)}")
    assert isinstance(resolved, str)
    checked = dict(
        check_mapping("pod_security_exemptions", {} if exemptions is None else exemptions)
    )
    known = sorted(check_ids("restricted", resolved))
    for check, reason in checked.items():
        if check not in known:
            fail("pod_security_exemptions key", check, f"expected a check id: one of {known}")
        if not isinstance(reason, str) or not reason.strip():
            fail(f"pod_security_exemptions[{check!r}]", reason, "expected a non-empty reason")
    return resolved, checked
