"""Helpers: synthesize through the public API and read the YAML that cdk8s writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cdk8s
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

Manifest = dict[str, Any]


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child Python process: this one's (conftest.py put the pinned Node
    first on PATH), with the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return {**env, **extra}


def synth(build: Callable[[cdk8s.App], object]) -> list[Manifest]:
    """Build an app, synthesize it as cdk8s does (validations included) and parse the YAML."""
    app = cdk8s.App()
    build(app)
    return [doc for doc in yaml.safe_load_all(app.synth_yaml()) if doc]


def synth_yaml(build: Callable[[cdk8s.App], object]) -> str:
    app = cdk8s.App()
    build(app)
    return app.synth_yaml()


def one(manifests: list[Manifest], kind: str) -> Manifest:
    """The only manifest of ``kind``."""
    found = [m for m in manifests if m["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def pod_spec(manifest: Manifest) -> dict[str, Any]:
    spec: dict[str, Any] = manifest["spec"]["template"]["spec"]
    return spec


def container(manifest: Manifest) -> dict[str, Any]:
    containers = pod_spec(manifest)["containers"]
    assert len(containers) == 1
    result: dict[str, Any] = containers[0]
    return result


def mounts(manifest: Manifest) -> dict[str, str]:
    """mountPath -> volume name."""
    return {m["mountPath"]: m["name"] for m in container(manifest)["volumeMounts"]}


def volumes(manifest: Manifest) -> dict[str, dict[str, Any]]:
    """volume name -> volume."""
    return {v["name"]: v for v in pod_spec(manifest).get("volumes", [])}


def env(manifest: Manifest) -> dict[str, Any]:
    """name -> value, or -> valueFrom."""
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(manifest)["env"]}


#: How kubectl reads a file, offline: it parses the YAML as the API server would receive it.
KUBECTL_LABEL = ("kubectl", "label", "--local", "-o", "json", "-f")
PROBE_LABEL = "kasm-constructs.io/read-by-kubectl"


def kubectl_reading(path: Path) -> list[Manifest]:
    """The objects kubectl reads from ``path``, as it would send them to the API server."""
    completed = subprocess.run(
        [*KUBECTL_LABEL, str(path), f"{PROBE_LABEL}=yes"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    # one JSON document per object, back to back
    objects: list[Manifest] = []
    decoder, text = json.JSONDecoder(), completed.stdout
    at = _skip_space(text, 0)
    while at < len(text):
        obj, at = decoder.raw_decode(text, at)
        objects.append(obj)
        at = _skip_space(text, at)
    for obj in objects:
        labels = obj["metadata"]["labels"]
        assert labels.pop(PROBE_LABEL) == "yes"
        if not labels:
            del obj["metadata"]["labels"]
    return objects


def _skip_space(text: str, at: int) -> int:
    """The index of the first character at or after ``at`` that is not white space."""
    while at < len(text) and text[at].isspace():
        at += 1
    return at


needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not on PATH")
