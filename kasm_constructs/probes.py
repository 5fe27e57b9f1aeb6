"""Container probes, built with ``from_*`` factories.

A probe has no field for HTTP headers: a probe never carries a credential. The kasmweb web port
answers 401 to any request without basic auth, which is why the default probes are
``tcpSocket`` (kasm-image-notes, "Health checks").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._validation import check_int, check_port_name, check_str, fail

__all__ = ["Probe"]


def _port(parameter: str, port: int | str) -> int | str:
    if isinstance(port, str):
        return check_port_name(parameter, port)
    return check_int(parameter, port, minimum=1, maximum=65535)


@dataclass(frozen=True)
class Probe:
    """A startup, readiness or liveness probe.

    Timings mirror the Kubernetes fields, with the Kubernetes defaults.
    Use :meth:`disabled` to switch a probe off.
    """

    handler: Mapping[str, Any]
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    timeout_seconds: int = 1
    failure_threshold: int = 3
    success_threshold: int = 1

    def __post_init__(self) -> None:
        check_int("initial_delay_seconds", self.initial_delay_seconds, minimum=0)
        for name in ("period_seconds", "timeout_seconds", "failure_threshold", "success_threshold"):
            check_int(name, getattr(self, name), minimum=1)
        object.__setattr__(self, "handler", MappingProxyType(dict(self.handler)))

    @classmethod
    def from_tcp_socket(cls, port: int | str, **timing: int) -> Probe:
        """Open a TCP connection to ``port`` (a number, or a container port name)."""
        return cls({"tcpSocket": {"port": _port("port", port)}}, **timing)

    @classmethod
    def from_http_get(
        cls, path: str, port: int | str, *, scheme: str = "HTTP", **timing: int
    ) -> Probe:
        """GET ``path`` on ``port``; any status from 200 to 399 is a success. No headers."""
        if scheme not in ("HTTP", "HTTPS"):
            fail("scheme", scheme, "expected 'HTTP' or 'HTTPS'")
        if not isinstance(path, str) or not path.startswith("/"):
            fail("path", path, "expected a URL path starting with '/', e.g. '/healthz'")
        handler = {"path": path, "port": _port("port", port), "scheme": scheme}
        return cls({"httpGet": handler}, **timing)

    @classmethod
    def from_exec(cls, command: Sequence[str], **timing: int) -> Probe:
        """Run ``command`` in the container; exit status 0 is a success."""
        if isinstance(command, str) or not command:
            fail("command", command, "expected a non-empty list of strings")
        return cls({"exec": {"command": [check_str("command item", c) for c in command]}}, **timing)

    @classmethod
    def disabled(cls) -> Probe:
        """No probe at all."""
        return cls({})

    @property
    def enabled(self) -> bool:
        """False for :meth:`disabled`."""
        return bool(self.handler)

    def render(self) -> dict[str, Any]:
        """The Kubernetes ``Probe`` object."""
        return {
            **{key: dict(value) for key, value in self.handler.items()},
            "initialDelaySeconds": self.initial_delay_seconds,
            "periodSeconds": self.period_seconds,
            "timeoutSeconds": self.timeout_seconds,
            "failureThreshold": self.failure_threshold,
            "successThreshold": self.success_threshold,
        }
