"""What each image gets: mounts, env, probes and command (kasm-image-notes.md)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import cdk8s
import pytest

from kasm_constructs import HardenedWorkspace, ImageProfile
from kasm_constructs.options.images import (
    GENERIC,
    KASM_PROFILES,
    ImageReference,
    profile_for,
    profile_named,
)
from tests.helpers import Manifest, container, env, mounts, one, pod_spec, synth, volumes
from tests.scenario_cases import SCENARIOS

KASM_ENTRYPOINT = [
    "/dockerstartup/kasm_default_profile.sh",
    "/dockerstartup/vnc_startup.sh",
    "/dockerstartup/kasm_startup.sh",
]
DOWNLOADS = "/usr/share/kasmvnc/www/Downloads"


def _workload(scenario: str) -> Manifest:
    return one(synth(SCENARIOS[scenario]), "Deployment")


@pytest.mark.parametrize(
    ("scenario", "downloads"),
    [
        ("desktop-1.14", True),
        ("desktop-1.15", True),
        ("desktop-1.16", False),
        ("chrome-1.16", False),
    ],
)
def test_kasm_images(scenario: str, downloads: bool) -> None:
    workload = _workload(scenario)
    expected = {"/home/kasm-user", "/tmp", "/var/run/pulse", "/dev/shm"}
    assert set(mounts(workload)) == expected | ({DOWNLOADS} if downloads else set())
    assert volumes(workload)["home"]["emptyDir"] == {"sizeLimit": "4Gi"}
    values = env(workload)
    assert values["XDG_RUNTIME_DIR"] == "/tmp/runtime-kasm-user"
    assert values["XDG_CACHE_HOME"] == "/tmp/.cache"
    assert values["TMPDIR"] == "/tmp"
    assert values["VNC_PW"] == {"secretKeyRef": {"name": "kasm-secrets", "key": "vnc-password"}}
    c = container(workload)
    assert c["ports"] == [{"name": "vnc", "containerPort": 6901, "protocol": "TCP"}]
    assert c["command"][:2] == ["/bin/sh", "-c"]
    assert c["command"][4:] == KASM_ENTRYPOINT
    assert c["args"] == ["--wait"]


def test_probes_are_tcp_on_the_web_port_and_liveness_is_conservative() -> None:
    c = container(_workload("desktop-1.16"))
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert set(c[probe]) - {
            "initialDelaySeconds",
            "periodSeconds",
            "timeoutSeconds",
            "failureThreshold",
            "successThreshold",
        } == {"tcpSocket"}
        assert c[probe]["tcpSocket"] == {"port": "vnc"}
    # first start copies the profile and makes a key: 60 x 5 s
    assert c["startupProbe"]["failureThreshold"] * c["startupProbe"]["periodSeconds"] == 300
    live, ready = c["livenessProbe"], c["readinessProbe"]
    assert live != ready
    assert (
        live["periodSeconds"] * live["failureThreshold"]
        > ready["periodSeconds"] * ready["failureThreshold"]
    )


def test_no_probe_carries_a_credential() -> None:
    for scenario in ("desktop-1.16", "generic"):
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            handler = container(_workload(scenario)).get(probe, {})
            assert "httpHeaders" not in handler.get("httpGet", {})
            assert "VNC_PW" not in str(handler)


def test_unknown_image_gets_generic_defaults_and_keeps_its_entrypoint() -> None:
    workload = _workload("generic")
    assert set(mounts(workload)) == {"/tmp", "/dev/shm"}
    c = container(workload)
    assert "command" not in c and "args" not in c
    assert "env" not in c
    assert c["readinessProbe"]["httpGet"] == {"path": "/", "port": "http", "scheme": "HTTP"}
    assert c["livenessProbe"]["tcpSocket"] == {"port": "http"}
    assert pod_spec(workload)["securityContext"]["runAsUser"] == 101


@pytest.mark.parametrize(
    ("image", "profile"),
    [
        ("kasmweb/desktop:1.14.0", "kasmweb-1.14"),
        ("kasmweb/desktop:1.14.2-rolling", "kasmweb-1.14"),
        ("docker.io/kasmweb/chrome:1.15.0", "kasmweb-1.15"),
        ("registry.example.com/mirror/kasmweb/desktop:1.16.0", "kasmweb-1.16"),
        (f"kasmweb/desktop:1.15.0@sha256:{'ab' * 32}", "kasmweb-1.15"),
    ],
)
def test_profile_lookup(image: str, profile: str) -> None:
    assert profile_for(image).name == profile


@pytest.mark.parametrize(
    ("image", "says"),
    [
        # a typo in the namespace is not silently a generic image
        ("kasmwbe/chrome:1.16.0", "not 'kasmwbe/chrome'; did you mean 'kasmweb/chrome:1.16.0'?"),
        # an unknown version is not silently the newest or the oldest
        ("kasmweb/chrome:1.61.0", "kasmweb 1.61 is not a version the library knows (1.14, 1.15"),
        ("kasmweb/desktop:1.12.0", "kasmweb 1.12 is not a version the library knows"),
        ("kasmweb/desktop:develop", "its tag names no kasmweb version (1.14, 1.15, 1.16)"),
        (f"kasmweb/desktop@sha256:{'ab' * 32}", "its tag names no kasmweb version"),
        ("nginx:1.27", "not 'nginx'; for another image, say what it needs"),
        ("ghcr.io/example/kasmweb-lookalike:1.16.0", "image_profile='generic'"),
    ],
)
def test_an_image_the_library_does_not_know_is_named_with_the_known_ones(
    image: str, says: str
) -> None:
    with pytest.raises(ValueError) as error:
        profile_for(image)
    assert str(error.value).startswith(f"image: got {image!r}; ")
    assert says in str(error.value)


def test_a_profile_is_named_where_the_image_says_nothing() -> None:
    assert profile_named("image_profile", "kasmweb-1.16") is KASM_PROFILES[(1, 16)]
    assert profile_named("image_profile", "generic") is GENERIC
    with pytest.raises(ValueError, match=r"^image_profile: got 'kasmweb 1.16'; expected one of"):
        profile_named("image_profile", "kasmweb 1.16")


def test_profiles_are_one_table() -> None:
    assert sorted(KASM_PROFILES) == [(1, 14), (1, 15), (1, 16)]
    assert GENERIC.home is None and not GENERIC.stale_files and not GENERIC.ports
    assert ImageReference.parse("kasmweb/desktop:1.16.0").domain is None
    assert ImageReference.parse("quay.io/a/b:1@sha256:" + "0" * 64).digest == "sha256:" + "0" * 64


def test_stale_files_are_quoted_for_the_shell() -> None:
    """A profile's stale files are removed by a shell line: each path is one quoted word."""
    profile = ImageProfile(
        name="mine",
        home="/home/me",
        ports={"vnc": 6901},
        entrypoint=("/start.sh",),
        stale_files=("/tmp/a b", "/tmp/$(id)"),
    )

    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        HardenedWorkspace(chart, "desktop", image="example/mine:1", image_profile=profile)

    script = container(one(synth(build), "Deployment"))["command"][2]
    assert script == "rm -f -- '/tmp/a b' '/tmp/$(id)'; exec \"$@\""


@pytest.mark.skipif(os.name != "posix", reason="runs the wrapper with /bin/sh")
def test_the_stale_lock_wrapper_runs_the_entrypoint_exactly(tmp_path: Path) -> None:
    """Run the rendered command with /bin/sh: the lock files go, ENTRYPOINT and CMD run as built."""
    c = container(_workload("desktop-1.16"))
    script = c["command"][2]
    lock, socket = Path("/tmp/.X1-lock"), Path("/tmp/.X11-unix/X1")
    if lock.exists() or socket.exists():
        pytest.skip("an X server on this machine owns /tmp/.X1-lock")
    socket.parent.mkdir(exist_ok=True)
    lock.write_text("4242\n")
    socket.write_text("")
    record = tmp_path / "argv"
    fake = tmp_path / "kasm_default_profile.sh"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$0" "$@" > {record}\n')
    fake.chmod(0o755)
    entrypoint = [str(fake), *c["command"][5:]]  # the first script stands in for the chain
    try:
        subprocess.run(
            ["/bin/sh", "-c", script, "kasm-entrypoint", *entrypoint, *c["args"]], check=True
        )
        assert not lock.exists() and not socket.exists()
        assert record.read_text().splitlines() == [str(fake), *KASM_ENTRYPOINT[1:], "--wait"]
    finally:
        lock.unlink(missing_ok=True)
        socket.unlink(missing_ok=True)
