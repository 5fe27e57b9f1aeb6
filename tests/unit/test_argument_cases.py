"""The checks of tests/argument_cases.py can fail: each is shown a case that is wrong about the
error, and must say so. Pure: value objects and ``resolve`` only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kasm_constructs import Probe
from tests.argument_cases import (
    Case,
    Shown,
    bad,
    check_plain_python,
    check_raises,
    check_resolve,
    value,
    ws,
)

Check = Callable[[Case], None]
WRONG: list[tuple[str, Case, Check]] = [
    ("wrong-parameter", bad("x", ws(replicas=-1), "run_as_user", -1), check_resolve),
    ("wrong-value", bad("x", ws(replicas=-1), "replicas", -2), check_resolve),
    ("value-as-a-part", bad("x", ws(replicas=-1), "replicas", shows="-2"), check_resolve),
    # "non-empty" is in the explanation, not in the value shown
    ("text-of-the-explanation", bad("x", ws(image=""), "image", shows="non-empty"), check_resolve),
    ("missing-extra", bad("x", ws(replicas=-1), "replicas", -1, "no such text"), check_resolve),
    (
        "hidden-wrong-length",
        bad(
            "x",
            ws(env={"VNC_PW": "abc"}),
            "env['VNC_PW']",
            Shown("<str of 4 characters, not shown>"),
        ),
        check_resolve,
    ),
    (
        "value-wrong-parameter",
        bad("x", value(Probe.from_tcp_socket, 0), "Probe.from_http_get(port)", 0),
        check_plain_python,
    ),
    (
        "value-wrong-value",
        bad("x", value(Probe.from_tcp_socket, 0), "Probe.from_tcp_socket(port)", 1),
        check_raises,
    ),
]


@pytest.mark.parametrize(("case", "check"), [pytest.param(c, k, id=i) for i, c, k in WRONG])
def test_a_case_wrong_about_the_error_fails(case: Case, check: Check) -> None:
    with pytest.raises(AssertionError):
        check(case)


def test_a_value_that_is_accepted_fails() -> None:
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE ValueError"):
        check_resolve(bad("x", ws(replicas=2), "replicas", 2))


def test_another_exception_fails_in_one_line() -> None:
    case = bad("x", value(Probe.from_tcp_socket, 6901, no_such_timing=1), "port", 6901)
    with pytest.raises(pytest.fail.Exception, match=r"^TypeError instead of ValueError: "):
        check_raises(case)


def test_the_right_case_passes() -> None:
    """The counterpart: the same machinery accepts a case that is right."""
    check_resolve(bad("x", ws(replicas=-1), "replicas", -1, "from 0 to"))
    check_plain_python(bad("x", value(Probe.from_tcp_socket, 0), "Probe.from_tcp_socket(port)", 0))
