"""Where a fleet's time goes: jsii bridge round trips per workspace, by call site, and a time split.

Run from the repository root with the repository's venv (Node 22 from node_modules):

    export PATH=$PWD/node_modules/.bin:$PATH
    .venv/bin/python -m bench.bridge [--n 100] [--json]

Two fresh processes, each building the fleet of bench/fleet.py (``--n`` workspaces) and
synthesizing it with ``app.synth_yaml()``:

- ``counts``: every message Python sends to the Node kernel (one ``_NodeProcess.send`` = one
  round trip over the pipe) is recorded with its request (``create <fqn>``,
  ``invoke <fqn>#<method>``, ``get <fqn>#<property>``, ``sinvoke <fqn>.<method>``, ... and
  ``complete`` for the answer to a Node->Python callback), the innermost ``kasm_constructs``
  line on the Python stack, the time the send took and, of that, the time spent waiting for
  Node's answer. Light instrumentation: the times are close to an unprofiled run.
- ``cprofile``: the same under cProfile; the self time of every function is put in a category
  (the time of built-ins such as ``isinstance`` goes to the category of their callers).
  cProfile slows Python down, Node not, so read its split as proportions of the Python side.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import json
import linecache
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from bench.fleet import environment

REPO = Path(__file__).resolve().parents[1]
PACKAGE_DIR = str(REPO / "kasm_constructs") + os.sep


# --- counts: instrument the jsii process provider ----------------------------------------------


def _ref_fqn(objref: Any) -> str:
    ref = str(getattr(objref, "ref", objref))
    return ref.rpartition("@")[0] or ref


def describe(request: Any) -> str:
    """``invoke cdk8s.ApiObject#addJsonPatch`` and the like."""
    kind = type(request).__name__
    if kind == "CreateRequest":
        return f"create {request.fqn}"
    if kind == "InvokeRequest":
        return f"invoke {_ref_fqn(request.objref)}#{request.method}"
    if kind == "StaticInvokeRequest":
        return f"sinvoke {request.fqn}.{request.method}"
    if kind == "GetRequest":
        return f"get {_ref_fqn(request.objref)}#{request.property}"
    if kind == "StaticGetRequest":
        return f"sget {request.fqn}.{request.property}"
    if kind == "SetRequest":
        return f"set {_ref_fqn(request.objref)}#{request.property}"
    if kind == "StaticSetRequest":
        return f"sset {request.fqn}.{request.property}"
    if kind == "_CompleteRequest":
        return "complete (answer to a Node->Python callback)"
    if kind == "DeleteRequest":
        return "delete"
    return kind


def call_site(frame: FrameType | None) -> str:
    """The innermost ``kasm_constructs`` line on the stack, or the outermost non-jsii one."""
    outside = "<outside kasm_constructs>"
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(PACKAGE_DIR):
            line = linecache.getline(filename, frame.f_lineno).strip()
            return f"{Path(filename).name}:{frame.f_lineno} {frame.f_code.co_name}: {line}"
        frame = frame.f_back
    return outside


class _TimedPipe:
    """The kernel's stdin, timing ``write`` and ``flush``: on a busy machine the writer often
    loses the CPU to the woken Node process inside them."""

    def __init__(self, pipe: Any, recorder: Recorder) -> None:
        self._pipe = pipe
        self._recorder = recorder

    def write(self, data: bytes) -> Any:
        start = time.perf_counter()
        try:
            return self._pipe.write(data)
        finally:
            self._recorder.pipe += time.perf_counter() - start

    def flush(self) -> None:
        start = time.perf_counter()
        try:
            self._pipe.flush()
        finally:
            self._recorder.pipe += time.perf_counter() - start

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pipe, name)


class Recorder:
    """Every round trip to the Node kernel, tagged with the phase it happened in.

    Each event: (phase, request, call site, seconds in ``send``, of which waiting for the
    answer, of which writing the request to the pipe).
    """

    def __init__(self) -> None:
        self.phase = "setup"
        self.events: list[tuple[str, str, str, float, float, float]] = []
        self.callbacks: collections.Counter[tuple[str, str]] = collections.Counter()
        self.wait = 0.0
        self.pipe = 0.0

    def install(self) -> None:
        from jsii import _kernel  # noqa: PLC0415
        from jsii._kernel import providers  # noqa: PLC0415  (only once jsii is loaded)

        process_class: Any = providers.process._NodeProcess
        send: Callable[..., Any] = process_class.send
        next_message: Callable[..., Any] = process_class._next_message
        handle_callback: Callable[..., Any] = _kernel._handle_callback
        recorder = self

        def timed_next_message(process: Any) -> Any:
            start = time.perf_counter()
            try:
                return next_message(process)
            finally:
                recorder.wait += time.perf_counter() - start

        def counted_send(process: Any, request: Any, response_type: Any) -> Any:
            site = call_site(sys._getframe(1))
            popen = process._process
            if not isinstance(popen.stdin, _TimedPipe):
                popen.stdin = _TimedPipe(popen.stdin, recorder)
            recorder.wait = recorder.pipe = 0.0
            start = time.perf_counter()
            try:
                return send(process, request, response_type)
            finally:
                elapsed = time.perf_counter() - start
                recorder.events.append(
                    (recorder.phase, describe(request), site, elapsed, recorder.wait, recorder.pipe)
                )

        def counted_callback(kernel: Any, callback: Any) -> Any:
            kind = "invoke" if callback.invoke else "get" if callback.get else "set"
            recorder.callbacks[(recorder.phase, f"{kind} {callback.cookie}")] += 1
            return handle_callback(kernel, callback)

        process_class.send = counted_send
        process_class._next_message = timed_next_message
        _kernel._handle_callback = counted_callback


PHASE_TOTALS = ("round_trips", "send_s", "node_wait_s", "pipe_write_s")


def _fleet(n: int, recorder: Recorder | None, people: bool) -> dict[str, float]:
    import cdk8s  # noqa: PLC0415  (started after the recorder is installed)

    from bench._worker import NAMESPACE, build  # noqa: PLC0415

    def phase(name: str) -> None:
        if recorder is not None:
            recorder.phase = name

    start = time.perf_counter()
    phase("app")
    app = cdk8s.App()
    chart = cdk8s.Chart(app, "fleet", namespace=NAMESPACE)
    phase("construct")
    build(chart, n, people)
    built = time.perf_counter()
    phase("synth")
    app.synth_yaml()
    done = time.perf_counter()
    phase("done")
    return {"construct_s": built - start, "synth_s": done - built, "total_s": done - start}


def run_counts(n: int, people: bool) -> dict[str, Any]:
    import jsii  # noqa: F401, PLC0415  (loads the runtime module, not yet the kernel process)

    recorder = Recorder()
    recorder.install()
    import cdk8s_plus_28  # noqa: F401, PLC0415  (assembly loads: setup phase)

    from kasm_constructs import HardenedWorkspace  # noqa: F401, PLC0415

    times = _fleet(n, recorder, people)
    by_phase: dict[str, dict[str, float]] = {}
    sites: collections.Counter[tuple[str, str, str]] = collections.Counter()
    site_time: collections.defaultdict[tuple[str, str, str], float] = collections.defaultdict(float)
    for phase, request, site, elapsed, wait, pipe in recorder.events:
        totals = by_phase.setdefault(phase, dict.fromkeys(PHASE_TOTALS, 0.0))
        totals["round_trips"] += 1
        totals["send_s"] += elapsed
        totals["node_wait_s"] += wait
        totals["pipe_write_s"] += pipe
        if phase in ("construct", "synth"):
            sites[(phase, site, request)] += 1
            site_time[(phase, site, request)] += elapsed
    return {
        "n": n,
        "times": times,
        "phases": by_phase,
        "sites": [
            {
                "phase": phase,
                "site": site,
                "request": request,
                "per_workspace": count / n,
                "ms_per_workspace": 1000 * site_time[(phase, site, request)] / n,
            }
            for (phase, site, request), count in sorted(
                sites.items(), key=lambda item: (item[0][0], _line_number(item[0][1]))
            )
        ],
        "callbacks": [
            {"phase": phase, "callback": name, "per_workspace": count / n}
            for (phase, name), count in sorted(recorder.callbacks.items())
        ],
    }


def _line_number(site: str) -> tuple[str, int]:
    head = site.split(" ", 1)[0]
    name, _, line = head.partition(":")
    return (name, int(line) if line.isdigit() else 0)


# --- cprofile: self time by category ----------------------------------------------------------

CATEGORIES = (
    ("kasm_constructs: validation, rendering, guard", ("/kasm_constructs/",)),
    (
        "type checks: typeguard, typing.get_type_hints in the bindings",
        ("/typeguard/", "/jsii/_type_checking.py", "/typing.py"),
    ),
    ("jsii Python runtime: marshalling (cattrs, json)", ("/jsii/", "/cattr", "/attr/")),
    ("generated bindings (cdk8s, cdk8s_plus_28, constructs)", ("/cdk8s", "/constructs/")),
    ("yaml", ("/yaml/",)),
)
NODE_WAIT = "waiting for Node (readline on the jsii pipe)"
PIPE_WRITE = "writing to the jsii pipe (write, flush)"
OTHER = "other"
Func = tuple[str, int, str]


def _category(func: Func) -> str | None:
    """The category of a function's own code; None: charge its time to its callers."""
    filename, _, name = func
    if filename == "~":
        if "readline" in name:
            return NODE_WAIT
        if "'write' of '_io" in name or "'flush' of '_io" in name:
            return PIPE_WRITE
        return None  # a built-in (isinstance, json's C parts, ...)
    for label, needles in CATEGORIES:
        if any(needle in filename for needle in needles):
            return label
    if "/bench/" in filename:
        return OTHER
    return None  # the standard library (copy, re, json, inspect, ...)


def split_self_time(raw: dict[Any, Any]) -> dict[str, float]:
    """Self time by category; uncategorized functions are charged to their callers' categories
    in proportion to the time they spent on behalf of each caller."""
    shares: dict[Func, dict[str, float]] = {}
    visiting: set[Func] = set()

    def share(func: Func) -> dict[str, float]:
        if func in shares:
            return shares[func]
        category = _category(func)
        if category is not None:
            return {category: 1.0}
        if func in visiting or func not in raw:
            return {OTHER: 1.0}
        visiting.add(func)
        callers = raw[func][4]
        weights = {caller: edge[2] for caller, edge in callers.items()}
        total = sum(weights.values())
        result: collections.defaultdict[str, float] = collections.defaultdict(float)
        for caller, weight in weights.items():
            for label, fraction in share(caller).items():
                result[label] += fraction * (weight / total if total else 1 / len(weights))
        visiting.discard(func)
        shares[func] = dict(result) or {OTHER: 1.0}
        return shares[func]

    totals: collections.defaultdict[str, float] = collections.defaultdict(float)
    for func, stats in raw.items():
        for label, fraction in share(func).items():
            totals[label] += stats[2] * fraction
    return totals


def run_cprofile(n: int, people: bool) -> dict[str, Any]:
    import cdk8s_plus_28  # noqa: F401, PLC0415  (imports are not profiled)

    import bench._worker  # noqa: F401, PLC0415
    from kasm_constructs import HardenedWorkspace  # noqa: F401, PLC0415

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    times = _fleet(n, None, people)
    profiler.disable()
    wall = time.perf_counter() - start
    raw: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    totals = split_self_time(raw)
    profiled = sum(totals.values())
    top = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:25]
    return {
        "n": n,
        "wall_s_under_cprofile": wall,
        "times_under_cprofile": times,
        "split": [
            {"category": label, "s": seconds, "share": seconds / profiled}
            for label, seconds in sorted(totals.items(), key=lambda item: -item[1])
        ],
        "top_self_time": [
            {
                "function": f"{Path(f[0]).name}:{f[1]} {f[2]}",
                "calls": stats[1],
                "self_s": stats[2],
                "cumulative_s": stats[3],
            }
            for f, stats in top
        ],
    }


# --- driver ------------------------------------------------------------------------------------


def _child(mode: str, n: int, people: bool) -> Any:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bridge", "--child", mode, "--n", str(n)]
        + ["--people"] * people,
        cwd=REPO,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout)


def render(counts: dict[str, Any], profile: dict[str, Any]) -> str:
    n = counts["n"]
    times = counts["times"]
    lines = [
        f"Fleet of {n} default workspaces: construct {1000 * times['construct_s'] / n:.2f} "
        f"ms/ws, synth {1000 * times['synth_s'] / n:.2f} ms/ws (instrumented run)",
        "",
        "Round trips to the Node kernel, per workspace, by phase:",
    ]
    for phase in ("construct", "synth"):
        totals = counts["phases"].get(phase, dict.fromkeys(PHASE_TOTALS, 0.0))
        phase_s = times["construct_s" if phase == "construct" else "synth_s"]
        serialize = totals["send_s"] - totals["node_wait_s"] - totals["pipe_write_s"]
        lines.append(
            f"  {phase:<9} {totals['round_trips'] / n:5.1f} round trips; of "
            f"{1000 * phase_s / n:.2f} ms/ws: {1000 * totals['node_wait_s'] / n:.2f} waiting "
            f"for Node's answer, {1000 * totals['pipe_write_s'] / n:.2f} writing the request "
            f"to the pipe, {1000 * serialize / n:.2f} jsii (de)serializing in send, "
            f"{1000 * (phase_s - totals['send_s']) / n:.2f} other Python"
        )
    for phase in ("construct", "synth"):
        lines += ["", f"{phase}: round trips per workspace by call site (innermost package line)"]
        for site in counts["sites"]:
            if site["phase"] == phase:
                lines.append(
                    f"  {site['per_workspace']:6.2f}  {site['ms_per_workspace']:6.3f} ms  "
                    f"{site['request']:<58} {site['site']}"
                )
    if counts["callbacks"]:
        lines += ["", "Node->Python callbacks per workspace (each adds a 'complete' round trip):"]
        lines += [
            f"  {c['per_workspace']:6.2f}  {c['phase']:<9} {c['callback']}"
            for c in counts["callbacks"]
        ]
    lines += [
        "",
        f"cProfile self time by category (N={profile['n']}, "
        f"{profile['wall_s_under_cprofile']:.2f} s under the profiler):",
    ]
    lines += [
        f"  {100 * item['share']:5.1f}%  {item['s']:7.3f} s  {item['category']}"
        for item in profile["split"]
    ]
    lines += ["", "Top self time under cProfile:"]
    lines += [
        f"  {item['self_s']:7.3f} s  {item['calls']:>8}  {item['function']}"
        for item in profile["top_self_time"][:15]
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bridge", description=__doc__)
    parser.add_argument("--n", type=int, default=100, help="workspaces (default: 100)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument(
        "--people",
        action="store_true",
        help="a WorkspaceFleet of N people (bench/_worker.py PRESETS and ACCESS)",
    )
    parser.add_argument("--child", choices=("counts", "cprofile"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child == "counts":
        print(json.dumps(run_counts(options.n, options.people)))
        return 0
    if options.child == "cprofile":
        print(json.dumps(run_cprofile(options.n, options.people)))
        return 0
    counts = _child("counts", options.n, options.people)
    profile = _child("cprofile", options.n, options.people)
    if options.json:
        print(json.dumps({"counts": counts, "cprofile": profile}, indent=2))
    else:
        print(render(counts, profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
