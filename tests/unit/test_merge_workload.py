"""``merge_workload``: the workspace's own fields over cdk8s-plus's rendering, without jsii."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from kasm_constructs import Home
from kasm_constructs._pipeline.render import merge_workload, workload_fields
from tests.unit.make import kplus_rendering, settings

KPLUS = Path(__file__).resolve().parents[2] / "kasm_constructs" / "constructs" / "_kplus.py"


def _placeholder_keys() -> frozenset[str]:
    """``_kplus.PLACEHOLDER_KEYS``, read from the source: _kplus imports cdk8s."""
    for node in ast.parse(KPLUS.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and getattr(node.targets[0], "id", "") == "PLACEHOLDER_KEYS"
        ):
            assert (
                isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", "") == "frozenset"
            )
            return frozenset(ast.literal_eval(node.value.args[0]))
    raise AssertionError("PLACEHOLDER_KEYS not found in _kplus.py")


#: The fields cdk8s-plus renders for the placeholder container.
PLACEHOLDER_KEYS = _placeholder_keys()


def merged(base: dict[str, Any], **overrides: Any) -> tuple[dict[str, Any], list[str]]:
    owned = workload_fields(settings(**overrides))
    problems = merge_workload(base, owned, placeholder_keys=PLACEHOLDER_KEYS)
    return base, problems


def pod(manifest: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = manifest["spec"]["template"]["spec"]
    return spec


def test_the_placeholder_keys_are_what_cdk8s_plus_renders_for_it() -> None:
    (placeholder,) = pod(kplus_rendering())["containers"]
    assert set(placeholder) == PLACEHOLDER_KEYS


def test_the_workspace_container_replaces_the_placeholder() -> None:
    s = settings()
    base, problems = merged(kplus_rendering())
    assert problems == []
    assert pod(base)["containers"] == workload_fields(s)["template"]["spec"]["containers"]


def test_cdk8s_plus_fields_stay_and_owned_fields_replace_theirs() -> None:
    s = settings()
    base, _ = merged(kplus_rendering())
    spec = pod(base)
    for kept in ("automountServiceAccountToken", "dnsPolicy", "restartPolicy"):
        assert kept in spec
    assert spec["securityContext"]["fsGroupChangePolicy"] == "OnRootMismatch"
    assert spec["securityContext"]["runAsUser"] == 1000
    assert base["spec"]["selector"] == {"matchLabels": dict(s.selector_labels)}
    assert base["spec"]["strategy"] == {"type": "RollingUpdate"}
    assert base["spec"]["template"]["metadata"] == {
        "labels": {"cdk8s.io/metadata.addr": "kasm-desk-c8a521ea"}
    }
    assert base["metadata"] == {"name": "desk", "namespace": "kasm"}


def test_spec_and_pod_spec_keys_are_in_alphabetical_order() -> None:
    base, _ = merged(kplus_rendering(zzz=1, aaa=2))
    assert list(base["spec"]) == sorted(base["spec"])
    assert list(pod(base)) == sorted(pod(base))
    assert pod(base)["zzz"] == 1 and pod(base)["aaa"] == 2


def test_anything_else_on_the_placeholder_is_reported() -> None:
    base = kplus_rendering()
    placeholder = pod(base)["containers"][0]
    placeholder["volumeMounts"] = [{"mountPath": "/x", "name": "x"}]
    placeholder["env"] = [{"name": "A", "value": "1"}]
    base, problems = merged(base)
    (problem,) = problems
    assert problem.startswith("env, volumeMounts set on workload.containers[0] through the ")
    assert "would be lost" in problem
    # the workspace container still takes its place
    assert pod(base)["containers"][0]["name"] == "desk"
    assert {"mountPath": "/x", "name": "x"} not in pod(base)["containers"][0]["volumeMounts"]


def test_containers_added_through_cdk8s_plus_are_kept_after_the_workspaces() -> None:
    sidecar = {"image": "busybox", "name": "sidecar"}
    base = kplus_rendering()
    pod(base)["containers"].append(sidecar)
    base, problems = merged(base)
    assert problems == []  # the guard refuses it, not the merge
    assert [c["name"] for c in pod(base)["containers"]] == ["desk", "sidecar"]
    assert pod(base)["containers"][1] == sidecar


def test_volumes_are_the_workspaces_then_cdk8s_plus_ones() -> None:
    cache = {"emptyDir": {}, "name": "cache"}
    base, problems = merged(kplus_rendering(volumes=[cache]))
    assert problems == []
    names = [v["name"] for v in pod(base)["volumes"]]
    assert names == ["home", "tmp", "var-run-pulse", "dshm", "cache"]
    assert pod(base)["volumes"][-1] == cache


def test_a_volume_named_like_one_of_the_workspaces_is_reported() -> None:
    clash = {"emptyDir": {}, "name": "tmp"}
    base, problems = merged(kplus_rendering(volumes=[clash, {"emptyDir": {}, "name": "ok"}]))
    assert problems == [
        'volume "tmp" added through the cdk8s-plus API has the name of one of the '
        "workspace's own volumes; give it another name."
    ]
    # both are written, so the API server check (a volume defined twice) sees it too
    assert [v["name"] for v in pod(base)["volumes"]].count("tmp") == 2


def test_a_claim_per_replica_adds_the_volume_claim_template() -> None:
    base, problems = merged(kplus_rendering(), home=Home.per_replica("10Gi"))
    assert problems == []
    (template,) = base["spec"]["volumeClaimTemplates"]
    assert template["metadata"]["name"] == "home"
    assert list(base["spec"]) == sorted(base["spec"])
