"""Bad input: container ports, who may connect (``ingress_from``) and the ``NetworkPeer`` factories.
Checked by tests/test_args.py (the checks: tests/argument_cases.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import kasm_constructs as kc
from kasm_constructs import NetworkPeer
from tests.argument_cases import (
    BASE,
    Case,
    bad,
    value,
    ws,
)

if TYPE_CHECKING:
    import cdk8s

INGRESS_NGINX = NetworkPeer.from_namespace("ingress-nginx")

CASES: list[Case] = [
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
        re.escape("already named 'vnc'"),
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
    # ingress_from
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
        ws(ingress_from=INGRESS_NGINX),
        "ingress_from",
        INGRESS_NGINX,
        "list of NetworkPeer",
    ),
    bad("ingress-from-none", ws(ingress_from=None), "ingress_from", None),
    bad(
        "ingress-from-undeclared-port",
        ws(ingress_from=[INGRESS_NGINX.on(443)]),
        "ingress_from item",
        INGRESS_NGINX.on(443),
        re.escape("port 443 is not a declared port"),
    ),
    # egress_dns and egress_to
    bad("egress-dns-str", ws(egress_dns="kube-dns"), "egress_dns", "kube-dns"),
    bad(
        "egress-dns-with-ports",
        ws(egress_dns=[NetworkPeer.kube_dns().on(5353)]),
        "egress_dns item",
        NetworkPeer.kube_dns().on(5353),
        re.escape("DNS is port 53"),
    ),
    bad("egress-to-cidr-str", ws(egress_to=["10.0.0.0/8"]), "egress_to item", "10.0.0.0/8"),
    # backend_tls_secret
    bad("backend-tls-secret-upper", ws(backend_tls_secret="TLS"), "backend_tls_secret", "TLS"),
    bad(
        "backend-tls-secret-generic-image",
        ws(
            image="nginx:1.27",
            image_profile="generic",
            secret_env=None,
            backend_tls_secret="tls",
        ),
        "backend_tls_secret",
        "tls",
        re.escape("does not say how to make the image serve a certificate"),
    ),
    # A bare string is refused as a whole, not walked as a sequence of characters.
    bad(
        "ingress-from-str",
        ws(ingress_from="kube-system"),
        "ingress_from",
        "kube-system",
        re.escape("'kube-system'; expected a list of NetworkPeer"),
    ),
    # NetworkPeer.from_ip_block
    *[
        bad(
            f"ip-block-{label}",
            value(NetworkPeer.from_ip_block, cidr),
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
    # except_ is a list of blocks strictly inside the cidr: not one equal to it, not None.
    bad(
        "ip-block-except-outside",
        value(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=["192.168.0.0/16"]),
        "NetworkPeer.from_ip_block(except_) item",
        "192.168.0.0/16",
        re.escape("expected a block strictly inside 10.0.0.0/8"),
    ),
    bad(
        "ip-block-except-equals-cidr",
        value(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=["10.0.0.0/8"]),
        "NetworkPeer.from_ip_block(except_) item",
        "10.0.0.0/8",
        re.escape("expected a block strictly inside 10.0.0.0/8"),
    ),
    bad(
        "ip-block-except-other-family",
        value(NetworkPeer.from_ip_block, "::/0", except_=["10.0.0.0/8"]),
        "NetworkPeer.from_ip_block(except_) item",
        "10.0.0.0/8",
        re.escape("expected a block strictly inside ::/0"),
    ),
    bad(
        "ip-block-except-not-a-cidr",
        value(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=["x"]),
        "NetworkPeer.from_ip_block(except_) item",
        "x",
    ),
    *[
        bad(
            f"ip-block-except-{label}",
            value(NetworkPeer.from_ip_block, "10.0.0.0/8", except_=except_),
            "NetworkPeer.from_ip_block(except_)",
            except_,
        )
        for label, except_ in (("str", "10.1.0.0/16"), ("none", None))
    ],
    # the other NetworkPeer factories
    *[
        bad(
            f"peer-namespace-{label}",
            value(NetworkPeer.from_namespace, name),
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
        value(NetworkPeer.from_pod_labels, {"app": "x"}, namespace="Bad_NS"),
        "NetworkPeer.from_pod_labels(namespace)",
        "Bad_NS",
    ),
    bad(
        "peer-pod-label-key",
        value(NetworkPeer.from_pod_labels, {"bad key": "x"}),
        "NetworkPeer.from_pod_labels(labels) key",
        "bad key",
    ),
    # An empty prefix ('/app'), as the API server refuses it ("prefix part must be non-empty").
    bad(
        "peer-pod-label-key-empty-prefix",
        value(NetworkPeer.from_pod_labels, {"/app": "x"}),
        "NetworkPeer.from_pod_labels(labels) key",
        "/app",
    ),
    bad(
        "peer-pod-labels-none",
        value(NetworkPeer.from_pod_labels, None),
        "NetworkPeer.from_pod_labels(labels)",
        None,
    ),
    bad(
        "peer-namespace-label-value",
        value(NetworkPeer.from_namespace_labels, {"team": "bad value!"}),
        "NetworkPeer.from_namespace_labels(labels)['team']",
        "bad value!",
    ),
    # no labels would select everything: every namespace takes NetworkPeer.any_namespace()
    bad(
        "peer-namespace-labels-empty",
        value(NetworkPeer.from_namespace_labels, {}),
        "NetworkPeer.from_namespace_labels(labels)",
        {},
        re.escape("use NetworkPeer.any_namespace()"),
    ),
    bad(
        "peer-pod-labels-empty",
        value(NetworkPeer.from_pod_labels, {}),
        "NetworkPeer.from_pod_labels(labels)",
        {},
        "name at least one label",
    ),
    # NetworkPeer made from a NetworkPolicyPeer: checked where it is made
    bad(
        "peer-raw-namespace-selector-str",
        value(NetworkPeer, {"namespaceSelector": "all"}),
        "NetworkPeer.namespaceSelector",
        "all",
    ),
    bad("peer-raw-empty", value(NetworkPeer, {}), "NetworkPeer", {}, r"NetworkPeer\.from_\*"),
    bad(
        "peer-raw-cidr",
        value(NetworkPeer, {"ipBlock": {"cidr": "nope"}}),
        "NetworkPeer.ipBlock.cidr",
        "nope",
    ),
]


# --- contract points ----------------------------------------------------------------------------
def test_no_ports_means_no_service(chart: cdk8s.Chart) -> None:
    """A Service without ports is refused by the API server (spec.ports: Required value), so a
    workspace without ports makes none; nor any ingress rule or probe, which would need a port."""
    workspace = kc.HardenedWorkspace(
        chart, "desktop", **BASE, ports={}, ingress_from=[INGRESS_NGINX]
    )
    assert workspace.service is None
    assert workspace.ports == {}
    manifests = chart.to_json()
    assert [m["kind"] for m in manifests] == ["ServiceAccount", "Deployment", "NetworkPolicy"]
    (deployment, policy) = manifests[1:]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert "ports" not in container
    assert not {"startupProbe", "readinessProbe", "livenessProbe"} & set(container)
    assert policy["spec"]["ingress"] == []


def test_ports_make_a_service_on_exactly_those_ports(chart: cdk8s.Chart) -> None:
    """The counterpart: with ports, the Service has them, by name."""
    workspace = kc.HardenedWorkspace(chart, "desktop", **BASE, ports={"vnc": 6901, "audio": 4901})
    assert workspace.service is not None
    (service,) = [m for m in chart.to_json() if m["kind"] == "Service"]
    assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [
        ("vnc", 6901, 6901),
        ("audio", 4901, 4901),
    ]
