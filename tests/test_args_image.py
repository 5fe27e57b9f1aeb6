"""Bad input: the image and its profile, replicas, user and group ids, command and args, and image
pulls. Checked by tests/test_args.py (the checks: tests/argument_cases.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

import kasm_constructs as kc
from kasm_constructs.options.images import profile_for
from tests.argument_cases import (
    BASE,
    VNC,
    Case,
    bad,
    value,
    ws,
)

if TYPE_CHECKING:
    import cdk8s

INT32_MAX = 2**31 - 1
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_KASM_1_16 = profile_for("kasmweb/desktop:1.16.0")

CASES: list[Case] = [
    # image
    bad("image-empty", ws(image=""), "image", ""),
    bad("image-whitespace", ws(image="   "), "image", "   "),
    bad("image-padded", ws(image=" kasmweb/desktop:1.16.0"), "image", " kasmweb/desktop:1.16.0"),
    bad("image-none", ws(image=None), "image", None),
    bad("image-int", ws(image=42), "image", 42),
    bad(
        "image-upper-namespace",
        ws(image="Kasmweb/desktop:1.16.0"),
        "image",
        "Kasmweb/desktop:1.16.0",
    ),
    bad("image-upper-name", ws(image="kasmweb/Desktop:1.16.0"), "image", "kasmweb/Desktop:1.16.0"),
    bad("image-space", ws(image="kasmweb/desktop :1.16.0"), "image", "kasmweb/desktop :1.16.0"),
    bad(
        "image-bad-digest",
        ws(image="kasmweb/desktop@sha256:xyz"),
        "image",
        "kasmweb/desktop@sha256:xyz",
    ),
    # A tag with a non-ASCII letter.
    bad(
        "image-tag-not-ascii",
        ws(image="kasmweb/desktop:1.16.0\u00e9"),
        "image",
        "kasmweb/desktop:1.16.0\u00e9",
    ),
    # image_profile
    bad(
        "image-profile-not-profile",
        ws(image_profile="kasmweb 1.16"),
        "image_profile",
        "kasmweb 1.16",
    ),
    # A custom profile checks itself when it is made, naming the field.
    bad(
        "image-profile-env-key",
        value(replace, _KASM_1_16, env={"1BAD": "x"}),
        "ImageProfile(env) key",
        "1BAD",
    ),
    # (a credential in the profile's env: test_args_env.py)
    bad(
        "image-profile-env-value-int",
        value(replace, _KASM_1_16, env={"GREETING": 1}),
        "ImageProfile(env['GREETING'])",
        1,
    ),
    # each field of a profile made from scratch
    *[
        bad(
            f"image-profile-{label}",
            value(kc.ImageProfile, name="mine", **{field: item}),
            parameter,
            shown,
        )
        for label, field, item, parameter, shown in (
            (
                "startup-seconds-str",
                "startup_seconds",
                "300",
                "ImageProfile(startup_seconds)",
                "300",
            ),
            ("env-none", "env", None, "ImageProfile(env)", None),
            ("home-relative", "home", "relative", "ImageProfile(home)", "relative"),
            ("home-root", "home", "/", "ImageProfile(home)", "/"),
            ("home-dotdot", "home", "/home/../etc", "ImageProfile(home)", "/home/../etc"),
            (
                "entrypoint-str",
                "entrypoint",
                "/dockerstartup/start.sh",
                "ImageProfile(entrypoint)",
                "/dockerstartup/start.sh",
            ),
            # a stale file is a path, never a shell word
            (
                "stale-file-command",
                "stale_files",
                ["$(id)"],
                "ImageProfile(stale_files) item",
                "$(id)",
            ),
            ("port-str", "ports", {"vnc": "6901"}, "ImageProfile(ports['vnc'])", "6901"),
        )
    ],
    # replicas
    bad("replicas-negative", ws(replicas=-1), "replicas", -1),
    bad("replicas-str", ws(replicas="3"), "replicas", "3"),
    bad("replicas-float", ws(replicas=1.5), "replicas", 1.5),
    bad("replicas-bool", ws(replicas=True), "replicas", True),
    bad("replicas-none", ws(replicas=None), "replicas", None),
    # int32, as the API server decodes it.
    bad(
        "replicas-int32-overflow",
        ws(replicas=2**31),
        "replicas",
        2**31,
        re.escape(f"; expected an integer from 0 to {INT32_MAX}") + "$",
    ),
    # user and groups
    *[
        bad(f"{field}-{label}", ws(**{field: value}), field, value)
        for field in ("run_as_user", "run_as_group", "fs_group")
        for label, value in (
            ("zero", 0),
            ("negative", -1),
            ("str", "1000"),
            ("float", 1000.0),
            ("bool", True),
            ("int32-overflow", 2**31),
        )
    ],
    # command and args
    bad("command-str", ws(command="/bin/sh"), "command", "/bin/sh"),
    bad("command-int-item", ws(command=["/bin/sh", 1]), "command item", 1),
    bad("args-str", ws(args="--wait"), "args", "--wait"),
    bad("args-none-item", ws(args=[None]), "args item", None),
    # image pull
    *[
        bad(f"pull-policy-{label}", ws(image_pull_policy=policy), "image_pull_policy", policy)
        for label, policy in (
            ("lowercase", "always"),
            ("unknown", "Sometimes"),
            ("empty", ""),
            ("none", None),
        )
    ],
    bad("pull-secrets-str", ws(image_pull_secrets="regcred"), "image_pull_secrets", "regcred"),
    bad("pull-secrets-none", ws(image_pull_secrets=None), "image_pull_secrets", None),
    *[
        bad(f"pull-secret-{label}", ws(image_pull_secrets=[name]), "image_pull_secrets item", name)
        for label, name in (
            ("mixed-case", "Bad_Name"),
            ("empty", ""),
            ("int", 1),
            ("too-long", "a" * 254),
        )
    ],
]


# --- contract points ----------------------------------------------------------------------------
def test_baseline_is_valid(chart: cdk8s.Chart) -> None:
    """Every workspace case differs from this call by the keywords it names."""
    workspace = kc.HardenedWorkspace(chart, "desktop", **BASE)
    assert workspace.ports == {"vnc": 6901}


def test_empty_strings_are_allowed_in_command_args_and_exec_probe(chart: cdk8s.Chart) -> None:
    """Kubernetes accepts empty strings as items of command, args and an exec probe's command."""
    kc.HardenedWorkspace(
        chart,
        "desktop",
        **BASE,
        command=["/bin/sh", "-c", ""],
        args=[""],
        liveness_probe=kc.Probe.from_exec(["test", ""]),
    )
    (deployment,) = [m for m in chart.to_json() if m["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["/bin/sh", "-c", ""]
    assert container["args"] == [""]
    assert container["livenessProbe"]["exec"]["command"] == ["test", ""]


@pytest.mark.parametrize("image", ["kasmweb/desktop:1.16.0-", "kasmweb/desktop:_beta"])
def test_a_valid_tag_that_is_not_a_label_value_is_used_without_a_version_label(
    chart: cdk8s.Chart, image: str
) -> None:
    """A tag may end in '-' or start with '_' (the image reference grammar allows both), so the
    image is accepted and run as written; but such a tag is not a label value, so no object
    gets ``app.kubernetes.io/version`` and every label stays valid."""
    workspace = kc.HardenedWorkspace(
        chart, "desktop", image=image, image_profile="kasmweb-1.16", secret_env=VNC
    )
    manifests = chart.to_json()
    (deployment,) = [m for m in manifests if m["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == image
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    label_sets = [m["metadata"]["labels"] for m in manifests] + [pod_labels]
    assert len(label_sets) == 5  # ServiceAccount, Deployment, Service, NetworkPolicy, pods
    for labels in label_sets:
        assert (
            labels["app.kubernetes.io/instance"]
            == workspace.selector_labels["app.kubernetes.io/instance"]
        )
        assert "app.kubernetes.io/version" not in labels
        for key, label in labels.items():
            assert _LABEL_VALUE.match(label), f"{key}: {label!r}"
