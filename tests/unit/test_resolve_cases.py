"""Every ``HardenedWorkspace`` bad-input case of tests/test_args_*.py, through
``resolve({...})`` alone: the pure step finds each mistake, names the same
parameter and shows the same value, without jsii. (The construct runs the same cases in a chart,
and test_message_is_plain_python there holds its message to this one.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from kasm_constructs._pipeline.model import WorkspaceOptions
from kasm_constructs.options.declare import declared
from tests.argument_cases import (
    BASE,
    SUBJECTS,
    Case,
    all_cases,
    check_resolve,
    resolvable,
    subject_modules,
)

TESTS = Path(__file__).resolve().parents[1]
CASES: list[Case] = all_cases()


@pytest.mark.parametrize("case", resolvable(CASES))
def test_resolve_refuses_naming_parameter_and_value(case: Case) -> None:
    check_resolve(case)


def test_every_subject_is_here() -> None:
    """A new tests/test_args_*.py is run through resolve too; each has cases of its own."""
    found = sorted(path.stem.removeprefix("test_args_") for path in TESTS.glob("test_args_*.py"))
    assert found == sorted(SUBJECTS)
    for module in subject_modules():
        assert module.CASES, module.__name__


def test_case_ids_are_unique_across_subjects() -> None:
    ids = [case.id for case in CASES]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_keyword_has_a_refused_value() -> None:
    """Each of the constructor's keywords is given a refused value by some case."""
    given = {
        name
        for case in CASES
        if case.build.arguments is not None
        for name, value in case.build.arguments.items()
        if name not in BASE or value is not BASE[name]
    }
    # image and secret_env are in every case: they count where they differ from the baseline
    assert given == {d.name for d in declared(WorkspaceOptions)}
