"""NetworkPolicy peers, built with ``from_*`` factories, and the address ranges that
"the internet" excludes.

A :class:`NetworkPeer` is checked where it is made, so a peer the API server would refuse, or
one that silently means "everyone", never reaches a construct.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kasm_constructs.manifests.grammar import check_dns_label, check_int, check_labels, fail
from kasm_constructs.options.forms import Form, Record

__all__ = ["KUBE_DNS", "NON_PUBLIC_RANGES", "NetworkPeer"]

#: Never reachable through ``egress_internet``: private, shared, loopback and link-local
#: ranges, and the NAT64 prefixes that reach private IPv4 from IPv6-only clusters.
#: Link-local holds the cloud metadata address 169.254.169.254 (and AWS's fd00:ec2::254 lies in
#: fc00::/7).
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
            "64:ff9b::/96",  # RFC 6052 well-known NAT64 prefix: embeds any IPv4 address
            "64:ff9b:1::/48",  # RFC 8215 local-use NAT64 prefix
        ),
    }
)

#: The cluster DNS: kube-dns or CoreDNS, whose pods carry ``k8s-app: kube-dns`` in
#: ``kube-system`` on kubeadm, GKE, EKS, AKS and k3s clusters.
KUBE_DNS: Mapping[str, Any] = MappingProxyType(
    {"namespace": "kube-system", "labels": MappingProxyType({"k8s-app": "kube-dns"})}
)

_SELECTORS = ("namespaceSelector", "podSelector")
_PROTOCOLS = ("TCP", "UDP", "SCTP")


def _check_selector(parameter: str, selector: object) -> dict[str, Any]:
    """A label selector: ``matchLabels`` and/or ``matchExpressions``, nothing else."""
    if not isinstance(selector, Mapping) or not set(selector) <= {
        "matchLabels",
        "matchExpressions",
    }:
        fail(parameter, selector, "expected a label selector: {'matchLabels': {...}}")
    checked: dict[str, Any] = {}
    if "matchLabels" in selector:
        checked["matchLabels"] = check_labels(f"{parameter}.matchLabels", selector["matchLabels"])
    expressions = selector.get("matchExpressions")
    if expressions is not None:
        if not isinstance(expressions, Sequence) or isinstance(expressions, str):
            fail(f"{parameter}.matchExpressions", expressions, "expected a list")
        for item in expressions:
            valid = (
                isinstance(item, Mapping)
                and isinstance(item.get("key"), str)
                and item.get("operator") in ("In", "NotIn", "Exists", "DoesNotExist")
                and (item["operator"] in ("Exists", "DoesNotExist")) == ("values" not in item)
            )
            if not valid:
                fail(
                    f"{parameter}.matchExpressions item",
                    item,
                    "expected {'key': ..., 'operator': 'In'|'NotIn', 'values': [...]} or "
                    "{'key': ..., 'operator': 'Exists'|'DoesNotExist'}",
                )
        checked["matchExpressions"] = [dict(item) for item in expressions]
    return checked


def _check_ip_block(block: object, cidr_name: str, except_name: str) -> dict[str, Any]:
    """An ipBlock: a CIDR, and blocks strictly inside it to leave out."""
    if not isinstance(block, Mapping) or not set(block) <= {"cidr", "except"}:
        fail(cidr_name, block, "expected {'cidr': ..., 'except': [...]}")
    try:
        network = ipaddress.ip_network(block.get("cidr"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        fail(cidr_name, block.get("cidr"), "expected a CIDR block such as '203.0.113.0/24'")
    excluded = block.get("except", [])
    if isinstance(excluded, str) or not isinstance(excluded, Sequence):
        fail(except_name, excluded, "expected a list of CIDR blocks")
    inside: list[str] = []
    for item in excluded:
        try:
            inner = ipaddress.ip_network(item)
        except (TypeError, ValueError):
            fail(f"{except_name} item", item, "expected a CIDR block")
        within = inner.version == network.version and inner.subnet_of(network)  # type: ignore[arg-type]
        if not within or inner == network:
            fail(f"{except_name} item", item, f"expected a block strictly inside {network}")
        inside.append(str(inner))
    rendered: dict[str, Any] = {"cidr": str(network)}
    if inside:
        rendered["except"] = inside
    return rendered


def _check_peer(peer: object) -> dict[str, Any]:
    """A NetworkPolicyPeer the API server accepts: an ipBlock alone, or a namespace and/or pod
    selector."""
    parameter = "NetworkPeer"
    if not isinstance(peer, Mapping) or not peer:
        fail(parameter, peer, "expected a NetworkPolicyPeer; use a NetworkPeer.from_* factory")
    keys = set(peer)
    if keys == {"ipBlock"}:
        block = peer["ipBlock"]
        return {"ipBlock": _check_ip_block(block, f"{parameter}.ipBlock.cidr", "except")}
    if not keys or not keys <= set(_SELECTORS):
        fail(
            parameter,
            dict(peer),
            "expected 'ipBlock' alone, or 'namespaceSelector' and/or 'podSelector'",
        )
    return {
        key: _check_selector(f"{parameter}.{key}", peer[key]) for key in _SELECTORS if key in peer
    }


@dataclass(frozen=True)
class NetworkPeer:
    """Who a workspace may talk to: a NetworkPolicy peer, and optionally the ports of that
    traffic (:meth:`on`). Make one with a ``from_*`` factory."""

    rendered: Mapping[str, Any]
    #: Destination ports of the traffic to or from this peer; empty: see where it is used.
    ports: tuple[int, ...] = field(default=())
    protocol: str = "TCP"

    def __post_init__(self) -> None:
        object.__setattr__(self, "rendered", MappingProxyType(_check_peer(self.rendered)))
        if self.protocol not in _PROTOCOLS:
            fail("NetworkPeer protocol", self.protocol, f"expected one of {_PROTOCOLS}")
        if isinstance(self.ports, str) or not isinstance(self.ports, Sequence):
            fail("NetworkPeer.on(ports)", self.ports, "expected port numbers")
        for port in self.ports:
            check_int("NetworkPeer.on(ports) item", port, minimum=1, maximum=65535)
        object.__setattr__(self, "ports", tuple(self.ports))

    @classmethod
    def from_namespace(cls, name: str) -> NetworkPeer:
        """Every pod in the namespace ``name``."""
        check_dns_label("NetworkPeer.from_namespace(name)", name)
        return cls.from_namespace_labels({"kubernetes.io/metadata.name": name})

    @classmethod
    def from_namespace_labels(cls, labels: Mapping[str, str]) -> NetworkPeer:
        """Every pod in the namespaces that carry all of ``labels`` (at least one label: for
        every namespace, say :meth:`any_namespace`)."""
        checked = check_labels("NetworkPeer.from_namespace_labels(labels)", labels)
        if not checked:
            fail(
                "NetworkPeer.from_namespace_labels(labels)",
                labels,
                "no labels would select every namespace; if you mean that, use "
                "NetworkPeer.any_namespace()",
            )
        return cls({"namespaceSelector": {"matchLabels": checked}})

    @classmethod
    def from_pod_labels(
        cls, labels: Mapping[str, str], *, namespace: str | None = None
    ) -> NetworkPeer:
        """The pods carrying all of ``labels`` (at least one), in the workspace's namespace or
        in ``namespace``."""
        checked = check_labels("NetworkPeer.from_pod_labels(labels)", labels)
        if not checked:
            fail(
                "NetworkPeer.from_pod_labels(labels)",
                labels,
                "no labels would select every pod of the namespace; name at least one label",
            )
        peer: dict[str, Any] = {"podSelector": {"matchLabels": checked}}
        if namespace is not None:
            check_dns_label("NetworkPeer.from_pod_labels(namespace)", namespace)
            peer["namespaceSelector"] = {"matchLabels": {"kubernetes.io/metadata.name": namespace}}
        return cls(peer)

    @classmethod
    def from_ip_block(cls, cidr: str, *, except_: Sequence[str] = ()) -> NetworkPeer:
        """Addresses in ``cidr`` (outside the cluster), minus ``except_``."""
        parameter = "NetworkPeer.from_ip_block"
        block = {"cidr": cidr, "except": except_}
        return cls(
            {"ipBlock": _check_ip_block(block, f"{parameter}(cidr)", f"{parameter}(except_)")}
        )

    @classmethod
    def any_namespace(cls) -> NetworkPeer:
        """Every pod in every namespace: say so explicitly, it is rarely what you want."""
        return cls({"namespaceSelector": {}})

    @classmethod
    def kube_dns(
        cls,
        namespace: str = KUBE_DNS["namespace"],
        labels: Mapping[str, str] = KUBE_DNS["labels"],
    ) -> NetworkPeer:
        """The cluster DNS pods: by default kube-dns or CoreDNS (``k8s-app: kube-dns`` in
        ``kube-system``). For NodeLocal DNSCache, use ``NetworkPeer.from_ip_block`` with its
        address (e.g. ``"169.254.20.10/32"``)."""
        return cls.from_pod_labels(labels, namespace=namespace)

    @classmethod
    def internet(cls) -> tuple[NetworkPeer, ...]:
        """All public IPv4 and IPv6 addresses: everything but :data:`NON_PUBLIC_RANGES`."""
        return tuple(
            cls.from_ip_block(cidr, except_=excluded)
            for cidr, excluded in NON_PUBLIC_RANGES.items()
        )

    @classmethod
    def from_fields(
        cls,
        *,
        cidr: str | None = None,
        except_: Sequence[str] = (),
        namespace: str | None = None,
        pod_labels: Mapping[str, str] | None = None,
        ports: Sequence[int] = (),
    ) -> NetworkPeer:
        """The peer a roster writes: ``{cidr, except, ports}`` (:meth:`from_ip_block`) or
        ``{namespace, pod_labels, ports}`` (:meth:`from_pod_labels`, or
        :meth:`from_namespace` without labels), on ``ports`` (:meth:`on`)."""
        if cidr is not None and (namespace is not None or pod_labels is not None):
            fail("NetworkPeer", cidr, "give cidr (and except), or namespace and pod_labels")
        if cidr is not None:
            peer = cls.from_ip_block(cidr, except_=except_)
        elif except_:
            fail("NetworkPeer(except)", except_, "except needs a cidr")
        elif pod_labels is not None:
            peer = cls.from_pod_labels(pod_labels, namespace=namespace)
        elif namespace is not None:
            peer = cls.from_namespace(namespace)
        else:
            fail("NetworkPeer", None, "give cidr (and except), or namespace and pod_labels")
        return peer.on(*ports)

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{cidr, except, ports}`` or ``{namespace, pod_labels, ports}``."""
        return Record.of(cls, cls.from_fields, rename={"except_": "except"})

    def on(self, *ports: int, protocol: str = "TCP") -> NetworkPeer:
        """This peer, for traffic to ``ports`` only (``protocol``, default TCP)."""
        return NetworkPeer(self.rendered, ports, protocol)

    def render(self) -> dict[str, Any]:
        """The NetworkPolicy peer object."""
        return {key: dict(value) for key, value in self.rendered.items()}

    def render_ports(self, default: Sequence[int] = ()) -> list[dict[str, Any]]:
        """The ``ports`` of a rule for this peer: its own, else ``default``."""
        return [{"port": n, "protocol": self.protocol} for n in (self.ports or default)]
