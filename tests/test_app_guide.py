"""docs/app-guide.md, followed as written: the lines of its ``sh app-guide`` blocks run in order
in one shell in an empty directory (a line is a command), its ``file=NAME`` blocks are written
where the shell stands then.

The reader's machine is imitated: ``PATH`` without this repository's Node.js and venv (so the
system's ``node`` is the one found until the guide pins its own), none of the variables this
repository's Makefile sets, and the wheel built from this repository where pip looks for
packages (``PIP_FIND_LINKS``), standing in for PyPI. npm prefers its cache (filled by this
repository's ``npm ci``) but may ask the registry.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from kasm_constructs import preflight
from tests.test_package import built_artifacts

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "app-guide.md"
APP = "my-desktops"
# A fenced block: ```sh app-guide (a command block) or ```LANGUAGE file=NAME (a file to write).
BLOCK = re.compile(
    r"^```(?P<language>\w+) (?:(?P<run>app-guide)|file=(?P<file>\S+))\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
MARK = "@@@ app-guide block"
RUN_TIMEOUT = 600
# What must never reach the reader: jsii's Node.js banner, the CLI's failed upgrade check, any
# stack trace.
NOISE = ("end-of-life", "!!!!", "A new version", "Error:", "    at ", "Traceback")
# Variables of this repository's set-up that the reader does not have.
NOT_THE_READERS = ("CDK8S_", "JSII_", "KASM_CONSTRUCTS_", "PYTHON", "VIRTUAL_ENV", "npm_")


@dataclass(frozen=True)
class GuideRun:
    steps: list[str]
    app: Path
    returncode: int
    stdout: dict[int, str]
    stderr: dict[int, str]

    def output(self, command: str) -> str:
        """What the guide's command ``command`` printed (stdout, then stderr)."""
        assert command in self.steps, f"docs/app-guide.md runs no `{command}`"
        index = self.steps.index(command)
        return self.stdout.get(index, "") + self.stderr.get(index, "")


def guide_steps() -> list[str]:
    """Each command of the guide, and each file it writes as a shell command that writes it."""
    steps = []
    for block in BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        if block["run"]:
            steps += [line for line in block["body"].splitlines() if line.strip()]
        else:
            steps.append(f"cat > {block['file']} <<'APP_GUIDE_EOF'\n{block['body']}APP_GUIDE_EOF")
    return steps


def script(steps: list[str]) -> str:
    """One shell script: each step after a marker line on stdout and stderr."""
    lines = ["set -e"]
    for index, step in enumerate(steps):
        lines += [f"echo '{MARK} {index}'; echo '{MARK} {index}' >&2", step]
    return "\n".join(lines) + "\n"


def split(output: str) -> dict[int, str]:
    parts = re.split(rf"^{MARK} (\d+)\n", output, flags=re.MULTILINE)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def readers_path(shims: Path) -> str:
    """``PATH`` without this repository's entries, after a ``python3`` that is this Python."""
    entries = [p for p in os.environ["PATH"].split(os.pathsep) if not Path(p).is_relative_to(REPO)]
    return os.pathsep.join([str(shims), *entries])


def readers_env(tmp_path: Path, wheels: Path) -> dict[str, str]:
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "python3").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_THE_READERS)}
    links = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS")]))
    return {
        **env,
        "PATH": readers_path(shims),
        "PIP_FIND_LINKS": links,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "npm_config_prefer_offline": "true",
    }


@pytest.fixture(scope="module")
def guide_run(tmp_path_factory: pytest.TempPathFactory) -> GuideRun:
    wheel = built_artifacts(tmp_path_factory).wheel
    wheels = tmp_path_factory.mktemp("wheels")
    (wheels / wheel.name).symlink_to(wheel)
    home = tmp_path_factory.mktemp("guide")
    steps = guide_steps()
    result = subprocess.run(
        ["bash", "-c", script(steps)],
        cwd=home,
        env=readers_env(home, wheels),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return GuideRun(
        steps, home / APP, result.returncode, split(result.stdout), split(result.stderr)
    )


def test_every_step_succeeds(guide_run: GuideRun) -> None:
    last = max(guide_run.stdout, default=-1)
    assert guide_run.returncode == 0, (
        f"`{guide_run.steps[last]}` failed:\n"
        f"{guide_run.stdout.get(last, '')}{guide_run.stderr.get(last, '')}"
    )
    assert last == len(guide_run.steps) - 1


def test_the_guide_pins_the_node_and_cli_this_repository_pins(guide_run: GuideRun) -> None:
    ours = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    theirs = json.loads((guide_run.app / "package.json").read_text(encoding="utf-8"))
    pinned = theirs["devDependencies"]

    assert pinned["cdk8s-cli"] == ours["cdk8s-cli"]
    assert pinned["node"].split(".")[0] in {"22", "24"}
    installed = guide_run.output("npm install --save-dev --save-exact node@22 cdk8s-cli@2.207.60")
    assert "install-scripts" not in installed, installed


def test_synth_prints_no_banner_and_no_stack_trace(guide_run: GuideRun) -> None:
    output = guide_run.output("cdk8s synth")

    assert output == "Synthesizing application\n  - dist/desktops.k8s.yaml\n"
    noisy = [n for n in NOISE for text in guide_run.stderr.values() if n in text]
    assert not noisy, noisy


def test_the_app_synthesizes_a_hardened_workspace_from_the_wheel(guide_run: GuideRun) -> None:
    docs = list(yaml.safe_load_all((guide_run.app / "dist" / "desktops.k8s.yaml").read_text()))
    (deployment,) = [doc for doc in docs if doc["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    installed = guide_run.app / ".venv" / "lib"

    assert deployment["metadata"]["namespace"] == "desktops"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert {
        "name": "VNC_PW",
        "valueFrom": {"secretKeyRef": {"name": "desktop-vnc", "key": "password"}},
    } in container["env"]
    (workspace,) = installed.glob("python3*/site-packages/kasm_constructs/workspace.py")
    assert workspace.read_bytes() == (REPO / "kasm_constructs" / "workspace.py").read_bytes()


def test_offline_checks_pass(guide_run: GuideRun) -> None:
    validated = guide_run.output("kubernetes-validate -k 1.33.0 --strict dist/*.yaml")
    audited = guide_run.output("python -m kasm_constructs audit dist/*.yaml")
    expected = preflight.format_text(preflight.preflight([str(guide_run.app / "dist")]))

    assert validated.count(" passed for resource ") == 4, validated
    assert "failed" not in validated
    assert audited.endswith("1 allowed, 0 denied\n"), audited
    assert guide_run.output("python -m kasm_constructs preflight dist") == expected + "\n"
    assert "desktops/desktop-vnc: keys password" in expected


def test_helm_chart_holds_the_plain_output(guide_run: GuideRun) -> None:
    chart = guide_run.app / "chart"
    templates = sorted((chart / "templates").iterdir())

    assert yaml.safe_load((chart / "Chart.yaml").read_text()) == {
        "apiVersion": "v2",
        "name": APP,
        "version": "0.1.0",
        "description": f"Generated chart for {APP}",
        "type": "application",
    }
    assert sorted(p.name for p in chart.iterdir()) == ["Chart.yaml", "README.md", "templates"]
    assert [p.name for p in templates] == ["desktops.k8s.yaml"]
    for template in templates:
        text = template.read_text()
        assert text == (guide_run.app / "dist" / template.name).read_text()
        assert "{{" not in text


def test_without_the_pinned_node_the_banner_appears(guide_run: GuideRun) -> None:
    """The control: the app run on the system's Node.js prints what the tests above look for."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_THE_READERS)}
    env["PATH"] = readers_path(guide_run.app / ".venv" / "bin")
    node = subprocess.run(
        ["node", "--version"], env=env, capture_output=True, text=True, check=False
    )
    if not node.stdout.startswith("v20."):
        pytest.skip(f"the system's Node.js is {node.stdout.strip() or 'absent'}, not 20")
    result = subprocess.run(
        [guide_run.app / ".venv" / "bin" / "python", "main.py"],
        cwd=guide_run.app,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert "end-of-life" in result.stderr
