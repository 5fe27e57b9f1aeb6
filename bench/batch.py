"""Batch benchmark: the rendered manifests of N people written as YAML by three routes, each
run in a fresh process (bench/_batch_worker.py), compared as ratios.

    export PATH=$PWD/node_modules/.bin:$PATH
    .venv/bin/python -m bench.batch [--people 1000,3000,10000] [--repeat 1] [--json]

The people: those of the committed examples/fleet/dist/desktops.k8s.yaml (25 people, three
presets, Gateway API and cert-manager: 7 objects each, plus the fleet's Namespace and
ResourceQuota), cycled, each copy with its own user name. The routes (bench/_batch_worker.py):

- ``apiobj``: one bare ``cdk8s.ApiObject`` per manifest from Python (the floor of bench/fleet.py);
- ``batch``: ``add_manifests`` (kasm_constructs/constructs/_batch.py), about 1 MB per call;
- ``pyyaml``: pure Python, ``yaml.dump_all`` with PyYAML's C dumper, no cdk8s, no Node.

The cdk8s routes end with ``app.synth()`` (what ``cdk8s synth`` runs) and must write the same
bytes. Per run: wall = from starting the process to its exit, as the caller of ``cdk8s synth``
sees it (interpreter, imports, jsii kernel start and shutdown, reading the input JSON);
work = from the manifests in hand to the YAML written. Medians over ``--repeat`` runs (the
routes interleaved, after one discarded warm-up round); peak memory (``VmHWM``) the maximum.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from bench.fleet import node_version, parse_sizes, run_module

REPO = Path(__file__).resolve().parents[1]
FLEET = REPO / "examples" / "fleet" / "dist" / "desktops.k8s.yaml"
USER_LABEL = "kasm-constructs.io/user"
ROUTES = ("apiobj", "batch", "pyyaml")
DEFAULT_PEOPLE = (1000, 3000, 10000)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def people(n: int) -> list[dict[str, Any]]:
    """The manifests of N people: the fleet's shared objects, then each person's, copied from
    the example's people in turn with the user name replaced (``p00000``, ``p00001``, ...)."""
    objects = [
        doc for doc in yaml.load_all(FLEET.read_text(encoding="utf-8"), Loader=_LOADER) if doc
    ]
    shared = [o for o in objects if USER_LABEL not in o["metadata"].get("labels", {})]
    by_user: dict[str, list[dict[str, Any]]] = {}
    for obj in objects:
        user = obj["metadata"].get("labels", {}).get(USER_LABEL)
        if user is not None:
            by_user.setdefault(user, []).append(obj)
    # The name as a whole word: "ken" is in "automountServiceAccountToken".
    templates = [
        (re.compile(rf"(?<![a-z0-9]){re.escape(user)}(?![a-z0-9])"), json.dumps(objs))
        for user, objs in by_user.items()
    ]
    manifests = list(shared)
    for index in range(n):
        pattern, text = templates[index % len(templates)]
        manifests += json.loads(pattern.sub(f"p{index:05d}", text))
    return manifests


def run_worker(
    route: str, manifests: Path, workdir: Path, options: Sequence[str] = ()
) -> dict[str, Any]:
    """One run of ``route`` (bench/_batch_worker.py, with ``options``) over the manifests of
    the JSON file ``manifests``, timed from the start of its process to its exit."""
    result = workdir / f"{route}.json"
    command = [sys.executable, "-m", "bench._batch_worker", route]
    command += ["--input", str(manifests), "--result", str(result), *options]
    start = time.time()
    completed = run_module(*command[2:])
    end = time.time()
    if completed.returncode != 0:
        raise RuntimeError(f"{route} worker failed:\n{completed.stderr[-4000:]}")
    run: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    run.update(
        wall_s=end - start,
        work_s=run["written"] - run["loaded"],
        build_s=run["built"] - run["loaded"],
        synth_s=run["written"] - run["built"],
    )
    return run


def _log(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def measure(n: int, repeat: int, workdir: Path, quiet: bool) -> dict[str, Any]:
    """The routes for N people, ``repeat`` times each, interleaved."""
    manifests = workdir / f"people-{n}.json"
    objects = people(n)
    manifests.write_text(json.dumps(objects), encoding="utf-8")
    runs: dict[str, list[dict[str, Any]]] = {route: [] for route in ROUTES}
    for attempt in range(repeat):
        for route in ROUTES:
            run = run_worker(route, manifests, workdir)
            runs[route].append(run)
            _log(
                f"  N={n:<6} run {attempt + 1}/{repeat} {route:<7} wall {run['wall_s']:7.2f} s"
                f"  work {run['work_s']:7.2f} s",
                quiet,
            )
    manifests.unlink()

    def summary(route: str) -> dict[str, Any]:
        items = runs[route]
        memory = [r["memory"] for r in items]
        return {
            **{
                key: statistics.median(r[key] for r in items)
                for key in ("wall_s", "work_s", "build_s", "synth_s")
            },
            "runs_wall_s": [round(r["wall_s"], 3) for r in items],
            "python_peak_mib": max(m["python_kib"] for m in memory) / 1024,
            "node_peak_mib": max(m["node_kernel_kib"] for m in memory) / 1024,
            "node_all_peak_mib": max(m["node_total_kib"] for m in memory) / 1024,
            "yaml_mb": items[0]["yaml_bytes"] / 1e6,
        }

    routes = {route: summary(route) for route in ROUTES}
    apiobj, batch, pyyaml = (routes[route] for route in ROUTES)
    digests = {route: {r["yaml_sha256"] for r in runs[route]} for route in ("apiobj", "batch")}
    return {
        "people": n,
        "objects": len(objects),
        "routes": routes,
        "batch_identical_to_apiobj": len(digests["apiobj"]) == 1
        and digests["batch"] == digests["apiobj"],
        "ratios": {
            "batch/apiobj wall": batch["wall_s"] / apiobj["wall_s"],
            "batch/apiobj work": batch["work_s"] / apiobj["work_s"],
            "batch/pyyaml wall": batch["wall_s"] / pyyaml["wall_s"],
            "batch/pyyaml work": batch["work_s"] / pyyaml["work_s"],
        },
    }


def render_table(report: dict[str, Any]) -> str:
    header = (
        f"{'people':>7} {'objects':>8} {'route':<7} {'wall s':>8} {'work s':>8} {'(build':>7} "
        f"{'synth)':>7} {'py MiB':>7} {'node MiB':>9} {'node all':>9} {'YAML MB':>8}"
    )
    lines = [header, "-" * len(header)]
    for row in report["sizes"]:
        for route, item in row["routes"].items():
            lines.append(
                f"{row['people']:>7} {row['objects']:>8} {route:<7} {item['wall_s']:>8.2f} "
                f"{item['work_s']:>8.2f} {item['build_s']:>7.2f} {item['synth_s']:>7.2f} "
                f"{item['python_peak_mib']:>7.0f} {item['node_peak_mib']:>9.0f} "
                f"{item['node_all_peak_mib']:>9.0f} {item['yaml_mb']:>8.1f}"
            )
        ratios = ", ".join(f"{name} {value:.2f}" for name, value in row["ratios"].items())
        same = "identical" if row["batch_identical_to_apiobj"] else "DIFFERENT"
        lines.append(f"{'':>7} ratios: {ratios}; batch YAML {same} to apiobj's")
    machine = report["machine"]
    lines += [
        "",
        f"times: median of {report['repeat']} fresh processes per route; wall = process start "
        "to exit, work = manifests in hand to YAML written; memory: max VmHWM, node = the jsii "
        "kernel (lib/program.js), node all = every Node process",
        f"{machine['cpus']} CPUs, Python {machine['python']}, Node {machine['node']}; 1/5/15-min "
        "load average at start "
        + "/".join(f"{x:.2f}" for x in machine["load_average_at_start"])
        + ", at end "
        + "/".join(f"{x:.2f}" for x in machine["load_average_at_end"]),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.batch",
        description="N people's manifests as YAML: add_manifests vs bare ApiObjects vs PyYAML.",
    )
    parser.add_argument(
        "--people",
        type=parse_sizes,
        default=list(DEFAULT_PEOPLE),
        help="comma-separated numbers of people (default: 1000,3000,10000)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per route (default: 1)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    options = parser.parse_args(argv)
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    quiet = options.quiet or options.json
    report: dict[str, Any] = {
        "repeat": options.repeat,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "node": node_version(),
            "load_average_at_start": os.getloadavg(),
        },
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="kasm-bench-batch-") as tmp:
        _log("warm-up round (discarded)", quiet)
        measure(1, 1, Path(tmp), quiet=True)
        for n in options.people:
            report["sizes"].append(measure(n, options.repeat, Path(tmp), quiet))
    report["machine"]["load_average_at_end"] = os.getloadavg()
    print(json.dumps(report, indent=2) if options.json else render_table(report))
    return 0 if all(row["batch_identical_to_apiobj"] for row in report["sizes"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
