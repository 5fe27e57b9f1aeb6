"""The workspace's NetworkPolicy: it selects only its own pods, admits nobody by default, sends
DNS to the cluster DNS only and, with ``egress_internet``, reaches public addresses only."""

from __future__ import annotations

import ipaddress
from typing import Any

import cdk8s
import pytest

from kasm_constructs import HardenedWorkspace, NetworkPeer
from kasm_constructs.options.network import NON_PUBLIC_RANGES
from tests.helpers import Manifest, one, synth
from tests.scenario_cases import SCENARIOS, VNC


def _by_kind(docs: list[Manifest], kind: str) -> list[Manifest]:
    return [d for d in docs if d["kind"] == kind]


def _synth(**kwargs: Any) -> list[Manifest]:
    """One workspace "desktop" of kasmweb/desktop:1.16.0 in namespace "kasm", with ``kwargs``."""

    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        arguments = {"image": "kasmweb/desktop:1.16.0", "secret_env": VNC, **kwargs}
        HardenedWorkspace(chart, "desktop", **arguments)

    return synth(build)


# --- which pods, and who may connect ------------------------------------------------------------
def test_each_network_policy_selects_only_its_own_workspace() -> None:
    docs = synth(SCENARIOS["composed"])
    workloads = _by_kind(docs, "Deployment")
    ours = [
        p
        for p in _by_kind(docs, "NetworkPolicy")
        if "app.kubernetes.io/instance" in p["metadata"]["labels"]
    ]
    assert len(ours) == len(workloads) == 3
    for policy in ours:
        selector = policy["spec"]["podSelector"]["matchLabels"]
        selected = [
            w
            for w in workloads
            if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert [w["metadata"]["name"] for w in selected] == [policy["metadata"]["name"]]
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]


def test_network_policy_rules() -> None:
    docs = synth(SCENARIOS["composed"])
    policies = {p["metadata"]["name"]: p["spec"] for p in _by_kind(docs, "NetworkPolicy")}
    default = policies["team-first-c881c182"]
    assert default["ingress"] == []
    # DNS only, and only to the cluster DNS pods: port 53 to anywhere could tunnel out.
    assert default["egress"] == [
        {
            "to": [
                {
                    "namespaceSelector": {
                        "matchLabels": {"kubernetes.io/metadata.name": "kube-system"}
                    },
                    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                }
            ],
            "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
        }
    ]
    peered = policies["team-peered-c8862ab1"]
    assert peered["ingress"] == [
        {
            "from": [{"podSelector": {"matchLabels": {"app": "gateway"}}}],
            "ports": [{"port": 6901, "protocol": "TCP"}],
        }
    ]


# --- DNS egress goes to the cluster DNS only ----------------------------------------------------
def _dns_rule(docs: list[Manifest]) -> dict[str, Any]:
    (rule,) = [r for r in one(docs, "NetworkPolicy")["spec"]["egress"] if "ports" in r]
    assert {p["port"] for p in rule["ports"]} == {53}
    result: dict[str, Any] = rule
    return result


def test_dns_egress_is_restricted_to_the_cluster_dns_by_default() -> None:
    assert _dns_rule(_synth())["to"] == [NetworkPeer.kube_dns().render()]
    assert NetworkPeer.kube_dns().render()["podSelector"] == {
        "matchLabels": {"k8s-app": "kube-dns"}
    }


@pytest.mark.parametrize(
    "peer",
    [
        NetworkPeer.from_ip_block("169.254.20.10/32"),  # NodeLocal DNSCache
        NetworkPeer.kube_dns(namespace="dns-system", labels={"app": "coredns"}),
    ],
    ids=["nodelocal", "other-namespace"],
)
def test_dns_egress_is_configurable(peer: NetworkPeer) -> None:
    assert _dns_rule(_synth(egress_dns=[peer]))["to"] == [peer.render()]


def test_no_dns_means_no_egress_at_all() -> None:
    assert one(_synth(egress_dns=[]), "NetworkPolicy")["spec"]["egress"] == []


def test_no_egress_rule_has_ports_without_a_destination() -> None:
    """A rule with ports and no ``to`` allows those ports to every address."""
    for rule in one(_synth(egress_internet=True), "NetworkPolicy")["spec"]["egress"]:
        assert rule["to"], rule


# --- internet egress reaches public addresses only ----------------------------------------------
def test_internet_egress_excludes_private_ranges_and_metadata() -> None:
    docs = synth(SCENARIOS["exposed"])
    policy = next(
        p for p in _by_kind(docs, "NetworkPolicy") if "Egress" in p["spec"]["policyTypes"]
    )
    internet = policy["spec"]["egress"][1]["to"]
    blocks = {peer["ipBlock"]["cidr"]: set(peer["ipBlock"]["except"]) for peer in internet}
    assert blocks == {cidr: set(excluded) for cidr, excluded in NON_PUBLIC_RANGES.items()}
    metadata = ipaddress.ip_address("169.254.169.254")
    assert any(metadata in ipaddress.ip_network(e) for e in blocks["0.0.0.0/0"])
    for private in ("10.1.2.3", "172.16.0.1", "192.168.1.1"):
        assert any(
            ipaddress.ip_address(private) in ipaddress.ip_network(e) for e in blocks["0.0.0.0/0"]
        )


def test_internet_egress_excludes_nat64() -> None:
    """A NAT64 address embeds an IPv4 one (RFC 6052, RFC 8215): through the NAT64 prefixes a pod
    would reach private IPv4 addresses over IPv6."""
    v6 = NON_PUBLIC_RANGES["::/0"]
    for embedded in ("64:ff9b::a00:1", "64:ff9b:1::c0a8:101"):  # 10.0.0.1, 192.168.1.1
        assert any(ipaddress.ip_address(embedded) in ipaddress.ip_network(e) for e in v6)


# --- peers --------------------------------------------------------------------------------------
def test_every_namespace_must_be_said_explicitly() -> None:
    """No labels would select every namespace: that takes ``any_namespace()`` (the empty labels
    are refused: tests/test_args_network.py)."""
    assert NetworkPeer.any_namespace().render() == {"namespaceSelector": {}}
