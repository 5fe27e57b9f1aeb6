"""Peak memory of a benchmark process and of the Node processes jsii started (bench/_worker.py,
bench/_batch_worker.py). Imports neither cdk8s nor jsii: a pure-Python run stays without Node."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _status(pid: int | str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _kib(value: str | None) -> int:
    return int(value.split()[0]) if value else 0


def _children(pid: int) -> list[int]:
    """Direct children of ``pid``: /proc/<pid>/task/*/children, else a scan of /proc PPids."""
    try:
        kids: list[int] = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(k) for k in (task / "children").read_text().split()]
    except OSError:
        kids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may contain spaces, so split after the last ")".
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        kids = _children(pending.pop())
        found += kids
        pending += kids
    return found


def peak_memory() -> dict[str, Any]:
    """VmHWM (peak RSS) of this process and of each live descendant, in KiB.

    jsii runs ``node .../bin/jsii-runtime.js``, which starts a second ``node`` running
    ``lib/program.js``: the kernel that holds the construct tree and does the synth.
    """
    processes: list[dict[str, Any]] = []
    for pid in _descendants(os.getpid()):
        try:
            status = _status(pid)
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # exited meanwhile
        script = next((Path(a.decode()).name for a in cmdline if a.endswith(b".js")), "")
        processes.append(
            {
                "pid": pid,
                "name": status.get("Name", ""),
                "script": script,
                "vm_hwm_kib": _kib(status.get("VmHWM")),
            }
        )
    node: list[int] = [p["vm_hwm_kib"] for p in processes if p["name"] == "node"]
    kernel: list[int] = [p["vm_hwm_kib"] for p in processes if p["script"] == "program.js"]
    return {
        "python_kib": _kib(_status("self").get("VmHWM")),
        # Older jsii runtimes run the kernel in the first node process: then the largest.
        "node_kernel_kib": max(kernel or node, default=0),
        "node_total_kib": sum(node),
        "children": processes,
    }
