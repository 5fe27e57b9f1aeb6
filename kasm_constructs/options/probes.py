"""Container probes, built with ``from_*`` factories.

A probe has no field for HTTP headers: a probe never carries a credential. The kasmweb web port
answers 401 to any request without basic auth, which is why the default probes are
``tcpSocket`` (kasm-image-notes, "Health checks").
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kasm_constructs.manifests.grammar import (
    URL_PATH,
    check_int,
    check_mapping,
    check_port_name,
    check_text,
    fail,
    full_match,
)

__all__ = ["Probe"]

_TIMINGS = ("period_seconds", "timeout_seconds", "failure_threshold", "success_threshold")


def _port(parameter: str, port: object) -> int | str:
    if isinstance(port, str):
        return check_port_name(parameter, port)
    return check_int(parameter, port, minimum=1, maximum=65535)


def _handler(value: object) -> Mapping[str, Any]:
    """One of tcpSocket, httpGet or exec, checked; or nothing (a disabled probe)."""
    handler = check_mapping("Probe handler", value)
    if len(handler) > 1 or not set(handler) <= {"tcpSocket", "httpGet", "exec"}:
        fail("Probe handler", value, "expected one of tcpSocket, httpGet or exec")
    checked: dict[str, dict[str, Any]] = {}
    for kind, action in handler.items():
        allowed = {"exec": {"command"}, "tcpSocket": {"port"}}.get(kind, {"path", "port", "scheme"})
        if set(check_mapping(f"Probe {kind}", action)) != allowed:
            fail(f"Probe {kind}", action, f"expected exactly {sorted(allowed)} (no headers)")
        if kind == "exec":
            command = action["command"]
            if isinstance(command, str) or not isinstance(command, Sequence) or not command:
                fail("Probe.from_exec(command)", command, "expected a non-empty list of strings")
            for item in command:
                check_text("Probe.from_exec(command) item", item)
            checked[kind] = {"command": list(command)}
            continue
        factory = "from_tcp_socket" if kind == "tcpSocket" else "from_http_get"
        checked[kind] = {"port": _port(f"Probe.{factory}(port)", action["port"])}
        if kind == "httpGet":
            path, scheme = action["path"], action["scheme"]
            if not full_match(URL_PATH, path, 2048):
                fail(
                    "Probe.from_http_get(path)",
                    path,
                    "expected a URL path: '/' then printable ASCII, without spaces",
                )
            if scheme not in ("HTTP", "HTTPS"):
                fail("Probe.from_http_get(scheme)", scheme, "expected 'HTTP' or 'HTTPS'")
            checked[kind] = {"path": path, "port": checked[kind]["port"], "scheme": scheme}
    return MappingProxyType(checked)


@dataclass(frozen=True)
class Probe:
    """A startup, readiness or liveness probe.

    Timings mirror the Kubernetes fields, with the Kubernetes defaults.
    Use :meth:`disabled` to switch a probe off.
    """

    handler: Mapping[str, Any] = field(default_factory=dict)
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    timeout_seconds: int = 1
    failure_threshold: int = 3
    success_threshold: int = 1

    def __post_init__(self) -> None:
        check_int("initial_delay_seconds", self.initial_delay_seconds, minimum=0)
        for name in _TIMINGS:
            check_int(name, getattr(self, name), minimum=1)
        object.__setattr__(self, "handler", _handler(self.handler))

    @classmethod
    def from_tcp_socket(cls, port: int | str, **timing: int) -> Probe:
        """Open a TCP connection to ``port`` (a number, or a container port name)."""
        return cls({"tcpSocket": {"port": port}}, **timing)

    @classmethod
    def from_http_get(
        cls, path: str, port: int | str, *, scheme: str = "HTTP", **timing: int
    ) -> Probe:
        """GET ``path`` on ``port``; any status from 200 to 399 is a success. No headers."""
        return cls({"httpGet": {"path": path, "port": port, "scheme": scheme}}, **timing)

    @classmethod
    def from_exec(cls, command: Sequence[str], **timing: int) -> Probe:
        """Run ``command`` in the container; exit status 0 is a success."""
        return cls({"exec": {"command": command}}, **timing)

    @classmethod
    def disabled(cls) -> Probe:
        """No probe at all."""
        return cls({})

    @property
    def enabled(self) -> bool:
        """False for :meth:`disabled`."""
        return bool(self.handler)

    @property
    def port(self) -> int | str | None:
        """The probed port (number or name), or None for an exec probe."""
        return next((a.get("port") for a in self.handler.values()), None)

    def render(self) -> dict[str, Any]:
        """The Kubernetes ``Probe`` object."""
        return {
            **copy.deepcopy({k: dict(v) for k, v in self.handler.items()}),
            "initialDelaySeconds": self.initial_delay_seconds,
            "periodSeconds": self.period_seconds,
            "timeoutSeconds": self.timeout_seconds,
            "failureThreshold": self.failure_threshold,
            "successThreshold": self.success_threshold,
        }
