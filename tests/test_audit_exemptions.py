"""The audit's exemptions mean exactly what the guard's mean.

An exemption annotation (``pod-security.kasm-constructs.io/<check>``) is read by
``pod_security.read_exemptions`` and applied by ``pod_security.evaluate_exempted``, the function
the guard applies ``pod_security_exemptions`` with; which checks can be exempted is decided by
``pod_security.exemption_refusal``, where the library takes ``pod_security_exemptions`` too. Here
every exemption case of the guard's tests runs through both, and an annotation the library
would never write is a finding (``invalidExemption``), never honoured. Pure: no jsii.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kasm_constructs.__main__ import main
from kasm_constructs.cli.audit import INVALID_EXEMPTION, ManifestResult, Options, audit_paths
from kasm_constructs.errors import ConfigurationError
from kasm_constructs.policy.guard import Policy, judge
from kasm_constructs.policy.pod_security import (
    EXEMPTION_ANNOTATION,
    LATEST_VERSION,
    SUPPORTED_VERSIONS,
    PodSecurityExemption,
    check_ids,
    evaluate_exempted,
    exemption_annotations,
    read_exemptions,
)
from tests.test_audit import position, sarif_validator, write
from tests.unit.make import manifest, settings

CONTAINER = ("spec", "template", "spec", "containers", 0)
CAPABILITIES = (*CONTAINER, "securityContext", "capabilities")
ADD = (*CAPABILITIES, "add")
POD_SECURITY_CONTEXT = ("spec", "template", "spec", "securityContext")
VOLUMES = ("spec", "template", "spec", "volumes")


@dataclass(frozen=True)
class Case:
    """A workload as the library writes it for ``exemptions``, with ``patch`` applied (path ->
    value; a list value at ``VOLUMES`` is appended), and what must be refused and accepted."""

    exemptions: dict[str, str | PodSecurityExemption]
    patch: dict[tuple[str | int, ...], Any]
    refused: set[str]
    accepted: set[str] = field(default_factory=set)


def _debug(reason: str = "debug") -> PodSecurityExemption:
    return PodSecurityExemption(reason, allow=["SYS_PTRACE"])


# The exemption cases of the guard's tests, each named after where it comes from.
GUARD_CASES: dict[str, Case] = {
    # tests/test_holes.py, section 4: an exemption is no wider than its reason
    "holes-plain-reason-never-relaxes-baseline": Case(
        {"capabilities_restricted": "needs SYS_PTRACE"},
        {ADD: ["SYS_ADMIN", "SYS_MODULE"]},
        refused={"capabilities_baseline"},
        accepted={"capabilities_restricted"},
    ),
    "holes-plain-reason-relaxes-drop-all-only": Case(
        {"capabilities_restricted": "needs SYS_PTRACE"},
        {CAPABILITIES: {"add": ["SYS_MODULE"]}},
        refused={"capabilities_baseline"},
        accepted={"capabilities_restricted"},
    ),
    "holes-named-values-nothing-beyond": Case(
        {"capabilities_restricted": _debug()},
        {ADD: ["SYS_PTRACE", "SYS_ADMIN"]},
        refused={"capabilities_restricted", "capabilities_baseline"},
    ),
    "holes-named-values-still-drop-all": Case(
        {"capabilities_restricted": _debug()},
        {CAPABILITIES: {"add": ["SYS_PTRACE"]}},
        refused={"capabilities_restricted"},
        accepted={"capabilities_restricted", "capabilities_baseline"},
    ),
    "holes-named-values-exactly-those": Case(
        {"capabilities_restricted": _debug()},
        {ADD: ["SYS_PTRACE"]},
        refused=set(),
        accepted={"capabilities_restricted", "capabilities_baseline"},
    ),
    # tests/test_guard.py: PATCHES refused without an exemption, and let through with one
    "guard-privileged": Case(
        {}, {(*CONTAINER, "securityContext", "privileged"): True}, {"privileged"}
    ),
    "guard-SYS_ADMIN": Case({}, {ADD: ["SYS_ADMIN"]}, {"capabilities_restricted"}),
    "guard-hostNetwork": Case(
        {}, {("spec", "template", "spec", "hostNetwork"): True}, {"hostNamespaces"}
    ),
    "guard-privileged-exempted": Case(
        {"privileged": PodSecurityExemption("lab cluster, accepted by security")},
        {(*CONTAINER, "securityContext", "privileged"): True},
        refused=set(),
        accepted={"privileged"},
    ),
    "guard-SYS_ADMIN-exempted": Case(
        {"capabilities_restricted": PodSecurityExemption("lab", allow=["SYS_ADMIN"])},
        {ADD: ["SYS_ADMIN"]},
        refused=set(),
        accepted={"capabilities_restricted", "capabilities_baseline"},
    ),
    "guard-hostNetwork-exempted": Case(
        {"hostNamespaces": PodSecurityExemption("lab cluster, accepted by security")},
        {("spec", "template", "spec", "hostNetwork"): True},
        refused=set(),
        accepted={"hostNamespaces"},
    ),
    "guard-an-exemption-covers-only-its-check": Case(
        {"privileged": "reason"},
        {(*POD_SECURITY_CONTEXT, "runAsUser"): 0},
        refused={"runAsUser"},
    ),
    # tests/unit/test_judge.py: test_an_exemption_covers_only_its_check
    "judge-one-of-two": Case(
        {"privileged": "needed for the test"},
        {
            (*CONTAINER, "securityContext", "privileged"): True,
            ("spec", "template", "spec", "hostNetwork"): True,
        },
        refused={"hostNamespaces"},
        accepted={"privileged"},
    ),
    "judge-both": Case(
        {"privileged": "a", "hostNamespaces": "b"},
        {
            (*CONTAINER, "securityContext", "privileged"): True,
            ("spec", "template", "spec", "hostNetwork"): True,
        },
        refused=set(),
        accepted={"privileged", "hostNamespaces"},
    ),
}

# Exemption pairs the library refuses to write, each with a plain reason on both keys, and the
# patch the second key was meant to let through. The guard refuses the baseline check.
REFUSED_PAIRS: dict[str, tuple[str, str, dict[tuple[str | int, ...], Any]]] = {
    "SYS_ADMIN": ("capabilities_restricted", "capabilities_baseline", {ADD: ["SYS_ADMIN"]}),
    "hostPath /": (
        "restrictedVolumes",
        "hostPathVolumes",
        {VOLUMES: [{"name": "root", "hostPath": {"path": "/"}}]},
    ),
    "Unconfined": (
        "seccompProfile_restricted",
        "seccompProfile_baseline",
        {(*POD_SECURITY_CONTEXT, "seccompProfile"): {"type": "Unconfined"}},
    ),
}


def patched(written: dict[str, Any], patch: dict[tuple[str | int, ...], Any]) -> dict[str, Any]:
    result = copy.deepcopy(written)
    for path, value in patch.items():
        parent: Any = result
        for key in path[:-1]:
            parent = parent[key] if isinstance(key, int) else parent.setdefault(key, {})
        if path == VOLUMES:
            parent.setdefault(path[-1], []).extend(value)
        else:
            parent[path[-1]] = value
    return result


def guard_refuses(workload: dict[str, Any], policy: Policy) -> set[str]:
    """The Pod Security checks the guard names in its refusal of ``workload``."""
    found = [
        re.search(r'violates Pod Security "restricted" \(v[0-9.]+\) rule (\w+): ', e)
        for e in judge(workload, policy)
    ]
    assert all(found)  # every refusal is a Pod Security one here
    return {m[1] for m in found if m}


def audited(tmp_path: Path, workload: dict[str, Any], **options: Any) -> ManifestResult:
    file = write(tmp_path, "workload.json", json.dumps(workload, indent=2))
    [result] = audit_paths([file], Options(**options))
    return result


def checks(findings: Any) -> set[str]:
    return {finding.check for finding in findings}


@pytest.mark.parametrize("name", sorted(GUARD_CASES))
def test_the_audit_gives_the_guards_verdict_on_each_of_its_exemption_cases(
    tmp_path: Path, name: str
) -> None:
    case = GUARD_CASES[name]
    s = settings(pod_security_exemptions=case.exemptions)
    workload = patched(manifest(s), case.patch)
    policy = Policy("kasm/desktop", s.pod_security_version, s.pod_security_exemptions)
    assert guard_refuses(workload, policy) == case.refused
    result = audited(tmp_path, workload)
    assert checks(result.findings) == case.refused
    assert result.allowed is (not case.refused)
    assert {f.check for f, _ in result.exempted} == case.accepted
    reasons = {e.reason for e in s.pod_security_exemptions.values()}
    assert {reason for _, reason in result.exempted} <= reasons


@pytest.mark.parametrize("name", sorted(REFUSED_PAIRS))
def test_a_baseline_check_a_restricted_one_overrides_is_never_exempted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The three holes: with a plain reason on both keys the audit used to approve SYS_ADMIN,
    ``hostPath: /`` and an Unconfined seccomp profile. The library refuses the pair; the guard,
    given the key it accepts, refuses the baseline check; the audit, given both annotations,
    reports the one the library refuses and denies the baseline check."""
    restricted, baseline, patch = REFUSED_PAIRS[name]
    pair = {restricted: "plain reason", baseline: "plain reason"}
    with pytest.raises(
        ConfigurationError, match=rf"^pod_security_exemptions key: got '{baseline}'"
    ):
        settings(pod_security_exemptions=pair)
    s = settings(pod_security_exemptions={restricted: "plain reason"})
    policy = Policy("kasm/desktop", s.pod_security_version, s.pod_security_exemptions)
    workload = patched(manifest(s), patch)
    assert guard_refuses(workload, policy) == {baseline}

    workload["metadata"]["annotations"].update(
        exemption_annotations(
            {check: PodSecurityExemption(reason) for check, reason in pair.items()}
        )
    )
    result = audited(tmp_path, workload)
    assert result.status == "denied"
    assert checks(result.findings) == {INVALID_EXEMPTION, baseline}
    [invalid] = [f for f in result.findings if f.check == INVALID_EXEMPTION]
    key = f"{EXEMPTION_ANNOTATION}{baseline}"
    assert invalid.field == f"metadata.annotations[{key}]"
    assert invalid.message.startswith(
        f"annotation {key} is not honoured: {baseline} is the baseline"
    )
    assert f"exempt {restricted} and name the values it accepts" in invalid.message
    assert {f.check for f, _ in result.exempted} == {restricted}
    # the finding points at the annotation as written
    text = json.dumps(workload, indent=2)
    assert (invalid.line, invalid.column) == position(text, json.dumps(key))
    # and the CLI says so in every format
    file = write(tmp_path, "workload.json", text)
    assert main(["audit", file]) == 1
    assert f"{INVALID_EXEMPTION} at metadata.annotations[{key}]" in capsys.readouterr().out
    assert main(["audit", "--output", "json", file]) == 1
    [report] = json.loads(capsys.readouterr().out)
    assert [v["check"] for v in report["violations"]] == [INVALID_EXEMPTION, baseline]
    assert [v["check"] for v in report["exempted"]] == [restricted]
    assert main(["audit", "--output", "sarif", file]) == 1
    log = json.loads(capsys.readouterr().out)
    sarif_validator().validate(log)
    [run] = log["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules[INVALID_EXEMPTION]["shortDescription"]["text"].startswith(
        "An exemption annotation the library never writes"
    )
    assert [r["ruleId"] for r in run["results"] if "suppressions" not in r] == [
        INVALID_EXEMPTION,
        baseline,
    ]


ALL_CHECK_IDS = sorted(check_ids("baseline") | check_ids("restricted") | {"procMount", "notACheck"})


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_library_writes_exactly_the_exemptions_the_audit_honours(version: str) -> None:
    """For every check id at every policy version: the library takes the exemption iff the
    audit honours its annotation, and what it writes reads back as itself."""
    for check in ALL_CHECK_IDS:
        exemption = {check: PodSecurityExemption("a reason", allow=["X", "Y"])}
        try:
            s = settings(pod_security_version=version, pod_security_exemptions=exemption)
        except ConfigurationError:
            taken = False
        else:
            taken = True
            assert dict(s.pod_security_exemptions) == exemption
        honoured, refused = read_exemptions(exemption_annotations(exemption), version)
        if taken:
            assert (honoured, refused) == (exemption, []), check
        else:
            assert (honoured, [r.key for r in refused]) == ({}, [EXEMPTION_ANNOTATION + check])
        assert taken is (check in check_ids("restricted", version)), check


def test_evaluate_exempted_refuses_an_exemption_the_library_would_not_write() -> None:
    workload = manifest(settings())
    with pytest.raises(ValueError, match="'capabilities_baseline' cannot be exempted"):
        evaluate_exempted(workload, {"capabilities_baseline": PodSecurityExemption("r")})
    with pytest.raises(ValueError, match="'hostProbesAndHostLifecycle' cannot be exempted"):
        evaluate_exempted(
            workload, {"hostProbesAndHostLifecycle": PodSecurityExemption("r")}, "1.33"
        )


PRIVILEGED = {(*CONTAINER, "securityContext", "privileged"): True}


@pytest.mark.parametrize(
    ("annotations", "key", "problem"),
    [
        ({"privilegd": "typo"}, "privilegd", "expected a check id of policy v1.37: one of ["),
        ({"privileged": " "}, "privileged", "the reason must be one non-blank line"),
        ({"privileged": "two\nlines"}, "privileged", "the reason must be one non-blank line"),
        ({"privileged.allow": "x"}, "privileged.allow", "an .allow annotation without "),
        (
            {"privileged": "r", "privileged.allow": "a, b"},
            "privileged.allow",
            "expected values separated by commas",
        ),
        ({"privileged": "r", "privileged.allow": ""}, "privileged.allow", "expected values"),
        ({"privileged": "r", "privileged.allow": "a,,b"}, "privileged.allow", "expected values"),
    ],
)
def test_an_annotation_the_library_never_writes_is_a_finding_and_not_honoured(
    tmp_path: Path, annotations: dict[str, str], key: str, problem: str
) -> None:
    workload = patched(manifest(settings()), PRIVILEGED)
    workload["metadata"]["annotations"].update(
        {f"{EXEMPTION_ANNOTATION}{k}": v for k, v in annotations.items()}
    )
    result = audited(tmp_path, workload)
    assert checks(result.findings) == {INVALID_EXEMPTION, "privileged"}
    assert result.exempted == ()
    [invalid] = [f for f in result.findings if f.check == INVALID_EXEMPTION]
    assert invalid.field == f"metadata.annotations[{EXEMPTION_ANNOTATION}{key}]"
    assert invalid.message.startswith(f"annotation {EXEMPTION_ANNOTATION}{key} is not honoured: ")
    assert problem in invalid.message
    # only what the audit reads is reported: not with --ignore-exemptions, nor at baseline
    assert checks(audited(tmp_path, workload, exemptions=False).findings) == {"privileged"}
    assert checks(audited(tmp_path, workload, level="baseline").findings) == {"privileged"}


def test_an_exemption_on_the_pod_template_is_a_finding_and_not_honoured(tmp_path: Path) -> None:
    workload = patched(manifest(settings()), PRIVILEGED)
    key = f"{EXEMPTION_ANNOTATION}privileged"
    workload["spec"]["template"]["metadata"]["annotations"][key] = "on the template"
    result = audited(tmp_path, workload)
    assert checks(result.findings) == {INVALID_EXEMPTION, "privileged"}
    [invalid] = [f for f in result.findings if f.check == INVALID_EXEMPTION]
    assert invalid.field == f"spec.template.metadata.annotations[{key}]"
    assert "never from its pod template" in invalid.message
    text = json.dumps(workload, indent=2)
    assert invalid.line == position(text, f'"{key}": "on the template"')[0]


def test_a_version_where_the_check_does_not_exist_refuses_its_exemption(tmp_path: Path) -> None:
    """hostProbesAndHostLifecycle exists from 1.34 on: written at 1.37, audited at 1.33."""
    s = settings(pod_security_exemptions={"hostProbesAndHostLifecycle": "lab"})
    result = audited(tmp_path, manifest(s), version="1.33")
    assert [(f.check, f.field) for f in result.findings] == [
        (
            INVALID_EXEMPTION,
            f"metadata.annotations[{EXEMPTION_ANNOTATION}hostProbesAndHostLifecycle]",
        )
    ]
    assert "expected a check id of policy v1.33" in result.findings[0].message
    assert audited(tmp_path, manifest(s), version=LATEST_VERSION).allowed
