"""Tests of the ``kasm-constructs audit`` command (audit.py and __main__.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kasm_constructs.__main__ import main
from tests.helpers import child_env

REPO_ROOT = Path(__file__).resolve().parents[1]

RESTRICTED_CONTAINER = """\
      - name: app
        image: registry.example/desktop:1
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
"""

ALLOWED_DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: desktop
  namespace: kasm
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: {{type: RuntimeDefault}}
      containers:
{RESTRICTED_CONTAINER}"""

DENIED_DEPLOYMENT = ALLOWED_DEPLOYMENT.replace(
    "allowPrivilegeEscalation: false", "privileged: true"
)

SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: desktop}
spec:
  ports: [{port: 443}]
"""


def pod(name: str, **security_context: Any) -> dict[str, Any]:
    """A Pod that meets "restricted", with extra pod-level securityContext fields."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "securityContext": {
                "runAsNonRoot": True,
                "seccompProfile": {"type": "RuntimeDefault"},
                **security_context,
            },
            "containers": [
                {
                    "name": "app",
                    "image": "registry.example/desktop:1",
                    "securityContext": {
                        "allowPrivilegeEscalation": False,
                        "capabilities": {"drop": ["ALL"]},
                    },
                }
            ],
        },
    }


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def audit_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any]]:
    code = main(["audit", "--output", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def assert_clean_error(capsys: pytest.CaptureFixture[str], code: int, *fragments: str) -> None:
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("kasm-constructs audit: error: ")
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    for fragment in fragments:
        assert fragment in captured.err


# --- Reports ------------------------------------------------------------------------------------


def test_text_report_for_an_allowed_deployment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "ok.yaml", ALLOWED_DEPLOYMENT)
    assert main(["audit", file]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"ALLOWED {file} Deployment/desktop (kasm)",
        '1 pod-bearing object checked against Pod Security "restricted" (v1.37): '
        "1 allowed, 0 denied",
    ]


def test_text_report_for_a_denied_deployment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "bad.yaml", DENIED_DEPLOYMENT)
    assert main(["audit", file]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"DENIED {file} Deployment/desktop (kasm)"
    assert (
        "  - privileged at spec.template.spec.containers[0].securityContext.privileged: "
        'container "app" must not set securityContext.privileged=true'
    ) in lines
    assert any(line.startswith("  - allowPrivilegeEscalation at ") for line in lines)
    assert lines[-1].endswith("0 allowed, 1 denied")


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    denied = write(tmp_path, "bad.yaml", DENIED_DEPLOYMENT)
    allowed = write(tmp_path, "ok.json", json.dumps(pod("plain")))
    code, report = audit_json(capsys, denied, allowed)
    assert code == 1
    assert [{key: item[key] for key in item if key != "violations"} for item in report] == [
        {
            "file": denied,
            "kind": "Deployment",
            "name": "desktop",
            "namespace": "kasm",
            "allowed": False,
        },
        {"file": allowed, "kind": "Pod", "name": "plain", "namespace": None, "allowed": True},
    ]
    violations = report[0]["violations"]
    assert [v["check"] for v in violations] == ["privileged", "allowPrivilegeEscalation"]
    assert violations[0] == {
        "check": "privileged",
        "message": 'container "app" must not set securityContext.privileged=true',
    }
    assert report[1]["violations"] == []


def test_json_input_does_not_need_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cdk8s", None)  # importing cdk8s would now fail
    file = write(tmp_path, "pod.json", json.dumps(pod("p", runAsUser=0)))
    code, report = audit_json(capsys, file)
    assert code == 1
    assert [v["check"] for v in report[0]["violations"]] == ["runAsUser"]


# --- What counts as a manifest ------------------------------------------------------------------


def test_multi_document_yaml_with_empty_documents_and_ignored_kinds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = f"---\n{SERVICE}---\n---\n# only a comment\n---\n{DENIED_DEPLOYMENT}---\n{SERVICE}"
    file = write(tmp_path, "chart.k8s.yaml", content)
    code, report = audit_json(capsys, file)
    assert code == 1
    assert [(item["kind"], item["name"]) for item in report] == [("Deployment", "desktop")]


@pytest.mark.parametrize("list_kind", ["List", "PodList"])
def test_list_kinds_are_unpacked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], list_kind: str
) -> None:
    items = [pod("first"), {"apiVersion": "v1", "kind": "ConfigMap"}, pod("second", runAsUser=0)]
    file = write(tmp_path, "list.json", json.dumps({"kind": list_kind, "items": items}))
    code, report = audit_json(capsys, file)
    assert code == 1
    assert [(item["name"], item["allowed"]) for item in report] == [
        ("first", True),
        ("second", False),
    ]


def test_yaml_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
- apiVersion: batch/v1
  kind: CronJob
  metadata: {name: cleanup}
  spec:
    schedule: "@daily"
    jobTemplate:
      spec:
        template:
          spec:
            hostPID: true
            containers: [{name: job, image: busybox}]
"""
    code, report = audit_json(capsys, "--level", "baseline", write(tmp_path, "list.yaml", content))
    assert code == 1
    assert report == [
        {
            "file": str(tmp_path / "list.yaml"),
            "kind": "CronJob",
            "name": "cleanup",
            "namespace": None,
            "allowed": False,
            "violations": [{"check": "hostNamespaces", "message": "pod must not set hostPID=true"}],
        }
    ]


def test_files_without_pods_are_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = write(tmp_path, "svc.yaml", SERVICE)
    empty = write(tmp_path, "empty.yaml", "\n\n")
    assert main(["audit", service, empty]) == 0
    assert capsys.readouterr().out.splitlines() == [
        '0 pod-bearing objects checked against Pod Security "restricted" (v1.37): '
        "0 allowed, 0 denied"
    ]


# --- Level and version --------------------------------------------------------------------------


def test_level_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = pod("p")
    manifest["spec"]["containers"][0].pop("securityContext")
    file = write(tmp_path, "pod.json", json.dumps(manifest))
    assert main(["audit", "--level", "baseline", file]) == 0
    assert main(["audit", file]) == 1
    assert main(["audit", "--level", "restricted", file]) == 1


def test_version_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sysctls = [{"name": "net.ipv4.tcp_keepalive_time", "value": "600"}]
    file = write(tmp_path, "pod.json", json.dumps(pod("p", sysctls=sysctls)))
    assert main(["audit", "--version", "1.29", file]) == 0
    assert 'Pod Security "restricted" (v1.29)' in capsys.readouterr().out
    code, report = audit_json(capsys, "--version", "1.28", file)
    assert code == 1
    assert [v["check"] for v in report[0]["violations"]] == ["sysctls"]
    assert main(["audit", "--version", "latest", file]) == 0
    assert "(v1.37)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["audit"],
        ["audit", "--level", "privileged", "x.yaml"],
        ["audit", "--version", "1.22", "x.yaml"],
        ["audit", "--output", "xml", "x.yaml"],
        ["lint", "x.yaml"],
        [],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


# --- Unreadable input ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = write(tmp_path, "ok.json", json.dumps(pod("p")))
    missing = str(tmp_path / "missing.yaml")
    assert_clean_error(capsys, main(["audit", ok, missing]), missing, "No such file")


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_clean_error(capsys, main(["audit", str(tmp_path)]), str(tmp_path), "directory")


def test_invalid_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write(tmp_path, "bad.yaml", f"{ALLOWED_DEPLOYMENT}      volumes: *undefined_anchor\n")
    assert_clean_error(capsys, main(["audit", file]), "cannot parse", file, "alias")


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write(
        tmp_path, "latin1.yaml", "kind: Pod\nmetadata: {name: caf\xe9}\n".encode("latin-1")
    )
    assert_clean_error(capsys, main(["audit", file]), file, "UTF-8")


@pytest.mark.parametrize(
    "content", ["just some text\n", "- kind: Pod\n", "metadata: {name: no-kind}\n", "[1, 2]"]
)
def test_documents_that_are_not_objects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    file = write(tmp_path, "notes.yaml", content)
    assert_clean_error(capsys, main(["audit", file]), file, "document 1", "Kubernetes object")


# --- End to end ---------------------------------------------------------------------------------


def test_python_dash_m_end_to_end(tmp_path: Path) -> None:
    file = write(tmp_path, "chart.yaml", f"{SERVICE}---\n{DENIED_DEPLOYMENT}")
    environment = child_env()
    completed = subprocess.run(
        [sys.executable, "-m", "kasm_constructs", "audit", "--output", "json", file],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    report = json.loads(completed.stdout)
    assert [(item["kind"], item["allowed"]) for item in report] == [("Deployment", False)]
    assert "privileged" in {v["check"] for v in report[0]["violations"]}
