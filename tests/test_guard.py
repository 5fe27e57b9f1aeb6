"""The synth-time guard: a workload that is no longer Pod Security "restricted" does not synth."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus
import pytest

from kasm_constructs import HardenedWorkspace, _guard
from tests.helpers import child_env, one, synth
from tests.scenarios import VNC

PATCHES = {
    "privileged": (
        "/spec/template/spec/containers/0/securityContext/privileged",
        True,
        "privileged",
        "spec.template.spec.containers[0].securityContext.privileged",
    ),
    "SYS_ADMIN": (
        "/spec/template/spec/containers/0/securityContext/capabilities/add",
        ["SYS_ADMIN"],
        "capabilities_restricted",
        "spec.template.spec.containers[0].securityContext.capabilities.add",
    ),
    "hostNetwork": (
        "/spec/template/spec/hostNetwork",
        True,
        "hostNamespaces",
        "spec.template.spec.hostNetwork",
    ),
}


def _patched(path: str, value: Any, app: cdk8s.App | None = None, **kwargs: Any) -> cdk8s.App:
    app = app or cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    workspace = HardenedWorkspace(
        chart, "desktop", name="desk", image="kasmweb/desktop:1.16.0", secret_env=VNC, **kwargs
    )
    cdk8s.ApiObject.of(workspace.workload).add_json_patch(cdk8s.JsonPatch.add(path, value))
    return app


@pytest.mark.parametrize("patch", sorted(PATCHES))
def test_synth_fails_naming_workspace_container_field_and_rule(patch: str) -> None:
    path, value, rule, field = PATCHES[patch]
    app = _patched(path, value)
    with pytest.raises(RuntimeError) as raised:
        app.synth_yaml()
    message = str(raised.value)
    assert 'HardenedWorkspace "kasm/desktop"' in message
    assert f"field {field}:" in message
    assert f"rule {rule}" in message
    if "containers" in field:
        assert 'container "desk"' in message


@pytest.mark.parametrize("patch", sorted(PATCHES))
def test_a_named_exemption_lets_it_through_and_shows_in_the_manifest(patch: str) -> None:
    path, value, rule, _ = PATCHES[patch]
    app = _patched(path, value, pod_security_exemptions={rule: "lab cluster, accepted by security"})
    workload = next(d for d in app.synth_yaml().split("---") if "kind: Deployment" in d)
    assert f"pod-security.kasm-constructs.io/{rule}: lab cluster, accepted by security" in workload


def test_an_exemption_covers_only_its_check() -> None:
    app = _patched(
        "/spec/template/spec/securityContext/runAsUser",
        0,
        pod_security_exemptions={"privileged": "reason"},
    )
    with pytest.raises(RuntimeError, match=r"rule runAsUser"):
        app.synth_yaml()


def test_a_plain_quantity_in_a_patch_is_reported_not_written_as_null() -> None:
    app = _patched("/spec/template/spec/containers/0/resources/limits/memory", "8Gi")
    with pytest.raises(RuntimeError, match=re.escape("resources.limits.memory is missing")):
        app.synth_yaml()


ADDITIONS: dict[str, tuple[Callable[[kplus.Deployment], object], str]] = {
    "container": (
        lambda w: w.add_container(image="busybox", name="sidecar"),
        "1 more were added through the cdk8s-plus API",
    ),
    "volume": (
        lambda w: w.add_volume(kplus.Volume.from_empty_dir(w, "scratch", "scratch")),
        "volumes added through the cdk8s-plus API",
    ),
    # cdk8s-plus's container defaults do not drop ALL capabilities: restricted says no.
    "init container": (
        lambda w: w.add_init_container(image="busybox", name="setup"),
        r'container "setup".*rule capabilities_restricted',
    ),
}


@pytest.mark.parametrize("addition", sorted(ADDITIONS))
def test_what_cdk8s_plus_adds_to_the_pod_is_refused_or_judged(addition: str) -> None:
    add, message = ADDITIONS[addition]
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    workspace = HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
    add(workspace.workload)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match=message):
        app.synth_yaml()


def test_unpatched_workloads_synth() -> None:
    docs = synth(lambda app: _patched("/spec/template/spec/priorityClassName", "desktop", app))
    assert one(docs, "Deployment")["spec"]["template"]["spec"]["priorityClassName"] == "desktop"


def test_cdk8s_synth_prints_the_message_without_a_stack(tmp_path: Path) -> None:
    """What a user sees from `cdk8s synth`: the message, exit status 1, no jsii traceback."""
    app = tmp_path / "main.py"
    app.write_text(
        textwrap.dedent(
            """
            import cdk8s
            from kasm_constructs import HardenedWorkspace, _guard

            app = cdk8s.App()
            chart = cdk8s.Chart(app, "kasm", namespace="kasm")
            w = HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0",
                                  secret_env={"VNC_PW": ("s", "k")})
            cdk8s.ApiObject.of(w.workload).add_json_patch(
                cdk8s.JsonPatch.add("/spec/template/spec/hostNetwork", True))
            app.synth()
            """
        )
    )
    result = subprocess.run(
        [sys.executable, str(app)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env(),
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("cdk8s synth refused: Validation failed")
    assert "rule hostNamespaces" in result.stderr
    for noise in ("Traceback", "jsii", "at Kernel", "end-of-life"):
        assert noise not in result.stderr
    assert not list(tmp_path.glob("dist/*.yaml"))


def test_other_errors_keep_their_traceback(tmp_path: Path) -> None:
    script = tmp_path / "main.py"
    script.write_text("import kasm_constructs.workspace\nraise KeyError('unrelated')\n")
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=child_env(),
        check=False,
    )
    assert "Traceback" in result.stderr and "KeyError: 'unrelated'" in result.stderr


def test_kplus_objects_next_to_a_workspace_are_not_judged() -> None:
    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
        kplus.Deployment(chart, "other", containers=[kplus.ContainerProps(image="busybox")])

    assert len([d for d in synth(build) if d["kind"] == "Deployment"]) == 2


def test_the_guard_judges_once_per_synth_however_many_charts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """cdk8s validates the app once, then again per chart: the verdict is reused within a synth."""
    calls: list[str] = []
    real = _guard.evaluate

    def counting(manifest: Any, level: str, version: str) -> Any:
        calls.append(manifest["metadata"]["name"])
        return real(manifest, level, version)

    monkeypatch.setattr(_guard, "evaluate", counting)
    app = cdk8s.App()
    for chart_id in ("one", "two", "three"):
        chart = cdk8s.Chart(app, chart_id, namespace=chart_id)
        HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
    app.synth_yaml()
    assert len(calls) == len(set(calls)) == 3  # 4 validation passes, each workspace judged once
    app.synth_yaml()
    assert len(calls) == 6  # a new synth judges again


def test_a_patch_added_between_two_synths_is_judged() -> None:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    workspace = HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
    for _ in range(2):
        app.synth_yaml()
    cdk8s.ApiObject.of(workspace.workload).add_json_patch(
        cdk8s.JsonPatch.add("/spec/template/spec/hostNetwork", True)
    )
    for _ in range(2):  # the same line, twice: each synth call is told apart
        with pytest.raises(RuntimeError, match="rule hostNamespaces"):
            app.synth_yaml()
