"""Bad input: ``schedule``, ``session_policy`` and ``gpu``, and their value objects. Checked by
tests/test_args.py (the checks: tests/argument_cases.py)."""

from __future__ import annotations

from kasm_constructs import Gpu, Schedule, SessionPolicy
from tests.argument_cases import GENERIC_IMAGE, Case, bad, value, ws

POLICY = SessionPolicy(keyboard=False)

CASES: list[Case] = [
    # schedule
    bad("schedule-str", ws(schedule="07:00-20:00"), "schedule", "07:00-20:00"),
    bad(
        "schedule-never-starts",
        ws(schedule=Schedule(), replicas=0),
        "schedule",
        None,
        "never starts",
        shows="Schedule(",
    ),
    bad("schedule-start-short", value(Schedule, start="7:00"), "Schedule(start)", "7:00"),
    bad("schedule-start-25h", value(Schedule, start="25:00"), "Schedule(start)", "25:00"),
    bad("schedule-stop-is-start", value(Schedule, stop="07:00"), "Schedule(stop)", "07:00"),
    bad(
        "schedule-weekday-names",
        value(Schedule, weekdays="mon-fri"),
        "Schedule(weekdays)",
        "mon-fri",
    ),
    bad(
        "schedule-weekdays-backwards", value(Schedule, weekdays="5-1"), "Schedule(weekdays)", "5-1"
    ),
    bad("schedule-weekday-7", value(Schedule, weekdays="1-7"), "Schedule(weekdays)", "1-7"),
    bad(
        "schedule-zone",
        value(Schedule, timezone="Mars/Olympus"),
        "Schedule(timezone)",
        "Mars/Olympus",
    ),
    bad("schedule-zone-offset", value(Schedule, timezone="+02:00"), "Schedule(timezone)", "+02:00"),
    bad("schedule-stagger-hours", value(Schedule, stagger="2h"), "Schedule(stagger)", "2h"),
    bad("schedule-stagger-window", value(Schedule, stagger="900m"), "Schedule(stagger)", "900m"),
    # session_policy
    bad(
        "session-dict",
        ws(session_policy={"keyboard": False}),
        "session_policy",
        {"keyboard": False},
    ),
    *[
        bad(
            f"session-env-{variable.lower()}",
            ws(session_policy=POLICY, env={variable: "-SendCutText 1"}),
            f"env[{variable!r}]",
            "-SendCutText 1",
        )
        for variable in (
            "VNCOPTIONS",
            "MAX_FRAME_RATE",
            "KASM_SVC_SEND_CUT_TEXT",
            "KASM_SVC_ACCEPT_CUT_TEXT",
        )
    ],
    bad(
        "session-generic-image",
        ws(image=GENERIC_IMAGE, image_profile="generic", secret_env=None, session_policy=POLICY),
        "session_policy",
        POLICY,
    ),
    bad(
        "session-angle-on-kasmvnc-1.2",
        ws(
            image="kasmweb/desktop:1.14.0",
            session_policy=SessionPolicy(watermark_text="x", watermark_text_angle=45),
        ),
        "session_policy",
        "-DLP_WatermarkTextAngle",
        "KasmVNC 1.2.1; -DLP_WatermarkTextAngle needs 1.3.0",
    ),
    bad("session-bool-str", value(SessionPolicy, keyboard="no"), "SessionPolicy(keyboard)", "no"),
    bad(
        "session-frame-rate-0",
        value(SessionPolicy, max_frame_rate=0),
        "SessionPolicy(max_frame_rate)",
        0,
    ),
    bad(
        "session-frame-rate-61",
        value(SessionPolicy, max_frame_rate=61),
        "SessionPolicy(max_frame_rate)",
        61,
    ),
    bad(
        "session-timeout-negative",
        value(SessionPolicy, idle_timeout=-1),
        "SessionPolicy(idle_timeout)",
        -1,
    ),
    bad(
        "session-clipboard-size-zero",
        value(SessionPolicy, client_to_server_clipboard_size=0),
        "SessionPolicy(client_to_server_clipboard_size)",
        0,
    ),
    bad(
        "session-watermark-space",
        value(SessionPolicy, watermark_text="TOP SECRET"),
        "SessionPolicy(watermark_text)",
        "TOP SECRET",
        "unquoted",
    ),
    bad(
        "session-watermark-glob",
        value(SessionPolicy, watermark_text="*"),
        "SessionPolicy(watermark_text)",
        "*",
    ),
    bad(
        "session-watermark-both",
        value(SessionPolicy, watermark_text="x", watermark_image="/w.png"),
        "SessionPolicy(watermark_image)",
        "/w.png",
    ),
    bad(
        "session-watermark-image-relative",
        value(SessionPolicy, watermark_image="w.png"),
        "SessionPolicy(watermark_image)",
        "w.png",
    ),
    bad(
        "session-angle-alone",
        value(SessionPolicy, watermark_text_angle=10),
        "SessionPolicy(watermark_text_angle)",
        10,
    ),
    bad(
        "session-angle-360",
        value(SessionPolicy, watermark_text="x", watermark_text_angle=360),
        "SessionPolicy(watermark_text_angle)",
        360,
    ),
    # gpu
    bad("gpu-str", ws(gpu="nvidia"), "gpu", "nvidia"),
    bad(
        "gpu-user-namespace",
        ws(gpu=Gpu.nvidia(), host_users=False),
        "gpu",
        Gpu.nvidia(),
        "user namespace",
    ),
    bad(
        "gpu-other-count-in-limits",
        ws(gpu=Gpu.nvidia(), limits={"cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "2"}),
        "limits['nvidia.com/gpu']",
        "2",
    ),
    bad("gpu-env-hw3d", ws(gpu=Gpu.dri(), env={"HW3D": "1"}), "env['HW3D']", "1"),
    bad("gpu-count-zero", value(Gpu.nvidia, count=0), "Gpu(count)", 0),
    bad("gpu-resource-no-domain", value(Gpu.dri, "dri"), "Gpu(resource)", "dri"),
    bad(
        "gpu-resource-kubernetes-io",
        value(Gpu.dri, "kubernetes.io/gpu"),
        "Gpu(resource)",
        "kubernetes.io/gpu",
    ),
    bad(
        "gpu-group-root",
        value(Gpu.nvidia, supplemental_groups=[0]),
        "Gpu(supplemental_groups) item",
        0,
    ),
    bad(
        "gpu-groups-str",
        value(Gpu.nvidia, supplemental_groups="44"),
        "Gpu(supplemental_groups)",
        "44",
    ),
    bad("gpu-drinode", value(Gpu.dri, drinode="/dev/nvidia0"), "Gpu(drinode)", "/dev/nvidia0"),
    bad(
        "gpu-runtime-class",
        value(Gpu.nvidia, runtime_class_name="Nvidia"),
        "Gpu(runtime_class_name)",
        "Nvidia",
    ),
]
