"""``WorkspaceFleet``: a desktop per person, from a roster, with homes that outlive a stop.

A fleet of thousands of people is written in bulk: each person's objects are rendered in Python
from the settings the plan decided (``_pipeline.objects``, the same renderers the constructs
use), judged by the guard as written, and handed to cdk8s in a few calls
(``_batch.add_manifests``), instead of a dozen jsii calls per object. A person whose cdk8s-plus
objects are touched (``fleet.workspaces[user].workload``, ``.service``, ``.allow_from(...)``)
is built through the ordinary constructs instead, in place of their bulk objects: both write
the same bytes (``tests/test_fleet_paths.py``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Unpack

import cdk8s
import cdk8s_plus_28 as kplus
import jsii
from constructs import Construct, IValidation

from kasm_constructs._pipeline import objects
from kasm_constructs._pipeline.model import FleetOptions
from kasm_constructs._pipeline.plan import (
    FLEET_LABEL,
    FleetPlan,
    Person,
    plan,
    proxy_name,
    quota,
)
from kasm_constructs._pipeline.render import objects as workspace_objects
from kasm_constructs.constructs._batch import add_manifests, remove_manifests
from kasm_constructs.constructs._tree import Placement, api_object, place, remember, takes_options
from kasm_constructs.constructs.listener_sign_in import ListenerSignIn, sign_in_on_listener
from kasm_constructs.constructs.namespace import RestrictedNamespace
from kasm_constructs.constructs.sign_in_proxy import SignInProxy
from kasm_constructs.constructs.workspace import FleetWorkspace, HardenedWorkspace
from kasm_constructs.errors import REFUSED, FleetError
from kasm_constructs.manifests.grammar import fail
from kasm_constructs.manifests.kinds import CLUSTER_SCOPED_KINDS
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.policy import guard

__all__ = ["PersonWorkspace", "WorkspaceFleet"]

#: What a person's bulk objects say when changed: they were judged as they are.
SEALED = (
    f"{REFUSED}: this object of a WorkspaceFleet person was judged as it is and cannot "
    "change; change a person through fleet.workspaces[user] (their workload, service, "
    "allow_from, ...), which builds them through the constructs, guard included"
)


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
    (a ``ValueError``), before anything is added to the tree. ``fleet.workspaces[user]`` is a
    person's :class:`PersonWorkspace`.

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id; the fleet's ``name`` unless given.
    """

    def __init__(self, scope: Construct, id: str, **options: Unpack[FleetOptions]) -> None:
        where = place(scope, id)
        with _collector_paused():
            planned, problems = plan(
                options, default_name=id, chart_labels=where.labels, namespace=where.namespace
            )
            if problems:
                raise FleetError(
                    [p.qualified() for p in problems], [(p.path, p.error) for p in problems]
                )
            self._build(where, planned)

    def _build(self, where: Placement, fleet: FleetPlan) -> None:
        chart = objects.ChartFacts(where.namespace, where.labels)
        written = [
            (person, objects.person(person, fleet, chart, f"{where.path}/{person.user}"))
            for person in fleet.people
        ]
        _judge(fleet, written, where.path)
        where.add(lambda: Construct.__init__(self, where.scope, where.id))
        claims = [(kind, person.name) for person in fleet.people for kind in _kinds(person, fleet)]
        where.claim([*claims, *[("ResourceQuota", fleet.name)] * fleet.resource_quota])
        remember(self, where.state)  # the workspaces made here need no lookup
        self._where = where
        self._synthesized = False
        #: The plan: every person's desktop, as decided.
        self.plan: FleetPlan = fleet

        #: The RestrictedNamespace, with ``namespace=True``.
        self.namespace: RestrictedNamespace | None = None
        if fleet.namespace:
            assert where.namespace is not None  # the plan refuses a fleet without one
            self.namespace = RestrictedNamespace(self, "Namespace", name=where.namespace)
        #: With ``FleetAccess.route(sign_in=...)``, the listener's sign-in
        #: (:class:`~kasm_constructs.ListenerSignIn`), unless the app already has it.
        self.listener_sign_in: ListenerSignIn | None = None
        #: With ``FleetAccess.ingress(sign_in=...)``, the
        #: :class:`~kasm_constructs.SignInProxy` people sign in at.
        self.sign_in_proxy: SignInProxy | None = None
        access = fleet.access
        if access is not None and access.sign_in is not None:
            assert where.namespace is not None  # the plan refuses access without a namespace
            if access.kind == "route":
                assert access.gateway is not None and access.section_name is not None
                self.listener_sign_in = sign_in_on_listener(
                    self,
                    "SignIn",
                    sign_in=access.sign_in,
                    gateway=access.gateway,
                    gateway_namespace=access.gateway_namespace or where.namespace,
                    section_name=access.section_name,
                )
            else:
                assert access.sign_in_tls_secret is not None
                self.sign_in_proxy = SignInProxy(
                    self,
                    "SignInProxy",
                    sign_in=access.sign_in,
                    host=access.sign_in.redirect_host,
                    tls_secret=access.sign_in_tls_secret,
                    name=proxy_name(fleet.name),
                    labels={**fleet.labels, FLEET_LABEL: fleet.name},
                    ingress_class_name=access.ingress_class_name,
                    controller=access.controller,
                )
        add_manifests(
            self,
            [manifest for _, made in written for _, manifest in made],
            ids=[id for _, made in written for id, _ in made],
            sealed=SEALED,
        )
        self._bulk: dict[str, list[str]] = {p.user: [id for id, _ in made] for p, made in written}
        #: Person id -> their desktop (:class:`PersonWorkspace`).
        self.workspaces: Mapping[str, PersonWorkspace] = {
            person.user: PersonWorkspace(self, person) for person in fleet.people
        }
        #: The ResourceQuota, with ``resource_quota=True``.
        self.resource_quota: cdk8s.ApiObject | None = None
        if fleet.resource_quota:
            metadata = cdk8s.ApiObjectMetadata(
                name=fleet.name, labels={**fleet.labels, FLEET_LABEL: fleet.name}
            )
            self.resource_quota = api_object(
                self, "ResourceQuota", metadata, {"hard": quota(fleet)}
            )
        self.node.add_validation(_Synthesized(self))

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

    def _build_person(self, person: Person) -> HardenedWorkspace:
        """Build ``person`` through the ordinary constructs, in place of their bulk objects."""
        if self._synthesized:
            fail(
                f"workspaces[{person.user!r}]",
                person.user,
                "the fleet was already synthesized: touch a person's cdk8s-plus objects before "
                "app.synth(), so what is written is what was judged",
            )
        remove_manifests(self, self._bulk.pop(person.user))
        claimed = self._where.state.claimed
        namespace = self._where.namespace or "default"
        for kind in _kinds(person, self.plan):
            claimed.pop((kind, "" if kind in CLUSTER_SCOPED_KINDS else namespace, person.name))
        workspace = FleetWorkspace(self, person.user, person.settings)
        if self.plan.access is not None:
            _reach(self, person, workspace, self.plan)
        return workspace


class PersonWorkspace:
    """One person's desktop in a :class:`WorkspaceFleet`: what the plan decided for them, and,
    once touched, their :class:`HardenedWorkspace`.

    Reading what was decided (``name``, ``ports``, ``labels``, ...) builds nothing. Touching a
    cdk8s-plus object (``workload``, ``service``, ``service_account``, ``network_policy``,
    ``node``, ``allow_from``, or ``workspace`` itself) builds the person through the ordinary
    constructs, guard included, in place of their bulk objects; do it before ``app.synth()``.
    """

    def __init__(self, fleet: WorkspaceFleet, person: Person) -> None:
        self._fleet = fleet
        self._person = person
        self._workspace: HardenedWorkspace | None = None

    @property
    def workspace(self) -> HardenedWorkspace:
        """The person's :class:`HardenedWorkspace`, built on first use."""
        if self._workspace is None:
            self._workspace = self._fleet._build_person(self._person)
        return self._workspace

    @property
    def built(self) -> bool:
        """Whether the person was built through the ordinary constructs."""
        return self._workspace is not None

    # --- what the plan decided: nothing is built --------------------------------------------
    @property
    def person(self) -> Person:
        """What the plan decided for this person."""
        return self._person

    @property
    def name(self) -> str:
        """``metadata.name`` of every object of the person."""
        return self._person.name

    @property
    def ports(self) -> Mapping[str, int]:
        """The container ports, name -> number; the first is the web port."""
        return dict(self._person.settings.ports)

    @property
    def labels(self) -> Mapping[str, str]:
        """The labels of every object of the person."""
        return dict(self._person.settings.labels)

    @property
    def selector_labels(self) -> Mapping[str, str]:
        """The labels that select this person's pods (and only them)."""
        return dict(self._person.settings.selector_labels)

    @property
    def web_scheme(self) -> str:
        """What the web port speaks: ``HTTP`` or ``HTTPS``."""
        return self._person.settings.profile.web_scheme

    @property
    def backend_tls_secret(self) -> str | None:
        """The Secret whose certificate the web port serves, or ``None``."""
        return self._person.settings.backend_tls_secret

    @property
    def namespace(self) -> str | None:
        """The namespace of every object (the fleet chart's)."""
        return self._fleet._where.namespace

    # --- the cdk8s-plus objects: built on first use -----------------------------------------
    @property
    def node(self) -> Any:
        """The person's construct node."""
        return self.workspace.node

    @property
    def workload(self) -> kplus.Deployment | kplus.StatefulSet:
        """The cdk8s-plus StatefulSet."""
        return self.workspace.workload

    @property
    def service(self) -> kplus.Service | None:
        """The cdk8s-plus Service."""
        return self.workspace.service

    @property
    def service_account(self) -> kplus.ServiceAccount | None:
        """The cdk8s-plus ServiceAccount (``None`` with a preset's ``service_account_name``)."""
        return self.workspace.service_account

    @property
    def network_policy(self) -> cdk8s.ApiObject | None:
        """The person's NetworkPolicy."""
        return self.workspace.network_policy

    def allow_from(self, peer: NetworkPeer, ports: Sequence[int] | None = None) -> None:
        """Admit ``peer`` to the person's desktop: :meth:`HardenedWorkspace.allow_from`."""
        self.workspace.allow_from(peer, ports)


@jsii.implements(IValidation)
class _Synthesized:
    """Marks the fleet as synthesized: cdk8s runs validations when it writes the app (and
    again per chart), so a person touched afterwards is refused rather than silently written
    differently from what was synthesized (``tests/test_fleet_paths.py`` pins when)."""

    def __init__(self, fleet: WorkspaceFleet) -> None:
        self._fleet = fleet

    def validate(self) -> list[str]:
        self._fleet._synthesized = True
        return []


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a fleet is planned and built (then as it
    was). Planning and rendering thousands of people makes millions of small dicts and lists
    that stay alive until they are handed to cdk8s, and each full collection walks all of them
    again: about a quarter of the build of 10,000 people (``python -m bench --people``).
    Reference counting still frees what is dropped; a cycle made meanwhile waits for the
    collector's next run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _kinds(person: Person, fleet: FleetPlan) -> Iterator[str]:
    """The kinds of a person's objects, as their constructs claim them."""
    yield from (kind for kind, _ in workspace_objects(person.settings))
    if fleet.access is not None and fleet.access.kind == "ingress":
        yield "Ingress"
    elif fleet.access is not None:
        yield from ("HTTPRoute", "BackendTLSPolicy")
        if fleet.access.sign_in is not None:
            yield "SecurityPolicy"
            if person.settings.vnc_password:
                yield "HTTPRouteFilter"
        if fleet.access.issuer is not None:
            yield "Certificate"


def _judge(
    fleet: FleetPlan, written: list[tuple[Person, list[tuple[str, dict[str, Any]]]]], path: str
) -> None:
    """The guard judges each person's workload exactly as it will be written."""
    errors: list[str] = []
    for person, made in written:
        s = person.settings
        exemptions = s.pod_security_exemptions
        policy = guard.Policy(f"{path}/{person.user}", s.pod_security_version, exemptions)
        (workload,) = [m for _, m in made if m["kind"] == s.kind]
        errors += guard.judge(workload, policy)
    if errors:
        raise guard.refusal(errors)


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
            annotations=objects.person_auth(person, plan, fleet._where.namespace),
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
        sign_in=access.sign_in,
        allow=person.allowed(access.sign_in),
        allow_groups=person.groups if access.sign_in is not None else (),
    )
    if access.issuer is not None:
        WorkspaceCertificate(
            fleet,
            f"{person.user}-certificate",
            workspace=workspace,
            issuer=access.issuer,
            issuer_kind=access.issuer_kind,
        )
