"""Build the jsii modules written in TypeScript here into the Python packages the library
imports (jsii-src/README.md).

    python jsii-src/build.py [--out ROOT]

Each module of :data:`MODULES` is compiled, with the pinned jsii-srcmak, jsii and jsii-pacmak
of ``node_modules/`` (package.json), against the cdk8s and constructs that this interpreter's
``cdk8s`` and ``constructs`` packages bundle (their ``_jsii/*.jsii.tgz``: the versions
requirements.txt pins), into ``ROOT/<its Python module as a path>``; ROOT defaults to the
repository. Offline, and byte-for-byte reproducible. Everything is made in a temporary
directory first, so a failed build leaves the committed package as it was. ``make jsii`` runs
it; tests/test_manifest_batch.py runs it into a temporary ROOT and compares.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NODE_MODULES = REPO / "node_modules"
#: The Python packages whose jsii assemblies the modules compile against (and load with).
DEPENDENCIES = ("constructs", "cdk8s")


@dataclass(frozen=True)
class Module:
    """One jsii module: its TypeScript (``source/index.ts``), its Python module, and its jsii
    assembly's name, which must be unique in the jsii kernel of any app that uses the library
    (an app's own modules included), hence the ``kasm_constructs_`` prefix."""

    source: str
    python: str
    assembly: str


MODULES = (
    Module(
        source="manifest-batch",
        python="kasm_constructs.constructs._manifest_batch",
        assembly="kasm_constructs_manifest_batch",
    ),
)


def bundled_assembly(package: str) -> Path:
    """The jsii tarball a Python package bundles, found without importing the package (that
    would start a jsii kernel)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"build.py: {package} is not installed: run `make setup`")
    found = sorted(Path(spec.submodule_search_locations[0], "_jsii").glob(f"{package}@*.jsii.tgz"))
    if len(found) != 1:
        raise SystemExit(f"build.py: expected one {package}@*.jsii.tgz, found {found}")
    return found[0]


def unpack(tarball: Path, into: Path) -> Path:
    """Unpack a jsii tarball (an npm package: ``package/...``); return the package directory."""
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    return into / "package"


def srcmak(module: Module, deps: list[Path], outdir: Path) -> None:
    """``jsii-srcmak`` (jsii, then ``jsii-pacmak --code-only``) of one module's TypeScript,
    writing its Python package below ``outdir``."""
    if not (NODE_MODULES / "jsii-srcmak").is_dir():
        raise SystemExit(f"build.py: no jsii-srcmak in {NODE_MODULES}: run `make setup`")
    options = {
        "srcdir": str(HERE / module.source),
        "entrypoint": "index.ts",
        "moduleKey": module.assembly,
        "deps": [str(NODE_MODULES / "@types" / "node"), *map(str, deps)],
        "python": {"outdir": str(outdir), "moduleName": module.python},
    }
    env = dict(os.environ)
    # jsii and jsii-pacmak run on the `node` first on PATH: the pinned Node 22.
    env["PATH"] = f"{NODE_MODULES / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    command = ["node", str(HERE / "srcmak.mjs"), str(NODE_MODULES), json.dumps(options)]
    subprocess.run(command, cwd=REPO, env=env, check=True)


def build(root: Path) -> list[Path]:
    """Build every module into ``root``; return the packages written."""
    written = []
    with tempfile.TemporaryDirectory(prefix="kasm-jsii-") as temporary:
        work = Path(temporary)
        deps = [unpack(bundled_assembly(name), work / "deps" / name) for name in DEPENDENCIES]
        for module in MODULES:
            relative = Path(*module.python.split("."))
            srcmak(module, deps, work / "python")
            target = root / relative
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(work / "python" / relative, target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO, help="the root (default: the repo)")
    options = parser.parse_args(argv)
    for package in build(options.out.resolve()):
        print(f"build.py: wrote {package}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
