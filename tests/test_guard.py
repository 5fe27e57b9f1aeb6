"""The synth-time guard: a workload that is no longer Pod Security "restricted" does not synth."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus
import pytest

from kasm_constructs import HardenedWorkspace, PodSecurityExemption
from kasm_constructs.errors import REFUSED
from kasm_constructs.policy import guard as _guard
from tests.helpers import REPO, child_env, container, one, pod_spec, synth
from tests.scenario_cases import VNC

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
    # A capability is a value: the exemption must name it (baseline forbids SYS_ADMIN too).
    allow = list(value) if rule == "capabilities_restricted" else []
    reason = "lab cluster, accepted by security"
    app = _patched(
        path, value, pod_security_exemptions={rule: PodSecurityExemption(reason, allow=allow)}
    )
    workload = next(d for d in app.synth_yaml().split("---") if "kind: Deployment" in d)
    assert f"pod-security.kasm-constructs.io/{rule}: {reason}" in workload
    if allow:
        assert f"pod-security.kasm-constructs.io/{rule}.allow: SYS_ADMIN" in workload


def test_an_exemption_covers_only_its_check() -> None:
    app = _patched(
        "/spec/template/spec/securityContext/runAsUser",
        0,
        pod_security_exemptions={"privileged": "reason"},
    )
    with pytest.raises(RuntimeError, match=r"rule runAsUser"):
        app.synth_yaml()


def test_a_patch_is_written_as_plain_json_and_a_wrapped_quantity_is_refused() -> None:
    path = "/spec/template/spec/containers/0/resources/limits/memory"
    written = synth(lambda app: _patched(path, "8Gi", app))
    assert container(one(written, "Deployment"))["resources"]["limits"]["memory"] == "8Gi"
    # The {"value": ...} form cdk8s-plus's own objects need (cdk8s#1184) is not a quantity.
    app = _patched(path, {"value": "8Gi"})
    with pytest.raises(RuntimeError, match=re.escape('limits.memory is {"value": "8Gi"}, not a')):
        app.synth_yaml()


ADDITIONS: dict[str, tuple[Callable[[kplus.Deployment], object], str]] = {
    "container": (
        lambda w: w.add_container(image="busybox", name="sidecar"),
        "1 more were added through the cdk8s-plus API",
    ),
    "env on the workspace container": (
        lambda w: w.containers[0].env.add_variable("A", kplus.EnvValue.from_value("1")),
        r"env set on workload.containers\[0\] through the cdk8s-plus API would be lost",
    ),
    "mount on the workspace container": (
        lambda w: w.containers[0].mount("/data", kplus.Volume.from_empty_dir(w, "data", "data")),
        r"volumeMounts set on workload\.containers\[0\]",
    ),
    # cdk8s-plus's container defaults do not drop ALL capabilities: restricted says no.
    "init container": (
        lambda w: w.add_init_container(image="busybox", name="setup"),
        r'container "setup".*rule capabilities_restricted',
    ),
    "hostPath volume": (
        lambda w: w.add_volume(kplus.Volume.from_host_path(w, "host", "host", path="/")),
        r"volumes\[4\]\.hostPath: .*rule restrictedVolumes",
    ),
    "label that unselects the pods": (
        lambda w: w.pod_metadata.add_label("app.kubernetes.io/instance", "other"),
        r"does not select the pods",
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


def test_volumes_added_through_cdk8s_plus_are_kept_with_their_mounts() -> None:
    """cdk8s-plus adds the volume of an init container's mount to the pod: it stays."""

    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        workspace = HardenedWorkspace(
            chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC
        )
        scratch = kplus.Volume.from_empty_dir(workspace, "scratch", "scratch")
        workspace.workload.add_init_container(
            image="busybox",
            name="setup",
            volume_mounts=[kplus.VolumeMount(path="/scratch", volume=scratch)],
            security_context=kplus.ContainerSecurityContextProps(
                user=1000,
                group=1000,
                capabilities=kplus.ContainerSecutiryContextCapabilities(
                    drop=[kplus.Capability.ALL]
                ),
            ),
        )

    workload = one(synth(build), "Deployment")
    names = [v["name"] for v in pod_spec(workload)["volumes"]]
    assert names[-1] == "scratch" and names.count("scratch") == 1
    (init,) = pod_spec(workload)["initContainers"]
    assert init["volumeMounts"] == [{"mountPath": "/scratch", "name": "scratch"}]


# --- what the API server would reject ----------------------------------------------------------
def test_annotations_patched_beyond_256_kib_are_refused() -> None:
    """The API server accepts at most 256 KiB of annotations per object (the argument is
    checked too: the case ``annotations-beyond-256-kib`` of tests/test_args_metadata.py)."""
    app = _patched("/metadata/annotations/example.com~1big", "x" * (257 * 1024))
    with pytest.raises(RuntimeError, match=r"annotations: \d+ bytes of annotations"):
        app.synth_yaml()


def test_a_windows_pod_with_linux_only_fields_is_refused() -> None:
    """A pod with ``os.name: windows`` may not set the Linux-only fields the workspace sets."""
    app = _patched("/spec/template/spec/os", {"name": "windows"})
    with pytest.raises(RuntimeError, match=r"os\.name is windows, but a Windows pod may not set"):
        app.synth_yaml()


def test_unpatched_workloads_synth() -> None:
    docs = synth(lambda app: _patched("/spec/template/spec/priorityClassName", "desktop", app))
    assert one(docs, "Deployment")["spec"]["template"]["spec"]["priorityClassName"] == "desktop"


_REFUSED_APP = """
import cdk8s
from kasm_constructs import HardenedWorkspace, clean_errors

with clean_errors():
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    w = HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0",
                          secret_env={"VNC_PW": ("s", "k")})
    cdk8s.ApiObject.of(w.workload).add_json_patch(
        cdk8s.JsonPatch.add("/spec/template/spec/hostNetwork", True))
    app.synth()
"""


@pytest.mark.parametrize("runner", ["python", "cdk8s synth"])
def test_a_refusal_prints_the_message_without_a_stack(runner: str, tmp_path: Path) -> None:
    """What a user sees: the message, a failed exit status, no traceback, no JavaScript stack."""
    (tmp_path / "main.py").write_text(_REFUSED_APP)
    (tmp_path / "cdk8s.yaml").write_text(f"language: python\napp: {sys.executable} main.py\n")
    cli = REPO / "node_modules" / ".bin" / "cdk8s"
    if runner == "cdk8s synth" and not cli.exists():
        pytest.skip("node_modules is not installed: run `make synth`")
    command = [sys.executable, "main.py"] if runner == "python" else [str(cli), "synth"]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, env=child_env(), check=False
    )
    assert result.returncode == 1
    assert f"{REFUSED}:\n" in result.stderr
    assert "rule hostNamespaces" in result.stderr
    for noise in ("Traceback", "jsii", "at Kernel", "end-of-life", "JavaScript"):
        assert noise not in result.stderr
    assert not list(tmp_path.glob("dist/*.yaml"))


@pytest.mark.parametrize("error", ["KeyError('unrelated')", "RuntimeError('Validation failed')"])
def test_other_errors_keep_their_traceback(error: str, tmp_path: Path) -> None:
    """clean_errors shortens only the library's own errors; every other error is Python's."""
    script = tmp_path / "main.py"
    script.write_text(
        "import cdk8s\nfrom kasm_constructs import HardenedWorkspace, clean_errors\n"
        "with clean_errors():\n"
        "    HardenedWorkspace(\n"
        "        cdk8s.Chart(cdk8s.App(), 'c'), 'd', image='nginx:1', image_profile='generic'\n"
        "    )\n"
        f"    raise {error}\n"
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=child_env(), check=False
    )
    assert "Traceback" in result.stderr and error.split("(", maxsplit=1)[0] in result.stderr


def test_kplus_objects_next_to_a_workspace_are_not_judged() -> None:
    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
        kplus.Deployment(chart, "other", containers=[kplus.ContainerProps(image="busybox")])

    assert len([d for d in synth(build) if d["kind"] == "Deployment"]) == 2


def test_each_workload_is_judged_once_per_write_however_many_charts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """cdk8s validates the app once, then again per chart, but writes each object once: the
    guard judges the workload as it is written."""
    calls: list[str] = []
    real = _guard.evaluate_exempted

    def counting(manifest: Any, exemptions: Any, version: str) -> Any:
        calls.append(manifest["metadata"]["name"])
        return real(manifest, exemptions, version)

    monkeypatch.setattr(_guard, "evaluate_exempted", counting)
    app = cdk8s.App()
    for chart_id in ("one", "two", "three"):
        chart = cdk8s.Chart(app, chart_id, namespace=chart_id)
        HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0", secret_env=VNC)
    app.synth_yaml()
    assert len(calls) == len(set(calls)) == 3
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
