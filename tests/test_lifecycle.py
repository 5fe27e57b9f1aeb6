"""Office hours (``Schedule``), KasmVNC's session controls (``SessionPolicy``) and GPUs (``Gpu``):
issue #22.

The schedule's window is judged the way KEDA's cron scaler judges it (kedacore/keda v2.20.2
``pkg/scalers/cron_scaler.go`` L129-151: active when the next end comes before the next start,
each the first minute strictly after now that matches its cron expression, robfig/cron v3
``spec.go`` L56-58), at its edges, in the schedule's time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import cdk8s
import pytest
import yaml

from kasm_constructs import (
    Gpu,
    HardenedWorkspace,
    Schedule,
    Seat,
    SessionPolicy,
    WorkspaceFleet,
)
from kasm_constructs.cli.preflight import preflight
from kasm_constructs.manifests.grammar import is_extended_resource
from tests.judges import crd_errors

VNC = {"VNC_PW": ("vnc", "password")}
BERLIN = ZoneInfo("Europe/Berlin")


# --- KEDA's cron scaler, as its source computes it ----------------------------------------------
def _matches(field: str, value: int) -> bool:
    for part in field.split(","):
        if part == "*":
            return True
        first, _, last = part.partition("-")
        if int(first) <= value <= int(last or first):
            return True
    return False


def _next(expression: str, now: datetime) -> datetime:
    """robfig/cron's ``Next``: the first minute strictly after ``now`` that matches the
    five-field ``expression`` (day of month and month are ``*`` here), in ``now``'s zone."""
    minute, hour, day, month, weekday = expression.split()
    assert (day, month) == ("*", "*")
    at = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(8 * 24 * 60):
        # cron's day of week: 0 is Sunday; Python's: 0 is Monday
        if (
            _matches(minute, at.minute)
            and _matches(hour, at.hour)
            and _matches(weekday, (at.weekday() + 1) % 7)
        ):
            return at
        at += timedelta(minutes=1)
    raise AssertionError(f"{expression} never fires")


def _active(trigger: dict[str, str], now: datetime) -> bool:
    """``isWithinInterval`` of KEDA's cron scaler at ``now``."""
    local = now.astimezone(ZoneInfo(trigger["timezone"]))
    next_start = _next(trigger["start"], local)
    next_end = _next(trigger["end"], local)
    if next_start < next_end:
        return local > next_start and local < next_end  # never true: kept as KEDA writes it
    return local > next_start or local < next_end


def _trigger(schedule: Schedule, name: str = "d") -> dict[str, str]:
    spec = schedule.scaled_object_spec(kind="StatefulSet", name=name, replicas=1)
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "cron"
    return trigger["metadata"]  # type: ignore[no-any-return]


def _berlin(day: int, hour: int, minute: int) -> datetime:
    """A minute of the week of Monday 2026-12-07 in Berlin (day 0 is Monday)."""
    return datetime(2026, 12, 7 + day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("day", "hour", "minute", "running"),
    [
        (0, 6, 59, False),  # Monday, before start
        (0, 7, 0, True),
        (2, 12, 0, True),
        (4, 19, 59, True),  # Friday 19:59
        (4, 20, 0, False),  # Friday 20:00
        (5, 12, 0, False),  # Saturday
        (6, 23, 59, False),  # Sunday night
    ],
)
def test_the_window_is_right_at_its_edges(day: int, hour: int, minute: int, running: bool) -> None:
    trigger = _trigger(
        Schedule(weekdays="1-5", start="07:00", stop="20:00", timezone="Europe/Berlin")
    )
    assert trigger == {
        "desiredReplicas": "1",
        "end": "0 20 * * 1-5",
        "start": "0 7 * * 1-5",
        "timezone": "Europe/Berlin",
    }
    assert _active(trigger, _berlin(day, hour, minute)) is running


def test_the_time_zone_is_the_schedules_not_the_clusters() -> None:
    trigger = _trigger(Schedule(timezone="Europe/Berlin"))
    # Friday 19:30 UTC is 20:30 in Berlin (winter time): stopped
    assert not _active(trigger, datetime(2026, 12, 11, 19, 30, tzinfo=ZoneInfo("UTC")))
    assert _active(trigger, datetime(2026, 12, 11, 18, 30, tzinfo=ZoneInfo("UTC")))


def test_an_overnight_window_ends_the_next_morning() -> None:
    trigger = _trigger(Schedule(weekdays="1-5", start="22:00", stop="06:00"))
    assert trigger["end"] == "0 6 * * 2-6"
    utc = ZoneInfo("UTC")
    assert _active(trigger, datetime(2026, 12, 11, 23, 0, tzinfo=utc))  # Friday night
    assert _active(trigger, datetime(2026, 12, 12, 5, 59, tzinfo=utc))  # Saturday morning
    assert not _active(trigger, datetime(2026, 12, 12, 6, 0, tzinfo=utc))
    assert not _active(trigger, datetime(2026, 12, 12, 23, 0, tzinfo=utc))  # Saturday night


def test_stagger_starts_each_desktop_before_start_at_its_own_minute() -> None:
    schedule = Schedule(stagger="30m")
    offsets = {schedule.offset(f"desktops-u{i}") for i in range(200)}
    assert offsets <= set(range(31)) and len(offsets) > 20
    assert schedule.offset("desktops-u1") == Schedule(stagger="30m").offset("desktops-u1")
    for name in ("a", "b", "c"):
        trigger = _trigger(schedule, name)
        start = 7 * 60 - schedule.offset(name)
        assert trigger["start"] == f"{start % 60} {start // 60} * * 1-5"
        assert _active(trigger, datetime(2026, 12, 7, 7, 0, tzinfo=ZoneInfo("UTC")))


# --- what a schedule writes ----------------------------------------------------------------------
def _fleet_docs(users: dict[str, Any], presets: dict[str, Any], **options: Any) -> list[Any]:
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "c", namespace="desktops")
    WorkspaceFleet(chart, "desktops", users=users, presets=presets, **options)
    return [d for d in yaml.safe_load_all(app.synth_yaml()) if d]


def test_a_scheduled_desktop_leaves_its_replicas_to_keda() -> None:
    schedule = Schedule(timezone="Europe/Berlin")
    docs = _fleet_docs(
        {"alice": "day", "bob": Seat("day", stopped=True), "carol": "always"},
        {
            "day": {"image": "kasmweb/desktop:1.16.0", "schedule": schedule},
            "always": {"image": "kasmweb/desktop:1.16.0"},
        },
    )
    workloads = {
        d["metadata"]["labels"]["kasm-constructs.io/user"]: d
        for d in docs
        if d["kind"] == "StatefulSet"
    }
    assert "replicas" not in workloads["alice"]["spec"]
    assert workloads["bob"]["spec"]["replicas"] == 0  # stopped: no schedule starts it
    assert workloads["carol"]["spec"]["replicas"] == 1
    (scaled,) = [d for d in docs if d["kind"] == "ScaledObject"]
    assert scaled["metadata"]["name"] == workloads["alice"]["metadata"]["name"]
    assert scaled["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": workloads["alice"]["metadata"]["name"],
    }
    assert (scaled["spec"]["minReplicaCount"], scaled["spec"]["maxReplicaCount"]) == (0, 1)
    assert scaled["spec"]["cooldownPeriod"] == 60
    assert crd_errors(docs) == ([], 1)


def test_the_fleet_example_stops_its_desktops_at_night() -> None:
    text = (Path(__file__).parents[1] / "examples/fleet/dist/desktops.k8s.yaml").read_text()
    docs = [d for d in yaml.safe_load_all(text) if d]
    scaled = [d for d in docs if d["kind"] == "ScaledObject"]
    running = [d for d in docs if d["kind"] == "StatefulSet" and d["spec"].get("replicas") != 0]
    assert len(scaled) == len(running) == 22
    errors, checked = crd_errors(scaled)
    assert (errors, checked) == ([], 22)
    for obj in scaled:
        (trigger,) = obj["spec"]["triggers"]
        assert trigger["metadata"]["timezone"] == "Europe/Berlin"
        assert not _active(trigger["metadata"], _berlin(4, 20, 0))
        assert _active(trigger["metadata"], _berlin(0, 7, 0))


def test_a_broken_scaled_object_is_caught_by_the_crd() -> None:
    spec = Schedule().scaled_object_spec(kind="Deployment", name="d", replicas=1)
    del spec["scaleTargetRef"]["name"]
    obj = {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "d"}}
    errors, _ = crd_errors([{**obj, "spec": spec}])
    assert errors == [
        "keda.sh/v1alpha1 ScaledObject d: spec.scaleTargetRef: 'name' is a required property"
    ]


# --- session controls ----------------------------------------------------------------------------
EVERY_CONTROL = SessionPolicy(
    server_to_client_clipboard=False,
    server_to_client_clipboard_size=1024,
    client_to_server_clipboard=True,
    client_to_server_clipboard_size=65536,
    primary_clipboard=False,
    keyboard=True,
    pointer=False,
    max_frame_rate=30,
    idle_timeout=900,
    no_user_session_timeout=3600,
    active_user_session_timeout=28800,
    inactive_user_session_timeout=7200,
    watermark_text="CONFIDENTIAL_${USER}",
)
#: Each control as KasmVNC v1.3.2's ``unix/vncserver`` maps its yaml key (line), two words.
FLAGS = [
    "-SendCutText 0",  # L1659
    "-DLP_ClipSendMax 1024",  # L1668
    "-AcceptCutText 1",  # L1695
    "-DLP_ClipAcceptMax 65536",  # L1704
    "-SendPrimary 0",  # L1686
    "-AcceptKeyEvents 1",  # L1722
    "-AcceptPointerEvents 0",  # L1528
    "-FrameRate 30",  # L1895
    "-IdleTimeout 900",  # L1488
    "-MaxDisconnectionTime 3600",  # L2211
    "-MaxConnectionTime 28800",  # L2221
    "-MaxIdleTime 7200",  # L2231
    "-DLP_WatermarkText CONFIDENTIAL_${USER}",  # L1793
]


def _env(**options: Any) -> dict[str, str]:
    chart = cdk8s.Chart(cdk8s.App(), "c", namespace="d")
    workspace = HardenedWorkspace(chart, "w", secret_env=VNC, **options)
    manifest = cdk8s.ApiObject.of(workspace.workload).to_json()
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e.get("value") for e in container["env"]}


@pytest.mark.parametrize(
    "image", ["kasmweb/desktop:1.14.0", "kasmweb/desktop:1.15.0", "kasmweb/desktop:1.16.0"]
)
def test_every_control_is_the_kasmvnc_flag_of_the_images_version(image: str) -> None:
    env = _env(image=image, session_policy=EVERY_CONTROL)
    options = env["VNCOPTIONS"]
    # the image's own options first, then each control, as two words
    assert options.startswith("-PreferBandwidth -DynamicQualityMin=4 -DynamicQualityMax=7")
    assert options.endswith(" ".join(FLAGS))
    assert env["MAX_FRAME_RATE"] == "30"


def test_the_watermark_angle_needs_kasmvnc_1_3() -> None:
    policy = SessionPolicy(watermark_text="x", watermark_text_angle=-30)
    assert _env(image="kasmweb/desktop:1.15.0", session_policy=policy)["VNCOPTIONS"].endswith(
        "-DLP_WatermarkText x -DLP_WatermarkTextAngle -30"
    )
    with pytest.raises(
        ValueError, match=re.escape("KasmVNC 1.2.1; -DLP_WatermarkTextAngle needs 1.3.0")
    ):
        _env(image="kasmweb/desktop:1.14.0", session_policy=policy)


def test_a_policy_without_controls_changes_nothing_the_image_runs() -> None:
    plain = _env(image="kasmweb/desktop:1.16.0")
    assert _env(image="kasmweb/desktop:1.16.0", session_policy=SessionPolicy()) == plain


# --- GPUs ----------------------------------------------------------------------------------------
#: The quota resource names the API server accepts for the resources a fleet can ask for
#: (kubernetes ``pkg/apis/core/validation``: standard names; extended ones as requests. only).
STANDARD_QUOTA = {
    "pods",
    "persistentvolumeclaims",
    "requests.storage",
    *(
        f"{kind}.{r}"
        for kind in ("requests", "limits")
        for r in ("cpu", "memory", "ephemeral-storage")
    ),
}


def test_a_gpu_preset_asks_the_device_plugin_and_its_quota_is_valid() -> None:
    gpu = Gpu.nvidia(runtime_class_name="nvidia", supplemental_groups=[44, 109])
    docs = _fleet_docs(
        {"alice": "cad", "bob": "cad", "carol": "office"},
        {
            "cad": {"image": "kasmweb/desktop:1.16.0", "gpu": gpu},
            "office": {"image": "kasmweb/desktop:1.16.0"},
        },
        resource_quota=True,
    )
    (quota,) = [d for d in docs if d["kind"] == "ResourceQuota"]
    hard = quota["spec"]["hard"]
    assert hard["requests.nvidia.com/gpu"] == "2"
    assert "limits.nvidia.com/gpu" not in hard
    for key in hard:
        extended = key.startswith("requests.") and is_extended_resource(key.split(".", 1)[1])
        assert key in STANDARD_QUOTA or extended, key
    cad = next(d for d in docs if d["kind"] == "StatefulSet" and "alice" in d["metadata"]["name"])
    pod = cad["spec"]["template"]["spec"]
    assert pod["runtimeClassName"] == "nvidia"
    assert pod["securityContext"]["supplementalGroups"] == [44, 109]
    (container,) = pod["containers"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["resources"]["requests"]["nvidia.com/gpu"] == "1"
    assert {"name": "HW3D", "value": "true"} in container["env"]
    assert all("hostPath" not in v for v in pod["volumes"])


def test_preflight_names_keda_and_the_gpu(tmp_path: Path) -> None:
    docs = _fleet_docs(
        {"alice": "cad"},
        {
            "cad": {
                "image": "kasmweb/desktop:1.16.0",
                "gpu": Gpu.nvidia(runtime_class_name="nvidia"),
                "schedule": Schedule(),
            }
        },
    )
    (tmp_path / "out.yaml").write_text(yaml.safe_dump_all(docs), encoding="utf-8")
    found = {(r.kind, r.name): r for r in preflight([str(tmp_path)]).requirements}
    keda = found[("APIGroup", "keda.sh")]
    assert any(note.startswith("KEDA v2.20 or later") for note in keda.notes)
    assert keda.guide == "docs/cluster.md#keda-for-schedules"
    assert found[("ExtendedResource", "nvidia.com/gpu")].guide == "docs/cluster.md#gpus"
    assert found[("RuntimeClass", "nvidia")].guide == "docs/cluster.md#gpus"


def test_the_three_options_in_a_roster(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(
        "presets:\n"
        "  cad:\n"
        "    image: kasmweb/desktop:1.16.0\n"
        "    gpu: {nvidia: {count: 1, runtime_class_name: nvidia, supplemental_groups: [44]}}\n"
        "    schedule: {weekdays: '1-5', start: '08:00', stop: '18:00', timezone: Europe/Berlin}\n"
        "    session_policy: {server_to_client_clipboard: false, idle_timeout: 900}\n"
        "users:\n"
        "  alice: cad\n"
        "  bob: {preset: cad, overrides: {schedule: {start: '06:00', stop: '14:00'}}}\n",
        encoding="utf-8",
    )
    app = cdk8s.App()
    fleet = WorkspaceFleet.from_roster(cdk8s.Chart(app, "c", namespace="d"), "desktops", path)
    alice, bob = fleet.people["alice"].settings, fleet.people["bob"].settings
    assert alice.schedule == Schedule(start="08:00", stop="18:00", timezone="Europe/Berlin")
    assert bob.schedule == Schedule(start="06:00", stop="14:00")  # an override replaces it whole
    assert alice.runtime_class_name == "nvidia" and alice.supplemental_groups == (44,)
    assert "-SendCutText 0 -IdleTimeout 900" in alice.env["VNCOPTIONS"]
