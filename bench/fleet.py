"""Fleet benchmark: synthesize N ``HardenedWorkspace`` in one app, against the bare-ApiObject floor.

Run from the repository root with the repository's venv (Node 22 from node_modules):

    export PATH=$PWD/node_modules/.bin:$PATH
    .venv/bin/python -m bench [--sizes 10,100,250,1000] [--repeat 3] [--json] [--check]
    .venv/bin/python -m bench --people [--sizes 1000,3000,10000] [--repeat 1] [--json] [--check]

(``--people``: ``cdk8s synth`` of a roster of N people against two floors, bench/people.py.)

(``.venv/bin/python bench/fleet.py ...`` is the same.) For each N and each of ``--repeat`` runs,
two fresh Python processes (bench/_worker.py):

- library: ``cdk8s.App()``, ``Chart(app, "fleet", namespace="desktops")``, N times
  ``HardenedWorkspace(chart, f"user-{i}", image="kasmweb/desktop:1.16.0",
  secret_env={"VNC_PW": ("kasm-secrets", "vnc-password")})``, ``app.synth_yaml()``; timed from
  ``App()`` to the YAML string (imports excluded).
- floor: the objects the library synthesized (its YAML, parsed before the timer) re-emitted
  in a fresh app as bare ``cdk8s.ApiObject(chart, id, api_version, kind, metadata)`` with one
  ``JsonPatch.add("/<key>", ...)`` per top-level body key, then ``app.synth_yaml()``; timed the
  same way. Its output is checked to equal the library's.

Times are medians over the runs, memory peaks (``VmHWM`` of the Python process and of the Node
kernel process jsii starts, read while it is alive) the maximum. Import cost: the median of
``--import-repeat`` fresh interpreters per command, after one discarded warm-up round; the
target uses the wall time of the whole ``python -c``. ``--check`` exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (10, 100, 250, 1000)
RATIO_LIMIT = 2.0
SCALING_LIMIT = 1.2
IMPORT_LIMIT = 0.20
WORKER_TIMEOUT_S = 1800

IMPORT_BASELINE = "import cdk8s, cdk8s_plus_28"
IMPORT_COMMANDS = {
    "baseline": IMPORT_BASELINE,
    "import kasm_constructs": f"{IMPORT_BASELINE}; import kasm_constructs",
    "from kasm_constructs import HardenedWorkspace": (
        f"{IMPORT_BASELINE}; from kasm_constructs import HardenedWorkspace"
    ),
}
# Prints the in-process time of the imports, without interpreter start-up and exit.
_TIMED_IMPORT = "import time; _t = time.perf_counter(); {code}; print(time.perf_counter() - _t)"


def environment() -> dict[str, str]:
    """The workers' environment: Node 22 from node_modules first on PATH, the repo importable."""
    env = dict(os.environ)
    node_bin = REPO / "node_modules" / ".bin"
    if node_bin.is_dir():
        env["PATH"] = f"{node_bin}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` from the repository root in the workers' environment, its output
    captured."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_S,
        check=False,
    )


def source_fingerprint() -> str:
    """A short hash of kasm_constructs/*.py: which version of the library was measured."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "kasm_constructs").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def node_version() -> str:
    completed = subprocess.run(
        ["node", "--version"], env=environment(), capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or completed.stderr.strip()


def _log(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def run_worker(mode: str, n: int, workdir: Path, yaml_path: Path, write_yaml: bool) -> Any:
    result = workdir / f"{mode}-{n}.json"
    command = [sys.executable, "-m", "bench._worker", mode, str(n), "--result", str(result)]
    if mode == "floor":
        command += ["--yaml-in", str(yaml_path)]
    elif write_yaml:
        command += ["--yaml-out", str(yaml_path)]
    completed = run_module(*command[2:])
    if completed.returncode != 0:
        raise RuntimeError(
            f"{mode} worker (N={n}) failed with exit code {completed.returncode}:\n"
            f"{completed.stderr[-4000:]}"
        )
    return json.loads(result.read_text())


def measure_size(n: int, repeat: int, workdir: Path, quiet: bool) -> dict[str, Any]:
    yaml_path = workdir / f"fleet-{n}.yaml"
    runs: dict[str, list[Any]] = {"library": [], "floor": []}
    for attempt in range(repeat):
        for mode in ("library", "floor"):
            run = run_worker(mode, n, workdir, yaml_path, write_yaml=attempt == 0)
            runs[mode].append(run)
            _log(f"  N={n:<5} run {attempt + 1}/{repeat} {mode:<8} {run['total_s']:8.3f} s", quiet)
    yaml_path.unlink(missing_ok=True)

    def summary(mode: str) -> dict[str, Any]:
        items = runs[mode]
        total = statistics.median(r["total_s"] for r in items)
        return {
            "total_s": total,
            "construct_s": statistics.median(r["construct_s"] for r in items),
            "synth_s": statistics.median(r["synth_s"] for r in items),
            "ms_per_workspace": 1000 * total / n,
            "runs_total_s": [r["total_s"] for r in items],
            "objects": items[0]["objects"],
            "python_peak_mib": max(r["memory"]["python_kib"] for r in items) / 1024,
            "node_peak_mib": max(r["memory"]["node_kernel_kib"] for r in items) / 1024,
            "node_all_peak_mib": max(r["memory"]["node_total_kib"] for r in items) / 1024,
        }

    library, floor = summary("library"), summary("floor")
    library["kinds"] = runs["library"][0]["kinds"]
    floor["identical_to_library"] = all(r["identical_to_library"] for r in runs["floor"])
    return {
        "n": n,
        "library": library,
        "floor": floor,
        "ratio": library["total_s"] / floor["total_s"],
        "objects_per_workspace": library["objects"] / n,
    }


def measure_imports(repeat: int, quiet: bool) -> dict[str, Any]:
    env = environment()
    samples: dict[str, dict[str, list[float]]] = {
        label: {"wall_s": [], "in_process_s": []} for label in IMPORT_COMMANDS
    }
    for attempt in range(repeat + 1):  # the first round warms the caches and is discarded
        for label, code in IMPORT_COMMANDS.items():  # interleaved, so drift hits all alike
            start = time.perf_counter()
            completed = subprocess.run(
                [sys.executable, "-c", _TIMED_IMPORT.format(code=code)],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            if attempt > 0:
                samples[label]["wall_s"].append(time.perf_counter() - start)
                samples[label]["in_process_s"].append(float(completed.stdout.split()[-1]))
    result: dict[str, Any] = {"repeat": repeat, "commands": {}}
    base = {key: statistics.median(v) for key, v in samples["baseline"].items()}
    for label, code in IMPORT_COMMANDS.items():
        medians = {key: statistics.median(v) for key, v in samples[label].items()}
        result["commands"][label] = {
            "python_c": code,
            **medians,
            "added_wall_pct": 100 * (medians["wall_s"] / base["wall_s"] - 1),
            "added_in_process_pct": 100 * (medians["in_process_s"] / base["in_process_s"] - 1),
        }
        _log(f"  import {label!r}: {medians['wall_s'] * 1000:.0f} ms", quiet)
    return result


def targets(sizes: list[dict[str, Any]], imports: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The targets of #6, evaluated at the largest N (1,000 in the full run)."""
    ratio_limit, scaling_limit, unit = RATIO_LIMIT, SCALING_LIMIT, "workspace"
    checks: list[dict[str, Any]] = []
    if sizes:
        largest = sizes[-1]
        checks.append(
            {
                "target": f"library/floor at N={largest['n']} <= {ratio_limit}",
                "value": round(largest["ratio"], 3),
                "limit": ratio_limit,
                "passed": largest["ratio"] <= ratio_limit,
            }
        )
    if len(sizes) >= 2:
        large, small = sizes[-1], sizes[-2]
        growth = large["library"]["ms_per_workspace"] / small["library"]["ms_per_workspace"]
        checks.append(
            {
                "target": (
                    f"ms/{unit} at N={large['n']} <= {scaling_limit} x that at N={small['n']}"
                ),
                "value": round(growth, 3),
                "limit": scaling_limit,
                "passed": growth <= scaling_limit,
            }
        )
    if imports is not None:
        for label in ("import kasm_constructs", "from kasm_constructs import HardenedWorkspace"):
            added = imports["commands"][label]["added_wall_pct"]
            checks.append(
                {
                    "target": f"`{label}` adds <= {IMPORT_LIMIT:.0%} over cdk8s + cdk8s_plus_28",
                    "value": round(added, 1),
                    "limit": 100 * IMPORT_LIMIT,
                    "passed": added <= 100 * IMPORT_LIMIT,
                }
            )
    return checks


def render_table(report: dict[str, Any]) -> str:
    unit = "ws"
    header = (
        f"{'N':>6} {'lib ms/' + unit:>10} {'(build':>8} {'synth)':>7} {'floor ms/' + unit:>12} "
        f"{'lib/floor':>10} {'obj/' + unit:>7} {'lib py MiB':>11} {'lib node MiB':>13} "
        f"{'floor py MiB':>13} {'floor node MiB':>15}"
    )
    lines = [header, "-" * len(header)]
    for row in report["sizes"]:
        lib, floor, n = row["library"], row["floor"], row["n"]
        lines.append(
            f"{n:>6} {lib['ms_per_workspace']:>10.2f} {1000 * lib['construct_s'] / n:>8.2f} "
            f"{1000 * lib['synth_s'] / n:>7.2f} {floor['ms_per_workspace']:>12.2f} "
            f"{row['ratio']:>10.2f} {row['objects_per_workspace']:>7.2f} "
            f"{lib['python_peak_mib']:>11.1f} {lib['node_peak_mib']:>13.1f} "
            f"{floor['python_peak_mib']:>13.1f} {floor['node_peak_mib']:>15.1f}"
        )
    lines.append("")
    lines.append(
        f"times: median of {report['repeat']} fresh processes per N (construction + synth_yaml); "
        "memory: max VmHWM; node = the jsii kernel process (lib/program.js)"
    )
    machine = report["machine"]
    lines.append(
        f"{machine['cpus']} CPUs, Python {machine['python']}, Node {machine['node']}; "
        "1/5/15-min load average at start "
        + "/".join(f"{x:.2f}" for x in machine["load_average_at_start"])
        + ", at end "
        + "/".join(f"{x:.2f}" for x in machine["load_average_at_end"])
        + " (other jobs on the machine skew the times); kasm_constructs/*.py sha256 "
        + machine["kasm_constructs_sha256"]
    )
    if not all(row["floor"]["identical_to_library"] for row in report["sizes"]):
        lines.append("WARNING: the floor's YAML differs from the library's")
    imports = report.get("imports")
    if imports is not None:
        lines.append("")
        lines.append(
            f"imports (median of {imports['repeat']} fresh interpreters; wall = whole "
            "`python -c`, in-process = the import statements alone):"
        )
        for label, item in imports["commands"].items():
            added = (
                ""
                if label == "baseline"
                else f"  {item['added_wall_pct']:+.1f}% wall, "
                f"{item['added_in_process_pct']:+.1f}% in-process"
            )
            lines.append(
                f"  {item['python_c']:<72} {1000 * item['wall_s']:7.0f} ms wall "
                f"{1000 * item['in_process_s']:6.0f} ms in-process{added}"
            )
    lines.append("")
    lines.extend(
        f"{'PASS' if check['passed'] else 'FAIL'}  {check['target']}: {check['value']}"
        for check in report["targets"]
    )
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(item) for item in text.split(",") if item.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if "--people" in arguments:  # its own benchmark, its own options (bench/people.py)
        from bench.people import main as people  # noqa: PLC0415

        arguments.remove("--people")
        return people(arguments)
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Synthesize N HardenedWorkspaces vs the bare-ApiObject floor.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated workspace counts (default: 10,100,250,1000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (default: 3)")
    parser.add_argument(
        "--import-repeat",
        type=int,
        help="fresh interpreters per import command (default: --repeat)",
    )
    parser.add_argument("--no-imports", action="store_true", help="skip the import timing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--people",
        action="store_true",
        help="instead: cdk8s synth of a roster of N people vs a pure-Python floor and bare "
        "ApiObjects (bench/people.py; python -m bench --people --help for its options)",
    )
    options = parser.parse_args(arguments)
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    quiet = options.quiet or options.json

    report: dict[str, Any] = {
        "scenario": "workspaces",
        "repeat": options.repeat,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "node": node_version(),
            "load_average_at_start": os.getloadavg(),
            "kasm_constructs_sha256": source_fingerprint(),
        },
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="kasm-bench-") as tmp:
        _log("warm-up run (discarded)", quiet)
        run_worker("library", 1, Path(tmp), Path(tmp) / "warm-up.yaml", write_yaml=False)
        for n in options.sizes:
            report["sizes"].append(measure_size(n, options.repeat, Path(tmp), quiet))
    report["imports"] = (
        None
        if options.no_imports
        else measure_imports(options.import_repeat or options.repeat, quiet)
    )
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["targets"] = targets(report["sizes"], report["imports"])
    if options.json:
        print(json.dumps(report, indent=2))
    else:
        print(render_table(report))
    failed = not all(check["passed"] for check in report["targets"])
    return 1 if options.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
