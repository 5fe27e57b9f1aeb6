"""Every bad argument of tests/test_args_*.py, held to the ``ValueError`` contract of
tests/argument_cases.py: in a chart, the construct raises naming the parameter and the value, leaves
the tree as it was and says it in plain Python; a value object's factory raises the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.argument_cases import (
    Case,
    all_cases,
    check_plain_python,
    check_raises,
    check_tree_unchanged,
    params,
)

if TYPE_CHECKING:
    import cdk8s

CASES = all_cases()


@pytest.mark.parametrize("case", params(CASES, in_chart=True))
def test_raises_naming_parameter_and_value(chart: cdk8s.Chart, case: Case) -> None:
    check_raises(case, chart)


@pytest.mark.parametrize("case", params(CASES, in_chart=True))
def test_leaves_the_tree_unchanged(chart: cdk8s.Chart, case: Case) -> None:
    check_tree_unchanged(case, chart)


@pytest.mark.parametrize("case", params(CASES, in_chart=True))
def test_message_is_plain_python(chart: cdk8s.Chart, case: Case) -> None:
    check_plain_python(case, chart)


@pytest.mark.parametrize("case", params(CASES, in_chart=False))
def test_factory_raises_naming_parameter_and_value(case: Case) -> None:
    check_raises(case)


@pytest.mark.parametrize("case", params(CASES, in_chart=False))
def test_factory_message_is_plain_python(case: Case) -> None:
    check_plain_python(case)
