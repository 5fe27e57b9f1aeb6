"""Bad input: the other constructs, ``RestrictedNamespace`` and ``WorkspaceIngress``. Checked by
tests/test_args.py (the checks: tests/argument_cases.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import kasm_constructs as kc
from kasm_constructs import NetworkPeer
from tests.argument_cases import (
    BASE,
    Build,
    Case,
    Thunk,
    bad,
    cdk8s_module,
    construct,
    ingress,
    ingress_without_workspace,
    namespace,
    raised,
)

if TYPE_CHECKING:
    import cdk8s


def _namespace_of_another_app(chart: cdk8s.Chart) -> Thunk:
    cdk8s = cdk8s_module()
    other = kc.RestrictedNamespace(cdk8s.Chart(cdk8s.App(), "other"), "ns", name="kasm")
    return lambda: kc.WorkspaceIngress(
        chart, "ingress", workspace=other, host="desktop.example.com", tls_secret="desktop-tls"
    )


def _namespace_twice(first_id: str, second_id: str, first: str, second: str) -> Build:
    def prepare(chart: cdk8s.Chart) -> Thunk:
        kc.RestrictedNamespace(chart, first_id, name=first)
        return lambda: kc.RestrictedNamespace(chart, second_id, name=second)

    return construct(prepare)


def _second_ingress(chart: cdk8s.Chart) -> Thunk:
    target = kc.HardenedWorkspace(chart, "desktop", **BASE, name="desktop")
    kc.WorkspaceIngress(
        chart, "ingress-a", workspace=target, host="a.example.com", tls_secret="desktop-tls"
    )
    return lambda: kc.WorkspaceIngress(
        chart, "ingress-b", workspace=target, host="b.example.com", tls_secret="desktop-tls"
    )


CASES: list[Case] = [
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
            "set by the construct",
        )
        for key in ("pod-security.kubernetes.io/enforce", "pod-security.kubernetes.io/warn-version")
    ],
    bad("namespace-label-key", namespace(labels={"bad key": "x"}), "labels key", "bad key"),
    # "prefix part must be non-empty", as the API server says
    bad(
        "namespace-label-key-empty-prefix",
        namespace(labels={"/team": "x"}),
        "labels key",
        "/team",
    ),
    bad("namespace-labels-list", namespace(labels=["x"]), "labels", ["x"]),
    bad("namespace-annotation-value", namespace(annotations={"note": 1}), "annotations['note']", 1),
    # The construct id is checked in Python before cdk8s would raise a jsii RuntimeError.
    bad(
        "namespace-id-duplicate",
        _namespace_twice("ns", "ns", "team-a", "team-b"),
        "id",
        "ns",
        "already exists",
    ),
    bad(
        "namespace-id-empty",
        construct(lambda chart: lambda: kc.RestrictedNamespace(chart, "", name="team-a")),
        "id",
        "",
    ),
    # two Namespaces of one name
    bad(
        "namespace-name-duplicate",
        _namespace_twice("ns-a", "ns-b", "team", "team"),
        "name",
        "team",
        re.escape("Namespace 'team'"),
        re.escape("is already made by 'kasm/ns-a'"),
    ),
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
        construct(_namespace_of_another_app),
        "workspace",
        shows="<kasm_constructs.constructs.namespace.RestrictedNamespace object at 0x",
    ),
    bad(
        "ingress-workspace-without-service",
        ingress({"service": False}),
        "workspace",
        "kasm/desktop",
        "needs its Service",
    ),
    bad(
        "ingress-workspace-without-ports",
        ingress({"ports": {}}),
        "workspace",
        "kasm/desktop",
        "and a port",
    ),
    *[
        bad(
            f"ingress-host-{label}",
            ingress(host=host),
            "host",
            host,
            "expected a lowercase DNS name",
        )
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
    # not an IP address, as the API server says
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
        [NetworkPeer.from_namespace("ingress-nginx")],
    ),
    bad("ingress-class-name", ingress(ingress_class_name="Nginx"), "ingress_class_name", "Nginx"),
    bad(
        "ingress-controller",
        ingress(controller="nginx"),
        "controller",
        "nginx",
    ),
    bad("ingress-annotation-value", ingress(annotations={"note": 1}), "annotations['note']", 1),
    bad("ingress-id-empty", ingress(construct_id=""), "id", ""),
    # the id of a construct already in the chart
    bad("ingress-id-of-workspace", ingress(construct_id="desktop"), "id", "desktop", "already"),
    # two Ingresses for one workspace: both would be named after it
    bad(
        "ingress-name-duplicate",
        construct(_second_ingress),
        "name",
        "desktop",
        re.escape("Ingress 'desktop' in namespace 'kasm' is already made by 'kasm/ingress-a'"),
    ),
]


# --- contract points ----------------------------------------------------------------------------
def test_wildcard_ingress_host_is_accepted(chart: cdk8s.Chart) -> None:
    workspace = kc.HardenedWorkspace(chart, "desktop", **BASE)
    kc.WorkspaceIngress(
        chart, "ingress", workspace=workspace, host="*.example.com", tls_secret="desktop-tls"
    )
    (rendered,) = [m for m in chart.to_json() if m["kind"] == "Ingress"]
    assert [rule["host"] for rule in rendered["spec"]["rules"]] == ["*.example.com"]
    assert rendered["spec"]["tls"][0]["hosts"] == ["*.example.com"]


def test_one_namespace_name_per_app_whatever_the_charts_namespace() -> None:
    cdk8s = cdk8s_module()
    app = cdk8s.App()
    kc.RestrictedNamespace(cdk8s.Chart(app, "a", namespace="team-a"), "ns", name="shared")
    error = raised(
        lambda: kc.RestrictedNamespace(
            cdk8s.Chart(app, "b", namespace="team-b"), "ns", name="shared"
        )
    )
    assert str(error).startswith("name: got 'shared'; ")
