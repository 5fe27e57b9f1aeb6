"""Bad input: environment variables, Secret references (``secret_env``, ``SecretKeyRef``). A value
that may be a credential is never shown, only its type and length. Checked by tests/test_args.py
(the checks: tests/argument_cases.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from kasm_constructs import ImageProfile, SecretKeyRef
from kasm_constructs.options.images import profile_for
from tests.argument_cases import (
    BASE,
    VNC,
    Case,
    Shown,
    bad,
    raised,
    resolve_error,
    value,
    ws,
)

_SHAPE = re.escape("expected SecretKeyRef(name, key) or a (name, key) tuple")
#: An image no profile knows, run with a profile of its own.
OWN_IMAGE = "example/mine:1"


def _own_profile(**fields: Any) -> ImageProfile:
    """A hand-written profile that requires nothing (no secret_env)."""
    return ImageProfile(name="mine", home="/home/me", ports={"vnc": 6901}, **fields)


def hidden(text: str) -> Shown:
    """How a message shows a possible credential: type and length, never content."""
    return Shown(f"<str of {len(text)} characters, not shown>")


CASES: list[Case] = [
    # secret_env: the Secret name and key of a (name, key) tuple
    *[
        bad(
            f"secret-name-{label}",
            ws(secret_env={"VNC_PW": (name, "vnc-password")}),
            "secret_env['VNC_PW'] Secret name",
            shown,
        )
        # a Secret's name is not a credential: it is shown as given
        for label, name, shown in (
            ("mixed-case", "Kasm_Secrets", "Kasm_Secrets"),
            ("leading-dash", "-x", "-x"),
            ("too-long", "a" * 254, "a" * 254),
            ("empty", "", ""),
            ("int", 1, 1),
        )
    ],
    *[
        bad(
            f"secret-key-{label}",
            ws(secret_env={"VNC_PW": ("kasm-secrets", key)}),
            "secret_env['VNC_PW'] key",
            shown,
        )
        # nor is a Secret's key
        for label, key, shown in (
            ("space", "bad key", "bad key"),
            ("slash", "a/b", "a/b"),
            ("empty", "", ""),
            ("none", None, None),
        )
    ],
    *[
        bad(
            f"secret-env-name-{label}",
            ws(secret_env={**VNC, name: ("s", "k")}),
            "secret_env key",
            name,
        )
        for label, name in (
            ("digit", "1ABC"),
            ("equals", "A=B"),
            ("space", "has space"),
            ("int", 1),
        )
    ],
    # Neither a SecretKeyRef nor a (name, key) tuple: shown as its type, it may be a password.
    *[
        bad(
            f"secret-ref-{label}",
            ws(secret_env={"VNC_PW": ref}),
            "secret_env['VNC_PW']",
            shown,
            _SHAPE,
        )
        for label, ref, shown in (
            ("one-tuple", ("kasm-secrets",), Shown("<tuple, not shown>")),
            ("three-tuple", ("kasm-secrets", "vnc-password", "x"), Shown("<tuple, not shown>")),
            ("list", ["kasm-secrets", "vnc-password"], Shown("<list, not shown>")),
            ("dict", {"name": "kasm-secrets"}, Shown("<dict, not shown>")),
            ("str", "hunter2-password", hidden("hunter2-password")),
            # digits: a numeric password is hidden like any other
            ("digits", "73195026", hidden("73195026")),
        )
    ],
    bad(
        "secret-env-list",
        ws(secret_env=[("VNC_PW", VNC["VNC_PW"])]),
        "secret_env",
        [("VNC_PW", VNC["VNC_PW"])],
    ),
    bad("secret-env-empty-str", ws(secret_env=""), "secret_env", ""),
    bad(
        "secret-env-and-env",
        ws(env={"GREETING": "hi"}, secret_env={**VNC, "GREETING": ("s", "k")}),
        "secret_env['GREETING']",
        SecretKeyRef("s", "k"),
        r"also set in \benv\b",
    ),
    # A variable the image profile sets (TMPDIR), in env and secret_env: refused like any other
    # variable given twice, not resolved by dropping one of them.
    bad(
        "secret-env-and-env-profile-variable",
        ws(env={"TMPDIR": "/scratch"}, secret_env={**VNC, "TMPDIR": ("kasm-secrets", "tmpdir")}),
        "secret_env['TMPDIR']",
        SecretKeyRef("kasm-secrets", "tmpdir"),
        r"also set in \benv\b",
    ),
    bad("secret-env-missing-vnc-pw", ws(secret_env=None), "secret_env", {}, "needs VNC_PW"),
    bad(
        "secret-env-other-than-vnc-pw",
        ws(secret_env={"OTHER": ("s", "k")}),
        "secret_env",
        {"OTHER": SecretKeyRef("s", "k")},
        "needs VNC_PW",
    ),
    bad(
        "secret-env-missing-vnc-pw-1.14",
        ws(image="kasmweb/desktop:1.14.0", secret_env=None),
        "secret_env",
        {},
        "needs VNC_PW",
    ),
    # SecretKeyRef itself
    *[
        bad(
            f"secret-key-ref-name-{label}",
            value(SecretKeyRef, name, "k"),
            "SecretKeyRef Secret name",
            shown,
        )
        for label, name, shown in (("mixed-case", "Kasm_Secrets", "Kasm_Secrets"), ("int", 1, 1))
    ],
    *[
        bad(
            f"secret-key-ref-key-{label}",
            value(SecretKeyRef, "kasm-secrets", key),
            "SecretKeyRef key",
            shown,
        )
        for label, key, shown in (
            ("space", "bad key", "bad key"),
            ("too-long", "k" * 254, "k" * 254),
        )
    ],
    # env
    *[
        bad(f"env-name-{label}", ws(env={name: "x"}), "env key", name)
        for label, name in (
            ("digit", "1ABC"),
            ("equals", "A=B"),
            ("space", "has space"),
            ("empty", ""),
            ("int", 1),
        )
    ],
    *[
        bad(f"env-value-{label}", ws(env={"GREETING": item}), "env['GREETING']", item)
        for label, item in (("int", 1), ("none", None), ("bool", True), ("list", ["a"]))
    ],
    # A string cdk8s writes unquoted and kubectl reads as a number (tests/test_kubectl_reading.py)
    *[
        bad(
            f"env-value-read-as-{label}",
            ws(env={"UMASK": text}),
            "env['UMASK']",
            text,
            f"cdk8s writes it unquoted and kubectl reads it as the int {read};",
        )
        for label, text, read in (
            ("octal", "0o022", 18),
            ("binary", "0B11", 3),
            ("hex", "0X1F", 31),
        )
    ],
    bad(
        "image-profile-env-read-as-octal",
        ws(image=OWN_IMAGE, image_profile=_own_profile(env={"UMASK": "0o022"}), secret_env=None),
        "image_profile.env['UMASK']",
        "0o022",
        "kubectl reads it as the int 18;",
    ),
    bad("env-list", ws(env=[("GREETING", "hi")]), "env", [("GREETING", "hi")]),
    bad("env-empty-str", ws(env=""), "env", ""),
    bad(
        "env-vnc-pw-plain",
        ws(env={"VNC_PW": "hunter2-password"}),
        "env['VNC_PW']",
        hidden("hunter2-password"),
        re.escape("secret_env={'VNC_PW': SecretKeyRef("),
    ),
    bad("env-vnc-pw-int", ws(env={"VNC_PW": 73195026}), "env['VNC_PW']", Shown("<int, not shown>")),
    bad(
        "env-vnc-view-only-pw-plain",
        ws(env={"VNC_VIEW_ONLY_PW": "viewer-pass"}),
        "env['VNC_VIEW_ONLY_PW']",
        hidden("viewer-pass"),
        "holds a credential",
    ),
    # A credential variable is refused as a plain value whatever the image and its profile: a
    # profile that requires nothing, a Kasm image mirrored without "kasmweb/" in its name.
    *[
        bad(
            f"env-{variable.lower().replace('_', '-')}-plain-{label}",
            ws(image=image, image_profile=profile, secret_env=None, env={variable: "hunter2"}),
            f"env['{variable}']",
            hidden("hunter2"),
            "holds a credential",
        )
        for variable in ("VNC_PW", "VNC_VIEW_ONLY_PW")
        for label, image, profile in (
            ("own-profile", OWN_IMAGE, _own_profile()),
            ("mirrored-kasm-image", "registry.example.com/mirror/desktop:1.16.0", "kasmweb-1.16"),
        )
    ],
    # the image profile's env: a credential there is refused too, and not shown
    bad(
        "image-profile-env-credential",
        value(replace, profile_for(BASE["image"]), env={"VNC_PW": "hunter2-password"}),
        "ImageProfile(env['VNC_PW'])",
        hidden("hunter2-password"),
        "holds a credential",
    ),
    bad(
        "image-profile-made-with-credential",
        value(ImageProfile, name="mine", env={"VNC_PW": "hunter2"}),
        "ImageProfile(env['VNC_PW'])",
        hidden("hunter2"),
        "holds a credential",
    ),
]


# --- a credential is in no part of the error ----------------------------------------------------
@pytest.mark.parametrize(
    ("case_id", "secret"),
    [
        ("env-vnc-pw-plain", "hunter2"),
        ("env-vnc-pw-int", "73195026"),
        ("secret-ref-str", "hunter2"),
        ("secret-ref-digits", "73195026"),
        ("env-vnc-view-only-pw-plain", "viewer-pass"),
        ("env-vnc-pw-plain-own-profile", "hunter2"),
        ("env-vnc-pw-plain-mirrored-kasm-image", "hunter2"),
        ("env-vnc-view-only-pw-plain-own-profile", "hunter2"),
        ("env-vnc-view-only-pw-plain-mirrored-kasm-image", "hunter2"),
        ("image-profile-env-credential", "hunter2"),
        ("image-profile-made-with-credential", "hunter2"),
    ],
)
def test_a_credential_is_not_in_the_error(case_id: str, secret: str) -> None:
    """Not in the message, the exception's args or its ``value`` (pure: the workspace raises
    exactly what ``resolve`` raises, test_message_is_plain_python holds it to that)."""
    (case,) = [c for c in CASES if c.id == case_id]
    error: Any = resolve_error(case) if case.build.call is None else raised(case.build.call)
    assert secret not in str(error)
    assert secret not in repr(error.args)
    assert secret not in repr(error.value)


@pytest.mark.parametrize("field", ["name", "key"])
def test_a_secret_name_or_key_is_shown_it_is_not_a_credential(field: str) -> None:
    """A Secret's name and key say where a credential is, not what it is: a message shows
    them as given, so a typo can be found (only values that may be credentials are hidden)."""
    wrong = "Kasm Secrets"
    args = {"name": "kasm-secrets", "key": "vnc-password", field: wrong}
    error: Any = raised(lambda: SecretKeyRef(**args))
    assert repr(wrong) in str(error)
    assert error.value == wrong
