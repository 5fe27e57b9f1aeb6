"""The release process: one version source, the changelog, and the release workflow.

The workflow cannot run here, so its file is read: it must run on version tags only, gate on
``make release-check``, build and check with ``make package`` (whose commands ``make -n`` shows),
and publish what that built by PyPI trusted publishing, with no token anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.version import Version

from tests.test_package import ARTIFACTS_ENV, version

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
CHANGELOG = REPO / "CHANGELOG.md"
PUBLISH_ACTION = "pypa/gh-action-pypi-publish@"
TIMEOUT = 60
# Keep a Changelog: a section per release, "Unreleased" first, then these subsections.
RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$")
CHANGE_TYPES = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def workflow() -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    loaded["on"] = loaded.pop(True, loaded.get("on"))
    return loaded


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def step_index(job: str, command: str) -> int:
    """The index of the step of ``job`` whose ``run`` is ``command``."""
    runs = [step.get("run", "").strip() for step in steps(job)]
    assert command in runs, f"job {job} does not run `{command}`: {runs}"
    return runs.index(command)


def uses(job: str, action: str) -> dict[str, Any]:
    (step,) = [step for step in steps(job) if step.get("uses", "").startswith(action)]
    return step


def make_dry_run(target: str) -> list[str]:
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# ---------------------------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------------------------


def test_the_workflow_runs_on_version_tags_only() -> None:
    assert workflow()["on"] == {"push": {"tags": ["v*"]}}


def test_the_tag_is_checked_against_the_version_source_before_building() -> None:
    check = step_index("build", "make release-check")

    assert steps("build")[check]["env"] == {"TAG": "${{ github.ref_name }}"}
    assert check < step_index("build", "make package")


def test_the_workflow_builds_and_checks_with_make_package() -> None:
    package = make_dry_run("package")
    outdir = "build/pypi"

    # What `make package` runs, in order: build, twine check, the fresh-venv install tests.
    commands = [
        f"python -m build --outdir {outdir}",
        f"twine check --strict {outdir}/*",
        f"{ARTIFACTS_ENV}={outdir} pytest -q tests/test_package.py",
    ]
    assert [line for line in package if line in commands] == commands
    assert step_index("build", ".ci/run") < step_index("build", "make package")
    upload = uses("build", "actions/upload-artifact@")
    download = uses("publish", "actions/download-artifact@")
    assert upload["with"]["path"].rstrip("/") == outdir
    assert download["with"]["path"].rstrip("/") == outdir
    assert download["with"]["name"] == upload["with"]["name"]
    assert uses("publish", PUBLISH_ACTION)["with"]["packages-dir"].rstrip("/") == outdir


def test_publishing_uses_trusted_publishing_and_no_token() -> None:
    jobs = workflow()["jobs"]
    publish = jobs["publish"]

    assert workflow()["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert all("permissions" not in job for name, job in jobs.items() if name != "publish")
    assert [step.get("uses", "").split("@")[0] for step in publish["steps"]][-1] == (
        PUBLISH_ACTION.rstrip("@")
    )
    assert set(uses("publish", PUBLISH_ACTION)["with"]) == {"packages-dir"}
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "secrets." not in text
    assert not re.search(r"password|api[-_]?token|TWINE_", text, re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# make release-check, run on a copy of what it reads
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def release_tree(tmp_path: Path) -> Path:
    for path in ("Makefile", "CHANGELOG.md", "kasm_constructs/_version.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / path, tmp_path / path)
    return tmp_path


def release_check(tree: Path, tag: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "TAG"}
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "release-check", f"PYTHON={sys.executable}"],
        cwd=tree,
        env={**env, "TAG": tag},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def release_changelog(tree: Path, released: str) -> None:
    """Turn the Unreleased section into the section of ``released``, as a release does."""
    changelog = tree / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("## [Unreleased]", f"## [Unreleased]\n\n## [{released}] - 2026-01-31", 1),
        encoding="utf-8",
    )


def test_release_check_passes_for_the_tag_of_the_version_with_its_changelog_section(
    release_tree: Path,
) -> None:
    release_changelog(release_tree, version())
    result = release_check(release_tree, f"v{version()}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"release-check: tag v{version()}, version {version()}")


@pytest.mark.parametrize("tag", ["v99.0.0", "{version}", "v{version}.post1", "", "x'; exit 0; '"])
def test_release_check_refuses_a_tag_other_than_the_version(release_tree: Path, tag: str) -> None:
    release_changelog(release_tree, version())
    result = release_check(release_tree, tag.format(version=version()))

    assert result.returncode != 0
    assert f"kasm_constructs/_version.py says version {version()}" in result.stderr
    assert "Traceback" not in result.stderr


def test_release_check_refuses_a_version_without_its_changelog_section(
    release_tree: Path,
) -> None:
    result = release_check(release_tree, f"v{version()}")

    assert result.returncode != 0
    assert f"CHANGELOG.md has no section '## [{version()}] - YYYY-MM-DD'" in result.stderr


# ---------------------------------------------------------------------------------------------
# The version source and the changelog
# ---------------------------------------------------------------------------------------------


def test_one_version_source() -> None:
    import kasm_constructs  # noqa: PLC0415 - the package as the test environment has it

    with (REPO / "pyproject.toml").open("rb") as file:
        pyproject = tomllib.load(file)
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "kasm_constructs._version.__version__"
    }
    assert kasm_constructs.__version__ == version()
    assert str(Version(version())) == version(), "not a normalized PEP 440 version"


def test_changelog_keeps_a_changelog() -> None:
    lines = CHANGELOG.read_text(encoding="utf-8").splitlines()
    headings = [line for line in lines if line.startswith("## ")]
    subsections = {line.removeprefix("### ") for line in lines if line.startswith("### ")}

    assert lines[0] == "# Changelog"
    assert headings[0] == "## [Unreleased]"
    matches = [RELEASE_HEADING.match(heading) for heading in headings]
    assert all(matches), [h for h, m in zip(headings, matches, strict=True) if not m]
    released = [Version(m["version"]) for m in matches[1:] if m]
    assert all(m["date"] for m in matches[1:] if m), "a release section without its date"
    assert released == sorted(released, reverse=True), "releases not newest first"
    assert all(v <= Version(version()) for v in released), "a release newer than __version__"
    assert subsections <= CHANGE_TYPES, subsections - CHANGE_TYPES
    end = lines.index(headings[1]) if len(headings) > 1 else len(lines)
    unreleased = lines[lines.index("## [Unreleased]") + 1 : end]
    assert any(line.startswith("- ") for line in unreleased), "Unreleased lists nothing"
