"""Conformance: the evaluator against upstream pod-security-admission's own test fixtures.

The fixtures live outside the repository, in ``../shared/psa-fixtures``, as
``{baseline,restricted}/v1.NN/{pass,fail}/<check><n>.yaml``: each pass/ file must be allowed and
each fail/ file denied, at that level and version, and a fail/ file's name names the check that
denies it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kasm_constructs.policy.pod_security import evaluate

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "psa-fixtures"
EXPECTED_FIXTURE_COUNT = 1984
MISSING_REASON = f"upstream PSA fixtures not found at {FIXTURES}"

# Upstream OverrideCheckIDs: under "restricted", from the given policy version, these baseline
# checks are replaced by a restricted check, which is then the one that reports the problem.
RESTRICTED_REPLACEMENTS = {
    "capabilities_baseline": ("capabilities_restricted", (1, 22)),
    "seccompprofile_baseline": ("seccompprofile_restricted", (1, 19)),
    "hostpathvolumes": ("restrictedvolumes", (1, 0)),
    "procmount": ("procmount_restricted", (1, 35)),
}

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*/v1.*/*/*.yaml")) if FIXTURES.is_dir() else []


FIXTURE_FILES = _fixture_files()
FIXTURE_PARAMS = [
    pytest.param(path, id=path.relative_to(FIXTURES).as_posix()) for path in FIXTURE_FILES
] or [pytest.param(None, marks=pytest.mark.skip(reason=MISSING_REASON), id="no-fixtures")]


def expected_check(file_name: str, level: str, version: str) -> str:
    """The lowercase check ID a fail/ fixture must be denied by at this level and version."""
    check = re.sub(r"\d+$", "", Path(file_name).stem).lower()
    replacement = RESTRICTED_REPLACEMENTS.get(check)
    if level == "restricted" and replacement is not None:
        replacing_check, since = replacement
        major, minor = (int(part) for part in version.split("."))
        if (major, minor) >= since:
            return replacing_check
    return check


def test_expected_check_follows_restricted_overrides() -> None:
    assert expected_check("capabilities_baseline3.yaml", "baseline", "1.37") == (
        "capabilities_baseline"
    )
    assert expected_check("capabilities_baseline3.yaml", "restricted", "1.37") == (
        "capabilities_restricted"
    )
    assert expected_check("procmount1.yaml", "restricted", "1.34") == "procmount"
    assert expected_check("procmount1.yaml", "restricted", "1.35") == "procmount_restricted"
    assert expected_check("hostProbesAndHostLifecycle12.yaml", "baseline", "1.34") == (
        "hostprobesandhostlifecycle"
    )


def test_fixture_count() -> None:
    if not FIXTURES.is_dir():
        pytest.skip(MISSING_REASON)
    assert len(FIXTURE_FILES) == EXPECTED_FIXTURE_COUNT


@pytest.mark.parametrize("path", FIXTURE_PARAMS)
def test_fixture(path: Path) -> None:
    level, version_folder, outcome = path.relative_to(FIXTURES).parts[:3]
    version = version_folder.removeprefix("v")
    manifest = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)

    violations = evaluate(manifest, level, version)

    if outcome == "pass":
        assert violations == []
    else:
        assert outcome == "fail"
        checks = {violation.check.lower() for violation in violations}
        assert expected_check(path.name, level, version) in checks, violations
