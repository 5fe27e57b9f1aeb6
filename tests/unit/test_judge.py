"""``_guard.judge`` and ``refusal`` on hand-written manifests, without jsii."""

from __future__ import annotations

from typing import Any

import pytest

from kasm_constructs.policy.guard import REFUSED, Policy, SynthRefusedError, judge, refusal
from kasm_constructs.policy.pod_security import (
    LATEST_VERSION,
    PodSecurityExemption,
    exemption_annotations,
)
from tests.unit.make import manifest, settings

PATH = "kasm/desktop"
PREFIX = f'HardenedWorkspace "{PATH}": '


def policy(version: str = LATEST_VERSION, **exemptions: str) -> Policy:
    return Policy(PATH, version, {k: PodSecurityExemption(v) for k, v in exemptions.items()})


def written(**overrides: Any) -> dict[str, Any]:
    return manifest(settings(**overrides))


def judged(m: dict[str, Any], **exemptions: str) -> list[str]:
    """``m`` judged with ``exemptions``, written on it as the workspace writes them."""
    given = policy(**exemptions)
    m["metadata"]["annotations"].update(exemption_annotations(given.exemptions))
    return judge(m, given)


def container(m: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = m["spec"]["template"]["spec"]["containers"][0]
    return found


def test_a_workspace_as_rendered_passes() -> None:
    assert judge(written(), policy()) == []


def test_problems_found_while_merging_come_first_and_name_the_workspace() -> None:
    m = written()
    container(m)["securityContext"]["privileged"] = True
    errors = judge(m, policy(), ["first", "second"])
    assert errors[:2] == [f"{PREFIX}first", f"{PREFIX}second"]
    assert len(errors) == 3
    assert all(e.startswith(PREFIX) for e in errors)


def test_a_pod_security_violation_names_container_field_rule_and_the_exemption() -> None:
    m = written()
    container(m)["securityContext"]["privileged"] = True
    (error,) = judge(m, policy())
    assert error.startswith(
        f'{PREFIX}container "desk", field spec.template.spec.containers[0].securityContext'
        f'.privileged: violates Pod Security "restricted" (v{LATEST_VERSION}) rule privileged: '
    )
    assert error.endswith('To accept it, pass pod_security_exemptions={"privileged": "<reason>"}.')


def test_an_exemption_covers_only_its_check() -> None:
    m = written()
    container(m)["securityContext"]["privileged"] = True
    m["spec"]["template"]["spec"]["hostNetwork"] = True
    both = judge(m, policy())
    assert sorted(" rule privileged: " in e for e in both) == [False, True]
    (left,) = judged(m, privileged="needed for the test")
    assert "rule hostNamespaces: " in left
    assert "field spec.template.spec.hostNetwork:" in left
    assert judged(m, privileged="a", hostNamespaces="b") == []


def test_an_exemption_annotation_written_another_way_is_refused() -> None:
    """A JSON patch that adds an exemption annotation: the guard did not judge by it, and the
    audit would honour it, so it is refused."""
    m = written()
    m["metadata"]["annotations"]["pod-security.kasm-constructs.io/privileged"] = "sneaky"
    (error,) = judge(m, policy())
    assert error == (
        f"{PREFIX}field metadata.annotations[pod-security.kasm-constructs.io/privileged]: "
        "exemption annotations are written from pod_security_exemptions= only; one added or "
        "changed another way would make the audit accept what the guard did not"
    )


def test_the_policy_version_is_the_one_applied() -> None:
    """hostProbesAndHostLifecycle exists from 1.34 on."""
    m = written()
    container(m)["readinessProbe"] = {"tcpSocket": {"host": "10.0.0.1", "port": "vnc"}}
    (error,) = judge(m, policy("1.34"))
    assert "(v1.34) rule hostProbesAndHostLifecycle: " in error
    assert judge(m, policy("1.33")) == []


def test_more_containers_are_refused() -> None:
    m = written()
    m["spec"]["template"]["spec"]["containers"].append(dict(container(m), name="sidecar"))
    (error,) = judge(m, policy())
    assert error == (
        f"{PREFIX}the workspace runs one container; 1 more were added through the cdk8s-plus "
        "API. Run them in their own workload."
    )


def test_what_the_api_server_would_reject_is_refused() -> None:
    m = written()
    container(m)["resources"]["limits"]["memory"] = {"value": "8Gi"}
    (error,) = judge(m, policy())
    assert error.startswith(
        f"{PREFIX}field spec.template.spec.containers[0].resources.limits.memory is "
    )


@pytest.mark.parametrize("errors", [["one"], ["one", "two"]])
def test_a_refusal_lists_every_error(errors: list[str]) -> None:
    error = refusal(errors)
    assert isinstance(error, SynthRefusedError) and isinstance(error, RuntimeError)
    assert str(error) == f"{REFUSED}:\n  " + "\n  ".join(errors)
