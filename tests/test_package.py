"""Packaging: the sdist and the wheel build, pass ``twine check --strict``, hold the library and
nothing else, carry the version of ``kasm_constructs.__version__``, and each of them, installed
alone in a fresh venv, synthesizes a workspace, then audits and preflights it.

The artifacts are built once per session from a copy of the repository, so the work tree stays
clean: ``dist/`` holds the synthesized manifests and must never receive a ``python -m build``.
With ``KASM_CONSTRUCTS_ARTIFACTS=DIR`` the tests check the sdist and wheel in DIR instead: that
is how ``make package`` (and so the release workflow) checks the very files it publishes.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from email.parser import Parser
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "kasm_constructs"
DEPENDENCIES = {"cdk8s", "cdk8s-plus-28", "constructs", "pyyaml"}
# The optional extras (`kasm-constructs validate`): each one's requirements.
EXTRAS = {
    "validate": {"jsonschema", "google-re2"},
    "cel": {"jsonschema", "google-re2", "cel-expr-python"},
}
# What `kasm-constructs validate` reads, shipped as package data.
CRD_SCHEMAS = f"{PACKAGE}/manifests/crd_schemas.json"
# A directory holding the sdist and wheel to check, instead of building them.
ARTIFACTS_ENV = "KASM_CONSTRUCTS_ARTIFACTS"
# Nothing of the app around the library belongs in the wheel.
NOT_IN_WHEEL = ("tests", "dist", "imports", "examples", "bench", "main.py", "cdk8s.yaml")
# Left out of the copy that is built: set-up, build output and caches, at the top level ...
COPY_SKIP_TOP = {".git", "node_modules", "build"}
# ... and anywhere.
COPY_SKIP_ANYWHERE = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
BUILD_TIMEOUT = 300
INSTALL_TIMEOUT = 300
RUN_TIMEOUT = 120

SYNTH_SCRIPT = textwrap.dedent(
    """\
    import json
    import sys
    import sysconfig

    import cdk8s
    import kasm_constructs
    from kasm_constructs import HardenedWorkspace

    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    HardenedWorkspace(
        chart,
        "desktop",
        image="kasmweb/desktop:1.16.0",
        secret_env={"VNC_PW": ("kasm-secrets", "vnc-password")},
    )
    print(app.synth_yaml())
    with open(sys.argv[1], "w", encoding="utf-8") as info:
        json.dump(
            {
                "package": kasm_constructs.__file__,
                "workspace": sys.modules["kasm_constructs.constructs.workspace"].__file__,
                "purelib": sysconfig.get_path("purelib"),
            },
            info,
        )
    """
)


@dataclass(frozen=True)
class Artifacts:
    source: Path
    sdist: Path
    wheel: Path


@dataclass(frozen=True)
class Synthesized:
    venv_python: Path
    manifest: Path
    result: subprocess.CompletedProcess[str]
    info: dict[str, str]


def _run(
    args: list[str | Path], *, timeout: float, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return (
        f"exit status {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


def _copy_ignore(root: Path) -> Callable[[str, list[str]], set[str]]:
    def ignore(directory: str, names: list[str]) -> set[str]:
        top = Path(directory) == root
        return {
            name
            for name in names
            if name in COPY_SKIP_ANYWHERE
            or name.endswith(".egg-info")
            or (top and (name in COPY_SKIP_TOP or name.startswith(".venv")))
        }

    return ignore


def _build_requirements_met(source: Path) -> bool:
    """Whether this interpreter already has what ``[build-system] requires`` asks for."""
    with (source / "pyproject.toml").open("rb") as file:
        requires = tomllib.load(file)["build-system"]["requires"]
    for line in requires:
        requirement = Requirement(line)
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False
        if not requirement.specifier.contains(installed, prereleases=True):
            return False
    return True


def _subprocess_env() -> dict[str, str]:
    """The environment for the fresh venv: this one's (conftest.py put the pinned Node first on
    PATH), without Python or jsii overrides."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "JSII_SILENCE_WARNING")) and key != "VIRTUAL_ENV"
    }


def _wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def _wheel_metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(archive.read(name).decode("utf-8"))


def _sdist_names(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    # Strip the "kasm_constructs-<version>/" every member sits in.
    return [str(PurePosixPath(*PurePosixPath(n).parts[1:])) for n in names if "/" in n]


def _modules(source: Path) -> set[str]:
    """Every file of the package in ``source``, as archive paths."""
    return {
        path.relative_to(source).as_posix()
        for path in (source / PACKAGE).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def version() -> str:
    """``kasm_constructs.__version__``, the one version source, read as setuptools reads it."""
    tree = ast.parse((REPO / PACKAGE / "_version.py").read_text(encoding="utf-8"))
    (value,) = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["__version__"]
        and isinstance(node.value, ast.Constant)
    ]
    assert isinstance(value, str)
    return value


_BUILT: dict[Path, Artifacts] = {}


def built_artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    """The sdist and wheel: those in $KASM_CONSTRUCTS_ARTIFACTS, or built once per session from
    a copy of the work tree (other test modules share them through this function)."""
    given = os.environ.get(ARTIFACTS_ENV)
    if given:
        outdir = Path(given).resolve()
        (sdist,) = outdir.glob("*.tar.gz")
        (wheel,) = outdir.glob("*.whl")
        return Artifacts(source=REPO, sdist=sdist, wheel=wheel)
    session = tmp_path_factory.getbasetemp()
    if session not in _BUILT:
        _BUILT[session] = _build(tmp_path_factory)
    return _BUILT[session]


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    return built_artifacts(tmp_path_factory)


def _build(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    source = tmp_path_factory.mktemp("source") / "kasm-constructs"
    shutil.copytree(REPO, source, ignore=_copy_ignore(REPO), symlinks=True)
    if not (source / "README.md").exists():
        # pyproject.toml names it as the long description; it is not written yet.
        (source / "README.md").write_text(
            "# kasm-constructs\n\nPlaceholder for the packaging tests.\n", encoding="utf-8"
        )
        warnings.warn(
            "README.md is missing from the repository: the packaging tests used a placeholder",
            stacklevel=1,
        )
    # Set-up the sdist must leave out (the copy skipped the real ones).
    (source / "node_modules" / "decoy").mkdir(parents=True)
    (source / "node_modules" / "decoy" / "index.js").write_text("", encoding="utf-8")
    (source / ".venv").mkdir()
    (source / ".venv" / "pyvenv.cfg").write_text("", encoding="utf-8")

    outdir = tmp_path_factory.mktemp("artifacts")
    command: list[str | Path] = [sys.executable, "-m", "build", "--sdist", "--wheel"]
    command += ["--outdir", outdir]
    if _build_requirements_met(source):
        command.append("--no-isolation")
    result = _run(command, cwd=source, timeout=BUILD_TIMEOUT)
    if result.returncode != 0:
        pytest.fail(f"python -m build failed:\n{_output(result)}")
    (sdist,) = outdir.glob("*.tar.gz")
    (wheel,) = outdir.glob("*.whl")
    return Artifacts(source=source, sdist=sdist, wheel=wheel)


def test_twine_check_strict_passes(artifacts: Artifacts) -> None:
    twine = [sys.executable, "-m", "twine", "--no-color", "check", "--strict"]
    result = _run([*twine, artifacts.sdist, artifacts.wheel], timeout=RUN_TIMEOUT)
    assert result.returncode == 0, _output(result)
    assert result.stdout.count("PASSED") == 2, _output(result)


def test_wheel_holds_the_package_and_nothing_else(artifacts: Artifacts) -> None:
    names = _wheel_names(artifacts.wheel)
    files = {name for name in names if not name.endswith("/")}

    assert f"{PACKAGE}/__init__.py" in files
    assert f"{PACKAGE}/py.typed" in files
    assert CRD_SCHEMAS in files
    # The generated CRD classes are most of it (imports/README.md); 1.4 MB with eight CRDs.
    assert artifacts.wheel.stat().st_size < 2_000_000
    assert _modules(artifacts.source) <= files
    unexpected = [
        name
        for name in names
        if name.split("/")[0] in NOT_IN_WHEEL
        or not name.startswith((f"{PACKAGE}/", f"{PACKAGE}-"))
        or "__pycache__" in name
    ]
    assert not unexpected, unexpected


def test_wheel_metadata_requires_only_the_runtime_dependencies(artifacts: Artifacts) -> None:
    meta = _wheel_metadata(artifacts.wheel)
    requirements = [Requirement(line) for line in meta.get_all("Requires-Dist") or []]

    runtime = [r for r in requirements if r.marker is None]
    assert sorted(canonicalize_name(r.name) for r in runtime) == sorted(DEPENDENCIES)
    for requirement in requirements:
        assert requirement.specifier, f"{requirement.name} has no version range"
        assert not requirement.extras, f"{requirement} asks for extras"
    # Everything else is in an extra, and only there.
    assert sorted(meta.get_all("Provides-Extra") or []) == sorted(EXTRAS)
    for extra, names in EXTRAS.items():
        wanted = [
            r for r in requirements if r.marker is not None and r.marker.evaluate({"extra": extra})
        ]
        assert {canonicalize_name(r.name) for r in wanted} == names, extra
    assert len(runtime) + sum(map(len, EXTRAS.values())) == len(requirements)
    assert SpecifierSet(meta["Requires-Python"]) == SpecifierSet(">=3.11")
    assert meta["Name"] == "kasm-constructs"


def test_both_artifacts_carry_the_version_of_the_version_source(artifacts: Artifacts) -> None:
    assert _wheel_metadata(artifacts.wheel)["Version"] == version()
    assert artifacts.wheel.name.startswith(f"{PACKAGE}-{version()}-")
    assert artifacts.sdist.name == f"{PACKAGE}-{version()}.tar.gz"


def test_sdist_holds_the_sources_and_no_setup(artifacts: Artifacts) -> None:
    names = set(_sdist_names(artifacts.sdist))

    assert {"pyproject.toml", "README.md", "PKG-INFO", CRD_SCHEMAS} <= names
    assert _modules(artifacts.source) <= names
    unexpected = [
        name
        for name in names
        if name.split("/")[0] in {"node_modules", ".git", "build"}
        or name.startswith(".venv")
        or "__pycache__" in name
    ]
    assert not unexpected, unexpected


@pytest.fixture(scope="module", params=["wheel", "sdist"])
def fresh_venv(
    artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Path:
    """A new venv with the built wheel, or the sdist, installed alone (its dependencies from the
    index; pip builds the sdist in an isolated environment, as it does for a user)."""
    artifact: Path = getattr(artifacts, request.param)
    if importlib.util.find_spec("ensurepip") is None:
        pytest.skip("this Python cannot create a venv with pip (no ensurepip)")
    venv = tmp_path_factory.mktemp("venv") / "venv"
    result = _run([sys.executable, "-m", "venv", venv], timeout=RUN_TIMEOUT)
    assert result.returncode == 0, _output(result)
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "--disable-pip-version-check", "--no-input"]

    result = _run([*pip, "install", artifact], timeout=INSTALL_TIMEOUT)
    if result.returncode != 0:
        # Only an unreachable index excuses this test; any other failure is the package's.
        probe = _run(
            [*pip, "download", "--no-deps", "--dest", venv / "probe", "cdk8s>=2.70,<3"],
            timeout=INSTALL_TIMEOUT,
        )
        if probe.returncode != 0:
            pytest.skip(f"no package index to install cdk8s from:\n{probe.stderr[-2000:]}")
        pytest.fail(f"pip install of {artifact.name} failed:\n{_output(result)}")
    return python


@pytest.fixture(scope="module")
def synthesized(fresh_venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The fresh venv synthesizing a workspace, run from an empty directory."""
    workdir = tmp_path_factory.mktemp("synth")
    script = workdir / "synth_workspace.py"
    script.write_text(SYNTH_SCRIPT, encoding="utf-8")
    info = workdir / "info.json"
    result = _run(
        [fresh_venv, script, info], cwd=workdir, env=_subprocess_env(), timeout=RUN_TIMEOUT
    )
    assert result.returncode == 0, _output(result)
    manifest = workdir / "kasm.k8s.yaml"
    manifest.write_text(result.stdout, encoding="utf-8")
    return Synthesized(
        venv_python=fresh_venv,
        manifest=manifest,
        result=result,
        info=json.loads(info.read_text(encoding="utf-8")),
    )


def _containers(deployment: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def test_installed_package_synthesizes_a_hardened_workspace(synthesized: Synthesized) -> None:
    docs = [doc for doc in yaml.safe_load_all(synthesized.result.stdout) if doc]
    deployments = [doc for doc in docs if doc["kind"] == "Deployment"]

    assert len(deployments) == 1, [doc["kind"] for doc in docs]
    (deployment,) = deployments
    assert deployment["metadata"]["namespace"] == "kasm"
    containers = list(_containers(deployment))
    assert containers
    for container in containers:
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, container["name"]
    env = {var["name"]: var for container in containers for var in container.get("env", [])}
    assert env["VNC_PW"] == {
        "name": "VNC_PW",
        "valueFrom": {"secretKeyRef": {"name": "kasm-secrets", "key": "vnc-password"}},
    }
    stderr = synthesized.result.stderr
    assert "end-of-life" not in stderr, stderr
    assert "Traceback" not in stderr, stderr


def test_installed_package_is_imported_from_site_packages(synthesized: Synthesized) -> None:
    purelib = Path(synthesized.info["purelib"]).resolve()
    for module in ("package", "workspace"):
        path = Path(synthesized.info[module]).resolve()
        assert path.is_relative_to(purelib), (module, path, purelib)
        assert not path.is_relative_to(REPO), (module, path)
    assert (synthesized.venv_python.parent / "kasm-constructs").exists()


def test_installed_audit_allows_the_synthesized_workspace(synthesized: Synthesized) -> None:
    result = _run(
        [synthesized.venv_python, "-m", PACKAGE, "audit", "--output", "json", synthesized.manifest],
        cwd=synthesized.manifest.parent,
        env=_subprocess_env(),
        timeout=RUN_TIMEOUT,
    )

    assert result.returncode == 0, _output(result)
    report = json.loads(result.stdout)
    assert [entry["kind"] for entry in report] == ["Deployment"]
    assert all(entry["allowed"] for entry in report), report
    assert "Traceback" not in result.stderr, result.stderr


def test_installed_preflight_lists_what_the_workspace_needs(synthesized: Synthesized) -> None:
    result = _run(
        [synthesized.venv_python, "-m", PACKAGE, "preflight", "--output", "json", "kasm.k8s.yaml"],
        cwd=synthesized.manifest.parent,
        env=_subprocess_env(),
        timeout=RUN_TIMEOUT,
    )

    assert result.returncode == 0, _output(result)
    report = json.loads(result.stdout)
    assert report["files"] == ["kasm.k8s.yaml"]
    needed = {(r["kind"], r["namespace"], r["name"], *r["keys"]) for r in report["requirements"]}
    assert needed == {
        ("Namespace", None, "kasm"),
        ("Secret", "kasm", "kasm-secrets", "vnc-password"),
    }


def test_installed_validate_names_the_extra_it_needs(synthesized: Synthesized) -> None:
    """jsonschema is no runtime dependency: without ``kasm-constructs[validate]`` the command
    says what to install, and exits 2."""
    result = _run(
        [synthesized.venv_python, "-m", PACKAGE, "validate", "kasm.k8s.yaml"],
        cwd=synthesized.manifest.parent,
        env=_subprocess_env(),
        timeout=RUN_TIMEOUT,
    )

    assert result.returncode == 2, _output(result)
    assert result.stdout == ""
    assert "validating custom resources needs jsonschema and google-re2" in result.stderr
    assert result.stderr.rstrip().endswith("pip install 'kasm-constructs[validate]'")
    assert "Traceback" not in result.stderr, result.stderr
