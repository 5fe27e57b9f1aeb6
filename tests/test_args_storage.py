"""Bad input: writable paths, the home (``home=Home...``) and /dev/shm. Checked by
tests/test_args.py (the checks: tests/argument_cases.py)."""

from __future__ import annotations

import re

from kasm_constructs import Home
from tests.argument_cases import (
    GENERIC_IMAGE,
    HOME,
    Case,
    bad,
    value,
    ws,
)

CASES: list[Case] = [
    # writable_paths
    *[
        bad(f"writable-path-{label}", ws(writable_paths={path: "1Gi"}), "writable_paths key", path)
        for label, path in (
            ("relative", "tmp"),
            ("root", "/"),
            ("dotdot", "/tmp/../etc"),
            ("dot", "/tmp/./x"),
            ("double-slash", "/tmp//x"),
            ("trailing-slash", "/tmp/"),
            ("colon", "/tmp:x"),
            ("empty", ""),
            ("int", 1),
        )
    ],
    # posixpath.normpath keeps a leading "//": next to "/tmp", two volumes on one path
    bad(
        "writable-path-leading-double-slash",
        ws(writable_paths={"/tmp": "1Gi", "//tmp": "1Gi"}),
        "writable_paths key",
        "//tmp",
    ),
    bad(
        "writable-path-nested",
        ws(writable_paths={"/tmp": "1Gi", "/tmp/x": "1Gi"}),
        "writable_paths['/tmp/x']",
        "/tmp/x",
        re.escape("'/tmp'"),
    ),
    bad(
        "writable-path-nesting-reversed",
        ws(writable_paths={"/tmp/x": "1Gi", "/tmp": "1Gi"}),
        "writable_paths['/tmp']",
        "/tmp",
        re.escape("'/tmp/x'"),
    ),
    # The home's mount is owned by "home path".
    bad(
        "writable-path-in-home",
        ws(writable_paths={f"{HOME}/Downloads": "1Gi"}),
        f"writable_paths['{HOME}/Downloads']",
        f"{HOME}/Downloads",
        re.escape(f"overlaps '{HOME}' (from home path)"),
    ),
    bad(
        "writable-path-is-home",
        ws(writable_paths={HOME: "1Gi"}),
        f"writable_paths['{HOME}']",
        HOME,
        re.escape("(from home path)"),
    ),
    bad(
        "writable-path-above-home",
        ws(writable_paths={"/home": "1Gi"}),
        "writable_paths['/home']",
        "/home",
        re.escape("(from home path)"),
    ),
    bad(
        "writable-path-in-custom-home",
        ws(home=Home.ephemeral(path="/data"), writable_paths={"/data/cache": "1Gi"}),
        "writable_paths['/data/cache']",
        "/data/cache",
        re.escape("overlaps '/data' (from home path)"),
    ),
    bad(
        "writable-path-dev-shm",
        ws(writable_paths={"/dev/shm": "1Gi"}),
        "writable_paths['/dev/shm']",
        "/dev/shm",
        "shm_size",
    ),
    bad(
        "writable-path-above-dev-shm",
        ws(writable_paths={"/dev": "1Gi"}),
        "writable_paths['/dev']",
        "/dev",
        "shm_size",
    ),
    *[
        bad(
            f"writable-size-{label}",
            ws(writable_paths={"/tmp": size}),
            "writable_paths['/tmp']",
            size,
        )
        for label, size in (
            ("word", "lots"),
            ("negative", "-1Gi"),
            ("zero", "0"),
            ("empty", ""),
            ("space", "1 Gi"),
            ("none", None),
            # a suffix 'E' without an exponent is not a quantity
            ("bare-exponent", "1Ex"),
        )
    ],
    bad("writable-paths-list", ws(writable_paths=["/tmp"]), "writable_paths", ["/tmp"]),
    # home: what is not a Home
    *[
        bad(f"home-not-a-home-{label}", ws(home=home), "home", home, re.escape("Home.claim(...)"))
        for label, home in (("str", "kasm-home"), ("dict", {"claim": "kasm-home"}), ("true", True))
    ],
    # home: a claim
    *[
        bad(f"home-claim-{label}", value(Home.claim, claim), "Home.claim(name)", claim)
        for label, claim in (
            ("mixed-case", "Bad_Claim"),
            ("leading-dash", "-claim"),
            ("empty", ""),
            ("int", 1),
            ("none", None),
        )
    ],
    bad(
        "home-claim-rwo-replicas",
        ws(home=Home.claim("kasm-home"), replicas=3),
        "home",
        Home.claim("kasm-home"),
        "Multi-Attach",
        "ReadWriteOnce",
    ),
    bad(
        "home-claim-rwop-replicas",
        ws(home=Home.claim("kasm-home", access_mode="ReadWriteOncePod"), replicas=2),
        "home",
        Home.claim("kasm-home", access_mode="ReadWriteOncePod"),
        "Multi-Attach",
        "ReadWriteOncePod",
    ),
    # home: access modes
    *[
        bad(
            f"home-access-mode-{label}",
            value(Home.claim, "kasm-home", access_mode=mode),
            "Home.claim(access_mode)",
            mode,
        )
        for label, mode in (
            ("read-only-many", "ReadOnlyMany"),
            ("short", "rwx"),
            ("empty", ""),
            ("none", None),
        )
    ],
    bad(
        "home-per-replica-access-mode",
        value(Home.per_replica, "10Gi", access_mode="ReadOnlyMany"),
        "Home.per_replica(access_mode)",
        "ReadOnlyMany",
    ),
    # home: a claim per replica
    *[
        bad(f"home-size-{label}", value(Home.per_replica, size), "Home.per_replica(size)", size)
        for label, size in (
            ("word", "lots"),
            ("zero", "0"),
            ("negative", "-1Gi"),
            ("none", None),
        )
    ],
    bad(
        "home-storage-class-invalid",
        value(Home.per_replica, "10Gi", storage_class="Fast_SSD"),
        "Home.per_replica(storage_class)",
        "Fast_SSD",
    ),
    bad(
        "home-size-without-service",
        ws(home=Home.per_replica("10Gi"), service=False),
        "home",
        Home.per_replica("10Gi"),
        r"service=True",
    ),
    bad(
        "home-size-without-ports",
        ws(home=Home.per_replica("10Gi"), ports={}),
        "home",
        Home.per_replica("10Gi"),
        r"declare a port",
    ),
    # home: ephemeral
    *[
        bad(
            f"home-size-limit-{label}",
            value(Home.ephemeral, size),
            "Home.ephemeral(size_limit)",
            size,
        )
        for label, size in (("word", "lots"), ("zero", "0"), ("float", 8.5))
    ],
    # home on an image without a known home needs a path, whichever kind of home it is
    *[
        bad(
            f"home-{label}-generic-image",
            ws(image=GENERIC_IMAGE, image_profile="generic", home=home),
            "home",
            home,
            re.escape("knows no home directory: give the mount path"),
        )
        for label, home in (
            ("claim", Home.claim("data")),
            ("per-replica", Home.per_replica("10Gi")),
            ("ephemeral", Home.ephemeral("8Gi")),
        )
    ],
    # home: the mount path
    *[
        bad(
            f"home-path-{label}",
            value(Home.ephemeral, path=path),
            "Home.ephemeral(path)",
            path,
        )
        for label, path in (
            ("relative", "home/kasm-user"),
            ("trailing-slash", f"{HOME}/"),
            ("root", "/"),
            ("dotdot", "/home/../root"),
            ("int", 1),
            # posixpath.normpath keeps a leading "//"; no '//' anywhere
            ("leading-double-slash", "//tmp"),
            ("leading-double-slash-shm", "//dev/shm"),
            ("double-slash", "/home//me"),
        )
    ],
    bad(
        "home-claim-path-relative",
        value(Home.claim, "kasm-home", path="data"),
        "Home.claim(path)",
        "data",
    ),
    bad(
        "home-per-replica-path-colon",
        value(Home.per_replica, "10Gi", path="/data:x"),
        "Home.per_replica(path)",
        "/data:x",
    ),
    bad(
        "home-path-dev-shm",
        ws(home=Home.ephemeral(path="/dev/shm/home")),
        "home path",
        "/dev/shm/home",
        re.escape("overlaps '/dev/shm' (from shm_size)"),
    ),
    bad("home-made-directly", value(Home, "nfs"), "Home", "nfs", re.escape("Home.ephemeral")),
    # shm_size
    bad("shm-above-default-memory-limit", ws(shm_size="5Gi"), "shm_size", "5Gi", re.escape("4Gi")),
    bad(
        "shm-above-memory-limit",
        ws(
            shm_size="2Gi",
            requests={"cpu": "1", "memory": "1Gi"},
            limits={"cpu": "2", "memory": "1Gi"},
        ),
        "shm_size",
        "2Gi",
        re.escape("limits['memory'] = '1Gi'"),
    ),
    *[
        bad(f"shm-{label}", ws(shm_size=size), "shm_size", size)
        for label, size in (
            ("word", "lots"),
            ("space", "512 Mi"),
            ("zero", "0"),
            ("float", 512.5),
            ("bare-exponent", "5e"),
        )
    ],
]
