"""The pure-Python floor of ``python -m bench --people`` (bench/people.py), in a fresh process.

    python -m bench._people_worker --roster ROSTER.yaml --out FLEET.yaml --result OUT.json

What a user with plain Python and PyYAML would write for the same roster, with the library's
pure steps and no cdk8s (nor jsii, nor Node): ``read_roster``, ``plan()``, every person's
objects by ``_pipeline.objects.person`` (the renderers ``WorkspaceFleet`` hands to cdk8s in
bulk), the fleet's shared objects rendered as the same dicts (:func:`shared_objects`: the
Namespace, the listener's sign-in, the ResourceQuota), then ``yaml.dump_all`` with PyYAML's C
dumper. The guard (``policy.guard``), which the fleet runs on every workload, is not run.

Records the time of each phase (``time.time()``, so bench/people.py can set them against the
moment it started this process), the number of objects and the peak resident memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench._memory import peak_memory

if TYPE_CHECKING:
    from kasm_constructs._pipeline.plan import FleetPlan

#: The app of the synth route: ``Chart(app, CHART_ID, namespace=NAMESPACE)``, then
#: ``WorkspaceFleet.from_roster(chart, FLEET_ID, roster)``. The construct path names the pods'
#: ``cdk8s.io/metadata.addr`` label, so the floor renders with the same ids.
CHART_ID = "desktops"
FLEET_ID = "fleet"
NAMESPACE = "desktops"
_POD_SECURITY = "pod-security.kubernetes.io/"


def shared_objects(
    fleet: FleetPlan, namespace: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The fleet's own objects, as ``WorkspaceFleet._build`` makes them, in its order: those
    before the people (the ``RestrictedNamespace``, the listener's ``SecurityPolicy`` and
    redirect ``HTTPRoute``) and those after (the ``ResourceQuota``). Only what a roster with
    Gateway access makes: the ingress path's sign-in proxy is not rendered here."""
    from kasm_constructs._pipeline import objects  # noqa: PLC0415
    from kasm_constructs._pipeline import sign_in as sign_in_objects  # noqa: PLC0415
    from kasm_constructs._pipeline.plan import FLEET_LABEL, quota  # noqa: PLC0415
    from kasm_constructs.policy.pod_security import LATEST_VERSION  # noqa: PLC0415

    before: list[dict[str, Any]] = []
    if fleet.namespace:
        labels = {
            f"{_POD_SECURITY}enforce": "restricted",
            f"{_POD_SECURITY}enforce-version": f"v{LATEST_VERSION}",
            f"{_POD_SECURITY}audit": "restricted",
            f"{_POD_SECURITY}audit-version": "latest",
            f"{_POD_SECURITY}warn": "restricted",
            f"{_POD_SECURITY}warn-version": "latest",
        }
        cluster = objects.ChartFacts(None, {})  # a Namespace takes no namespace
        before.append(objects.manifest("Namespace", namespace, cluster, labels, {"spec": {}}))
    access = fleet.access
    if access is not None and access.sign_in is not None:
        if access.kind != "route" or access.gateway is None or access.section_name is None:
            raise NotImplementedError("the floor renders the Gateway path's sign-in only")
        gateway_namespace = access.gateway_namespace or namespace
        name = sign_in_objects.listener_name(access.gateway, access.section_name)
        where = objects.ChartFacts(gateway_namespace, {})
        policy = sign_in_objects.listener_policy(
            access.sign_in, gateway=access.gateway, section_name=access.section_name
        )
        route = sign_in_objects.redirect_route(
            access.sign_in,
            gateway=access.gateway,
            gateway_namespace=gateway_namespace,
            section_name=access.section_name,
        )
        before.append(objects.manifest("SecurityPolicy", name, where, {}, {"spec": policy}))
        before.append(objects.manifest("HTTPRoute", name, where, {}, {"spec": route}))
    after: list[dict[str, Any]] = []
    if fleet.resource_quota:
        labels = {**fleet.labels, FLEET_LABEL: fleet.name}
        chart = objects.ChartFacts(namespace, {})
        body = {"spec": {"hard": quota(fleet)}}
        after.append(objects.manifest("ResourceQuota", fleet.name, chart, labels, body))
    return before, after


def render(
    roster_path: Path, times: dict[str, float] | None = None
) -> tuple[FleetPlan, list[dict[str, Any]]]:
    """The plan of the roster at ``roster_path``, and every object of its fleet, in the order
    the fleet writes them; the time after each phase goes into ``times`` (``read``,
    ``planned``, ``rendered``)."""
    from kasm_constructs._pipeline import objects  # noqa: PLC0415
    from kasm_constructs._pipeline.plan import plan  # noqa: PLC0415
    from kasm_constructs._pipeline.roster import read_roster  # noqa: PLC0415

    times = {} if times is None else times
    roster = read_roster(roster_path)
    if roster.mistaken:
        raise roster.error(())
    times["read"] = time.time()
    fleet, problems = plan(
        roster.options, default_name=FLEET_ID, chart_labels={}, namespace=NAMESPACE
    )
    if problems:
        raise ValueError(f"the roster has mistakes: {[str(p.qualified()) for p in problems]}")
    times["planned"] = time.time()
    chart = objects.ChartFacts(NAMESPACE, {})
    before, after = shared_objects(fleet, NAMESPACE)
    manifests = before
    for person in fleet.people:
        path = f"{CHART_ID}/{FLEET_ID}/{person.user}"
        manifests += [manifest for _, manifest in objects.person(person, fleet, chart, path)]
    manifests += after
    times["rendered"] = time.time()
    return fleet, manifests


def main(argv: list[str] | None = None) -> int:
    started = time.time()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roster", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    options = parser.parse_args(argv)
    import yaml  # noqa: PLC0415

    import kasm_constructs._pipeline.objects  # noqa: PLC0415
    import kasm_constructs._pipeline.roster  # noqa: F401, PLC0415

    times = {"imported": time.time()}
    fleet, manifests = render(options.roster, times)
    with options.out.open("w", encoding="utf-8") as out:
        yaml.dump_all(manifests, out, Dumper=yaml.CSafeDumper, sort_keys=False)
    times["written"] = time.time()
    memory = peak_memory()
    content = options.out.read_bytes()
    result = {
        "route": "pure",
        "objects": len(manifests),
        "people": len(fleet.people),
        "stopped": sum(person.stopped for person in fleet.people),
        "started": started,
        **times,
        "yaml_bytes": len(content),
        "yaml_sha256": hashlib.sha256(content).hexdigest(),
        # the floor is Python and PyYAML only: neither cdk8s nor jsii may have been imported
        "imported_cdk8s": sorted(
            name for name in sys.modules if name.split(".")[0] in ("cdk8s", "jsii", "constructs")
        ),
        "memory": memory,
        "python": sys.version.split()[0],
    }
    options.result.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
