"""One run of the batch benchmark, in a fresh process (started by bench/batch.py).

    python -m bench._batch_worker ROUTE --input PEOPLE.json --result OUT.json [--chart-namespace NS]

Reads the manifests of PEOPLE.json (a JSON list, as rendered), then writes them as YAML to a
temporary directory by one route:

- ``apiobj``: bare ``cdk8s.ApiObject`` s from Python, the body by one ``JsonPatch.add`` per
  top-level key (bench/_worker.py's floor), then ``app.synth()``, as ``cdk8s synth`` runs it
  (also the reference route of ``python -m bench --people``, with ``--chart-namespace ''``);
- ``batch``: the same objects by ``add_manifests`` (kasm_constructs/constructs/_batch.py), then
  ``app.synth()``;
- ``pyyaml``: no cdk8s (nor Node) at all: ``yaml.dump_all`` with PyYAML's C dumper.

Records the time of each phase (``time.time()``, so bench/batch.py can set them against the
moment it started this process), the sha256 of the file written and the peak resident memory
of this process and of the Node processes jsii started, read while they are alive.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._memory import peak_memory

ROUTES = ("apiobj", "batch", "pyyaml")
#: The chart's namespace (bench/_worker.py's; not imported from there, which imports cdk8s).
NAMESPACE = "desktops"


def _write_cdk8s(
    route: str, manifests: list[dict[str, Any]], outdir: Path, namespace: str | None
) -> dict[str, Any]:
    # The same imports for both cdk8s routes: those of bench/_worker.py (cdk8s, cdk8s_plus_28,
    # kasm_constructs), then the batch's module.
    import cdk8s  # noqa: PLC0415

    from bench._worker import _floor_input, add_floor  # noqa: PLC0415
    from kasm_constructs.constructs._batch import add_manifests  # noqa: PLC0415

    times = {"imported": time.time()}
    ids = [f"o{index}" for index in range(len(manifests))]
    prepared = _floor_input(manifests) if route == "apiobj" else []
    gc.collect()
    times["loaded"] = time.time()
    app = cdk8s.App(outdir=str(outdir))
    chart = cdk8s.Chart(app, "fleet", namespace=namespace)
    if route == "apiobj":
        add_floor(chart, prepared)
    else:
        add_manifests(chart, manifests, ids=ids)
    times["built"] = time.time()
    app.synth()
    times["written"] = time.time()
    return times


def _write_pyyaml(manifests: list[dict[str, Any]], outdir: Path) -> dict[str, Any]:
    import yaml  # type: ignore[import-untyped]  # noqa: PLC0415

    times = {"imported": time.time()}
    gc.collect()
    times["loaded"] = times["built"] = time.time()
    with (outdir / "fleet.yaml").open("w", encoding="utf-8") as out:
        yaml.dump_all(manifests, out, Dumper=yaml.CSafeDumper, sort_keys=False)
    times["written"] = time.time()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("route", choices=ROUTES)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument(
        "--chart-namespace",
        default=NAMESPACE,
        help=f"the chart's namespace (default: {NAMESPACE}); '' for none, so every object "
        "keeps the namespace it has, and one without (a Namespace) stays without",
    )
    options = parser.parse_args(argv)
    started = time.time()
    manifests = json.loads(options.input.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="kasm-batch-") as temporary:
        outdir = Path(temporary)
        if options.route == "pyyaml":
            times = _write_pyyaml(manifests, outdir)
        else:
            namespace = options.chart_namespace or None
            times = _write_cdk8s(options.route, manifests, outdir, namespace)
        memory = peak_memory()
        (written,) = outdir.glob("*.yaml")
        content = written.read_bytes()
    result = {
        "route": options.route,
        "objects": len(manifests),
        "started": started,
        **times,
        "yaml_bytes": len(content),
        "yaml_sha256": hashlib.sha256(content).hexdigest(),
        "memory": memory,
        "python": sys.version.split()[0],
    }
    options.result.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
