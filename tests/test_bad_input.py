"""Bad input: every wrong argument is a ``ValueError`` raised at construction.

The contract: a wrong argument raises ``ValueError`` (the library's ``ConfigurationError``)
before anything is added to the construct tree. The message names the parameter, shows the
value and says what is allowed. A user mistake never surfaces as a jsii/JavaScript error, nor as
a manifest that the API server would reject.

Every case in ``CASES`` is checked three ways: it raises a ``ValueError`` whose message names
the parameter and shows the value; it leaves the construct tree as it was; its message is plain
Python (no jsii, no JavaScript stack) and names ``error.parameter``. The tests after the cases
pin single contract points, among them the fixes of earlier library bugs. There are no xfail
tests: every check here passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import cdk8s
import pytest

from kasm_constructs import (
    ConfigurationError,
    HardenedWorkspace,
    NetworkPeer,
    Probe,
    RestrictedNamespace,
    WorkspaceIngress,
)
from kasm_constructs.images import profile_for

VNC = {"VNC_PW": ("kasm-secrets", "vnc-password")}
BASE: dict[str, Any] = {"image": "kasmweb/desktop:1.16.0", "secret_env": VNC}
GENERIC_IMAGE = "nginx:1.25"
HOME = "/home/kasm-user"

Thunk = Callable[[], object]
Prepare = Callable[[cdk8s.Chart], Thunk]

_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_JS_NOISE = ("jsii", "@jsii", "at Kernel", "at Object.", "node:internal")


# --- how a case is built ------------------------------------------------------------------------
def ws(**overrides: Any) -> Prepare:
    """The baseline workspace with ``overrides``."""
    kwargs = {**BASE, **overrides}
    return lambda chart: lambda: HardenedWorkspace(chart, "desktop", **kwargs)


def call(function: Callable[..., object], *args: Any, **kwargs: Any) -> Prepare:
    """A call that does not need the chart (Probe and NetworkPeer factories)."""
    return lambda chart: lambda: function(*args, **kwargs)


def namespace(**overrides: Any) -> Prepare:
    kwargs = {"name": "kasm", **overrides}
    return lambda chart: lambda: RestrictedNamespace(chart, "namespace", **kwargs)


def ingress(
    target: Mapping[str, Any] | None = None, construct_id: str = "ingress", **overrides: Any
) -> Prepare:
    """A WorkspaceIngress for a workspace built first (with ``target`` overrides)."""

    def prepare(chart: cdk8s.Chart) -> Thunk:
        workspace = HardenedWorkspace(chart, "desktop", **{**BASE, **(target or {})})
        kwargs = {
            "workspace": workspace,
            "host": "desktop.example.com",
            "tls_secret": "desktop-tls",
            **overrides,
        }
        return lambda: WorkspaceIngress(chart, construct_id, **kwargs)

    return prepare


def ingress_without_workspace(**overrides: Any) -> Prepare:
    kwargs = {"host": "desktop.example.com", "tls_secret": "desktop-tls", **overrides}
    return lambda chart: lambda: WorkspaceIngress(chart, "ingress", **kwargs)


def twice(first: Mapping[str, Any], second: Mapping[str, Any], *, ids: tuple[str, str]) -> Prepare:
    """Build one workspace, then (in the thunk) a second one in the same chart."""

    def prepare(chart: cdk8s.Chart) -> Thunk:
        HardenedWorkspace(chart, ids[0], **{**BASE, **first})
        return lambda: HardenedWorkspace(chart, ids[1], **{**BASE, **second})

    return prepare


@dataclass(frozen=True)
class Case:
    id: str
    prepare: Prepare
    #: ``error.parameter``, exactly.
    parameter: str
    #: Text the message must contain after the parameter: the offending value, as repr'd.
    shows: str
    #: More regexes the message must match.
    extra: tuple[str, ...] = ()

    @property
    def pattern(self) -> str:
        # The value is shown after "got", before the "; allowed" part, so text that merely
        # appears in the explanation (an example value, say) does not count.
        return f"^{re.escape(self.parameter)}: got [^;]*?{re.escape(self.shows)}"


def bad(
    id: str,
    prepare: Prepare,
    parameter: str,
    value: object,
    *extra: str,
    shows: str | None = None,
) -> Case:
    return Case(id, prepare, parameter, repr(value) if shows is None else shows, extra)


# --- the cases ------------------------------------------------------------------------------------
CASES: list[Case] = [
    # image
    bad("image-empty", ws(image=""), "image", ""),
    bad("image-whitespace", ws(image="   "), "image", "   "),
    bad("image-padded", ws(image=" kasmweb/desktop:1.16.0"), "image", " kasmweb/desktop:1.16.0"),
    bad("image-none", ws(image=None), "image", None),
    bad("image-int", ws(image=42), "image", 42),
    bad(
        "image-upper-namespace",
        ws(image="Kasmweb/desktop:1.16.0"),
        "image",
        "Kasmweb/desktop:1.16.0",
    ),
    bad("image-upper-name", ws(image="kasmweb/Desktop:1.16.0"), "image", "kasmweb/Desktop:1.16.0"),
    bad("image-space", ws(image="kasmweb/desktop :1.16.0"), "image", "kasmweb/desktop :1.16.0"),
    bad(
        "image-bad-digest",
        ws(image="kasmweb/desktop@sha256:xyz"),
        "image",
        "kasmweb/desktop@sha256:xyz",
    ),
    bad(
        "image-profile-not-profile",
        ws(image_profile="kasmweb 1.16"),
        "image_profile",
        "kasmweb 1.16",
    ),
    # replicas
    bad("replicas-negative", ws(replicas=-1), "replicas", -1),
    bad("replicas-str", ws(replicas="3"), "replicas", "3"),
    bad("replicas-float", ws(replicas=1.5), "replicas", 1.5),
    bad("replicas-bool", ws(replicas=True), "replicas", True),
    bad("replicas-none", ws(replicas=None), "replicas", None),
    # user and groups
    *[
        bad(f"{field}-{label}", ws(**{field: value}), field, value)
        for field in ("run_as_user", "run_as_group", "fs_group")
        for label, value in (
            ("zero", 0),
            ("negative", -1),
            ("str", "1000"),
            ("float", 1000.0),
            ("bool", True),
            ("int32-overflow", 2**31),
        )
    ],
    # ports
    bad("port-zero", ws(ports={"vnc": 0}), "ports['vnc']", 0),
    bad("port-negative", ws(ports={"vnc": -1}), "ports['vnc']", -1),
    bad("port-65536", ws(ports={"vnc": 65536}), "ports['vnc']", 65536),
    bad("port-str", ws(ports={"vnc": "6901"}), "ports['vnc']", "6901"),
    bad("port-bool", ws(ports={"vnc": True}), "ports['vnc']", True),
    bad(
        "port-duplicate-number",
        ws(ports={"vnc": 6901, "web": 6901}),
        "ports['web']",
        6901,
        re.escape("'vnc'"),
    ),
    *[
        bad(f"port-name-{label}", ws(ports={name: 6901}), "ports key", name)
        for label, name in (
            ("uppercase", "VNC"),
            ("too-long", "a" * 16),
            ("double-dash", "vnc--web"),
            ("all-digits", "6901"),
            ("leading-dash", "-vnc"),
            ("trailing-dash", "vnc-"),
            ("underscore", "vnc_web"),
            ("empty", ""),
            ("int", 6901),
        )
    ],
    bad("ports-list", ws(ports=[("vnc", 6901)]), "ports", [("vnc", 6901)]),
    bad("ports-str", ws(ports="vnc"), "ports", "vnc"),
    # writable_paths
    *[
        bad(f"writable-path-{label}", ws(writable_paths={path: "1Gi"}), "writable_paths key", path)
        for label, path in (
            ("relative", "tmp"),
            ("root", "/"),
            ("dotdot", "/tmp/../etc"),
            ("dot", "/tmp/./x"),
            ("double-slash", "/tmp//x"),
            ("trailing-slash", "/tmp/"),
            ("colon", "/tmp:x"),
            ("empty", ""),
            ("int", 1),
        )
    ],
    bad(
        "writable-path-nested",
        ws(writable_paths={"/tmp": "1Gi", "/tmp/x": "1Gi"}),
        "writable_paths['/tmp/x']",
        "/tmp/x",
        re.escape("'/tmp'"),
    ),
    bad(
        "writable-path-nesting-reversed",
        ws(writable_paths={"/tmp/x": "1Gi", "/tmp": "1Gi"}),
        "writable_paths['/tmp']",
        "/tmp",
        re.escape("'/tmp/x'"),
    ),
    bad(
        "writable-path-in-home",
        ws(writable_paths={f"{HOME}/Downloads": "1Gi"}),
        f"writable_paths['{HOME}/Downloads']",
        f"{HOME}/Downloads",
        "home_path",
    ),
    bad(
        "writable-path-is-home",
        ws(writable_paths={HOME: "1Gi"}),
        f"writable_paths['{HOME}']",
        HOME,
        "home_path",
    ),
    bad(
        "writable-path-above-home",
        ws(writable_paths={"/home": "1Gi"}),
        "writable_paths['/home']",
        "/home",
        "home_path",
    ),
    bad(
        "writable-path-dev-shm",
        ws(writable_paths={"/dev/shm": "1Gi"}),
        "writable_paths['/dev/shm']",
        "/dev/shm",
        "shm_size",
    ),
    bad(
        "writable-path-above-dev-shm",
        ws(writable_paths={"/dev": "1Gi"}),
        "writable_paths['/dev']",
        "/dev",
        "shm_size",
    ),
    *[
        bad(
            f"writable-size-{label}",
            ws(writable_paths={"/tmp": size}),
            "writable_paths['/tmp']",
            size,
        )
        for label, size in (
            ("word", "lots"),
            ("negative", "-1Gi"),
            ("zero", "0"),
            ("empty", ""),
            ("space", "1 Gi"),
            ("int", 1024),
            ("none", None),
        )
    ],
    bad("writable-paths-list", ws(writable_paths=["/tmp"]), "writable_paths", ["/tmp"]),
    # requests and limits
    *[
        bad(
            f"{kind}-{resource}-{label}",
            ws(**{kind: {**default, resource: quantity}}),
            f"{kind}[{resource!r}]",
            quantity,
        )
        for kind, default in (
            ("requests", {"cpu": "1", "memory": "2Gi"}),
            ("limits", {"cpu": "2", "memory": "4Gi"}),
        )
        for resource, label, quantity in (
            ("memory", "space", "2 Gi"),
            ("cpu", "word", "abc"),
            ("cpu", "two-dots", "1.2.3"),
            ("memory", "bad-suffix", "1KB"),
            ("cpu", "negative", "-1"),
            ("cpu", "int", 2),
            ("memory", "empty", ""),
        )
    ],
    *[
        bad(
            f"{kind}-key-{resource or 'empty'}",
            ws(**{kind: {resource: "1"}}),
            f"{kind} key",
            resource,
        )
        for kind in ("requests", "limits")
        for resource in ("gpu", "CPU", "storage", "nvidia.com/", "")
    ],
    bad("requests-list", ws(requests=["cpu"]), "requests", ["cpu"]),
    bad("requests-empty-str", ws(requests=""), "requests", ""),
    bad("limits-str", ws(limits="4Gi"), "limits", "4Gi"),
    bad(
        "request-cpu-above-limit",
        ws(requests={"cpu": "3", "memory": "2Gi"}, limits={"cpu": "2", "memory": "4Gi"}),
        "requests['cpu']",
        "3",
        re.escape("limits['cpu']"),
    ),
    bad(
        "request-memory-above-limit",
        ws(requests={"cpu": "1", "memory": "8Gi"}, limits={"cpu": "2", "memory": "4Gi"}),
        "requests['memory']",
        "8Gi",
        re.escape("limits['memory']"),
    ),
    bad(
        "request-cpu-above-default-limit",
        ws(requests={"cpu": "3"}),
        "requests['cpu']",
        "3",
        re.escape("limits['cpu'] (the default) = '2'"),
    ),
    bad(
        "request-memory-above-default-limit",
        ws(requests={"memory": "5Gi"}),
        "requests['memory']",
        "5Gi",
        re.escape("limits['memory'] (the default) = '4Gi'"),
    ),
    bad(
        "request-cpu-default-above-limit",
        ws(limits={"cpu": "500m", "memory": "4Gi"}),
        "requests['cpu'] (the default)",
        "1",
        re.escape("limits['cpu'] = '500m'"),
    ),
    bad(
        "request-memory-default-above-limit",
        ws(limits={"cpu": "2", "memory": "1Gi"}),
        "requests['memory'] (the default)",
        "2Gi",
        re.escape("limits['memory'] = '1Gi'"),
    ),
    bad(
        # The derived request: the disk-backed emptyDirs (/tmp, /var/run/pulse, the home).
        "request-ephemeral-storage-derived-above-limit",
        ws(limits={"cpu": "2", "memory": "4Gi", "ephemeral-storage": "1Gi"}),
        "requests['ephemeral-storage'] (the default)",
        "5184Mi",
        re.escape("limits['ephemeral-storage'] = '1Gi'"),
    ),
    bad(
        "extended-resource-fraction",
        ws(limits={"cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "0.5"}),
        "limits['nvidia.com/gpu']",
        "0.5",
    ),
    bad(
        "extended-resource-without-limit",
        ws(requests={"cpu": "1", "memory": "2Gi", "nvidia.com/gpu": "1"}),
        "requests['nvidia.com/gpu']",
        "1",
        "equal limit",
    ),
    # shm_size
    bad("shm-above-default-memory-limit", ws(shm_size="5Gi"), "shm_size", "5Gi", re.escape("4Gi")),
    bad(
        "shm-above-memory-limit",
        ws(
            shm_size="2Gi",
            requests={"cpu": "1", "memory": "1Gi"},
            limits={"cpu": "2", "memory": "1Gi"},
        ),
        "shm_size",
        "2Gi",
        re.escape("limits['memory']"),
    ),
    *[
        bad(f"shm-{label}", ws(shm_size=size), "shm_size", size)
        for label, size in (("word", "lots"), ("space", "512 Mi"), ("zero", "0"), ("int", 512))
    ],
    # secret_env
    *[
        bad(
            f"secret-name-{label}",
            ws(secret_env={"VNC_PW": (name, "vnc-password")}),
            "secret_env['VNC_PW'] Secret name",
            name,
        )
        for label, name in (
            ("mixed-case", "Kasm_Secrets"),
            ("leading-dash", "-x"),
            ("too-long", "a" * 254),
            ("empty", ""),
            ("int", 1),
        )
    ],
    *[
        bad(
            f"secret-key-{label}",
            ws(secret_env={"VNC_PW": ("kasm-secrets", key)}),
            "secret_env['VNC_PW'] key",
            key,
        )
        for label, key in (("space", "bad key"), ("slash", "a/b"), ("empty", ""), ("none", None))
    ],
    *[
        bad(
            f"secret-env-name-{label}",
            ws(secret_env={**VNC, name: ("s", "k")}),
            "secret_env key",
            name,
        )
        for label, name in (
            ("digit", "1ABC"),
            ("equals", "A=B"),
            ("space", "has space"),
            ("int", 1),
        )
    ],
    *[
        bad(
            f"secret-ref-{label}",
            ws(secret_env={"VNC_PW": ref}),
            "secret_env['VNC_PW']",
            None,
            re.escape("(Secret name, key)"),
            shows=f"<{type(ref).__name__}, not shown>",
        )
        for label, ref in (
            ("one-tuple", ("kasm-secrets",)),
            ("three-tuple", ("kasm-secrets", "vnc-password", "x")),
            ("list", ["kasm-secrets", "vnc-password"]),
            ("dict", {"name": "kasm-secrets"}),
            ("str", "hunter2-password"),
        )
    ],
    bad(
        "secret-env-list",
        ws(secret_env=[("VNC_PW", VNC["VNC_PW"])]),
        "secret_env",
        [("VNC_PW", VNC["VNC_PW"])],
    ),
    bad("secret-env-empty-str", ws(secret_env=""), "secret_env", ""),
    bad(
        "secret-env-and-env",
        ws(env={"GREETING": "hi"}, secret_env={**VNC, "GREETING": ("s", "k")}),
        "secret_env['GREETING']",
        ("s", "k"),
        r"\benv\b",
    ),
    bad(
        "secret-env-missing-vnc-pw",
        ws(secret_env=None),
        "secret_env",
        {},
        "VNC_PW",
    ),
    bad(
        "secret-env-other-than-vnc-pw",
        ws(secret_env={"OTHER": ("s", "k")}),
        "secret_env",
        {"OTHER": ("s", "k")},
        "VNC_PW",
    ),
    bad(
        "secret-env-missing-vnc-pw-1.14",
        ws(image="kasmweb/desktop:1.14.0", secret_env=None),
        "secret_env",
        {},
        "VNC_PW",
    ),
    # env
    *[
        bad(f"env-name-{label}", ws(env={name: "x"}), "env key", name)
        for label, name in (
            ("digit", "1ABC"),
            ("equals", "A=B"),
            ("space", "has space"),
            ("empty", ""),
            ("int", 1),
        )
    ],
    *[
        bad(f"env-value-{label}", ws(env={"GREETING": value}), "env['GREETING']", value)
        for label, value in (("int", 1), ("none", None), ("bool", True), ("list", ["a"]))
    ],
    bad("env-list", ws(env=[("GREETING", "hi")]), "env", [("GREETING", "hi")]),
    bad("env-empty-str", ws(env=""), "env", ""),
    bad(
        "env-vnc-pw-plain",
        ws(env={"VNC_PW": "hunter2-password"}),
        "env['VNC_PW']",
        None,
        "secret_env",
        shows="<str, not shown>",
    ),
    # labels and annotations
    *[
        bad(f"label-value-{label}", ws(labels={"team": value}), "labels['team']", value)
        for label, value in (
            ("too-long", "a" * 64),
            ("punctuation", "bad value!"),
            ("leading-dash", "-x"),
            ("int", 1),
            ("none", None),
        )
    ],
    *[
        bad(f"label-key-{label}", ws(labels={key: "x"}), "labels key", key)
        for label, key in (
            ("two-slashes", "a/b/c"),
            ("space", "bad key"),
            ("upper-prefix", "Example.com/team"),
            ("name-too-long", "a" * 64),
            ("empty", ""),
            ("empty-name", "example.com/"),
            ("int", 1),
        )
    ],
    bad("labels-list", ws(labels=["team"]), "labels", ["team"]),
    bad("labels-empty-list", ws(labels=[]), "labels", []),
    *[
        bad(
            f"label-selector-{key.rsplit('/', 1)[1]}",
            ws(labels={key: "x"}),
            "labels",
            {key: "x"},
            "set by the construct",
        )
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance")
    ],
    *[
        bad(
            f"annotation-value-{label}",
            ws(annotations={"note": value}),
            "annotations['note']",
            value,
        )
        for label, value in (("int", 1), ("none", None), ("dict", {"a": "b"}))
    ],
    bad("annotation-key-two-slashes", ws(annotations={"a/b/c": "x"}), "annotations key", "a/b/c"),
    bad("annotations-list", ws(annotations=["note"]), "annotations", ["note"]),
    bad("annotations-zero", ws(annotations=0), "annotations", 0),
    *[
        bad(
            f"annotation-reserved-{key.split('/')[0]}",
            ws(annotations={key: "x"}),
            "annotations",
            key,
            "pod_security_exemptions",
        )
        for key in ("checkov.io/skip1", "pod-security.kasm-constructs.io/privileged")
    ],
    # image pull
    *[
        bad(f"pull-policy-{label}", ws(image_pull_policy=policy), "image_pull_policy", policy)
        for label, policy in (
            ("lowercase", "always"),
            ("unknown", "Sometimes"),
            ("empty", ""),
            ("none", None),
        )
    ],
    bad("pull-secrets-str", ws(image_pull_secrets="regcred"), "image_pull_secrets", "regcred"),
    bad("pull-secrets-none", ws(image_pull_secrets=None), "image_pull_secrets", None),
    *[
        bad(f"pull-secret-{label}", ws(image_pull_secrets=[name]), "image_pull_secrets item", name)
        for label, name in (
            ("mixed-case", "Bad_Name"),
            ("empty", ""),
            ("int", 1),
            ("too-long", "a" * 254),
        )
    ],
    # home
    *[
        bad(f"home-claim-{label}", ws(home_claim=claim), "home_claim", claim)
        for label, claim in (
            ("mixed-case", "Bad_Claim"),
            ("leading-dash", "-claim"),
            ("empty", ""),
            ("int", 1),
        )
    ],
    bad(
        "home-claim-rwo-replicas",
        ws(home_claim="kasm-home", replicas=3),
        "home_claim",
        "kasm-home",
        "Multi-Attach",
        "ReadWriteOnce",
    ),
    bad(
        "home-claim-rwop-replicas",
        ws(home_claim="kasm-home", replicas=2, home_access_mode="ReadWriteOncePod"),
        "home_claim",
        "kasm-home",
        "Multi-Attach",
        "ReadWriteOncePod",
    ),
    bad(
        "home-claim-and-size",
        ws(home_claim="kasm-home", home_size="10Gi"),
        "home_size",
        "10Gi",
        "home_claim",
    ),
    bad(
        "home-storage-class-alone",
        ws(home_storage_class="fast"),
        "home_storage_class",
        "fast",
        "home_size",
    ),
    bad(
        "home-storage-class-invalid",
        ws(home_size="10Gi", home_storage_class="Fast_SSD"),
        "home_storage_class",
        "Fast_SSD",
    ),
    *[
        bad(f"home-access-mode-{label}", ws(home_access_mode=mode), "home_access_mode", mode)
        for label, mode in (
            ("read-only-many", "ReadOnlyMany"),
            ("short", "rwx"),
            ("empty", ""),
            ("none", None),
        )
    ],
    bad(
        "home-size-limit-with-claim",
        ws(home_claim="kasm-home", home_size_limit="8Gi"),
        "home_size_limit",
        "8Gi",
        "home_claim",
    ),
    bad(
        "home-size-limit-with-size",
        ws(home_size="10Gi", home_size_limit="8Gi"),
        "home_size_limit",
        "8Gi",
        "home_size",
    ),
    *[
        bad(f"home-size-{label}", ws(home_size=size), "home_size", size)
        for label, size in (("word", "lots"), ("zero", "0"), ("negative", "-1Gi"), ("int", 10))
    ],
    *[
        bad(f"home-size-limit-{label}", ws(home_size_limit=size), "home_size_limit", size)
        for label, size in (("word", "lots"), ("zero", "0"))
    ],
    *[
        bad(
            f"{field.replace('_', '-')}-generic-image",
            ws(image=GENERIC_IMAGE, **{field: value}),
            field,
            value,
            "set home_path too",
        )
        for field, value in (
            ("home_claim", "data"),
            ("home_size", "10Gi"),
            ("home_size_limit", "8Gi"),
        )
    ],
    *[
        bad(f"home-path-{label}", ws(home_path=path), "home_path", path)
        for label, path in (
            ("relative", "home/kasm-user"),
            ("trailing-slash", f"{HOME}/"),
            ("root", "/"),
            ("dotdot", "/home/../root"),
            ("int", 1),
        )
    ],
    bad(
        "home-path-dev-shm", ws(home_path="/dev/shm/home"), "home_path", "/dev/shm/home", "shm_size"
    ),
    bad(
        "home-size-without-service",
        ws(home_size="10Gi", service=False),
        "home_size",
        "10Gi",
        r"service=True",
    ),
    bad(
        "home-size-without-ports",
        ws(home_size="10Gi", ports={}),
        "home_size",
        "10Gi",
        r"port",
    ),
    # probes given to the workspace
    *[
        bad(f"{field}-not-a-probe-{label}", ws(**{field: value}), field, value, r"Probe")
        for field in ("startup_probe", "readiness_probe", "liveness_probe")
        for label, value in (("str", "tcp"), ("dict", {"tcpSocket": {"port": 6901}}), ("int", 6901))
    ],
    *[
        bad(
            f"{field}-success-threshold",
            lambda chart, field=field: (
                lambda: HardenedWorkspace(
                    chart,
                    "desktop",
                    **BASE,
                    **{field: Probe.from_tcp_socket("vnc", success_threshold=2)},
                )
            ),
            field,
            None,
            "success_threshold must be 1",
            shows="success_threshold=2",
        )
        for field in ("startup_probe", "liveness_probe")
    ],
    bad(
        "probe-undeclared-port-name",
        lambda chart: (
            lambda: HardenedWorkspace(
                chart, "desktop", **BASE, readiness_probe=Probe.from_tcp_socket("web")
            )
        ),
        "readiness_probe",
        None,
        re.escape("'vnc'"),
        shows="'web'",
    ),
    bad(
        "probe-port-name-without-ports",
        lambda chart: (
            lambda: HardenedWorkspace(
                chart,
                "desktop",
                image=GENERIC_IMAGE,
                liveness_probe=Probe.from_http_get("/", "http"),
            )
        ),
        "liveness_probe",
        None,
        shows="'http'",
    ),
    # the Probe factories
    *[
        bad(
            f"probe-tcp-port-{label}",
            call(Probe.from_tcp_socket, port),
            "Probe.from_tcp_socket(port)",
            port,
        )
        for label, port in (
            ("zero", 0),
            ("65536", 65536),
            ("bool", True),
            ("none", None),
            ("name-uppercase", "VNC"),
            ("name-too-long", "a" * 16),
        )
    ],
    bad(
        "probe-http-path-relative",
        call(Probe.from_http_get, "no-slash", 80),
        "Probe.from_http_get(path)",
        "no-slash",
    ),
    bad(
        "probe-http-path-none",
        call(Probe.from_http_get, None, 80),
        "Probe.from_http_get(path)",
        None,
    ),
    bad("probe-http-port-zero", call(Probe.from_http_get, "/", 0), "Probe.from_http_get(port)", 0),
    bad(
        "probe-http-scheme",
        call(Probe.from_http_get, "/", 80, scheme="http"),
        "Probe.from_http_get(scheme)",
        "http",
    ),
    bad("probe-exec-empty", call(Probe.from_exec, []), "Probe.from_exec(command)", []),
    bad("probe-exec-str", call(Probe.from_exec, "ls"), "Probe.from_exec(command)", "ls"),
    bad("probe-exec-none", call(Probe.from_exec, None), "Probe.from_exec(command)", None),
    *[
        bad(
            f"probe-exec-{label}-item",
            call(Probe.from_exec, ["ls", item]),
            "Probe.from_exec(command) item",
            item,
        )
        for label, item in (("int", 1), ("none", None))
    ],
    *[
        bad(
            f"probe-{field}-{value}",
            call(Probe.from_tcp_socket, 6901, **{field: value}),
            field,
            value,
        )
        for field, value in (
            ("initial_delay_seconds", -1),
            ("period_seconds", 0),
            ("period_seconds", -5),
            ("period_seconds", 1.5),
            ("timeout_seconds", -1),
            ("failure_threshold", 0),
            ("success_threshold", 0),
            ("success_threshold", True),
            ("initial_delay_seconds", 2**31),
            ("period_seconds", 2**31),
            ("timeout_seconds", 2**31),
            ("failure_threshold", 2**31),
            ("success_threshold", 2**31),
        )
    ],
    # ingress_from and NetworkPeer
    bad(
        "ingress-from-str-item",
        ws(ingress_from=["ingress-nginx"]),
        "ingress_from item",
        "ingress-nginx",
    ),
    bad(
        "ingress-from-dict-item",
        ws(ingress_from=[{"namespaceSelector": {}}]),
        "ingress_from item",
        {"namespaceSelector": {}},
    ),
    bad(
        "ingress-from-bare-peer",
        ws(ingress_from=NetworkPeer.from_namespace("ingress-nginx")),
        "ingress_from",
        None,
        "list of NetworkPeer",
        shows="NetworkPeer(",
    ),
    bad("ingress-from-none", ws(ingress_from=None), "ingress_from", None),
    bad(
        "ingress-from-str",
        ws(ingress_from="kube-system"),
        "ingress_from",
        "kube-system",
        re.escape("; expected a list of NetworkPeer"),
    ),
    *[
        bad(
            f"ip-block-{label}",
            call(NetworkPeer.from_ip_block, cidr),
            "NetworkPeer.from_ip_block(cidr)",
            cidr,
        )
        for label, cidr in (
            ("not-a-cidr", "not-a-cidr"),
            ("prefix-33", "10.0.0.0/33"),
            ("host-bits", "10.0.0.1/8"),
            ("empty", ""),
            ("none", None),
        )
    ],
    bad(
        "ip-block-except-outside",
        call(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=["192.168.0.0/16"]),
        "NetworkPeer.from_ip_block(except_) item",
        "192.168.0.0/16",
        re.escape("expected a block strictly inside 10.0.0.0/8"),
    ),
    bad(
        "ip-block-except-equals-cidr",
        call(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=["10.0.0.0/8"]),
        "NetworkPeer.from_ip_block(except_) item",
        "10.0.0.0/8",
        re.escape("expected a block strictly inside 10.0.0.0/8"),
    ),
    bad(
        "ip-block-except-other-family",
        call(NetworkPeer.from_ip_block, "::/0", except_=["10.0.0.0/8"]),
        "NetworkPeer.from_ip_block(except_) item",
        "10.0.0.0/8",
        re.escape("expected a block strictly inside ::/0"),
    ),
    bad(
        "ip-block-except-not-a-cidr",
        call(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=["x"]),
        "NetworkPeer.from_ip_block(except_) item",
        "x",
    ),
    *[
        bad(
            f"ip-block-except-{label}",
            call(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=except_),
            "NetworkPeer.from_ip_block(except_)",
            except_,
        )
        for label, except_ in (("str", "10.1.0.0/16"), ("none", None))
    ],
    *[
        bad(
            f"peer-namespace-{label}",
            call(NetworkPeer.from_namespace, name),
            "NetworkPeer.from_namespace(name)",
            name,
        )
        for label, name in (
            ("mixed-case", "Bad_NS"),
            ("empty", ""),
            ("too-long", "a" * 64),
            ("int", 1),
        )
    ],
    bad(
        "peer-pod-namespace",
        call(NetworkPeer.from_pod_labels, {"app": "x"}, namespace="Bad_NS"),
        "NetworkPeer.from_pod_labels(namespace)",
        "Bad_NS",
    ),
    bad(
        "peer-pod-label-key",
        call(NetworkPeer.from_pod_labels, {"bad key": "x"}),
        "NetworkPeer.from_pod_labels(labels) key",
        "bad key",
    ),
    bad(
        "peer-pod-labels-none",
        call(NetworkPeer.from_pod_labels, None),
        "NetworkPeer.from_pod_labels(labels)",
        None,
    ),
    bad(
        "peer-namespace-label-value",
        call(NetworkPeer.from_namespace_labels, {"team": "bad value!"}),
        "NetworkPeer.from_namespace_labels(labels)['team']",
        "bad value!",
    ),
    # name and id
    *[
        bad(f"name-{label}", ws(name=name), "name", name)
        for label, name in (
            ("uppercase", "Desktop"),
            ("leading-digit", "1desktop"),
            ("too-long", "a" * 53),
            ("underscore", "desk_top"),
            ("leading-dash", "-desktop"),
            ("trailing-dash", "desktop-"),
            ("dot", "desk.top"),
            ("empty", ""),
            ("int", 1),
        )
    ],
    bad(
        "name-duplicate",
        twice({"name": "desktop"}, {"name": "desktop"}, ids=("first", "second")),
        "name",
        "desktop",
        re.escape("kasm/first"),
    ),
    bad(
        "name-duplicate-of-default",
        twice({}, {"name": "kasm-desktop-c8a51aa7"}, ids=("desktop", "second")),
        "name",
        "kasm-desktop-c8a51aa7",
    ),
    bad(
        "id-duplicate", twice({}, {}, ids=("desktop", "desktop")), "id", "desktop", "already exists"
    ),
    *[
        bad(
            f"id-{label}",
            lambda chart, construct_id=construct_id: (
                lambda: HardenedWorkspace(chart, construct_id, **BASE)
            ),
            "id",
            construct_id,
        )
        for label, construct_id in (
            ("empty", ""),
            ("padded", " desktop"),
            ("none", None),
            ("int", 1),
        )
    ],
    # Pod Security
    *[
        bad(
            f"pod-security-version-{label}",
            ws(pod_security_version=version),
            "pod_security_version",
            version,
        )
        for label, version in (
            ("too-old", "1.22"),
            ("word", "latest-ish"),
            ("latest", "latest"),
            ("v-prefix", "v1.30"),
            ("float", 1.30),
            ("too-new", "1.99"),
        )
    ],
    bad(
        "exemption-unknown-check",
        ws(pod_security_exemptions={"notACheck": "because"}),
        "pod_security_exemptions key",
        "notACheck",
        "runAsUser",
    ),
    *[
        bad(
            f"exemption-reason-{label}",
            ws(pod_security_exemptions={"runAsUser": reason}),
            "pod_security_exemptions['runAsUser']",
            reason,
        )
        for label, reason in (("empty", ""), ("blank", "   "), ("none", None), ("int", 1))
    ],
    bad(
        "exemptions-list",
        ws(pod_security_exemptions=["runAsUser"]),
        "pod_security_exemptions",
        ["runAsUser"],
    ),
    # boolean flags
    *[
        bad(f"{flag}-{label}", ws(**{flag: value}), flag, value, "True or False")
        for flag in (
            "service",
            "network_policy",
            "egress_internet",
            "pod_disruption_budget",
            "topology_spread",
            "host_users",
        )
        for label, value in (("yes", "yes"), ("int", 1), ("none", None))
    ],
    # other workspace arguments
    bad(
        "service-account-name", ws(service_account_name="Bad_SA"), "service_account_name", "Bad_SA"
    ),
    bad("command-str", ws(command="/bin/sh"), "command", "/bin/sh"),
    bad("command-int-item", ws(command=["/bin/sh", 1]), "command item", 1),
    bad("args-str", ws(args="--wait"), "args", "--wait"),
    bad("args-none-item", ws(args=[None]), "args item", None),
    # RestrictedNamespace
    *[
        bad(f"namespace-name-{label}", namespace(name=name), "name", name)
        for label, name in (
            ("mixed-case", "Bad_NS"),
            ("empty", ""),
            ("too-long", "a" * 64),
            ("none", None),
        )
    ],
    *[
        bad(
            f"namespace-enforce-{label}",
            namespace(enforce_version=version),
            "enforce_version",
            version,
        )
        for label, version in (
            ("too-old", "1.22"),
            ("latest", "latest"),
            ("v-prefix", "v1.30"),
            ("float", 1.3),
        )
    ],
    *[
        bad(
            f"namespace-label-{key.rsplit('/', 1)[1]}",
            namespace(labels={key: "privileged"}),
            "labels",
            key,
        )
        for key in ("pod-security.kubernetes.io/enforce", "pod-security.kubernetes.io/warn-version")
    ],
    bad("namespace-label-key", namespace(labels={"bad key": "x"}), "labels key", "bad key"),
    bad("namespace-labels-list", namespace(labels=["x"]), "labels", ["x"]),
    bad("namespace-annotation-value", namespace(annotations={"note": 1}), "annotations['note']", 1),
    # WorkspaceIngress
    bad(
        "ingress-workspace-str",
        ingress_without_workspace(workspace="desktop"),
        "workspace",
        "desktop",
    ),
    bad("ingress-workspace-none", ingress_without_workspace(workspace=None), "workspace", None),
    bad(
        "ingress-workspace-namespace",
        lambda chart: (
            lambda: WorkspaceIngress(
                chart,
                "ingress",
                workspace=RestrictedNamespace(cdk8s.Chart(cdk8s.App(), "other"), "ns", name="kasm"),
                host="desktop.example.com",
                tls_secret="desktop-tls",
            )
        ),
        "workspace",
        None,
        shows="RestrictedNamespace",
    ),
    bad(
        "ingress-workspace-without-service",
        ingress({"service": False}),
        "workspace",
        "kasm/desktop",
        "Service",
    ),
    bad(
        "ingress-workspace-without-ports",
        ingress({"ports": {}}),
        "workspace",
        "kasm/desktop",
        "port",
    ),
    *[
        bad(f"ingress-host-{label}", ingress(host=host), "host", host)
        for label, host in (
            ("uppercase", "Desktop.Example.com"),
            ("space", "desktop example.com"),
            ("trailing-dot", "desktop.example.com."),
            ("url", "https://desktop.example.com"),
            ("empty", ""),
            ("none", None),
            ("wildcard-inside", "a.*.example.com"),
            ("wildcard-alone", "*"),
        )
    ],
    *[
        bad(f"ingress-host-{label}", ingress(host=host), "host", host, "not an IP address")
        for label, host in (
            ("ipv4", "10.0.0.1"),
            ("ipv6", "::1"),
            ("wildcard-ipv4", "*.10.0.0.1"),
        )
    ],
    *[
        bad(f"ingress-tls-secret-{label}", ingress(tls_secret=secret), "tls_secret", secret)
        for label, secret in (("mixed-case", "Bad_TLS"), ("empty", ""), ("none", None))
    ],
    bad(
        "ingress-controller-str", ingress(controller="ingress-nginx"), "controller", "ingress-nginx"
    ),
    bad(
        "ingress-controller-list",
        ingress(controller=[NetworkPeer.from_namespace("ingress-nginx")]),
        "controller",
        None,
        shows="[NetworkPeer(",
    ),
    bad("ingress-class-name", ingress(ingress_class_name="Nginx"), "ingress_class_name", "Nginx"),
    bad(
        "ingress-backend-protocol",
        ingress(backend_protocol_annotation="yes"),
        "backend_protocol_annotation",
        "yes",
    ),
    bad("ingress-annotation-value", ingress(annotations={"note": 1}), "annotations['note']", 1),
    bad("ingress-id-empty", ingress(construct_id=""), "id", ""),
]

assert len({case.id for case in CASES}) == len(CASES), "case ids must be unique"


def _params() -> list[Any]:
    return [pytest.param(case, id=case.id) for case in CASES]


def _tree_size(chart: cdk8s.Chart) -> tuple[int, int]:
    """Children of the chart, and every construct in the app."""
    return len(chart.node.children), len(chart.node.root.node.find_all())


def _assert_plain_python(error: BaseException) -> None:
    message = str(error)
    for noise in _JS_NOISE:
        assert noise not in message, f"{noise!r} in {message!r}"
    assert type(error).__module__.split(".")[0] not in ("jsii", "constructs", "cdk8s")


def _expect_value_error(build: Thunk, pattern: str) -> None:
    """``pytest.raises(ValueError, match=pattern)`` that reports any other exception in one line.

    A jsii error carries a JavaScript stack through the big generated cdk8s modules, and
    pytest's traceback for it takes ~0.4 s to format; the tests below that once met exactly that
    error (a construct id or scope reaching jsii) use this, so a regression fails fast.
    """
    try:
        build()
    except ValueError as error:
        if not re.search(pattern, str(error)):
            pytest.fail(f"{str(error)!r} does not match {pattern!r}", pytrace=False)
        return
    except Exception as error:
        pytest.fail(f"{type(error).__name__} instead of ValueError: {error}"[:500], pytrace=False)
    pytest.fail("DID NOT RAISE ValueError", pytrace=False)


# --- the three checks on every case -------------------------------------------------------------
@pytest.mark.parametrize("case", _params())
def test_raises_value_error_naming_parameter_and_value(chart: cdk8s.Chart, case: Case) -> None:
    build = case.prepare(chart)
    with pytest.raises(ValueError, match=case.pattern) as info:
        build()
    message = str(info.value)
    for pattern in case.extra:
        assert re.search(pattern, message), f"{pattern!r} not in {message!r}"


@pytest.mark.parametrize("case", _params())
def test_nothing_is_added_to_the_tree(chart: cdk8s.Chart, case: Case) -> None:
    build = case.prepare(chart)
    before = _tree_size(chart)
    with pytest.raises(ValueError):
        build()
    assert _tree_size(chart) == before


@pytest.mark.parametrize("case", _params())
def test_message_is_plain_python_and_names_error_parameter(chart: cdk8s.Chart, case: Case) -> None:
    build = case.prepare(chart)
    with pytest.raises(ValueError) as info:
        build()
    error = info.value
    _assert_plain_python(error)
    assert isinstance(error, ConfigurationError)
    assert error.parameter == case.parameter
    assert str(error).startswith(f"{error.parameter}: ")


# --- individual contract points ------------------------------------------------------------------
def test_baseline_is_valid(chart: cdk8s.Chart) -> None:
    """The cases differ from this call by one argument."""
    workspace = HardenedWorkspace(chart, "desktop", **BASE)
    assert workspace.ports == {"vnc": 6901}


def test_vnc_pw_value_is_not_in_the_message(chart: cdk8s.Chart) -> None:
    with pytest.raises(ValueError, match=re.escape("env['VNC_PW']")) as info:
        HardenedWorkspace(chart, "desktop", **BASE, env={"VNC_PW": "hunter2-password"})
    assert "hunter2" not in str(info.value)
    assert "hunter2" not in repr(info.value.args)
    assert "hunter2" not in repr(getattr(info.value, "value", ""))


def test_same_id_twice_is_not_a_jsii_error(chart: cdk8s.Chart) -> None:
    HardenedWorkspace(chart, "desktop", **BASE)
    before = _tree_size(chart)
    with pytest.raises(ConfigurationError, match=r"id: got 'desktop'") as info:
        HardenedWorkspace(chart, "desktop", **BASE)
    _assert_plain_python(info.value)
    assert _tree_size(chart) == before


def test_same_name_in_another_namespace_is_allowed() -> None:
    app = cdk8s.App()
    HardenedWorkspace(cdk8s.Chart(app, "a", namespace="team-a"), "desktop", **BASE, name="desktop")
    HardenedWorkspace(cdk8s.Chart(app, "b", namespace="team-b"), "desktop", **BASE, name="desktop")


def test_same_name_in_another_chart_of_the_same_namespace_is_refused() -> None:
    app = cdk8s.App()
    HardenedWorkspace(cdk8s.Chart(app, "a", namespace="kasm"), "desktop", **BASE, name="desktop")
    other = cdk8s.Chart(app, "b", namespace="kasm")
    with pytest.raises(ValueError, match=r"name: got 'desktop'.*'kasm'"):
        HardenedWorkspace(other, "desktop", **BASE, name="desktop")


def test_a_refused_workspace_leaves_its_name_free(chart: cdk8s.Chart) -> None:
    """A construction that failed on a later argument must not reserve the name."""
    with pytest.raises(ValueError, match="replicas"):
        HardenedWorkspace(chart, "first", **BASE, name="desktop", replicas=-1)
    HardenedWorkspace(chart, "second", **BASE, name="desktop")


def test_no_ports_creates_no_portless_service(chart: cdk8s.Chart) -> None:
    """A Service without ports is refused by the API server (spec.ports: Required value)."""
    workspace = HardenedWorkspace(chart, "desktop", **BASE, ports={})
    services = [m for m in chart.to_json() if m["kind"] == "Service"]
    assert all(service["spec"].get("ports") for service in services)
    assert workspace.service is None or workspace.service.ports


# --- positive counterparts of refused values ---------------------------------------------------
def test_empty_strings_are_allowed_in_command_args_and_exec_probe(chart: cdk8s.Chart) -> None:
    """Kubernetes accepts empty strings as items of command, args and an exec probe's command."""
    HardenedWorkspace(
        chart,
        "desktop",
        **BASE,
        command=["/bin/sh", "-c", ""],
        args=[""],
        liveness_probe=Probe.from_exec(["test", ""]),
    )
    (deployment,) = [m for m in chart.to_json() if m["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["/bin/sh", "-c", ""]
    assert container["args"] == [""]
    assert container["livenessProbe"]["exec"]["command"] == ["test", ""]


def test_wildcard_ingress_host_is_accepted(chart: cdk8s.Chart) -> None:
    workspace = HardenedWorkspace(chart, "desktop", **BASE)
    WorkspaceIngress(
        chart, "ingress", workspace=workspace, host="*.example.com", tls_secret="desktop-tls"
    )
    (rendered,) = [m for m in chart.to_json() if m["kind"] == "Ingress"]
    assert [rule["host"] for rule in rendered["spec"]["rules"]] == ["*.example.com"]
    assert rendered["spec"]["tls"][0]["hosts"] == ["*.example.com"]


# --- regression tests for fixed library bugs ------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "parameter", "quantity"),
    [
        ({"requests": {"cpu": "1e"}}, "requests['cpu']", "1e"),
        ({"limits": {"cpu": "2", "memory": "4ex"}}, "limits['memory']", "4ex"),
        ({"writable_paths": {"/tmp": "1Ex"}}, "writable_paths['/tmp']", "1Ex"),
        ({"shm_size": "5e"}, "shm_size", "5e"),
    ],
    ids=["requests-1e", "limits-4ex", "writable-1Ex", "shm-5e"],
)
def test_quantity_with_bare_exponent_is_refused(
    chart: cdk8s.Chart, kwargs: dict[str, Any], parameter: str, quantity: str
) -> None:
    """A suffix 'e'/'eX' is a ConfigurationError naming the parameter (it once reached
    ``int('')``: a bare ValueError that named nothing)."""
    with pytest.raises(
        ConfigurationError, match=f"^{re.escape(parameter)}: got {re.escape(repr(quantity))}"
    ):
        HardenedWorkspace(chart, "desktop", **{**BASE, **kwargs})


def test_ingress_from_bare_string_is_refused(chart: cdk8s.Chart) -> None:
    """A bare string is refused as a whole (it was once walked as a sequence of characters)."""
    with pytest.raises(
        ConfigurationError,
        match=r"^ingress_from: got 'kube-system'; expected a list of NetworkPeer",
    ):
        HardenedWorkspace(chart, "desktop", **BASE, ingress_from="kube-system")


def test_profile_variable_in_env_and_secret_env_is_refused(chart: cdk8s.Chart) -> None:
    """A variable the image profile sets (TMPDIR) may not be in both env and secret_env (the env
    value was once silently dropped)."""
    with pytest.raises(ValueError, match=r"^secret_env\['TMPDIR'\]: got .*\benv\b"):
        HardenedWorkspace(
            chart,
            "desktop",
            image=BASE["image"],
            env={"TMPDIR": "/scratch"},
            secret_env={**VNC, "TMPDIR": ("kasm-secrets", "tmpdir")},
        )


@pytest.mark.parametrize(
    ("kwargs", "parameter", "hidden"),
    [
        ({"env": {"VNC_PW": 73195026}}, "env['VNC_PW']", "<int, not shown>"),
        ({"secret_env": {"VNC_PW": "73195026"}}, "secret_env['VNC_PW']", "<str, not shown>"),
    ],
    ids=["env-int", "secret-env-str"],
)
def test_vnc_pw_value_is_never_in_the_message(
    chart: cdk8s.Chart, kwargs: dict[str, Any], parameter: str, hidden: str
) -> None:
    """A VNC_PW of any type, in env or as a plain string in secret_env, shows only its type."""
    with pytest.raises(ValueError) as info:
        HardenedWorkspace(chart, "desktop", **{**BASE, **kwargs})
    assert str(info.value).startswith(f"{parameter}: got {hidden!r}")
    assert "73195026" not in str(info.value)
    assert "73195026" not in repr(info.value.args)
    assert "73195026" not in repr(getattr(info.value, "value", ""))


@pytest.mark.parametrize(
    ("build", "parameter"),
    [
        (lambda chart: HardenedWorkspace(chart, "d", **BASE, labels={"/team": "x"}), "labels key"),
        (
            lambda chart: HardenedWorkspace(chart, "d", **BASE, annotations={"/note": "x"}),
            "annotations key",
        ),
        (
            lambda chart: RestrictedNamespace(chart, "n", name="kasm", labels={"/team": "x"}),
            "labels key",
        ),
        (
            lambda chart: NetworkPeer.from_pod_labels({"/app": "x"}),
            "NetworkPeer.from_pod_labels(labels) key",
        ),
    ],
    ids=["workspace-label", "workspace-annotation", "namespace-label", "pod-labels"],
)
def test_key_with_empty_prefix_is_refused(
    chart: cdk8s.Chart, build: Callable[[cdk8s.Chart], object], parameter: str
) -> None:
    """A key with an empty prefix ('/team') is refused, as the API server does ('prefix part
    must be non-empty')."""
    with pytest.raises(ValueError, match=f"^{re.escape(parameter)}: got '/"):
        build(chart)


def test_home_size_limit_without_home_is_refused(chart: cdk8s.Chart) -> None:
    """home_size_limit on an image with no known home is refused (it was once ignored)."""
    with pytest.raises(ValueError, match=r"^home_size_limit: got 'lots'; .*set home_path too"):
        HardenedWorkspace(chart, "desktop", image=GENERIC_IMAGE, home_size_limit="lots")


@pytest.mark.parametrize(
    ("build", "parameter", "minimum"),
    [
        (
            lambda chart, value: HardenedWorkspace(chart, "d", **BASE, replicas=value),
            "replicas",
            0,
        ),
        (
            lambda chart, value: Probe.from_tcp_socket(6901, period_seconds=value),
            "period_seconds",
            1,
        ),
        (
            lambda chart, value: Probe.from_tcp_socket(6901, initial_delay_seconds=value),
            "initial_delay_seconds",
            0,
        ),
    ],
    ids=["replicas", "period_seconds", "initial_delay_seconds"],
)
def test_int32_bounds(
    chart: cdk8s.Chart, build: Callable[[cdk8s.Chart, int], object], parameter: str, minimum: int
) -> None:
    """int32 fields take at most 2**31 - 1, as the API server decodes them."""
    build(chart, 2**31 - 1)
    with pytest.raises(
        ValueError,
        match=f"^{parameter}: got {2**31}; expected an integer from {minimum} to {2**31 - 1}$",
    ):
        build(cdk8s.Chart(cdk8s.App(), "other", namespace="kasm"), 2**31)


@pytest.mark.parametrize(
    ("handler", "pattern"),
    [
        ({"tcpSocket": {"port": 0}}, r"^Probe\.from_tcp_socket\(port\): got 0;"),
        ({"tcpSocket": 6901}, r"^Probe tcpSocket: got 6901;"),
        (42, r"^Probe handler: got 42;"),
    ],
    ids=["port-zero", "handler-not-mapping", "int"],
)
def test_probe_constructor_checks_its_handler(
    chart: cdk8s.Chart, handler: Any, pattern: str
) -> None:
    """Probe's public constructor checks its handler like the factories do (a port 0 once
    reached the manifest; a malformed handler raised AttributeError/TypeError)."""
    with pytest.raises(ConfigurationError, match=pattern):
        HardenedWorkspace(chart, "desktop", **BASE, liveness_probe=Probe(handler))


@pytest.mark.parametrize(
    ("except_", "parameter"),
    [
        (["10.0.0.0/8"], "NetworkPeer.from_ip_block(except_) item"),
        (None, "NetworkPeer.from_ip_block(except_)"),
    ],
    ids=["except-equals-cidr", "except-none"],
)
def test_ip_block_except_is_a_list_of_blocks_strictly_inside(except_: Any, parameter: str) -> None:
    """except_ must be a list of blocks strictly inside the cidr (one equal to it was accepted;
    None raised TypeError)."""
    shown = repr(except_[0] if except_ else except_)
    with pytest.raises(ValueError, match=f"^{re.escape(parameter)}: got {re.escape(shown)};"):
        NetworkPeer.from_ip_block("10.0.0.0/8", except_=except_)


def test_default_name_is_a_dns1035_label() -> None:
    """The default name (from the construct path) is a valid Service name, or refused naming
    ``name`` and leaving the tree as it was; it once started with a digit unchecked."""
    chart = cdk8s.Chart(cdk8s.App(), "2024-kasm", namespace="kasm")
    try:
        workspace = HardenedWorkspace(chart, "desktop", **BASE)
    except ValueError as error:
        assert re.match(r"^name: got '2024-kasm-desktop-", str(error)), str(error)
        assert not chart.node.children
        return
    assert workspace.service is not None
    assert _DNS1035_LABEL.match(workspace.service.name), workspace.service.name


def test_kubernetes_io_resource_name_is_refused(chart: cdk8s.Chart) -> None:
    """A resource in the kubernetes.io domain is not an extended resource; the API server
    refuses non-standard kubernetes.io resources."""
    gpu = {"kubernetes.io/gpu": "1"}
    with pytest.raises(ValueError, match=r"^requests key: got 'kubernetes\.io/gpu'"):
        HardenedWorkspace(
            chart,
            "desktop",
            **BASE,
            requests={"cpu": "1", "memory": "2Gi", **gpu},
            limits={"cpu": "2", "memory": "4Gi", **gpu},
        )


@pytest.mark.parametrize("image", ["kasmweb/desktop:1.16.0-", "kasmweb/desktop:_beta"])
def test_image_tag_that_is_not_a_label_value_is_not_a_label(chart: cdk8s.Chart, image: str) -> None:
    """A valid tag that is not a label value (ends in '-', starts with '_') never becomes
    app.kubernetes.io/version: every object keeps valid labels."""
    try:
        HardenedWorkspace(chart, "desktop", image=image, secret_env=VNC)
    except ValueError as error:
        assert "image" in str(error)
        return
    for manifest in chart.to_json():
        for value in manifest["metadata"].get("labels", {}).values():
            assert _LABEL_VALUE.match(value), f"{manifest['kind']}: label value {value!r}"


def test_image_tag_is_ascii(chart: cdk8s.Chart) -> None:
    """A tag with a non-ASCII letter ('1.16.0\u00e9') is refused."""
    with pytest.raises(ValueError, match=r"^image: got "):
        HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0\u00e9", secret_env=VNC)


def test_ingress_host_is_not_an_ip_address(chart: cdk8s.Chart) -> None:
    """An IP address is refused as an Ingress host, as the API server does."""
    workspace = HardenedWorkspace(chart, "desktop", **BASE)
    with pytest.raises(ValueError, match=r"^host: got '10\.0\.0\.1'; .*not an IP address"):
        WorkspaceIngress(
            chart, "ingress", workspace=workspace, host="10.0.0.1", tls_secret="desktop-tls"
        )


@pytest.mark.parametrize(
    "build",
    [
        lambda chart: (
            RestrictedNamespace(chart, "ns", name="team-a"),
            RestrictedNamespace(chart, "ns", name="team-b"),
        ),
        lambda chart: RestrictedNamespace(chart, "", name="team-a"),
        lambda chart: (
            WorkspaceIngress(
                chart,
                "desktop",
                workspace=HardenedWorkspace(chart, "desktop", **BASE),
                host="desktop.example.com",
                tls_secret="desktop-tls",
            ),
        ),
    ],
    ids=["namespace-same-id", "namespace-empty-id", "ingress-id-of-workspace"],
)
def test_construct_id_is_checked_before_jsii(
    chart: cdk8s.Chart, build: Callable[[cdk8s.Chart], object]
) -> None:
    """A construct id already used in the scope, or an empty one, is a ConfigurationError, not
    jsii's RuntimeError."""
    _expect_value_error(lambda: build(chart), r"^id: got ")


@pytest.mark.parametrize("scope", ["app", "none"])
def test_scope_must_be_inside_a_chart(scope: str) -> None:
    """A scope outside a Chart (or None) is refused before anything is added to the tree."""
    app = cdk8s.App()
    parent = app if scope == "app" else None
    _expect_value_error(
        lambda: HardenedWorkspace(parent, "desktop", **BASE),  # type: ignore[arg-type]
        r"^scope: got ",
    )
    assert not app.node.children


@pytest.mark.parametrize(
    "build",
    [
        lambda chart, target: [
            WorkspaceIngress(
                chart, f"ingress-{h}", workspace=target, host=f"{h}.example.com", tls_secret="t"
            )
            for h in ("a", "b")
        ],
        lambda chart, target: [
            WorkspaceIngress(
                chart, "ingress", workspace=target, host="a.example.com", tls_secret="t"
            ),
            HardenedWorkspace(chart, "other", **BASE, name=f"{target.service.name}-ingress"),
        ],
        lambda chart, target: [
            RestrictedNamespace(chart, "ns-a", name="team"),
            RestrictedNamespace(chart, "ns-b", name="team"),
        ],
    ],
    ids=["two-ingresses", "workspace-named-like-ingress-policy", "two-namespaces"],
)
def test_duplicate_objects_are_refused(
    chart: cdk8s.Chart, build: Callable[[cdk8s.Chart, HardenedWorkspace], object]
) -> None:
    """Two objects of one kind, namespace and name are refused naming ``name``; the refused
    construct leaves nothing behind, so the chart renders no duplicate."""
    workspace = HardenedWorkspace(chart, "desktop", **BASE)
    already = r"^name: got '[^']+'; \w+ '[^']+' in (namespace '[^']+'|the cluster) is already made"
    with pytest.raises(ConfigurationError, match=already):
        build(chart, workspace)
    keys = [
        (m["kind"], m["metadata"].get("namespace"), m["metadata"]["name"]) for m in chart.to_json()
    ]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_a_custom_image_profile_is_checked_too(chart: cdk8s.Chart) -> None:
    broken = replace(profile_for("kasmweb/desktop:1.16.0"), env={"1BAD": "x"})
    with pytest.raises(ConfigurationError, match=r"^image_profile\.env key: got '1BAD'"):
        HardenedWorkspace(chart, "desktop", **BASE, image_profile=broken)
    assert len(chart.node.children) == 0
