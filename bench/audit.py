"""``python -m bench.audit``: the audit of the Pod Security fixtures against PyYAML's floor.

In one process, ``--repeat`` rounds over the same files (the 1,984 upstream fixtures in
``../shared/psa-fixtures`` unless ``--fixtures`` says otherwise), each timed with
``time.perf_counter()`` and reported as the median round (min in the JSON too):

- **floor**: read each file and parse it with ``yaml.load(..., Loader=yaml.CSafeLoader)``,
  PyYAML's fastest loader (libyaml);
- **read**: ``kubeyaml.read_file`` on each file, the reader alone (libyaml);
- **audit**: ``kubeyaml.read_file`` then ``audit.audit_object`` at the fixture's level and
  version (template checks and ``pod_security.evaluate``), as ``kasm-constructs audit`` does;
- **audit, pure Python** (``--pure``): the same with PyYAML's pure-Python parser.

Target: audit <= 3.0 x floor (``--check`` makes a miss exit 1).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kasm_constructs import kubeyaml
from kasm_constructs.cli.audit import Options, audit_object

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "psa-fixtures"
TARGET_RATIO = 3.0


def _fixture_options(path: Path, root: Path) -> Options:
    """restricted/v1.30/pass/x.yaml -> Options("restricted", "1.30"); else the defaults."""
    parts = path.relative_to(root).parts
    if len(parts) >= 3 and parts[1].startswith("v1."):
        return Options(parts[0], parts[1].removeprefix("v"))
    return Options()


def _floor(files: list[tuple[Path, Options]]) -> int:
    loader: Any = yaml.CSafeLoader
    return sum(yaml.load(path.read_bytes(), Loader=loader) is not None for path, _ in files)


def _read(files: list[tuple[Path, Options]]) -> int:
    return sum(len(kubeyaml.read_file(path)) for path, _ in files)


def _audit(files: list[tuple[Path, Options]], pure: bool = False) -> int:
    judged = 0
    for path, options in files:
        for obj in kubeyaml.read_file(path, pure=pure):
            judged += audit_object(obj, options) is not None
    return judged


def _time(function: Callable[[], int]) -> float:
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def measure(files: list[tuple[Path, Options]], repeat: int, pure: bool) -> dict[str, list[float]]:
    """Seconds per round for each variant, the variants interleaved within each round."""
    variants: dict[str, Callable[[], int]] = {
        "floor": lambda: _floor(files),
        "read": lambda: _read(files),
        "audit": lambda: _audit(files),
    }
    if pure:
        variants["audit, pure Python"] = lambda: _audit(files, pure=True)
    for function in variants.values():  # warm-up: imports, regex compilation, caches
        function()
    rounds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, function in variants.items():
            rounds[name].append(_time(function))
    return rounds


def report(rounds: dict[str, list[float]], count: int) -> dict[str, Any]:
    floor = statistics.median(rounds["floor"])
    rows = {
        name: {
            "median_s": statistics.median(times),
            "min_s": min(times),
            "us_per_file": statistics.median(times) / count * 1e6,
            "x_floor": statistics.median(times) / floor,
        }
        for name, times in rounds.items()
    }
    ratio = rows["audit"]["x_floor"]
    return {
        "files": count,
        "rounds": len(rounds["floor"]),
        "libyaml": kubeyaml.USING_LIBYAML,
        "python": sys.version.split()[0],
        "load_average": os.getloadavg()[0],
        "rows": rows,
        "target": {"audit_x_floor_max": TARGET_RATIO, "audit_x_floor": ratio},
        "passed": ratio <= TARGET_RATIO,
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['files']} files, median of {result['rounds']} rounds, Python "
        f"{result['python']}, libyaml {result['libyaml']}, "
        f"load average {result['load_average']:.2f}",
        "",
        "| variant | seconds | µs/file | x floor |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines.extend(
        f"| {name} | {row['median_s']:.3f} | {row['us_per_file']:.0f} | {row['x_floor']:.2f} |"
        for name, row in result["rows"].items()
    )
    verdict = "PASS" if result["passed"] else "FAIL"
    lines.append("")
    lines.append(
        f"{verdict}: audit is {result['target']['audit_x_floor']:.2f} x the floor "
        f"(target ≤ {TARGET_RATIO})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="a folder of manifests")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default: 5)")
    parser.add_argument("--limit", type=int, help="use only the first N files")
    parser.add_argument("--pure", action="store_true", help="also time the pure-Python parser")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    paths = sorted(args.fixtures.rglob("*.yaml"))[: args.limit]
    if not paths:
        parser.error(f"no *.yaml files under {args.fixtures}")
    files = [(path, _fixture_options(path, args.fixtures)) for path in paths]
    result = report(measure(files, args.repeat, args.pure), len(files))
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 1 if args.check and not result["passed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
