"""A Pod Security exemption is no wider than its reason: a plain reason relaxes its own restricted
check, never the baseline check that one overrides; an exemption that names its values (``allow``)
lets exactly those through and refuses anything beyond them. Judged at synth by the guard."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
import yaml

from kasm_constructs import HardenedWorkspace, PodSecurityExemption
from tests.helpers import container, one
from tests.scenario_cases import VNC

_ADD = "/spec/template/spec/containers/0/securityContext/capabilities/add"
_CAPS = "/spec/template/spec/containers/0/securityContext/capabilities"


def _patched(path: str, value: Any, **kwargs: Any) -> cdk8s.App:
    """An app with one workspace whose workload gets ``value`` at ``path`` by JSON patch."""
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    workspace = HardenedWorkspace(
        chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC, **kwargs
    )
    cdk8s.ApiObject.of(workspace.workload).add_json_patch(cdk8s.JsonPatch.add(path, value))
    return app


@pytest.mark.parametrize(
    "exemption, path, value, refused",
    [
        # a plain reason; SYS_ADMIN is forbidden by baseline too
        ("needs SYS_PTRACE", _ADD, ["SYS_ADMIN", "SYS_MODULE"], "rule capabilities_baseline"),
        # a plain reason relaxes restricted's drop ALL, never baseline's list
        ("needs SYS_PTRACE", _CAPS, {"add": ["SYS_MODULE"]}, "rule capabilities_baseline"),
        # naming what is allowed: anything beyond it is refused
        (
            PodSecurityExemption("debug", allow=["SYS_PTRACE"]),
            _ADD,
            ["SYS_PTRACE", "SYS_ADMIN"],
            "rule capabilities_restricted",
        ),
        (
            PodSecurityExemption("debug", allow=["SYS_PTRACE"]),
            _CAPS,
            {"add": ["SYS_PTRACE"]},
            r"capabilities\.drop.*rule capabilities_restricted",
        ),
    ],
    ids=[
        "reason-baseline-capability",
        "reason-no-drop-all",
        "allow-beyond-it",
        "allow-no-drop-all",
    ],
)
def test_an_exemption_never_reaches_beyond_what_it_names(
    exemption: Any, path: str, value: Any, refused: str
) -> None:
    app = _patched(path, value, pod_security_exemptions={"capabilities_restricted": exemption})
    with pytest.raises(RuntimeError, match=refused):
        app.synth_yaml()


def test_an_exemption_that_names_its_values_lets_exactly_those_through() -> None:
    exemption = PodSecurityExemption("debug", allow=["SYS_PTRACE"])
    app = _patched(
        _ADD, ["SYS_PTRACE"], pod_security_exemptions={"capabilities_restricted": exemption}
    )
    workload = one([d for d in yaml.safe_load_all(app.synth_yaml()) if d], "Deployment")
    assert container(workload)["securityContext"]["capabilities"]["add"] == ["SYS_PTRACE"]
