"""One timed run of the fleet benchmark, in a fresh process (started by bench/fleet.py).

    python -m bench._worker library N --result OUT.json [--yaml-out FLEET.yaml]
    python -m bench._worker floor N --yaml-in FLEET.yaml --result OUT.json

``library`` times ``cdk8s.App()`` + one ``Chart`` + N ``HardenedWorkspace`` + ``app.synth_yaml()``.
``floor`` re-emits the objects ``library`` synthesized as bare ``cdk8s.ApiObject`` s (body set by
one ``JsonPatch.add`` per top-level key) in a fresh app and times the same steps; its input is
parsed before the timer starts. Both then record the peak resident memory (``VmHWM``) of this
Python process and of the Node processes jsii started, which are still alive at that point.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

import cdk8s
import cdk8s_plus_28  # noqa: F401  (the library imports it: keep both workers' imports equal)
import yaml  # type: ignore[import-untyped]

from bench._memory import peak_memory
from kasm_constructs import FleetAccess, HardenedWorkspace, WorkspaceFleet

NAMESPACE = "desktops"
IMAGE = "kasmweb/desktop:1.16.0"
SECRET_ENV = {"VNC_PW": ("kasm-secrets", "vnc-password")}
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_METADATA_FIELDS = {
    "name": "name",
    "namespace": "namespace",
    "labels": "labels",
    "annotations": "annotations",
    "finalizers": "finalizers",
    "ownerReferences": "owner_references",
}


def parse_manifests(text: str) -> list[dict[str, Any]]:
    """The objects of a multi-document YAML stream, empty documents dropped."""
    return [doc for doc in yaml.load_all(text, Loader=_LOADER) if doc]


# --- the two timed runs ----------------------------------------------------------------------


#: The ``people`` scenario: examples/fleet's three presets, people spread over them, each reached
#: through Gateway API with a certificate from cert-manager.
PRESETS = {
    "desktop": {"image": "kasmweb/desktop:1.16.0"},
    "chrome": {"image": "kasmweb/chrome:1.16.0", "egress_internet": True, "shm_size": "1Gi"},
    "vs-code": {"image": "kasmweb/vs-code:1.16.0", "limits": {"cpu": "4", "memory": "6Gi"}},
}
ACCESS = FleetAccess.route(
    host="{user}.desktops.example.com",
    gateway="public",
    gateway_namespace="gateway-system",
    ca_config_map="desktops-ca",
    issuer="desktops-ca",
)


def build(chart: cdk8s.Chart, n: int, people: bool) -> None:
    """N workspaces with their default objects, or a fleet of N people."""
    if people:
        users = {f"user-{i}": list(PRESETS)[i % len(PRESETS)] for i in range(n)}
        WorkspaceFleet(chart, "fleet", name="desktops", users=users, presets=PRESETS, access=ACCESS)
        return
    for i in range(n):
        HardenedWorkspace(chart, f"user-{i}", image=IMAGE, secret_env=SECRET_ENV)


def run_library(n: int, yaml_out: Path | None, people: bool) -> dict[str, Any]:
    gc.collect()
    start = time.perf_counter()
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "fleet", namespace=NAMESPACE)
    build(chart, n, people)
    built = time.perf_counter()
    manifest = app.synth_yaml()
    done = time.perf_counter()
    memory = peak_memory()
    objects = parse_manifests(manifest)
    if yaml_out is not None:
        yaml_out.write_text(manifest)
    return {
        "construct_s": built - start,
        "synth_s": done - built,
        "total_s": done - start,
        "objects": len(objects),
        "kinds": sorted({o["kind"] for o in objects}),
        "yaml_bytes": len(manifest),
        "memory": memory,
    }


def _floor_input(objects: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any], Any]]:
    """(apiVersion, kind, metadata kwargs, [(patch path, value)]) per object."""
    prepared = []
    for obj in objects:
        metadata = {}
        for key, value in obj["metadata"].items():
            if key not in _METADATA_FIELDS:
                raise ValueError(f"metadata.{key} is not supported by the floor")
            metadata[_METADATA_FIELDS[key]] = value
        body = [
            (f"/{key}", value)
            for key, value in obj.items()
            if key not in ("apiVersion", "kind", "metadata")
        ]
        prepared.append((obj["apiVersion"], obj["kind"], metadata, body))
    return prepared


def add_floor(chart: cdk8s.Chart, prepared: list[tuple[str, str, dict[str, Any], Any]]) -> None:
    """The objects of :func:`_floor_input` as bare ApiObjects ``o0``, ``o1``, ... of ``chart``."""
    for index, (api_version, kind, metadata, body) in enumerate(prepared):
        obj = cdk8s.ApiObject(
            chart,
            f"o{index}",
            api_version=api_version,
            kind=kind,
            metadata=cdk8s.ApiObjectMetadata(**metadata),
        )
        obj.add_json_patch(*[cdk8s.JsonPatch.add(path, value) for path, value in body])


def run_floor(n: int, yaml_in: Path) -> dict[str, Any]:
    objects = parse_manifests(yaml_in.read_text())
    prepared = _floor_input(objects)
    gc.collect()
    start = time.perf_counter()
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "fleet", namespace=NAMESPACE)
    add_floor(chart, prepared)
    built = time.perf_counter()
    manifest = app.synth_yaml()
    done = time.perf_counter()
    memory = peak_memory()
    return {
        "construct_s": built - start,
        "synth_s": done - built,
        "total_s": done - start,
        "objects": len(prepared),
        "identical_to_library": parse_manifests(manifest) == objects,
        "yaml_bytes": len(manifest),
        "memory": memory,
        "workspaces": n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("library", "floor"))
    parser.add_argument("n", type=int)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--yaml-out", type=Path)
    parser.add_argument("--yaml-in", type=Path)
    parser.add_argument("--people", action="store_true", help="a WorkspaceFleet of N people")
    options = parser.parse_args(argv)
    if options.mode == "library":
        result = run_library(options.n, options.yaml_out, options.people)
    else:
        if options.yaml_in is None:
            parser.error("floor needs --yaml-in")
        result = run_floor(options.n, options.yaml_in)
    result.update(mode=options.mode, n=options.n, python=sys.version.split()[0])
    options.result.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
