"""Bad input: names, construct ids and scopes, labels and annotations, Pod Security, the on/off
switches and the service account. Checked by tests/test_args.py (the checks:
tests/argument_cases.py)."""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

import pytest

import kasm_constructs as kc
from kasm_constructs import ConfigurationError
from tests.argument_cases import (
    BASE,
    Build,
    Case,
    Shown,
    Thunk,
    bad,
    cdk8s_module,
    construct,
    raised,
    tree,
    twice,
    ws,
)

if TYPE_CHECKING:
    import cdk8s


def _in_the_app(chart: cdk8s.Chart) -> Thunk:
    """A workspace whose scope is the app, not a chart."""
    return lambda: kc.HardenedWorkspace(chart.node.root, "desktop", **BASE)


def _in_no_scope(chart: cdk8s.Chart) -> Thunk:
    return lambda: kc.HardenedWorkspace(None, "desktop", **BASE)  # type: ignore[arg-type]


def _same_name_in_another_chart(chart: cdk8s.Chart) -> Thunk:
    """ "desktop" in chart "other" of the same app and namespace, then in the chart."""
    other = cdk8s_module().Chart(chart.node.root, "other", namespace="kasm")
    kc.HardenedWorkspace(other, "desktop", **BASE, name="desktop")
    return lambda: kc.HardenedWorkspace(chart, "desktop", **BASE, name="desktop")


def _second_ingress_of_a_workspace(chart: cdk8s.Chart) -> Thunk:
    """A workspace's Ingress is named after it: a second one for the same workspace clashes."""
    target = kc.HardenedWorkspace(chart, "desktop", **BASE, name="desktop")
    kc.WorkspaceIngress(
        chart, "ingress", workspace=target, host="a.example.com", tls_secret="desktop-tls"
    )
    return lambda: kc.WorkspaceIngress(
        chart, "again", workspace=target, host="b.example.com", tls_secret="desktop-tls"
    )


def _same_name_in_no_namespace_and_default(chart: cdk8s.Chart) -> Thunk:
    """A chart without a namespace writes objects that land in "default": "desk" there, then in
    a chart of namespace "default"."""
    cdk8s = cdk8s_module()
    kc.HardenedWorkspace(cdk8s.Chart(chart.node.root, "a"), "desktop", **BASE, name="desk")
    other = cdk8s.Chart(chart.node.root, "b", namespace="default")
    return lambda: kc.HardenedWorkspace(other, "desktop", **BASE, name="desk")


#: Annotations of about 300 KiB: the API server accepts at most 256 KiB per object.
_HUGE_ANNOTATIONS = {f"example.com/a{i}": "x" * 1024 for i in range(300)}

CASES: list[Case] = [
    # name
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
        re.escape("in namespace 'kasm' is already made by 'kasm/first'"),
    ),
    bad(
        "name-duplicate-of-default",
        twice({}, {"name": "kasm-desktop-c8a51aa7"}, ids=("desktop", "second")),
        "name",
        "kasm-desktop-c8a51aa7",
        re.escape("is already made by 'kasm/desktop'"),
    ),
    bad(
        "name-duplicate-in-another-chart",
        construct(_same_name_in_another_chart),
        "name",
        "desktop",
        re.escape("in namespace 'kasm' is already made by 'other/desktop'"),
    ),
    bad(
        "name-duplicate-in-the-default-namespace",
        construct(_same_name_in_no_namespace_and_default),
        "name",
        "desk",
        re.escape("in namespace 'default' is already made by 'a/desktop'"),
    ),
    bad(
        "name-of-a-second-ingress",
        construct(_second_ingress_of_a_workspace),
        "name",
        "desktop",
        re.escape("Ingress 'desktop' in namespace 'kasm' is already made by 'kasm/ingress'"),
    ),
    # construct id and scope: checked in Python before cdk8s would raise a jsii RuntimeError
    bad(
        "id-duplicate", twice({}, {}, ids=("desktop", "desktop")), "id", "desktop", "already exists"
    ),
    *[
        bad(
            f"id-{label}",
            construct(
                lambda chart, construct_id=construct_id: (
                    lambda: kc.HardenedWorkspace(chart, construct_id, **BASE)
                )
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
    # scope: inside a chart
    bad("scope-app", construct(_in_the_app), "scope", "<app>", "inside a Chart"),
    bad("scope-none", construct(_in_no_scope), "scope", None, "inside a cdk8s.Chart"),
    # labels
    *[
        bad(f"label-value-{label}", ws(labels={"team": item}), "labels['team']", item)
        for label, item in (
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
            # "prefix part must be non-empty", as the API server says
            ("empty-prefix", "/team"),
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
    # annotations
    *[
        bad(
            f"annotation-value-{label}",
            ws(annotations={"note": item}),
            "annotations['note']",
            item,
        )
        for label, item in (("int", 1), ("none", None), ("dict", {"a": "b"}))
    ],
    # A string cdk8s writes unquoted and kubectl reads as a number (tests/test_kubectl_reading.py)
    *[
        bad(
            f"annotation-value-read-as-{label}",
            ws(annotations={"example.com/umask": text}),
            "annotations['example.com/umask']",
            text,
            f"cdk8s writes it unquoted and kubectl reads it as the int {read};",
        )
        for label, text, read in (
            ("octal", "0o022", 18),
            ("binary", "0B11", 3),
            ("hex", "0X1F", 31),
        )
    ],
    bad(
        "annotations-beyond-256-kib",
        ws(annotations=_HUGE_ANNOTATIONS),
        "annotations",
        Shown("<dict, not shown>"),
        r"\d+ bytes of keys and values; the API server accepts at most 262144 \(256 KiB\)",
    ),
    bad("annotation-key-two-slashes", ws(annotations={"a/b/c": "x"}), "annotations key", "a/b/c"),
    bad("annotation-key-empty-prefix", ws(annotations={"/note": "x"}), "annotations key", "/note"),
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
    # on/off switches
    *[
        bad(f"{flag}-{label}", ws(**{flag: item}), flag, item, "True or False")
        for flag in (
            "service",
            "network_policy",
            "egress_internet",
            "pod_disruption_budget",
            "topology_spread",
            "host_users",
            "vnc_password",
        )
        for label, item in (("yes", "yes"), ("int", 1), ("none", None))
    ],
    # how long a desktop gets to stop
    *[
        bad(
            f"termination-grace-period-{label}",
            ws(termination_grace_period_seconds=seconds),
            "termination_grace_period_seconds",
            seconds,
        )
        for label, seconds in (("negative", -1), ("str", "30"), ("bool", True))
    ],
    # service account
    bad(
        "service-account-name", ws(service_account_name="Bad_SA"), "service_account_name", "Bad_SA"
    ),
]


# --- the tree check itself ----------------------------------------------------------------------
def test_the_tree_check_sees_what_a_construction_adds(chart: cdk8s.Chart) -> None:
    """What test_leaves_the_tree_unchanged compares changes when a construction succeeds."""
    before = tree(chart)
    kc.HardenedWorkspace(chart, "desktop", **BASE, name="desktop")
    after = tree(chart)
    assert after["chart children"] == [*before["chart children"], "desktop"]
    assert "kasm/desktop/Resource" in after["app constructs"]
    assert "kasm/desktop/Resource" not in before["app constructs"]
    assert ("Deployment", "kasm", "desktop") in after["names claimed"]


@pytest.mark.parametrize("build", [ws(image=""), construct(_in_the_app)], ids=["image", "scope"])
def test_a_refused_construction_adds_no_bookkeeping_construct(
    chart: cdk8s.Chart, build: Build
) -> None:
    assert build.prepare is not None
    raised(build.prepare(chart))
    assert [c.node.id for c in chart.node.root.node.children] == ["kasm"]


# --- names --------------------------------------------------------------------------------------
def test_a_default_name_that_is_not_a_dns1035_label_is_refused() -> None:
    """The default name comes from the construct path; in chart "2024-kasm" it starts with a
    digit, which a Service name may not. It is refused, naming ``name`` and showing the default,
    before anything is added; an explicit name is the way out."""
    cdk8s = cdk8s_module()
    chart = cdk8s.Chart(cdk8s.App(), "2024-kasm", namespace="kasm")
    before = tree(chart)
    error = raised(lambda: kc.HardenedWorkspace(chart, "desktop", **BASE))
    assert tree(chart) == before
    # cdk8s's own name for a construct at the same path, in another app
    twin = importlib.import_module("constructs").Construct(
        cdk8s.Chart(cdk8s.App(), "2024-kasm"), "desktop"
    )
    default = cdk8s.Names.to_dns_label(twin, max_len=52)
    assert isinstance(error, ConfigurationError)
    assert error.parameter == "name"
    assert error.value == default
    assert default.startswith("2024-kasm-desktop-")
    assert str(error).startswith(f"name: got {default!r}; that is the default name, made from")
    assert str(error).endswith("pass name=")
    workspace = kc.HardenedWorkspace(chart, "desktop", **BASE, name="desktop")
    assert workspace.service is not None and workspace.service.name == "desktop"


def test_same_name_in_another_namespace_is_allowed() -> None:
    cdk8s = cdk8s_module()
    app = cdk8s.App()
    for namespace in ("team-a", "team-b"):
        chart = cdk8s.Chart(app, namespace, namespace=namespace)
        kc.HardenedWorkspace(chart, "desktop", **BASE, name="desktop")
    deployments = [
        (m["metadata"]["namespace"], m["metadata"]["name"])
        for chart in app.charts
        for m in chart.to_json()
        if m["kind"] == "Deployment"
    ]
    assert deployments == [("team-a", "desktop"), ("team-b", "desktop")]


def test_a_refused_workspace_leaves_its_name_free(chart: cdk8s.Chart) -> None:
    """A construction that failed on a later argument must not reserve the name."""
    error = raised(
        lambda: kc.HardenedWorkspace(chart, "first", **BASE, name="desktop", replicas=-1)
    )
    assert isinstance(error, ConfigurationError) and error.parameter == "replicas"
    workspace = kc.HardenedWorkspace(chart, "second", **BASE, name="desktop")
    assert workspace.service is not None and workspace.service.name == "desktop"
