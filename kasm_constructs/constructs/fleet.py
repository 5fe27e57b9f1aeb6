"""``WorkspaceFleet``: a desktop per person, from a roster, with homes that outlive a stop."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import cdk8s
from constructs import Construct

from kasm_constructs._pipeline import render as _render
from kasm_constructs._pipeline.model import WorkspaceArguments
from kasm_constructs.constructs._tree import api_object, place, public_signature, remember
from kasm_constructs.constructs.namespace import RestrictedNamespace
from kasm_constructs.constructs.workspace import HardenedWorkspace
from kasm_constructs.manifests.grammar import fail
from kasm_constructs.options import seats
from kasm_constructs.options.seats import FLEET_LABEL, PRESET_LABEL, FleetAccess, FleetPlan, Seat

__all__ = ["WorkspaceFleet"]


@public_signature
class WorkspaceFleet(Construct):
    """A desktop per person: a :class:`HardenedWorkspace` for each of ``users``, made from
    ``presets``, reached through ``access``.

    Every object of a person is named ``<name>-<user>-<preset>`` (``<name>-<user>`` with
    ``home_per_preset=False``), never from the construct path, and labelled
    ``kasm-constructs.io/user: <user>`` (and ``/fleet``, ``/preset``), so
    ``kubectl get all,pvc -l kasm-constructs.io/user=alice`` finds them all. Each person's home
    is a claim of their StatefulSet, retained when it is deleted or scaled to zero: stopping a
    person, changing their preset, or removing them from the roster never deletes a home.

    The fleet's NetworkPolicy admits only the access path (the ingress controller's or the
    gateway's pods) to the desktops' web port: desktops never reach each other. Each preset's
    egress (DNS; ``egress_to``; ``egress_internet``) is one more policy.

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id.
        users: Person id -> preset name, or ``Seat(preset, stopped=..., overrides={...})``. A
            person id is lowercase letters, digits and ``-``. Required.
        presets: Preset name -> ``HardenedWorkspace`` keywords for that kind of desktop
            (``image``, ``requests``, ``limits``, ``shm_size``, ``egress_internet``, ...), except
            those the fleet decides: ``name``, ``replicas``, ``home``, ``backend_tls_secret``,
            ``network_policy``, ``ingress_from``. Required.
        name: The fleet's name, the start of every object's name and of every home claim's:
            changing it gives everybody a new, empty home. Default: ``id``.
        vnc_secret: The Secret holding a person's ``VNC_PW``, a pattern of ``{user}``,
            ``{preset}`` and ``{fleet}``. Default ``"{user}-vnc"``.
        vnc_secret_key: The key of ``VNC_PW`` in that Secret. Default ``"password"``.
        home_size: The size of each home claim. Default ``"10Gi"``.
        home_storage_class: Their ``storageClassName``. Default ``None`` (the cluster's).
        home_per_preset: A home per person *and* preset, as Kasm keeps a profile per user and
            image (applications lock their files). Default ``True``; ``False`` shares one home
            across a person's presets.
        access: ``FleetAccess.ingress(...)`` or ``FleetAccess.route(...)``. Default ``None``:
            no access path, and nobody is admitted to the desktops.
        namespace: Create a ``RestrictedNamespace`` for the chart's namespace. Default ``False``.
        resource_quota: Create a ResourceQuota for the running desktops: for each resource, the
            sum of their presets' requests and limits; ``pods``, their number. Default ``False``.
        labels: Added to every object. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        users: Mapping[str, str | Seat],
        presets: Mapping[str, Mapping[str, Any]],
        name: str | None = None,
        vnc_secret: str = "{user}-vnc",
        vnc_secret_key: str = "password",
        home_size: str = "10Gi",
        home_storage_class: str | None = None,
        home_per_preset: bool = True,
        access: FleetAccess | None = None,
        namespace: bool = False,
        resource_quota: bool = False,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        where = place(scope, id)
        fleet, problems = seats.plan(
            name=id if name is None else name,
            users=users,
            presets=presets,
            vnc_secret=vnc_secret,
            vnc_secret_key=vnc_secret_key,
            home_size=home_size,
            home_storage_class=home_storage_class,
            home_per_preset=home_per_preset,
            access=access,
            labels=labels,
        )
        if problems:
            raise problems[0].qualified()
        for flag, value in (("namespace", namespace), ("resource_quota", resource_quota)):
            if not isinstance(value, bool):
                fail(flag, value, "expected True or False")
        if (namespace or access is not None) and where.namespace is None:
            fail(
                "namespace" if namespace else "access",
                where.facts.path,
                "the fleet's chart needs a namespace",
            )
        peer = access.peer(where.namespace) if access is not None else None
        where.add(lambda: Construct.__init__(self, scope, id))
        objects = [("NetworkPolicy", fleet.name)]
        objects += [("NetworkPolicy", f"{fleet.name}-{preset}") for preset in fleet.presets]
        objects += [("ResourceQuota", fleet.name)] * resource_quota
        where.claim(objects)
        remember(self, where.state)  # the workspaces made here need no lookup
        #: The plan: every person's desktop.
        self.plan: FleetPlan = fleet

        metadata = cdk8s.ApiObjectMetadata(
            name=fleet.name, labels={**(labels or {}), FLEET_LABEL: fleet.name}
        )
        #: The RestrictedNamespace, with ``namespace=True``.
        self.namespace: RestrictedNamespace | None = None
        if namespace:
            assert where.namespace is not None
            self.namespace = RestrictedNamespace(self, "Namespace", name=where.namespace)
        #: Person id -> their workspace.
        self.workspaces: dict[str, HardenedWorkspace] = {}
        for person in fleet.people:
            keywords = {f.name: getattr(person.arguments, f.name) for f in _FIELDS}
            workspace = HardenedWorkspace(self, person.user, **keywords)
            self.workspaces[person.user] = workspace
            if access is not None:
                _reach(self, person, workspace, access)

        web_ports = sorted({p.web_port for p in fleet.presets.values() if p.web_port})
        ingress = []
        if peer is not None and web_ports:
            ingress = [{"from": [peer.render()], "ports": peer.on(*web_ports).render_ports()}]
        #: The NetworkPolicy of every desktop: ingress from the access path only.
        self.network_policy = api_object(
            self,
            "NetworkPolicy",
            metadata,
            {
                "podSelector": {"matchLabels": {FLEET_LABEL: fleet.name}},
                "policyTypes": ["Ingress"],
                "ingress": ingress,
            },
        )
        #: Preset -> the NetworkPolicy of its desktops' egress.
        self.egress_policies: dict[str, cdk8s.ApiObject] = {}
        for preset, sample in fleet.presets.items():
            self.egress_policies[preset] = api_object(
                self,
                "NetworkPolicy",
                cdk8s.ApiObjectMetadata(
                    name=f"{fleet.name}-{preset}",
                    labels={**(labels or {}), FLEET_LABEL: fleet.name, PRESET_LABEL: preset},
                ),
                {
                    "podSelector": {"matchLabels": {FLEET_LABEL: fleet.name, PRESET_LABEL: preset}},
                    "policyTypes": ["Egress"],
                    "egress": _render.egress_rules(sample),
                },
                id=f"{preset}-egress",
            )
        #: The ResourceQuota, with ``resource_quota=True``.
        self.resource_quota: cdk8s.ApiObject | None = None
        if resource_quota:
            self.resource_quota = api_object(
                self, "ResourceQuota", metadata, {"hard": seats.quota(fleet)}
            )

    @classmethod
    def from_roster(cls, scope: Construct, id: str, path: str | Path) -> WorkspaceFleet:
        """A fleet from a YAML roster whose keys mirror this constructor's (see
        ``kasm_constructs/roster.schema.json``). Every mistake in the file is reported at once,
        each with the file, line and field, as a :class:`~kasm_constructs.RosterError`."""
        from kasm_constructs._pipeline.roster import load_roster  # noqa: PLC0415 - PyYAML only when a roster is read

        return cls(scope, id, **load_roster(path))


_FIELDS = dataclasses.fields(WorkspaceArguments)


def _reach(
    fleet: WorkspaceFleet, person: seats.Person, workspace: HardenedWorkspace, access: FleetAccess
) -> None:
    """The person's access path: an Ingress, or a route and (with an issuer) a certificate."""
    from kasm_constructs.constructs.certificate import WorkspaceCertificate  # noqa: PLC0415
    from kasm_constructs.constructs.ingress import WorkspaceIngress  # noqa: PLC0415
    from kasm_constructs.constructs.route import WorkspaceRoute  # noqa: PLC0415

    assert person.host is not None
    if access.kind == "ingress":
        assert person.tls_secret is not None and access.controller is not None
        WorkspaceIngress(
            fleet,
            f"{person.user}-ingress",
            workspace=workspace,
            host=person.host,
            tls_secret=person.tls_secret,
            ingress_class_name=access.ingress_class_name,
            controller=access.controller,
            network_policy=False,
        )
        return
    assert access.gateway is not None and access.ca_config_map is not None
    WorkspaceRoute(
        fleet,
        f"{person.user}-route",
        workspace=workspace,
        gateway=access.gateway,
        gateway_namespace=access.gateway_namespace,
        section_name=access.section_name,
        hostnames=[person.host],
        ca_config_map=access.ca_config_map,
        network_policy=False,
    )
    if access.issuer is not None:
        WorkspaceCertificate(
            fleet,
            f"{person.user}-certificate",
            workspace=workspace,
            issuer=access.issuer,
            issuer_kind=access.issuer_kind,
        )
