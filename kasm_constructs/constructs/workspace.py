"""``HardenedWorkspace``: one Kasm Workspaces desktop, hardened, as a cdk8s construct."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from kasm_constructs._pipeline import render as _render
from kasm_constructs._pipeline.model import Settings, WorkspaceOptions
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.constructs import _kplus
from kasm_constructs.constructs._tree import Placement, api_object, place, takes_options
from kasm_constructs.manifests.grammar import fail
from kasm_constructs.manifests.kinds import API_VERSIONS
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.policy import guard as _guard

__all__ = ["FleetWorkspace", "HardenedWorkspace"]


@takes_options(WorkspaceOptions)
class HardenedWorkspace(Construct):
    """A Kasm Workspaces desktop that passes Pod Security "restricted" and starts with the image.

    It creates, in the scope's chart (and so in the chart's namespace, with its labels):

    - ``workload``: a cdk8s-plus ``Deployment``, or a ``StatefulSet`` when each replica gets its
      own home claim (``home=Home.per_replica(...)``); its construct id is ``Resource``;
    - ``service_account``: a dedicated ServiceAccount without a mounted token (unless
      ``service_account_name`` names an existing one);
    - ``service``: a ClusterIP Service on the named ports (``service=False`` to skip);
    - ``network_policy``: ingress only from ``ingress_from`` on the declared ports, egress only
      to the cluster DNS, to ``egress_to``, and to the public internet with
      ``egress_internet=True``;
    - ``pod_disruption_budget``: with more than one replica, at most one pod down at a time;
    - ``scaled_object``: with ``schedule``, the KEDA ScaledObject that starts and stops it.

    Every argument is checked here, and a wrong one raises ``ValueError`` naming it. Whenever the
    workload is written, it is judged as written (JSON patches and cdk8s-plus additions
    included) against Pod Security "restricted", and refused if it falls short.

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id. It determines the default ``name``; keep it stable.
    """

    def __init__(self, scope: Construct, id: str, **options: Unpack[WorkspaceOptions]) -> None:
        # Everything is checked before the first object is made, so a mistake is a plain
        # ValueError and leaves nothing behind in the tree.
        where = place(scope, id)
        settings = resolve(
            options, default_name=where.dns_label(max_len=52), chart_labels=where.labels
        )
        self._build(where, settings)

    def _build(self, where: Placement, s: Settings) -> None:
        """Add the construct to the tree and make its objects, as ``s`` decided them."""
        scope, id = where.scope, where.id
        where.add(lambda: Construct.__init__(self, scope, id))
        where.claim(_render.objects(s))
        self._settings = s

        metadata = cdk8s.ApiObjectMetadata(name=s.name, labels=s.labels, annotations=s.annotations)
        #: The ServiceAccount created for the pods, or ``None`` with ``service_account_name``.
        self.service_account: kplus.ServiceAccount | None = None
        if s.service_account_name is None:
            self.service_account = kplus.ServiceAccount(
                self, "ServiceAccount", metadata=metadata, automount_token=False
            )
        workload_props: dict[str, Any] = {
            "metadata": cdk8s.ApiObjectMetadata(
                name=s.name, labels=s.labels, annotations=s.workload_annotations
            ),
            "pod_metadata": cdk8s.ApiObjectMetadata(labels=s.pod_labels, annotations=s.annotations),
            "replicas": s.replicas,
            "select": False,
            "service_account": self.service_account,
            "containers": [_kplus.placeholder(s.name, s.image)],
        }
        service_ports = [
            kplus.ServicePort(port=number, target_port=number, name=port_name)
            for port_name, number in s.ports.items()
        ]
        #: The ClusterIP Service on the named ports, or ``None`` (``service=False``, no port).
        self.service: kplus.Service | None = None
        #: The cdk8s-plus workload: a ``Deployment``, or a ``StatefulSet`` with
        #: ``Home.per_replica``.
        self.workload: kplus.Deployment | kplus.StatefulSet
        if s.claim_template is not None:
            # A StatefulSet names its governing Service, so the Service comes first.
            self.service = kplus.Service(self, "Service", metadata=metadata, ports=service_ports)
            self.workload = kplus.StatefulSet(
                self, "Resource", service=self.service, **workload_props
            )
        else:
            if s.recreate:
                workload_props["strategy"] = kplus.DeploymentStrategy.recreate()
            self.workload = kplus.Deployment(self, "Resource", **workload_props)
            if s.service:
                self.service = kplus.Service(
                    self, "Service", metadata=metadata, ports=service_ports
                )
        if self.service is not None:
            _kplus.select(self.service, s.selector_labels)
        policy = _guard.Policy(where.path, s.pod_security_version, s.pod_security_exemptions)
        _kplus.WorkloadObject(
            self.workload,
            kind=s.kind,
            api_version=API_VERSIONS[s.kind],
            name=s.name,
            owned=_render.workload_fields(s),
            judge=lambda manifest, problems: _guard.judge(manifest, policy, problems),
        )

        #: The NetworkPolicy (a plain ``ApiObject``), or ``None`` with ``network_policy=False``.
        self.network_policy: cdk8s.ApiObject | None = None
        if s.network_policy:
            self.network_policy = api_object(
                self, "NetworkPolicy", metadata, _render.network_policy_spec(s)
            )
        #: The PodDisruptionBudget (a plain ``ApiObject``), with ``replicas > 1``.
        self.pod_disruption_budget: cdk8s.ApiObject | None = None
        if s.pod_disruption_budget:
            self.pod_disruption_budget = api_object(
                self, "PodDisruptionBudget", metadata, _render.pod_disruption_budget_spec(s)
            )

        #: The KEDA ScaledObject that keeps ``schedule`` (a plain ``ApiObject``), or ``None``.
        self.scaled_object: cdk8s.ApiObject | None = None
        if s.schedule is not None:
            self.scaled_object = api_object(
                self, "ScaledObject", metadata, _render.scaled_object_spec(s)
            )

        #: The namespace of every object (the chart's), or ``None``.
        self.namespace = where.namespace

    def allow_from(self, peer: NetworkPeer, ports: Sequence[int] | None = None) -> None:
        """Admit ``peer`` to ``ports`` (default: every declared port) in the workspace's own
        NetworkPolicy: one more ingress rule, no second policy. Refused for a workspace
        without a password (``vnc_password=False``): only its sign-in's proxy reaches it."""
        if not self._settings.vnc_password:
            fail(
                "peer",
                peer.render() if isinstance(peer, NetworkPeer) else peer,
                f"the workspace {self.node.path!r} has no password (vnc_password=False): "
                "whoever reaches it controls it, so only its sign-in's proxy is admitted "
                "(WorkspaceRoute(sign_in=...), a fleet's sign-in)",
            )
        self._admit(peer, ports)

    def _admit(self, peer: NetworkPeer, ports: Sequence[int] | None) -> None:
        """:meth:`allow_from`, for a sign-in's own proxy too."""
        if not isinstance(peer, NetworkPeer):
            fail("peer", peer, "expected a NetworkPeer, e.g. NetworkPeer.from_namespace('x')")
        declared = list(self._settings.ports.values())
        chosen = declared if ports is None else list(ports)
        for port in chosen:
            if port not in declared:
                fail("ports", ports, f"expected declared ports of the workspace: {declared}")
        if self.network_policy is None or not chosen:
            fail(
                "peer",
                peer,
                "the workspace has no NetworkPolicy (network_policy=False) or no port to admit "
                "it to; admit the peer in your own policy",
            )
        rule = {"from": [peer.render()], "ports": peer.on(*chosen).render_ports()}
        self.network_policy.add_json_patch(cdk8s.JsonPatch.add("/spec/ingress/-", rule))

    @property
    def name(self) -> str:
        """``metadata.name`` of every object of the workspace."""
        return self._settings.name

    @property
    def ports(self) -> Mapping[str, int]:
        """The container ports, name -> number; the first is the web port."""
        return dict(self._settings.ports)

    @property
    def web_scheme(self) -> str:
        """What the web port (the first) speaks: ``HTTP`` or ``HTTPS``."""
        return self._settings.profile.web_scheme

    @property
    def backend_tls_secret(self) -> str | None:
        """The Secret whose certificate the web port serves, or ``None``."""
        return self._settings.backend_tls_secret

    @property
    def vnc_password(self) -> bool:
        """Whether KasmVNC asks for its password at the web port (``vnc_password``)."""
        return self._settings.vnc_password

    @property
    def vnc_secret(self) -> str | None:
        """The Secret ``VNC_PW`` is bound to, or ``None``."""
        ref = self._settings.secret_env.get("VNC_PW")
        return ref.name if ref is not None else None

    @property
    def labels(self) -> Mapping[str, str]:
        """The labels of every object of the workspace (the user's and the recommended ones)."""
        return dict(self._settings.labels)

    @property
    def selector_labels(self) -> Mapping[str, str]:
        """The labels that select this workspace's pods (and only them)."""
        return dict(self._settings.selector_labels)


class FleetWorkspace(HardenedWorkspace):
    """One person's :class:`HardenedWorkspace` in a :class:`~kasm_constructs.WorkspaceFleet`,
    made from the settings the fleet's plan decided for them (they are not resolved again)."""

    def __init__(self, scope: Construct, id: str, settings: Settings) -> None:
        self._build(place(scope, id), settings)
