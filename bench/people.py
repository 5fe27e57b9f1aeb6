"""People benchmark (#20): ``cdk8s synth`` of a roster of N people, against two floors measured
in the same run. ``python -m bench --people`` runs it (``python -m bench.people`` too):

    export PATH=$PWD/node_modules/.bin:$PATH
    .venv/bin/python -m bench --people [--sizes 1000,3000,10000] [--repeat 1] [--json] [--check]

The roster of N people is examples/fleet/roster.yaml with its people cycled and renamed
(``p00000``, ``p00001``, ...; their emails too, so every identity is one person's); the three
stopped seats of every 25 stay stopped. For each N and each of ``--repeat`` rounds, the routes
run one after the other, each in fresh processes:

- ``synth``: what a user runs. A temporary app directory (``cdk8s.yaml``, ``main.py``: a Chart
  ``desktops`` in namespace ``desktops`` with ``WorkspaceFleet.from_roster(chart, "fleet",
  roster)``, then ``app.synth()``) and the repository's pinned cdk8s CLI
  (``node_modules/.bin/cdk8s synth``), timed from its start to its exit. A thread reads /proc
  every 50 ms for the whole process tree: the peak RSS (``VmHWM``) of the Python app, of the
  jsii kernel (``lib/program.js``) and of every Node process (the CLI, ``jsii-runtime.js``,
  the kernel).
- ``pure``: the pure-Python floor (bench/_people_worker.py): the library's ``read_roster``,
  ``plan()`` and ``_pipeline.objects`` renderers, the fleet's shared objects as dicts, and
  ``yaml.dump_all`` with PyYAML's C dumper; no cdk8s, no Node. The whole process, timed.
- ``apiobj``: the reference (bench/_batch_worker.py ``apiobj``): the synth route's objects as
  bare ``cdk8s.ApiObject`` s from Python, then ``app.synth()``. The whole process, timed.

The synth route's YAML must be byte-identical to apiobj's, and equal, as parsed objects, to the
pure route's (PyYAML writes another layout). Times are medians over the rounds, peaks the
maximum. The targets (:data:`TARGETS`) are printed as PASS/FAIL; ``--check`` exits 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench import batch
from bench._memory import _children, _kib, _status
from bench._people_worker import CHART_ID, FLEET_ID, NAMESPACE
from bench.fleet import environment, node_version, parse_sizes, run_module

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_ROSTER = REPO / "examples" / "fleet" / "roster.yaml"
CLI = REPO / "node_modules" / ".bin" / "cdk8s"
ROUTES = ("synth", "pure", "apiobj")
DEFAULT_SIZES = (1000, 3000, 10000)
#: The warm-up round (discarded): the example's own size.
WARM_UP_PEOPLE = 25
POLL_S = 0.05
MIB = 1024
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_USER_LINE = re.compile(r"^  ([a-z0-9][a-z0-9-]*): (\{.*\})$")

MAIN_PY = f'''"""The app of ``python -m bench --people`` (bench/people.py)."""

import cdk8s

from kasm_constructs import WorkspaceFleet

app = cdk8s.App()
chart = cdk8s.Chart(app, {CHART_ID!r}, namespace={NAMESPACE!r})
WorkspaceFleet.from_roster(chart, {FLEET_ID!r}, "roster.yaml")
app.synth()
'''


# --- the roster ------------------------------------------------------------------------------


def roster_text(n: int, example: Path = EXAMPLE_ROSTER) -> str:
    """The example roster with N people: its people cycled, the i-th renamed ``p{i:05d}``, with
    their email's local part renamed too; everything else (presets, access, stopped seats,
    groups, overrides) as written."""
    head, marker, users = example.read_text(encoding="utf-8").partition("\nusers:\n")
    assert marker, f"{example}: no users"
    seats: list[tuple[str, str]] = []
    for line in users.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _USER_LINE.match(line)
        assert match, f"{example}: a user is not one line of flow mapping: {line!r}"
        user, seat = match.groups()
        # their own email, renamed with them: "alice@example.com" -> "p00000@example.com"
        renamed = re.compile(rf"(?<![\w.+-]){re.escape(user)}@")
        assert len(renamed.findall(seat)) == 1, (
            f"{example}: {user}'s email is not {user}@...: {line!r}"
        )
        seats.append((user, seat))
    lines = [head, marker]
    for index in range(n):
        user, seat = seats[index % len(seats)]
        name = f"p{index:05d}"
        own = re.sub(rf"(?<![\w.+-]){re.escape(user)}@", f"{name}@", seat)
        lines.append(f"  {name}: {own}\n")
    return "".join(lines)


def write_app(directory: Path, n: int) -> Path:
    """The synth route's app directory for N people: ``cdk8s.yaml``, ``main.py`` and
    ``roster.yaml``. Returns the roster's path."""
    directory.mkdir(parents=True, exist_ok=True)
    roster = directory / "roster.yaml"
    roster.write_text(roster_text(n), encoding="utf-8")
    (directory / "main.py").write_text(MAIN_PY, encoding="utf-8")
    (directory / "cdk8s.yaml").write_text(
        f"language: python\napp: {shlex.quote(sys.executable)} main.py\noutput: dist\n",
        encoding="utf-8",
    )
    return roster


# --- the synth route: the CLI, and its process tree's memory --------------------------------


def _role(name: str, command: bytes) -> str:
    """What a process of the synth route's tree is, by its name and command line: ``python``,
    ``kernel`` (jsii's ``lib/program.js``), ``runtime`` (``bin/jsii-runtime.js``), ``cli`` (the
    cdk8s CLI, the other Node process) or ``other`` (the shell)."""
    if name.startswith("python"):
        return "python"
    if name != "node":
        return "other"
    arguments = command.split(b"\0")
    scripts = {Path(a.decode()).name for a in arguments if a.endswith(b".js")}
    return "kernel" if "program.js" in scripts else "runtime" if scripts else "cli"


@dataclass
class _Seen:
    """A process as last seen: what it runs (its command line) and its largest ``VmHWM``."""

    command: bytes
    role: str
    hwm_kib: int = 0


class TreeMemory(threading.Thread):
    """Polls the process tree of ``root`` every :data:`POLL_S` until stopped: what each process
    runs and the largest ``VmHWM`` seen (``VmHWM`` only grows, so the last reading before a
    process exits is its peak, give or take what it grew in its last 50 ms). A process that
    ``exec`` s another program starts afresh: a fork is a copy of its parent until then."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.seen: dict[int, _Seen] = {}
        self.polls = 0
        self._stop_event = threading.Event()

    def poll(self) -> None:
        pending, tree = [self.root], []
        while pending:
            pid = pending.pop()
            tree.append(pid)
            try:
                pending += _children(pid)
            except OSError:
                continue
        for pid in tree:
            try:
                status = _status(pid)
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue  # exited meanwhile
            if not command:
                continue  # exiting, or a zombie: no memory left to read
            seen = self.seen.get(pid)
            if seen is None or seen.command != command:
                seen = _Seen(command, _role(status.get("Name", ""), command))
                self.seen[pid] = seen
            seen.hwm_kib = max(seen.hwm_kib, _kib(status.get("VmHWM")))
        self.polls += 1

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.poll()
            self._stop_event.wait(POLL_S)

    def stop(self) -> dict[str, Any]:
        """Stop polling; the peaks, in MiB."""
        self._stop_event.set()
        self.join()

        def peak(*roles: str) -> float:
            return max((s.hwm_kib for s in self.seen.values() if s.role in roles), default=0) / MIB

        node = [s.hwm_kib for s in self.seen.values() if s.role in ("kernel", "runtime", "cli")]
        return {
            "python_peak_mib": peak("python"),
            "node_kernel_peak_mib": peak("kernel"),
            "node_cli_peak_mib": peak("cli"),
            # the sum of each Node process's peak: an upper bound of their peak together
            "node_all_peak_mib": sum(node) / MIB,
            "processes": Counter(s.role for s in self.seen.values()),
            "polls": self.polls,
        }


def run_synth(app: Path) -> dict[str, Any]:
    """``cdk8s synth`` in ``app``: wall time, the process tree's peaks, the YAML written."""
    env = {**environment(), "CDK8S_CHECK_UPGRADE": "false"}
    dist = app / "dist"
    with (app / "cli.out").open("wb") as out, (app / "cli.err").open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen([str(CLI), "synth"], cwd=app, env=env, stdout=out, stderr=err)
        memory = TreeMemory(process.pid)
        memory.start()
        process.wait()
        wall = time.perf_counter() - start
    peaks = memory.stop()
    if process.returncode != 0:
        raise RuntimeError(
            f"cdk8s synth failed ({process.returncode}):\n"
            + (app / "cli.err").read_text(errors="replace")[-4000:]
        )
    (written,) = dist.glob("*.yaml")  # one chart, one file
    return {
        "wall_s": wall,
        **peaks,
        "yaml": written,
        "yaml_bytes": written.stat().st_size,
        "yaml_sha256": _sha256(written),
    }


def run_pure(roster: Path, out: Path, workdir: Path) -> dict[str, Any]:
    """The pure-Python floor (bench/_people_worker.py), timed from its start to its exit."""
    result = workdir / "pure.json"
    command = [sys.executable, "-m", "bench._people_worker", "--roster", str(roster)]
    command += ["--out", str(out), "--result", str(result)]
    start = time.perf_counter()
    completed = run_module(*command[2:])
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"pure worker failed:\n{completed.stderr[-4000:]}")
    run: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    if run["imported_cdk8s"]:
        raise RuntimeError(f"the pure route imported {run['imported_cdk8s']}")
    phases = ("imported", "read", "planned", "rendered", "written")
    run["phases_s"] = {
        phase: run[phase] - run[previous]
        for previous, phase in itertools.pairwise(("started", *phases))
    }
    run.update(wall_s=wall, python_peak_mib=run["memory"]["python_kib"] / MIB)
    return run


def run_apiobj(manifests: Path, workdir: Path) -> dict[str, Any]:
    """The bare-ApiObject reference: bench/_batch_worker.py's ``apiobj`` route, the chart
    without a namespace, so each object keeps its own (and the Namespace none)."""
    run = batch.run_worker("apiobj", manifests, workdir, ["--chart-namespace", ""])
    memory = run["memory"]
    run.update(
        python_peak_mib=memory["python_kib"] / MIB,
        node_kernel_peak_mib=memory["node_kernel_kib"] / MIB,
        node_all_peak_mib=memory["node_total_kib"] / MIB,
    )
    return run


# --- what the routes wrote ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _documents(path: Path) -> Iterator[Any]:
    with path.open(encoding="utf-8") as stream:
        yield from (doc for doc in yaml.load_all(stream, Loader=_LOADER) if doc is not None)


def compare(synth: Path, pure: Path, manifests: Path) -> dict[str, Any]:
    """Read the synth route's YAML and the pure route's side by side, one object at a time:
    whether they are the same objects, the kinds, and the synth route's objects written to
    ``manifests`` as a JSON list (apiobj's input)."""
    kinds: Counter[str] = Counter()
    first_difference: dict[str, Any] | None = None
    missing: Any = object()
    with manifests.open("w", encoding="utf-8") as out:
        out.write("[")
        pairs = itertools.zip_longest(_documents(synth), _documents(pure), fillvalue=missing)
        for index, (written, floor) in enumerate(pairs):
            if written is not missing:
                out.write("," * (index > 0) + json.dumps(written))
                kinds[written["kind"]] += 1
            if first_difference is None and written != floor:
                found = written if written is not missing else floor
                first_difference = {
                    "index": index,
                    "kind": found["kind"],
                    "name": found["metadata"]["name"],
                    "in": "both" if written is not missing and floor is not missing else "one",
                }
        out.write("]")
    return {
        "objects": sum(kinds.values()),
        "kinds": dict(sorted(kinds.items())),
        "pure_equal": first_difference is None,
        "first_difference": first_difference,
    }


# --- one size --------------------------------------------------------------------------------


def _log(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def measure(n: int, repeat: int, workdir: Path, quiet: bool) -> dict[str, Any]:
    """The three routes for N people, ``repeat`` rounds, interleaved within each round."""
    app = workdir / f"app-{n}"
    roster = write_app(app, n)
    pure_yaml = workdir / f"pure-{n}.yaml"
    manifests = workdir / f"manifests-{n}.json"
    load = os.getloadavg()
    runs: dict[str, list[dict[str, Any]]] = {route: [] for route in ROUTES}
    same: dict[str, Any] = {}
    for attempt in range(repeat):
        for route in ROUTES:
            if route == "synth":
                run = run_synth(app)
            elif route == "pure":
                run = run_pure(roster, pure_yaml, workdir)
            else:
                if attempt == 0:  # the synth route's objects, read before apiobj runs
                    same = compare(runs["synth"][0]["yaml"], pure_yaml, manifests)
                run = run_apiobj(manifests, workdir)
            runs[route].append(run)
            _log(
                f"  N={n:<6} round {attempt + 1}/{repeat} {route:<7} {run['wall_s']:8.2f} s", quiet
            )
    digests = {route: {r["yaml_sha256"] for r in runs[route]} for route in ROUTES}
    synth = runs["synth"][0]
    row = {
        "people": n,
        "stopped": runs["pure"][0]["stopped"],
        "objects": same["objects"],
        "kinds": same["kinds"],
        "yaml_mb": synth["yaml_bytes"] / 1e6,
        "load_average_at_start": load,
        "routes": {route: _summary(route, runs[route]) for route in ROUTES},
        "synth_identical_to_apiobj": len(digests["synth"]) == 1
        and digests["apiobj"] == digests["synth"],
        "pure_equal_to_synth": same["pure_equal"] and len(digests["pure"]) == 1,
        "first_difference": same["first_difference"],
        "pure_objects": runs["pure"][0]["objects"],
    }
    routes = row["routes"]
    row["ratios"] = {
        "synth/pure": routes["synth"]["wall_s"] / routes["pure"]["wall_s"],
        "synth/apiobj": routes["synth"]["wall_s"] / routes["apiobj"]["wall_s"],
    }
    row["ms_per_person"] = 1000 * routes["synth"]["wall_s"] / n
    for path in (pure_yaml, manifests, *(app / "dist").glob("*")):
        path.unlink(missing_ok=True)
    return row


def _summary(route: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    fields = ("python_peak_mib", "node_kernel_peak_mib", "node_all_peak_mib", "node_cli_peak_mib")
    summary: dict[str, Any] = {
        "wall_s": statistics.median(r["wall_s"] for r in items),
        "runs_wall_s": [round(r["wall_s"], 3) for r in items],
        **{key: max(r[key] for r in items) for key in fields if key in items[0]},
        "yaml_bytes": items[0]["yaml_bytes"],
    }
    if route == "synth":
        summary["processes"] = dict(items[0]["processes"])
        summary["polls"] = min(r["polls"] for r in items)
    if route == "pure":
        summary["phases_s"] = {
            phase: statistics.median(r["phases_s"][phase] for r in items)
            for phase in items[0]["phases_s"]
        }
    return summary


# --- the targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A target of #20: ``measure`` of the row of ``people`` (and of ``base``: a ratio of the
    two) is at most ``limit``."""

    text: str
    people: int
    measure: str
    limit: float
    unit: str = ""
    base: int | None = None


TARGETS = (
    Target("cdk8s synth wall at 1,000 people <= 5 s", 1000, "synth_s", 5.0, " s"),
    Target("synth/pure at 1,000 people <= 2.0", 1000, "synth/pure", 2.0, "x"),
    Target("cdk8s synth wall at 3,000 people <= 12 s", 3000, "synth_s", 12.0, " s"),
    Target("synth/pure at 3,000 people <= 2.0", 3000, "synth/pure", 2.0, "x"),
    Target("cdk8s synth wall at 10,000 people <= 40 s", 10000, "synth_s", 40.0, " s"),
    Target(
        "Node peak RSS (all Node processes) at 10,000 people <= 1.5 GiB",
        10000,
        "node_all_mib",
        1.5 * 1024,
        " MiB",
    ),
    Target(
        "ms/person at 10,000 people <= 1.1 x that at 1,000",
        10000,
        "ms_per_person",
        1.1,
        "x",
        base=1000,
    ),
)


def measured(row: dict[str, Any], measure: str) -> float:
    """The value of ``measure`` in a row of the report."""
    synth = row["routes"]["synth"]
    values = {
        "synth_s": synth["wall_s"],
        "synth/pure": row["ratios"]["synth/pure"],
        "node_all_mib": synth["node_all_peak_mib"],
        "ms_per_person": row["ms_per_person"],
    }
    return float(values[measure])


def targets(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target, ``passed`` exactly when its measure is within its limit; ``None`` (and no
    value) when the run did not measure its size."""
    by_people = {row["people"]: row for row in rows}
    checks = []
    for target in TARGETS:
        value: float | None = None
        if target.people in by_people and (target.base is None or target.base in by_people):
            value = measured(by_people[target.people], target.measure)
            if target.base is not None:
                value /= measured(by_people[target.base], target.measure)
        checks.append(
            {
                "target": target.text,
                "value": None if value is None else round(value, 3),
                "limit": target.limit,
                "unit": target.unit,
                "passed": None if value is None else value <= target.limit,
            }
        )
    return checks


# --- the report --------------------------------------------------------------------------------


def render_table(report: dict[str, Any]) -> str:
    header = (
        f"{'people':>7} {'objects':>8} {'YAML MB':>8} {'synth s':>8} {'pure s':>7} "
        f"{'apiobj s':>9} {'synth/pure':>11} {'synth/apiobj':>13} {'ms/person':>10} "
        f"{'py MiB':>7} {'kernel MiB':>11} {'node all MiB':>13}"
    )
    lines = [header, "-" * len(header)]
    for row in report["sizes"]:
        routes = row["routes"]
        synth = routes["synth"]
        lines.append(
            f"{row['people']:>7,} {row['objects']:>8,} {row['yaml_mb']:>8.1f} "
            f"{synth['wall_s']:>8.2f} {routes['pure']['wall_s']:>7.2f} "
            f"{routes['apiobj']['wall_s']:>9.2f} {row['ratios']['synth/pure']:>11.2f} "
            f"{row['ratios']['synth/apiobj']:>13.2f} {row['ms_per_person']:>10.2f} "
            f"{synth['python_peak_mib']:>7.0f} {synth['node_kernel_peak_mib']:>11.0f} "
            f"{synth['node_all_peak_mib']:>13.0f}"
        )
    machine = report["machine"]
    lines += [
        "",
        f"`{report['command']}`: median of {report['repeat']} round(s) per size, the routes "
        "interleaved in each, each a fresh process timed from start to exit; memory: the synth "
        "route's peaks (VmHWM, /proc read every 50 ms): py = the Python app, kernel = the jsii "
        "kernel (lib/program.js), node all = the sum of every Node process's (CLI, "
        "jsii-runtime.js, kernel)",
        f"{machine['cpus']} CPUs, Python {machine['python']}, Node {machine['node']}, cdk8s CLI "
        f"{machine['cdk8s_cli']}; 1/5/15-min load average at start "
        + "/".join(f"{x:.2f}" for x in machine["load_average_at_start"])
        + ", at end "
        + "/".join(f"{x:.2f}" for x in machine["load_average_at_end"])
        + f"; kasm_constructs sha256 {machine['kasm_constructs_sha256']}",
    ]
    for row in report["sizes"]:
        if not row["synth_identical_to_apiobj"]:
            lines.append(f"WARNING: N={row['people']}: synth's YAML differs from apiobj's")
        if not row["pure_equal_to_synth"]:
            lines.append(
                f"WARNING: N={row['people']}: the pure route's objects differ from synth's: "
                f"first at {row['first_difference']}"
            )
    lines.append("")
    for check in report["targets"]:
        if check["passed"] is None:
            lines.append(f"n/a   {check['target']}: not measured in this run")
        else:
            verdict = "PASS" if check["passed"] else "FAIL"
            lines.append(f"{verdict}  {check['target']}: {check['value']}{check['unit']}")
    return "\n".join(lines)


def source_fingerprint() -> str:
    """A short hash of kasm_constructs/**/*.py: which version of the library was measured."""
    digest = hashlib.sha256()
    root = REPO / "kasm_constructs"
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def cli_version() -> str:
    completed = subprocess.run(
        [str(CLI), "--version"],
        env={**environment(), "CDK8S_CHECK_UPGRADE": "false"},
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip()


def main(argv: Sequence[str] | None = None, prog: str = "python -m bench --people") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="cdk8s synth of a roster of N people vs a pure-Python floor and bare "
        "ApiObjects (#20).",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated numbers of people (default: 1000,3000,10000)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds per size (default: 1)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--json-out", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--no-warm-up", action="store_true", help="skip the discarded warm-up round (25 people)"
    )
    options = parser.parse_args(argv)
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    quiet = options.quiet or options.json
    sizes = ",".join(map(str, options.sizes))
    report: dict[str, Any] = {
        "scenario": "people",
        "command": f"{prog} --sizes {sizes} --repeat {options.repeat}",
        "repeat": options.repeat,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "node": node_version(),
            "cdk8s_cli": cli_version(),
            "load_average_at_start": os.getloadavg(),
            "kasm_constructs_sha256": source_fingerprint(),
        },
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="kasm-bench-people-") as tmp:
        if not options.no_warm_up:
            _log(f"warm-up round, {WARM_UP_PEOPLE} people (discarded)", quiet)
            measure(WARM_UP_PEOPLE, 1, Path(tmp) / "warm-up", quiet=True)
        for n in options.sizes:
            report["sizes"].append(measure(n, options.repeat, Path(tmp) / str(n), quiet))
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["targets"] = targets(report["sizes"])
    text = json.dumps(report, indent=2, default=str)
    if options.json_out is not None:
        options.json_out.write_text(text + "\n", encoding="utf-8")
    print(text if options.json else render_table(report))
    broken = [
        row["people"]
        for row in report["sizes"]
        if not (row["synth_identical_to_apiobj"] and row["pure_equal_to_synth"])
    ]
    if broken:
        print(f"the routes wrote different objects at N = {broken}", file=sys.stderr)
        return 1
    failed = any(check["passed"] is False for check in report["targets"])
    return 1 if options.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main(prog="python -m bench.people"))
