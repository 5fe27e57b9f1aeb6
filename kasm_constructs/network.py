"""NetworkPolicy peers, built with ``from_*`` factories, and the address ranges that
"the internet" excludes."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._validation import check_dns_label, check_labels, fail

__all__ = ["NON_PUBLIC_RANGES", "NetworkPeer"]

#: Never reachable through ``egress_internet``: private, shared, loopback and link-local
#: ranges. Link-local holds the cloud metadata address 169.254.169.254 (and AWS's
#: fd00:ec2::254 lies in fc00::/7).
NON_PUBLIC_RANGES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "0.0.0.0/0": (
            "10.0.0.0/8",  # RFC 1918
            "172.16.0.0/12",  # RFC 1918
            "192.168.0.0/16",  # RFC 1918
            "100.64.0.0/10",  # RFC 6598 shared address space (CGNAT, some pod networks)
            "127.0.0.0/8",  # RFC 1122 loopback
            "169.254.0.0/16",  # RFC 3927 link-local, incl. 169.254.169.254 cloud metadata
        ),
        "::/0": (
            "fc00::/7",  # RFC 4193 unique local
            "fe80::/10",  # RFC 4291 link-local
            "::1/128",  # loopback
        ),
    }
)


@dataclass(frozen=True)
class NetworkPeer:
    """Who may connect to a workspace (a NetworkPolicy ``from`` entry)."""

    rendered: Mapping[str, Any]

    @classmethod
    def from_namespace(cls, name: str) -> NetworkPeer:
        """Every pod in the namespace ``name``."""
        check_dns_label("NetworkPeer.from_namespace(name)", name)
        return cls.from_namespace_labels({"kubernetes.io/metadata.name": name})

    @classmethod
    def from_namespace_labels(cls, labels: Mapping[str, str]) -> NetworkPeer:
        """Every pod in the namespaces that carry all of ``labels``."""
        return cls(
            {
                "namespaceSelector": {
                    "matchLabels": check_labels("NetworkPeer.from_namespace_labels(labels)", labels)
                }
            }
        )

    @classmethod
    def from_pod_labels(
        cls, labels: Mapping[str, str], *, namespace: str | None = None
    ) -> NetworkPeer:
        """The pods carrying all of ``labels``, in the workspace's namespace or in ``namespace``."""
        peer: dict[str, Any] = {
            "podSelector": {
                "matchLabels": check_labels("NetworkPeer.from_pod_labels(labels)", labels)
            }
        }
        if namespace is not None:
            check_dns_label("NetworkPeer.from_pod_labels(namespace)", namespace)
            peer["namespaceSelector"] = {"matchLabels": {"kubernetes.io/metadata.name": namespace}}
        return cls(peer)

    @classmethod
    def from_ip_block(cls, cidr: str, *, except_: Sequence[str] = ()) -> NetworkPeer:
        """Addresses in ``cidr`` (outside the cluster), minus ``except_``."""
        parameter = "NetworkPeer.from_ip_block"
        try:
            network = ipaddress.ip_network(cidr)
        except (TypeError, ValueError):
            fail(f"{parameter}(cidr)", cidr, "expected a CIDR block such as '203.0.113.0/24'")
        if isinstance(except_, str) or not isinstance(except_, Sequence):
            fail(f"{parameter}(except_)", except_, "expected a list of CIDR blocks")
        excluded: list[str] = []
        for item in except_:
            try:
                inner = ipaddress.ip_network(item)
            except (TypeError, ValueError):
                fail(f"{parameter}(except_) item", item, "expected a CIDR block")
            inside = inner.version == network.version and inner.subnet_of(network)  # type: ignore[arg-type]
            if not inside or inner == network:
                fail(f"{parameter}(except_) item", item, f"expected a block strictly inside {cidr}")
            excluded.append(str(inner))
        rendered: dict[str, Any] = {"cidr": str(network)}
        if excluded:
            rendered["except"] = excluded
        return cls({"ipBlock": rendered})

    @classmethod
    def internet(cls) -> tuple[NetworkPeer, ...]:
        """All public IPv4 and IPv6 addresses: everything but :data:`NON_PUBLIC_RANGES`."""
        return tuple(
            cls.from_ip_block(cidr, except_=excluded)
            for cidr, excluded in NON_PUBLIC_RANGES.items()
        )

    def __post_init__(self) -> None:
        object.__setattr__(self, "rendered", MappingProxyType(dict(self.rendered)))

    def render(self) -> dict[str, Any]:
        """The NetworkPolicy peer object."""
        return {key: dict(value) for key, value in self.rendered.items()}
