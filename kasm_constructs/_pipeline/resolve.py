"""``resolve``: a workspace's arguments and its image's profile -> checked, defaulted
:class:`~kasm_constructs._pipeline.model.Settings`.

Plain Python, no jsii: every mistake is a :class:`~kasm_constructs.ConfigurationError` raised
before anything is added to the construct tree, naming the parameter and showing the value.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from kasm_constructs._pipeline.model import (
    SHM_PATH,
    SHM_VOLUME,
    TLS_PATH,
    TLS_VOLUME,
    Settings,
    WorkspaceOptions,
)
from kasm_constructs.errors import ConfigurationError
from kasm_constructs.manifests.grammar import (
    STANDARD_RESOURCES,
    check_absolute_path,
    check_annotations,
    check_dns1035_label,
    check_dns_subdomain,
    check_env_name,
    check_int,
    check_labels,
    check_mapping,
    check_port_name,
    check_str,
    check_text,
    fail,
    format_quantity,
    hidden,
    is_extended_resource,
    is_label_value,
    parse_quantity,
)
from kasm_constructs.manifests.yamlwrite import check_strings
from kasm_constructs.options.declare import with_defaults
from kasm_constructs.options.gpu import Gpu
from kasm_constructs.options.home import HOME_VOLUME, ClaimTemplate, Home, Volume
from kasm_constructs.options.images import (
    CREDENTIAL_VARIABLES,
    ImageProfile,
    ImageReference,
    profile_for,
    profile_named,
)
from kasm_constructs.options.kasmvnc import OPTIONS as KASMVNC_OPTIONS
from kasm_constructs.options.kasmvnc import OPTIONS_VARIABLE, written
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.probes import Probe
from kasm_constructs.options.schedule import Schedule
from kasm_constructs.options.secrets import SecretKeyRef, secret_key_ref
from kasm_constructs.options.session import SESSION_VARIABLES, SessionPolicy
from kasm_constructs.policy.apiserver import ANNOTATIONS_LIMIT
from kasm_constructs.policy.pod_security import (
    EXEMPTION_ANNOTATION,
    LATEST_VERSION,
    SUPPORTED_VERSIONS,
    PodSecurityExemption,
    exemption_annotations,
    exemption_refusal,
)
from kasm_constructs.policy.waivers import Facts, checkov_annotations

__all__ = ["SELECTOR_KEYS", "resolve"]

#: Requests and limits when none are given: the seed manifest's values.
DEFAULT_REQUESTS: Mapping[str, str] = {"cpu": "1", "memory": "2Gi"}
DEFAULT_LIMITS: Mapping[str, str] = {"cpu": "2", "memory": "4Gi"}
#: Added to the ephemeral-storage limit on top of the emptyDirs, for container logs.
EPHEMERAL_STORAGE_HEADROOM = 2**30
#: The labels that select a workspace's pods; the construct sets them.
SELECTOR_KEYS = ("app.kubernetes.io/name", "app.kubernetes.io/instance")
#: ``app.kubernetes.io/name`` of every workspace.
APP_NAME = "kasm-workspace"
#: Annotation prefixes the construct writes.
RESERVED_ANNOTATIONS = ("checkov.io/", EXEMPTION_ANNOTATION)
#: Below this, binding a port needs NET_BIND_SERVICE.
PRIVILEGED_PORT_LIMIT = 1024

_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_STALE_FILES_SCRIPT = 'rm -f -- {files}; exec "$@"'


def resolve(
    options: Mapping[str, object],
    *,
    default_name: str,
    chart_labels: Mapping[str, str],
    app_name: str = APP_NAME,
    component: str = "desktop",
) -> Settings:
    """Check every option (:class:`~kasm_constructs._pipeline.model.WorkspaceOptions`) and
    decide everything the workspace renders.

    ``default_name`` is the name when none is given (cdk8s's name for the construct path);
    ``chart_labels`` are the labels of the chart, which cdk8s puts on every object and the
    construct also puts on the pods. ``app_name`` and ``component``: the
    ``app.kubernetes.io/name`` and ``/component`` labels, those of a desktop unless the pod
    runs something else (a sign-in proxy).
    """
    a: WorkspaceOptions = with_defaults(WorkspaceOptions, options)  # type: ignore[assignment]
    image = check_str("image", a["image"])
    reference = ImageReference.parse(image)
    if a["image_profile"] is None:
        profile = profile_for(image)
    elif isinstance(a["image_profile"], ImageProfile):
        profile = a["image_profile"]
    else:
        profile = profile_named("image_profile", a["image_profile"])
    replicas = check_int("replicas", a["replicas"], minimum=0)
    uid = check_int("run_as_user", a["run_as_user"], minimum=1)
    gid = check_int("run_as_group", a["run_as_group"], minimum=1)
    fs_group = check_int("fs_group", a["fs_group"], minimum=1)
    _flags(
        service=a["service"],
        network_policy=a["network_policy"],
        egress_internet=a["egress_internet"],
        pod_disruption_budget=a["pod_disruption_budget"],
        topology_spread=a["topology_spread"],
        host_users=a["host_users"],
    )
    if a["name"] is None and not _is_name(default_name):
        fail(
            "name",
            default_name,
            "that is the default name, made from the construct path, and it is not an RFC 1035 "
            "label (at most 52 of a-z, 0-9 and '-', starting with a letter): pass name=",
        )
    name = check_dns1035_label(
        "name", default_name if a["name"] is None else a["name"], max_length=52
    )
    user_labels, user_annotations = _metadata(a["labels"], a["annotations"])
    pull_secrets = _image_pull(a["image_pull_policy"], a["image_pull_secrets"])
    ports = _ports(profile.ports if a["ports"] is None else a["ports"])
    volumes, claim_template, recreate = _volumes(
        profile,
        home=a["home"],
        writable_paths=a["writable_paths"],
        shm_size=a["shm_size"],
        replicas=replicas,
    )
    if claim_template is not None and not (a["service"] and ports):
        fail(
            "home",
            a["home"],
            "a StatefulSet needs its governing Service: keep service=True and declare a port",
        )
    # Without a password at the web port, the image needs none bound (vnc_password=False).
    required = profile.required_secret_env if a["vnc_password"] is not False else ()
    env, secret_env = _environment(profile, a["env"], a["secret_env"], image, required)
    tls_secret = None
    vnc: dict[str, list[tuple[str, str]]] = {}  # parameter -> the KasmVNC options it needs
    if a["backend_tls_secret"] is not None:
        tls_secret = check_dns_subdomain("backend_tls_secret", a["backend_tls_secret"])
        volumes, vnc["backend_tls_secret"] = _serve_certificate(profile, tls_secret, volumes)
    _flags(vnc_password=a["vnc_password"])
    if not a["vnc_password"]:
        vnc["vnc_password"] = [("no_password", "1")]
    env = _session(profile, a["session_policy"], env, a["env"] or {}, vnc)
    env = _vnc_options(profile, env, a["env"] or {}, vnc)
    requests, limits = _resources(a["requests"], a["limits"], volumes)
    gpu = _gpu(a["gpu"], a["host_users"], a["env"] or {})
    if gpu is not None:
        for parameter, amounts in (("requests", requests), ("limits", limits)):
            if amounts.get(gpu.resource, str(gpu.count)) != str(gpu.count):
                fail(
                    f"{parameter}[{gpu.resource!r}]",
                    amounts[gpu.resource],
                    f"gpu asks for {gpu.count}; set the count in Gpu(...) only",
                )
            amounts[gpu.resource] = str(gpu.count)
        env = {**env, **gpu.env}
    schedule = a["schedule"]
    if schedule is not None and not isinstance(schedule, Schedule):
        fail("schedule", schedule, "expected Schedule(...) or None")
    if schedule is not None and replicas == 0:
        fail(
            "schedule",
            schedule,
            "with replicas=0 the desktop never starts: a schedule needs replicas of 1 or more",
        )
    probes = _probes(
        profile,
        ports,
        {
            "startup_probe": a["startup_probe"],
            "readiness_probe": a["readiness_probe"],
            "liveness_probe": a["liveness_probe"],
        },
    )
    command, args = _command(profile, a["command"], a["args"])
    ingress_from = _peers("ingress_from", a["ingress_from"])
    for peer in ingress_from:
        for port in peer.ports:
            if port not in ports.values():
                fail("ingress_from item", peer, f"port {port} is not a declared port {dict(ports)}")
    egress_dns = (
        [NetworkPeer.kube_dns()]
        if a["egress_dns"] is None
        else _peers("egress_dns", a["egress_dns"])
    )
    for peer in egress_dns:
        if peer.ports:
            fail("egress_dns item", peer, "DNS is port 53 (UDP and TCP): give the peer alone")
    egress_to = _peers("egress_to", a["egress_to"])
    if not a["vnc_password"]:
        _without_password(a["network_policy"], ingress_from)
    version, exemptions = _pod_security(a["pod_security_version"], a["pod_security_exemptions"])
    if a["service_account_name"] is not None:
        check_dns_subdomain("service_account_name", a["service_account_name"])

    for key, value in a.items():
        check_strings(key, value)

    low_ports = sorted(number for number in ports.values() if number < PRIVILEGED_PORT_LIMIT)
    capabilities = ["NET_BIND_SERVICE"] if low_ports else []
    selector = {SELECTOR_KEYS[0]: app_name, SELECTOR_KEYS[1]: name}
    labels = {
        **user_labels,
        **selector,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": "kasm-workspaces",
        "app.kubernetes.io/managed-by": "cdk8s",
    }
    if reference.tag and is_label_value(reference.tag):
        labels["app.kubernetes.io/version"] = reference.tag
    waivers = checkov_annotations(Facts(uid, list(secret_env), capabilities, low_ports))
    return Settings(
        name=name,
        selector_labels=selector,
        labels=labels,
        pod_labels={**chart_labels, **labels},
        annotations=user_annotations,
        workload_annotations={
            **user_annotations,
            **waivers,
            **exemption_annotations(exemptions),
        },
        image=image,
        image_pull_policy=str(a["image_pull_policy"]),
        image_pull_secrets=pull_secrets,
        replicas=replicas,
        run_as_user=uid,
        run_as_group=gid,
        fs_group=fs_group,
        ports=ports,
        capabilities_add=capabilities,
        env=env,
        secret_env=secret_env,
        volumes=volumes,
        claim_template=claim_template,
        recreate=recreate,
        requests=requests,
        limits=limits,
        probes=probes,
        command=command,
        args=args,
        host_users=bool(a["host_users"]),
        termination_grace_period_seconds=None
        if a["termination_grace_period_seconds"] is None
        else check_int(
            "termination_grace_period_seconds", a["termination_grace_period_seconds"], minimum=0
        ),
        service_account_name=None
        if a["service_account_name"] is None
        else str(a["service_account_name"]),
        service=bool(a["service"]) and bool(ports),
        network_policy=bool(a["network_policy"]),
        pod_disruption_budget=bool(a["pod_disruption_budget"]) and replicas > 1,
        ingress_from=ingress_from,
        egress_dns=egress_dns,
        egress_to=egress_to,
        egress_internet=bool(a["egress_internet"]),
        spread=bool(a["topology_spread"]) and replicas > 1,
        pod_security_version=version,
        pod_security_exemptions=exemptions,
        backend_tls_secret=tls_secret,
        vnc_password=bool(a["vnc_password"]),
        schedule=schedule,
        runtime_class_name=gpu.runtime_class_name if gpu else None,
        supplemental_groups=tuple(gpu.supplemental_groups) if gpu else (),
        profile=profile,
    )


def _session(
    profile: ImageProfile,
    policy: object,
    env: dict[str, str],
    user_env: Mapping[str, object],
    vnc: dict[str, list[tuple[str, str]]],
) -> dict[str, str]:
    """A :class:`SessionPolicy`: its KasmVNC options added to ``vnc``; the frame rate to the
    image's ``MAX_FRAME_RATE`` too. The variables it decides may not be set by ``env``."""
    if policy is None:
        return env
    if not isinstance(policy, SessionPolicy):
        fail("session_policy", policy, "expected SessionPolicy(...) or None")
    for variable in SESSION_VARIABLES:
        if variable in user_env:
            fail(
                f"env[{variable!r}]",
                user_env[variable],
                f"session_policy decides {variable} (the image's start script would let it undo "
                "the policy): set the control in SessionPolicy(...)",
            )
    if profile.kasmvnc is None:
        fail(
            "session_policy",
            policy,
            f"the image profile {profile.name!r} runs no KasmVNC the library knows",
        )
    vnc["session_policy"] = policy.options()
    if policy.max_frame_rate is not None:
        return {**env, "MAX_FRAME_RATE": str(policy.max_frame_rate)}
    return env


def _gpu(gpu: object, host_users: object, user_env: Mapping[str, object]) -> Gpu | None:
    """A :class:`Gpu`, checked against the rest."""
    if gpu is None:
        return None
    if not isinstance(gpu, Gpu):
        fail("gpu", gpu, "expected Gpu.nvidia(...), Gpu.dri(...) or None")
    if host_users is False:
        fail(
            "gpu",
            gpu,
            "a GPU's device nodes cannot be opened from a user namespace: keep host_users=True",
        )
    for variable in gpu.env:
        if variable in user_env:
            fail(f"env[{variable!r}]", user_env[variable], f"gpu sets {variable}")
    return gpu


def _without_password(network_policy: object, ingress_from: Sequence[NetworkPeer]) -> None:
    """A desktop without a password at the web port (``vnc_password=False``) gives whoever
    reaches the port the desktop: its NetworkPolicy stays, and admits only what a sign-in in
    front of it admits (``WorkspaceRoute(sign_in=...)``, a fleet's sign-in)."""
    if not network_policy:
        fail(
            "network_policy",
            network_policy,
            "a desktop without a password (vnc_password=False) keeps its NetworkPolicy: "
            "whoever reaches its web port controls it",
        )
    if ingress_from:
        fail(
            "ingress_from",
            [peer.render() for peer in ingress_from],
            "a desktop without a password (vnc_password=False) admits only its sign-in's proxy, "
            "which WorkspaceRoute(sign_in=...) or a fleet's sign-in admits itself",
        )


def _is_name(value: str) -> bool:
    try:
        check_dns1035_label("name", value, max_length=52)
    except ConfigurationError:
        return False
    return True


def _flags(**values: object) -> None:
    """Boolean switches."""
    for name, value in values.items():
        if not isinstance(value, bool):
            fail(name, value, "expected True or False")


def _string_list(parameter: str, value: object) -> list[str]:
    """A list of strings (a bare string is not one)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        fail(parameter, value, "expected a list of strings")
    for item in value:
        check_text(f"{parameter} item", item)
    return list(value)


def _metadata(labels: object, annotations: object) -> tuple[dict[str, str], dict[str, str]]:
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
    size = sum(len(key) + len(value) for key, value in checked_annotations.items())
    if size > ANNOTATIONS_LIMIT:
        fail(
            "annotations",
            hidden(checked_annotations),
            f"{size} bytes of keys and values; the API server accepts at most "
            f"{ANNOTATIONS_LIMIT} (256 KiB) per object",
        )
    return checked_labels, checked_annotations


def _image_pull(policy: object, secrets: object) -> list[str]:
    """The pull policy and the names of the pull secrets."""
    if policy not in _PULL_POLICIES:
        fail("image_pull_policy", policy, f"expected one of {', '.join(_PULL_POLICIES)}")
    names = _string_list("image_pull_secrets", secrets)
    for name in names:
        check_dns_subdomain("image_pull_secrets item", name)
    return names


def _ports(value: object) -> dict[str, int]:
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


def _home(profile: ImageProfile, given: object) -> Home | None:
    """The home asked for, or the image's default (an ephemeral home, if it has a home)."""
    if given is None:
        return Home.ephemeral() if profile.home is not None else None
    if not isinstance(given, Home):
        fail(
            "home",
            given,
            "expected Home.ephemeral(...), Home.claim(...), Home.per_replica(...) or None",
        )
    if given.path is None and profile.home is None:
        fail(
            "home",
            given,
            f"the image profile {profile.name!r} knows no home directory: give the mount path, "
            "e.g. Home.claim('data', path='/data')",
        )
    return given


def _volumes(
    profile: ImageProfile,
    *,
    home: object,
    writable_paths: object,
    shm_size: object,
    replicas: int,
) -> tuple[list[Volume], ClaimTemplate | None, bool]:
    """The home, the writable emptyDirs and /dev/shm, no path mounted twice; the per-replica
    home claim, if any; and whether the workload must replace its pod instead of surging."""
    paths = check_mapping(
        "writable_paths", profile.writable_paths if writable_paths is None else writable_paths
    )
    shm = profile.shm_size if shm_size is None else shm_size
    parse_quantity("shm_size", shm, positive=True)
    shm = str(shm)
    chosen = _home(profile, home)

    result: list[Volume] = []
    used: dict[str, str] = {SHM_PATH: "shm_size"}

    def claim_path(parameter: str, path: str) -> None:
        for other, owner in used.items():
            if path == other or path.startswith(other + "/") or other.startswith(path + "/"):
                fail(parameter, path, f"overlaps {other!r} (from {owner}); mounts must not nest")
        used[path] = parameter

    template: ClaimTemplate | None = None
    recreate = False
    if chosen is not None:
        mount = chosen.path or profile.home
        assert mount is not None  # _home refuses a home without a path
        claim_path("home path", mount)
        if replicas > 1 and chosen.single_attach:
            fail(
                "home",
                chosen,
                f"a {chosen.access_mode} claim attaches to one node, so {replicas} replicas "
                "would hang in "
                "ContainerCreating (Multi-Attach error) and share one profile; use "
                "Home.per_replica(size) for a claim per replica, replicas=1, or a "
                "ReadWriteMany claim (access_mode='ReadWriteMany')",
            )
        # A single-attach claim cannot follow a surge pod to another node.
        recreate = chosen.single_attach
        template = chosen.claim_template(mount)
        volume = chosen.volume(mount, profile.home_size_limit)
        if volume is not None:
            result.append(volume)

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
        result.append(Volume(name, path, size_limit=str(size)))
    result.append(Volume(SHM_VOLUME, SHM_PATH, size_limit=str(shm), memory=True))
    return result, template, recreate


def _serve_certificate(
    profile: ImageProfile, secret: str, volumes: list[Volume]
) -> tuple[list[Volume], list[tuple[str, str]]]:
    """Mount the Secret read-only; the KasmVNC options that serve it."""
    if profile.kasmvnc is None:
        fail(
            "backend_tls_secret",
            secret,
            f"the image profile {profile.name!r} does not say how to make the image serve a "
            "certificate (ImageProfile.kasmvnc: the KasmVNC it runs)",
        )
    for volume in volumes:
        if volume.mount_path == TLS_PATH or volume.mount_path.startswith(f"{TLS_PATH}/"):
            fail("backend_tls_secret", secret, f"{TLS_PATH} is already mounted")
    tls = Volume(TLS_VOLUME, TLS_PATH, secret=secret)
    options = [("cert", f"{TLS_PATH}/tls.crt"), ("key", f"{TLS_PATH}/tls.key")]
    return [*volumes[:-1], tls, volumes[-1]], options


def _vnc_options(
    profile: ImageProfile,
    env: dict[str, str],
    user_env: Mapping[str, object],
    options: Mapping[str, list[tuple[str, str]]],
) -> dict[str, str]:
    """``env`` with the KasmVNC options each parameter needs (parameter -> ``(option,
    value)`` pairs), written into ``VNCOPTIONS`` after the image's own."""
    pairs = [pair for given in options.values() for pair in given]
    if not pairs:
        return env
    for parameter, given in options.items():
        if given and profile.kasmvnc is None:
            fail(
                parameter,
                parameter,
                f"the image profile {profile.name!r} runs no KasmVNC the library knows "
                "(ImageProfile.kasmvnc)",
            )
        assert profile.kasmvnc is not None or not given
        for option, _ in given:
            known = KASMVNC_OPTIONS[option]
            if profile.kasmvnc is not None and not known.available(profile.kasmvnc):
                have = ".".join(map(str, profile.kasmvnc))
                since = ".".join(map(str, known.since))
                fail(
                    parameter,
                    known.flag,
                    f"{profile.name} runs KasmVNC {have}; {known.flag} needs {since} or newer",
                )
        if OPTIONS_VARIABLE in user_env and given:
            fail(
                f"env[{OPTIONS_VARIABLE!r}]",
                user_env[OPTIONS_VARIABLE],
                f"{parameter} sets {OPTIONS_VARIABLE}; set one or the other",
            )
    return {**env, OPTIONS_VARIABLE: " ".join([*profile.vnc_options, *written(pairs)])}


def _environment(
    profile: ImageProfile, env: object, secret_env: object, image: str, required: Sequence[str]
) -> tuple[dict[str, str], dict[str, SecretKeyRef]]:
    """Plain variables (the image's, overridden by ``env``) and Secret references. A variable
    that holds a credential is never accepted as a plain value, whatever the profile (a
    profile checks its own env when it is made)."""
    user_env = check_mapping("env", {} if env is None else env)
    for key, value in user_env.items():
        check_env_name("env key", key)
        if key in CREDENTIAL_VARIABLES or key in profile.required_secret_env:
            fail(f"env[{key!r}]", hidden(value), _by_reference(key))
        check_text(f"env[{key!r}]", value)
    secrets: dict[str, SecretKeyRef] = {}
    for key, ref in check_mapping("secret_env", {} if secret_env is None else secret_env).items():
        check_env_name("secret_env key", key)
        parameter = f"secret_env[{key!r}]"
        checked = secret_key_ref(parameter, ref)
        if checked.placeholders:
            fail(
                parameter,
                checked,
                "a name pattern of {user}, {preset} or {fleet} names a Secret per person of a "
                "WorkspaceFleet's preset; a single workspace names its Secret",
            )
        if key in user_env:
            fail(parameter, checked, f"{key} is also set in env; set it in one place")
        secrets[key] = checked
    for key in required:
        if key not in secrets:
            fail(
                "secret_env",
                secrets,
                f"{image} needs {key} bound to a Secret, e.g. secret_env={{{key!r}: "
                "SecretKeyRef('kasm-secrets', 'vnc-password')}; without it the image falls back "
                "to its published default password",
            )
    plain = {k: v for k, v in {**profile.env, **user_env}.items() if k not in secrets}
    return plain, secrets


def _by_reference(key: str) -> str:
    return (
        f"{key} holds a credential; bind it by reference with "
        f"secret_env={{{key!r}: SecretKeyRef('<Secret name>', '<key>')}}"
    )


def _resource_name(parameter: str, name: object) -> bool:
    """True for an extended resource; ValueError for an unknown name."""
    if name in STANDARD_RESOURCES:
        return False
    if not is_extended_resource(name):
        fail(
            f"{parameter} key",
            name,
            "expected cpu, memory, ephemeral-storage or an extended resource such as "
            "nvidia.com/gpu (not in the kubernetes.io domain)",
        )
    return True


def _resources(
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
        # A whole number (YAML's `cpu: 4`) is a quantity: written as the string Kubernetes reads.
        given[parameter] = {name: str(quantity) for name, quantity in mapping.items()}

    disk = sum(
        (parse_quantity("size", v.size_limit) for v in volumes if v.size_limit and not v.memory),
        Decimal(0),
    )
    derived = "ephemeral-storage"
    if disk and derived not in given["requests"]:
        given["requests"][derived] = format_quantity(disk, binary=True)
        amounts["requests"][derived] = disk
        defaulted.add(("requests", derived))
    if disk and derived not in given["limits"]:
        limit = max(disk, amounts["requests"][derived]) + EPHEMERAL_STORAGE_HEADROOM
        given["limits"][derived] = format_quantity(limit, binary=True)
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
        if is_extended_resource(name) and limit_amount != requested:
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


def _probes(
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
        rendered[parameter.replace("_probe", "Probe")] = chosen.render()
    return rendered


def _command(
    profile: ImageProfile, given_command: object, given_args: object
) -> tuple[list[str] | None, list[str] | None]:
    """``command`` and ``args``. For an image with stale files: a wrapper that removes them,
    then execs the image's ENTRYPOINT with CMD exactly as built."""
    command = None if given_command is None else _string_list("command", given_command)
    args = None if given_args is None else _string_list("args", given_args)
    if command is not None or not profile.stale_files:
        return command, args
    script = _STALE_FILES_SCRIPT.format(files=" ".join(map(shlex.quote, profile.stale_files)))
    # Kubernetes drops the image's CMD once command is set, so CMD is restated as args.
    wrapper = ["/bin/sh", "-c", script, "kasm-entrypoint", *profile.entrypoint]
    return wrapper, args if args is not None else list(profile.cmd)


def _peers(parameter: str, value: object) -> list[NetworkPeer]:
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


def _pod_security(
    version: object, exemptions: object
) -> tuple[str, dict[str, PodSecurityExemption]]:
    """The guard's policy version and the exempted checks, check id -> exemption."""
    resolved = LATEST_VERSION if version is None else version
    if resolved not in SUPPORTED_VERSIONS:
        fail("pod_security_version", version, f"expected one of {', '.join(SUPPORTED_VERSIONS)}")
    assert isinstance(resolved, str)
    given = check_mapping("pod_security_exemptions", {} if exemptions is None else exemptions)
    checked: dict[str, PodSecurityExemption] = {}
    for check, exemption in given.items():
        problem = exemption_refusal(check, resolved)
        if problem is not None:
            fail("pod_security_exemptions key", check, problem)
        parameter = f"pod_security_exemptions[{check!r}]"
        if isinstance(exemption, PodSecurityExemption):
            checked[check] = exemption
            continue
        try:
            checked[check] = PodSecurityExemption(exemption)
        except ValueError:
            fail(
                parameter,
                exemption,
                "expected a one-line reason, or PodSecurityExemption(reason, allow=[...])",
            )
    return resolved, checked
