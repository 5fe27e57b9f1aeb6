"""The audit path (kubeyaml reader, template checks, evaluate) agrees with all 1984 upstream Pod
Security fixtures, audited in one process. See tests/test_pod_security_fixtures.py."""

from __future__ import annotations

import pytest

from kasm_constructs.cli.audit import Options, audit_file
from tests.test_pod_security_fixtures import (
    EXPECTED_FIXTURE_COUNT,
    FIXTURE_FILES,
    FIXTURES,
    MISSING_REASON,
    expected_check,
)


def test_the_audit_agrees_with_every_fixture() -> None:
    if not FIXTURE_FILES:
        pytest.skip(MISSING_REASON)
    disagreements = []
    for path in FIXTURE_FILES:
        level, version_folder, outcome = path.relative_to(FIXTURES).parts[:3]
        version = version_folder.removeprefix("v")
        [result] = audit_file(str(path), Options(level, version))
        checks = {finding.check.lower() for finding in result.findings}
        agrees = (
            result.allowed
            if outcome == "pass"
            else expected_check(path.name, level, version) in checks
        )
        if not agrees:
            disagreements.append(path.relative_to(FIXTURES).as_posix())
    assert disagreements == []
    assert len(FIXTURE_FILES) == EXPECTED_FIXTURE_COUNT
