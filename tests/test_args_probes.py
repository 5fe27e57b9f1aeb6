"""Bad input: the probes given to a workspace, and the ``Probe`` factories and constructor. Checked
by tests/test_args.py (the checks: tests/argument_cases.py)."""

from __future__ import annotations

import re

import pytest

from kasm_constructs import Probe
from tests.argument_cases import (
    GENERIC_IMAGE,
    Case,
    bad,
    value,
    ws,
)

INT32_MAX = 2**31 - 1
PROBES = ("startup_probe", "readiness_probe", "liveness_probe")

CASES: list[Case] = [
    # probes given to the workspace
    *[
        bad(f"{field}-not-a-probe-{label}", ws(**{field: item}), field, item, r"expected a Probe")
        for field in PROBES
        for label, item in (("str", "tcp"), ("dict", {"tcpSocket": {"port": 6901}}), ("int", 6901))
    ],
    *[
        bad(
            f"{field}-success-threshold",
            ws(**{field: Probe.from_tcp_socket("vnc", success_threshold=2)}),
            field,
            Probe.from_tcp_socket("vnc", success_threshold=2),
            "success_threshold must be 1",
        )
        for field in ("startup_probe", "liveness_probe")
    ],
    bad(
        "probe-undeclared-port-name",
        ws(readiness_probe=Probe.from_tcp_socket("web")),
        "readiness_probe",
        Probe.from_tcp_socket("web"),
        re.escape("port 'web' is not one of the declared ports ['vnc']"),
    ),
    bad(
        "probe-port-name-without-ports",
        ws(
            image=GENERIC_IMAGE,
            image_profile="generic",
            liveness_probe=Probe.from_http_get("/", "http"),
        ),
        "liveness_probe",
        Probe.from_http_get("/", "http"),
        re.escape("port 'http' is not one of the declared ports []"),
    ),
    # the Probe factories
    *[
        bad(
            f"probe-tcp-port-{label}",
            value(Probe.from_tcp_socket, port),
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
        value(Probe.from_http_get, "no-slash", 80),
        "Probe.from_http_get(path)",
        "no-slash",
    ),
    bad(
        "probe-http-path-none",
        value(Probe.from_http_get, None, 80),
        "Probe.from_http_get(path)",
        None,
    ),
    bad("probe-http-port-zero", value(Probe.from_http_get, "/", 0), "Probe.from_http_get(port)", 0),
    bad(
        "probe-http-scheme",
        value(Probe.from_http_get, "/", 80, scheme="http"),
        "Probe.from_http_get(scheme)",
        "http",
    ),
    bad("probe-exec-empty", value(Probe.from_exec, []), "Probe.from_exec(command)", []),
    bad("probe-exec-str", value(Probe.from_exec, "ls"), "Probe.from_exec(command)", "ls"),
    bad("probe-exec-none", value(Probe.from_exec, None), "Probe.from_exec(command)", None),
    *[
        bad(
            f"probe-exec-{label}-item",
            value(Probe.from_exec, ["ls", item]),
            "Probe.from_exec(command) item",
            item,
        )
        for label, item in (("int", 1), ("none", None))
    ],
    *[
        bad(
            f"probe-{field}-{item}",
            value(Probe.from_tcp_socket, 6901, **{field: item}),
            field,
            item,
        )
        for field, item in (
            ("initial_delay_seconds", -1),
            ("period_seconds", 0),
            ("period_seconds", -5),
            ("period_seconds", 1.5),
            ("timeout_seconds", -1),
            ("failure_threshold", 0),
            ("success_threshold", 0),
            ("success_threshold", True),
        )
    ],
    # int32, as the API server decodes it
    *[
        bad(
            f"probe-{field}-int32-overflow",
            value(Probe.from_tcp_socket, 6901, **{field: 2**31}),
            field,
            2**31,
            re.escape(f"; expected an integer from {minimum} to {INT32_MAX}") + "$",
        )
        for field, minimum in (
            ("initial_delay_seconds", 0),
            ("period_seconds", 1),
            ("timeout_seconds", 1),
            ("failure_threshold", 1),
            ("success_threshold", 1),
        )
    ],
    # Probe's constructor checks its handler like the factories do: a port 0 is refused, a
    # malformed handler is a ConfigurationError (not an AttributeError or TypeError).
    bad(
        "probe-handler-port-zero",
        value(Probe, {"tcpSocket": {"port": 0}}),
        "Probe.from_tcp_socket(port)",
        0,
    ),
    bad("probe-handler-not-mapping", value(Probe, {"tcpSocket": 6901}), "Probe tcpSocket", 6901),
    bad("probe-handler-int", value(Probe, 42), "Probe handler", 42),
    bad(
        "probe-handler-two-kinds",
        value(Probe, {"tcpSocket": {"port": 1}, "exec": {"command": ["ls"]}}),
        "Probe handler",
        {"tcpSocket": {"port": 1}, "exec": {"command": ["ls"]}},
    ),
    bad(
        "probe-handler-headers",
        value(
            Probe,
            {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP", "httpHeaders": []}},
        ),
        "Probe httpGet",
        {"path": "/", "port": 80, "scheme": "HTTP", "httpHeaders": []},
        "no headers",
    ),
]


@pytest.mark.parametrize(
    "field",
    ["initial_delay_seconds", "period_seconds", "timeout_seconds", "failure_threshold"],
)
def test_int32_max_is_accepted(field: str) -> None:
    """The largest int32 is accepted and rendered as given (the counterpart of the overflow
    cases)."""
    probe = Probe.from_tcp_socket(6901, **{field: INT32_MAX})
    key = "".join(w.capitalize() if i else w for i, w in enumerate(field.split("_")))
    assert probe.render()[key] == INT32_MAX
