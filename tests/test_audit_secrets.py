"""``kasm-constructs audit --check-secrets``: a credential written as a literal value, in a
container's ``env``, in a ConfigMap of the input that ``envFrom`` or ``configMapKeyRef`` reads,
or in ``command``/``args``; the value is never printed. The credential names are those of
``kasm_constructs.options.images.CREDENTIAL_VARIABLES`` and any name with PASSWORD, TOKEN or
SECRET in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kasm_constructs.__main__ import main
from kasm_constructs.cli.audit import PLAINTEXT_CREDENTIAL
from kasm_constructs.options.images import CREDENTIAL_VARIABLES
from tests.test_audit import REPO_ROOT, pod, position, sarif_validator, write

SECRET_VALUE = "hunter2-do-not-print"


def with_container(name: str = "p", namespace: str | None = None, **fields: Any) -> dict[str, Any]:
    """A restricted Pod whose container has ``fields`` (env, envFrom, command, args)."""
    manifest = pod(name)
    if namespace is not None:
        manifest["metadata"]["namespace"] = namespace
    manifest["spec"]["containers"][0].update(fields)
    return manifest


def config_map(name: str, data: dict[str, str], namespace: str | None = "kasm") -> dict[str, Any]:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}


def yaml_stream(*objects: dict[str, Any]) -> str:
    return "---\n".join(yaml.safe_dump(obj, sort_keys=False) for obj in objects)


def secrets_report(
    capsys: pytest.CaptureFixture[str], *files: str
) -> tuple[int, list[tuple[str, str, str]]]:
    """(status, [(check, field, message)]) of ``audit --check-secrets --output json``, after
    checking that no output format shows ``SECRET_VALUE``."""
    outputs = []
    for output in ("text", "sarif", "json"):
        code = main(["audit", "--check-secrets", "--output", output, *files])
        outputs.append(capsys.readouterr())
    assert all(SECRET_VALUE not in out.out + out.err for out in outputs)
    sarif_validator().validate(json.loads(outputs[1].out))
    findings = [
        (v["check"], v["field"], v["message"])
        for item in json.loads(outputs[2].out)
        for v in item["violations"]
    ]
    return code, findings


# --- env ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env_name",
    [*sorted(CREDENTIAL_VARIABLES), "DB_PASSWORD", "api_token", "ClientSecret"],
)
def test_a_literal_env_value_under_a_credentials_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], env_name: str
) -> None:
    manifest = with_container(
        env=[
            {"name": "HOME", "value": "/home/kasm-user"},
            {"name": env_name, "value": SECRET_VALUE},
            {"name": "VNC_PW", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
        ]
    )
    file = write(tmp_path, "pod.json", json.dumps(manifest))
    assert main(["audit", file]) == 0  # not checked unless asked
    capsys.readouterr()
    code, findings = secrets_report(capsys, file)
    assert code == 1
    assert [(check, field) for check, field, _ in findings] == [
        (PLAINTEXT_CREDENTIAL, "spec.containers[0].env[1].value")
    ]
    assert f"sets {env_name} to a literal value" in findings[0][2]


def test_a_credential_read_from_a_config_map_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ConfigMap holds plain text, in the input or not."""
    reference = {"configMapKeyRef": {"name": "vnc", "key": "password"}}
    manifest = with_container(env=[{"name": "VNC_VIEW_ONLY_PW", "valueFrom": reference}])
    code, findings = secrets_report(capsys, write(tmp_path, "pod.json", json.dumps(manifest)))
    assert code == 1
    [(_, field, message)] = findings
    assert field == "spec.containers[0].env[0].valueFrom.configMapKeyRef"
    assert message == (
        'container "app" reads VNC_VIEW_ONLY_PW from ConfigMap "vnc", which holds it as plain '
        "text; use valueFrom.secretKeyRef"
    )


# --- envFrom --------------------------------------------------------------------------------------


@pytest.mark.parametrize("same_file", [True, False])
def test_a_credential_read_through_env_from_a_config_map_of_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], same_file: bool
) -> None:
    source = config_map("vnc", {"RESOLUTION": "1920x1080", "VNC_PW": SECRET_VALUE})
    workload = with_container(namespace="kasm", envFrom=[{"configMapRef": {"name": "vnc"}}])
    if same_file:
        text = yaml_stream(source, workload)
        files = [write(tmp_path, "all.yaml", text)]
    else:
        text = yaml_stream(source)
        files = [
            write(tmp_path, "a/config.yaml", text),
            write(tmp_path, "b/pod.json", json.dumps(workload)),
        ]
    code, findings = secrets_report(capsys, *files)
    assert code == 1
    [(_, field, message)] = findings
    assert field == "spec.containers[0].envFrom[0].configMapRef"
    line = position(text, "VNC_PW:")[0]
    assert message == (
        f'container "app" reads VNC_PW from ConfigMap "vnc" ({files[0]}:{line}, data.VNC_PW), '
        "which holds it as plain text; put it in a Secret (envFrom.secretRef or "
        "valueFrom.secretKeyRef)"
    )


def test_env_from_names_a_variable_with_its_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = config_map("vnc", {"PW": SECRET_VALUE, "VIEW_ONLY_PW": SECRET_VALUE, "X": "1"})
    workload = with_container(
        namespace="kasm", envFrom=[{"prefix": "VNC_", "configMapRef": {"name": "vnc"}}]
    )
    file = write(tmp_path, "all.yaml", yaml_stream(source, workload))
    code, findings = secrets_report(capsys, file)
    assert code == 1
    assert ["VNC_PW" in m and "VNC_VIEW_ONLY_PW" not in m for _, _, m in findings] == [True, False]
    assert "reads VNC_VIEW_ONLY_PW from" in findings[1][2]


@pytest.mark.parametrize(
    ("config_map_namespace", "pod_namespace", "read"),
    [
        ("kasm", "kasm", True),
        (None, "kasm", True),  # kubectl apply -n decides: it may be the same
        ("kasm", None, True),
        ("other", "kasm", False),  # a pod reads ConfigMaps of its own namespace only
    ],
)
def test_env_from_reads_a_config_map_of_the_pods_namespace(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    config_map_namespace: str | None,
    pod_namespace: str | None,
    read: bool,
) -> None:
    source = config_map("vnc", {"VNC_PW": SECRET_VALUE}, config_map_namespace)
    workload = with_container(namespace=pod_namespace, envFrom=[{"configMapRef": {"name": "vnc"}}])
    code, findings = secrets_report(
        capsys, write(tmp_path, "all.yaml", yaml_stream(source, workload))
    )
    assert (code, len(findings)) == ((1, 1) if read else (0, 0))


def test_a_config_map_not_in_the_input_cannot_be_seen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented limit: without the ConfigMap, its keys are unknown."""
    workload = with_container(envFrom=[{"configMapRef": {"name": "elsewhere"}}])
    assert secrets_report(capsys, write(tmp_path, "pod.json", json.dumps(workload))) == (0, [])


# --- command and args ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "at", "says"),
    [
        ({"args": [f"-password={SECRET_VALUE}"]}, "args[0]", "gives -password a literal value"),
        ({"args": ["-password", SECRET_VALUE]}, "args[1]", "gives -password a literal value"),
        ({"args": [f"--vnc-pw={SECRET_VALUE}"]}, "args[0]", "gives --vnc-pw a literal value"),
        ({"args": ["--auth-token", SECRET_VALUE]}, "args[1]", "gives --auth-token"),
        ({"command": ["vncserver", "-password"], "args": [SECRET_VALUE]}, "args[0]", "-password"),
        (
            {"command": ["sh", "-c", f"VNC_PW={SECRET_VALUE} exec /dockerstartup/vnc_startup.sh"]},
            "command[2]",
            "assigns VNC_PW a literal value in command[2]",
        ),
        (
            {"command": ["sh", "-c", f"export VNC_VIEW_ONLY_PW='{SECRET_VALUE}'; exec x"]},
            "command[2]",
            "assigns VNC_VIEW_ONLY_PW a literal value",
        ),
        ({"args": ["env", f"DB_PASSWORD={SECRET_VALUE}", "x"]}, "args[1]", "assigns DB_PASSWORD"),
    ],
)
def test_a_literal_credential_in_command_or_args(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fields: dict[str, Any], at: str, says: str
) -> None:
    file = write(tmp_path, "pod.json", json.dumps(with_container(**fields)))
    code, findings = secrets_report(capsys, file)
    assert code == 1
    [(_, field, message)] = findings
    assert field == f"spec.containers[0].{at}"
    assert says in message
    assert message.endswith(
        'read it from a Secret: an env variable with valueFrom.secretKeyRef, passed as "$(NAME)"'
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"args": ["-password=$(VNC_PW)"]},  # Kubernetes expands it from env
        {"args": ["-password", "$(VNC_PW)"]},
        {"command": ["sh", "-c", 'VNC_PW="$VNC_PW" exec x']},  # the shell expands it
        {"command": ["sh", "-c", "VNC_PW=${VNC_PW:-} exec x"]},
        {"args": ["--password-file=/run/secrets/vnc"]},  # a path, not a credential
        {"args": ["--password-stdin", "registry.example.com"]},
        {"args": ["--token", "--verbose"]},  # no value follows
        {"args": ["--password="]},
        {"args": ["PASSWORD_POLICY="]},
        {"command": ["sh", "-c", "echo 'unbalanced"]},
        # what the library writes
        {
            "command": ["/bin/sh", "-c", 'rm -f -- /tmp/.X1-lock /tmp/.X11-unix/X1; exec "$@"'],
            "args": ["--wait"],
        },
    ],
)
def test_references_and_other_flags_are_not_literal_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fields: dict[str, Any]
) -> None:
    file = write(tmp_path, "pod.json", json.dumps(with_container(**fields)))
    assert secrets_report(capsys, file) == (0, [])


# --- the library's output -------------------------------------------------------------------------


def test_the_committed_examples_have_no_literal_credential(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = [str(REPO_ROOT / "dist"), *map(str, sorted(REPO_ROOT.glob("examples/*/dist")))]
    assert len(paths) > 1
    assert main(["audit", "--check-secrets", "--output", "json", *paths]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sum(item["status"] == "allowed" for item in report) >= len(paths)
