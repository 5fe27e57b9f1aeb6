"""Names are cdk8s's own: the library computes ``Names.to_dns_label`` (default object names)
and ``Names.to_label_value`` (cdk8s-plus's pod address label) in Python, without the bridge, so
they must agree with cdk8s exactly."""

from __future__ import annotations

import cdk8s
import pytest
from constructs import Construct

from kasm_constructs import HardenedWorkspace
from kasm_constructs.manifests.cdk8s_names import dns_label, label_value

IDS = [
    "desktop",
    "Desktop",
    "user-1",
    "a_b.c",
    "Default",
    "Resource",
    "resource",
    "x" * 70,
    "UPPER lower",
    "ünïcödé",
    "dup",
    "a--b",
    "with/slash",
    "-lead",
    "trail-",
    "9digits",
]


@pytest.mark.parametrize("chart_id", ["kasm", "Team-A", "default", "x" * 60])
@pytest.mark.parametrize("max_len", [52, 63, 20])
def test_matches_cdk8s_names(chart_id: str, max_len: int) -> None:
    chart = cdk8s.Chart(cdk8s.App(), chart_id)
    nested = Construct(chart, "nested")
    repeated = Construct(nested, "nested")  # kasm/nested/nested/...: a repeated component
    for scope in (chart, nested, repeated):
        for construct_id in IDS:
            construct = Construct(scope, construct_id)
            expected = cdk8s.Names.to_dns_label(construct, max_len=max_len)
            assert dns_label(construct.node.path, max_len) == expected, construct.node.path
            label = cdk8s.Names.to_label_value(construct, max_len=max_len)
            assert label_value(construct.node.path, max_len) == label, construct.node.path


def test_single_component_is_kept() -> None:
    assert dns_label("plain", 52) == "plain"
    assert label_value("Plain_1", 52) == "Plain_1"


@pytest.mark.parametrize("construct_id", ["desktop", "team/alice", "Default"])
def test_a_workspace_is_named_as_cdk8s_would(construct_id: str) -> None:
    chart = cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
    workspace = HardenedWorkspace(
        Construct(chart, "group"),
        construct_id,
        image="kasmweb/desktop:1.16.0",
        secret_env={"VNC_PW": ("kasm-secrets", "vnc-password")},
    )
    expected = cdk8s.Names.to_dns_label(workspace, max_len=52)
    assert workspace.service is not None and workspace.service.name == expected
