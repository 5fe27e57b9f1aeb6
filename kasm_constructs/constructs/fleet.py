"""``WorkspaceFleet``: a desktop per person, from a roster, with homes that outlive a stop."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Unpack

import cdk8s
from constructs import Construct

from kasm_constructs._pipeline.model import FleetOptions
from kasm_constructs._pipeline.plan import FLEET_LABEL, FleetPlan, Person, plan, quota
from kasm_constructs.constructs._tree import Placement, api_object, place, remember, takes_options
from kasm_constructs.constructs.namespace import RestrictedNamespace
from kasm_constructs.constructs.workspace import FleetWorkspace, HardenedWorkspace
from kasm_constructs.errors import FleetError

__all__ = ["WorkspaceFleet"]


@takes_options(FleetOptions)
class WorkspaceFleet(Construct):
    """A desktop per person: a :class:`HardenedWorkspace` for each of ``users``, made from
    ``presets``, reached through ``access``.

    Every object of a person is named ``<name>-<user>-<preset>`` (``<name>-<user>`` with
    ``home_per_preset=False``), never from the construct path, and labelled
    ``kasm-constructs.io/user: <user>`` (and ``/fleet``, ``/preset``), so
    ``kubectl get all,pvc -l kasm-constructs.io/user=alice`` finds them all. Each person's home
    is a claim of their StatefulSet, retained when it is deleted or scaled to zero: stopping a
    person, changing their preset, or removing them from the roster never deletes a home.

    Each person's desktop has its own NetworkPolicy, written from their own settings (their
    preset's and their overrides'): ingress only from the access path (the ingress controller's
    or the gateway's pods) to their web port, so desktops never reach each other; egress to the
    cluster DNS, ``egress_to`` and, with ``egress_internet``, the internet.

    Every mistake in the options is reported at once, in a :class:`~kasm_constructs.FleetError`
    (a ``ValueError``), before anything is added to the tree.

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id; the fleet's ``name`` unless given.
    """

    def __init__(self, scope: Construct, id: str, **options: Unpack[FleetOptions]) -> None:
        where = place(scope, id)
        planned, problems = plan(
            options, default_name=id, chart_labels=where.labels, namespace=where.namespace
        )
        if problems:
            raise FleetError(
                [p.qualified() for p in problems], [(p.path, p.error) for p in problems]
            )
        self._build(where, planned)

    def _build(self, where: Placement, fleet: FleetPlan) -> None:
        where.add(lambda: Construct.__init__(self, where.scope, where.id))
        where.claim([("ResourceQuota", fleet.name)] * fleet.resource_quota)
        remember(self, where.state)  # the workspaces made here need no lookup
        #: The plan: every person's desktop, as decided.
        self.plan: FleetPlan = fleet

        #: The RestrictedNamespace, with ``namespace=True``.
        self.namespace: RestrictedNamespace | None = None
        if fleet.namespace:
            assert where.namespace is not None  # the plan refuses a fleet without one
            self.namespace = RestrictedNamespace(self, "Namespace", name=where.namespace)
        #: Person id -> their workspace.
        self.workspaces: dict[str, HardenedWorkspace] = {}
        for person in fleet.people:
            workspace = FleetWorkspace(self, person.user, person.settings)
            self.workspaces[person.user] = workspace
            if fleet.access is not None:
                _reach(self, person, workspace, fleet)
        #: The ResourceQuota, with ``resource_quota=True``.
        self.resource_quota: cdk8s.ApiObject | None = None
        if fleet.resource_quota:
            metadata = cdk8s.ApiObjectMetadata(
                name=fleet.name, labels={**fleet.labels, FLEET_LABEL: fleet.name}
            )
            self.resource_quota = api_object(
                self, "ResourceQuota", metadata, {"hard": quota(fleet)}
            )

    @classmethod
    def from_roster(cls, scope: Construct, id: str, path: str | Path) -> WorkspaceFleet:
        """A fleet from a YAML roster whose keys mirror this constructor's (see
        ``kasm_constructs/roster.schema.json``). Every mistake in the file is reported at once,
        each with the file, line and field, as a :class:`~kasm_constructs.RosterError`."""
        from kasm_constructs._pipeline.roster import read_roster  # noqa: PLC0415 - PyYAML

        roster = read_roster(path)
        try:
            fleet = cls(scope, id, **roster.options)
        except FleetError as error:
            raise roster.error(error.located) from None
        if roster.mistaken:
            raise roster.error(())
        return fleet

    @property
    def people(self) -> Mapping[str, Person]:
        """Person id -> what the plan decided for them."""
        return {person.user: person for person in self.plan.people}


def _reach(
    fleet: WorkspaceFleet, person: Person, workspace: HardenedWorkspace, plan: FleetPlan
) -> None:
    """The person's access path: an Ingress, or a route and (with an issuer) a certificate.
    Their own NetworkPolicy already admits the access path (``plan``)."""
    from kasm_constructs.constructs.certificate import WorkspaceCertificate  # noqa: PLC0415
    from kasm_constructs.constructs.ingress import WorkspaceIngress  # noqa: PLC0415
    from kasm_constructs.constructs.route import WorkspaceRoute  # noqa: PLC0415

    access = plan.access
    assert person.host is not None and access is not None
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
