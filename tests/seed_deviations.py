"""How the example (main.py) differs from the seed (tests/fixtures/seed-deployment.yaml), and why.

The one list of deviations (data, not a test module). test_examples.py checks that every other
seed setting appears in dist/ unchanged, that each deviation below really is one, and that
README.md shows this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Deviation:
    seed: str
    ours: str
    why: str
    #: The seed settings this covers: flattened paths, or prefixes of them (see
    #: test_examples.flatten).
    paths: tuple[str, ...]


_C = "spec.template.spec.containers[name=kasm-workspace]"
_V = "spec.template.spec.volumes"

SEED_DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "Deployment, 3 replicas, one claim `kasm-workspace-pvc` at `/home/kasm`",
        "StatefulSet, 3 replicas, a 10Gi home claim per replica at `/home/kasm-user`",
        "a ReadWriteOnce claim attaches to one node (Multi-Attach error) and three desktops "
        "would share one profile; the image's `$HOME` is `/home/kasm-user`",
        (
            "kind",
            f"{_C}.volumeMounts[mountPath=/home/kasm]",
            f"{_V}[name=kasm-data]",
        ),
    ),
    Deviation(
        "selector `app: kasm-workspace`",
        "selector `app.kubernetes.io/name` + `app.kubernetes.io/instance`",
        "the recommended labels select exactly this workspace; `app` and `tier` stay on the pods",
        ("spec.selector.matchLabels.app",),
    ),
    Deviation(
        "capability `NET_BIND_SERVICE` added",
        "no capability added",
        "no port is below 1024",
        (f"{_C}.securityContext.capabilities.add",),
    ),
    Deviation(
        "port `https` 8443",
        "not declared",
        "nothing in the image listens on 8443; only 6901 (KasmVNC, HTTPS) is served",
        (f"{_C}.ports[name=https]",),
    ),
    Deviation(
        "emptyDir `/var/run` (100Mi)",
        "emptyDir `/var/run/pulse` (100Mi)",
        "pulseaudio is the only writer (its `HOME` is `/var/run/pulse`); a narrower mount "
        "keeps the rest of `/var/run` read-only",
        (f"{_C}.volumeMounts[mountPath=/var/run]", f"{_V}[name=var-run]"),
    ),
    Deviation(
        "emptyDirs `/.cache` (200Mi) and `/.config` (100Mi)",
        "not mounted; `XDG_CACHE_HOME=/tmp/.cache`, config lives in the home",
        "nothing writes there: `$HOME` is `/home/kasm-user`",
        (
            f"{_C}.volumeMounts[mountPath=/.cache]",
            f"{_C}.volumeMounts[mountPath=/.config]",
            f"{_V}[name=cache]",
            f"{_V}[name=config]",
        ),
    ),
)
