"""``HardenedWorkspace``: one Kasm Workspaces desktop, hardened, as a cdk8s construct."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from kasm_constructs._pipeline import render as _render
from kasm_constructs._pipeline.model import WorkspaceArguments
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.constructs import _kplus
from kasm_constructs.constructs._tree import api_object, place, public_signature
from kasm_constructs.manifests.grammar import fail
from kasm_constructs.options.home import Home
from kasm_constructs.options.images import ImageProfile
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.probes import Probe
from kasm_constructs.options.secrets import SecretKeyRef
from kasm_constructs.policy import guard as _guard
from kasm_constructs.policy.pod_security import PodSecurityExemption

__all__ = ["HardenedWorkspace"]


@public_signature
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
    - ``pod_disruption_budget``: with more than one replica, at most one pod down at a time.

    Every argument is checked here, and a wrong one raises ``ValueError`` naming it. Whenever the
    workload is written, it is judged as written (JSON patches and cdk8s-plus additions
    included) against Pod Security "restricted", and refused if it falls short.

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id. It determines the default ``name``; keep it stable.
        image: Image reference, e.g. ``"kasmweb/desktop:1.16.0"``. Required. What the image
            needs (home, writable paths, env, ports, probes) is looked up from it; see
            :mod:`kasm_constructs.options.images`. Pin a digest (``name:tag@sha256:...``) for
            reproducible pods.
        name: ``metadata.name`` of every object created. Default: derived from the construct
            path (``cdk8s.Names.to_dns_label``, at most 52 characters), unique in the app.
        replicas: ``spec.replicas``. Default ``1``.
        run_as_user: ``runAsUser`` of pod and container. Default ``1000``, the kasmweb user.
        run_as_group: ``runAsGroup`` of pod and container. Default ``1000``.
        fs_group: ``fsGroup`` of the pod. Default ``1000``.
        ports: Container port name -> number. Default: the image's (``{"vnc": 6901}`` for
            kasmweb images, none for others). ``NET_BIND_SERVICE`` is added only when a port is
            below 1024.
        writable_paths: Absolute path -> emptyDir ``sizeLimit``, for every path the image
            writes outside its home. Default: the image's (kasmweb: ``/tmp`` 1Gi,
            ``/var/run/pulse`` 64Mi, plus ``/usr/share/kasmvnc/www/Downloads`` 16Mi on 1.14
            and 1.15; others: ``/tmp`` 1Gi). What you pass replaces the default exactly.
        home: Where the home directory lives: ``Home.ephemeral(size_limit)``,
            ``Home.claim(name, access_mode=...)`` or ``Home.per_replica(size, storage_class=...,
            access_mode=...)`` (which makes the workload a StatefulSet), each mounted at the
            image's ``$HOME`` unless given ``path=``. Default: ``Home.ephemeral()`` (4Gi for
            kasmweb) for an image with a known home, none for others.
        shm_size: ``sizeLimit`` of the memory-backed emptyDir at ``/dev/shm``. It counts
            against the memory limit, so it may not exceed it. Default ``"512Mi"``.
        secret_env: Environment variable -> ``SecretKeyRef(name, key)`` (or a ``(name, key)``
            tuple), rendered as ``secretKeyRef``. kasmweb images require ``VNC_PW`` here:
            without it they serve their published default password. Default: none.
        env: Extra plain environment variables; they override the image's defaults
            (e.g. ``XDG_CACHE_HOME``). A variable that holds a credential (``VNC_PW``,
            ``VNC_VIEW_ONLY_PW``) is refused here. Default: none.
        requests: ``resources.requests`` (``cpu``, ``memory``, ``ephemeral-storage``, extended
            resources such as ``nvidia.com/gpu``). Default ``{"cpu": "1", "memory": "2Gi"}``.
            ``ephemeral-storage`` defaults to the sum of the disk-backed emptyDirs.
        limits: ``resources.limits``, same keys. Default ``{"cpu": "2", "memory": "4Gi"}``;
            ``ephemeral-storage`` defaults to the emptyDirs' sum plus 1Gi for logs.
        labels: Added to every object and to the pods. Default: none. The recommended
            ``app.kubernetes.io/*`` labels are always set.
        annotations: Added to every object and to the pods. Default: none.
        image_pull_policy: ``Always`` (default), ``IfNotPresent`` or ``Never``.
        image_pull_secrets: Names of Secrets for the registry. Default: none.
        command: The container ``command``. Default: for kasmweb images, a ``/bin/sh`` wrapper
            that removes the stale X lock files, then runs the image's ENTRYPOINT unchanged;
            for other images, the image's own.
        args: The container ``args``. Default: the image's CMD (``--wait`` for kasmweb).
        startup_probe: Default: ``tcpSocket`` on the first port, every 5 s, for up to the
            image's first-start budget (300 s for kasmweb). ``Probe.disabled()`` for none.
        readiness_probe: Default: ``tcpSocket`` on the first port, every 10 s, 3 failures.
        liveness_probe: Default: ``tcpSocket`` on the first port, every 30 s, 6 failures: the
            images restart KasmVNC themselves, so a restart is a last resort.
        image_profile: Replace what is known about the image. Default: looked up from
            ``image`` with :func:`kasm_constructs.options.images.profile_for`.
        service_account_name: Run as this existing ServiceAccount instead of creating one.
            Default ``None`` (create one). The token is never mounted.
        service: Create the ClusterIP Service (when there is a port). Default ``True``.
            Required with ``Home.per_replica``.
        network_policy: Create the NetworkPolicy. Default ``True``.
        ingress_from: Who may connect to the declared ports (a peer made with ``.on(port)``:
            to that port only). Default: nobody.
        egress_dns: Where DNS queries (port 53, UDP and TCP) may go. Default:
            ``[NetworkPeer.kube_dns()]``, the kube-dns/CoreDNS pods in ``kube-system``. For
            NodeLocal DNSCache, ``[NetworkPeer.from_ip_block("169.254.20.10/32")]``; ``[]`` for
            no DNS.
        egress_to: Further destinations, e.g. an internal Git server or package mirror:
            ``[NetworkPeer.from_ip_block("10.20.0.0/16").on(443)]``. A peer without ``.on()``
            may be reached on every port. Default: none.
        egress_internet: Also allow egress to public addresses (everything but
            :data:`kasm_constructs.options.network.NON_PUBLIC_RANGES`). Default ``False``.
        pod_disruption_budget: With ``replicas > 1``, create a PodDisruptionBudget
            (``maxUnavailable: 1``). Default ``True``.
        topology_spread: With ``replicas > 1``, spread the pods over nodes
            (``ScheduleAnyway``). Default ``True``.
        host_users: ``False`` runs the pod in a user namespace (``hostUsers: false``); the
            cluster must support it (see README). Default ``True`` (field not set).
        pod_security_version: The Pod Security version the guard applies, ``"1.NN"``.
            Default: the newest known.
        pod_security_exemptions: Check id -> reason, or ``PodSecurityExemption(reason,
            allow=[...])``, for a Pod Security check you accept failing, e.g.
            ``{"capabilities_restricted": PodSecurityExemption("debugger", allow=["SYS_PTRACE"])}``.
            A plain reason never relaxes the baseline check a restricted check overrides;
            ``allow`` accepts exactly the values named. Each is written as a
            ``pod-security.kasm-constructs.io/<check>`` annotation. Default: none.
        backend_tls_secret: A ``kubernetes.io/tls`` Secret (``tls.crt``, ``tls.key``, as
            cert-manager writes it) whose certificate the web port serves instead of the image's
            self-signed one, so a gateway or ingress can verify it. Mounted read-only at
            ``/etc/kasm-constructs/tls``; for kasmweb images, ``VNCOPTIONS`` points KasmVNC at
            it. Required by ``WorkspaceRoute``. Default ``None``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        image: str,
        name: str | None = None,
        replicas: int = 1,
        run_as_user: int = 1000,
        run_as_group: int = 1000,
        fs_group: int = 1000,
        ports: Mapping[str, int] | None = None,
        writable_paths: Mapping[str, str] | None = None,
        home: Home | None = None,
        shm_size: str | None = None,
        secret_env: Mapping[str, SecretKeyRef | tuple[str, str]] | None = None,
        env: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        image_pull_policy: str = "Always",
        image_pull_secrets: Sequence[str] = (),
        command: Sequence[str] | None = None,
        args: Sequence[str] | None = None,
        startup_probe: Probe | None = None,
        readiness_probe: Probe | None = None,
        liveness_probe: Probe | None = None,
        image_profile: ImageProfile | None = None,
        service_account_name: str | None = None,
        service: bool = True,
        network_policy: bool = True,
        ingress_from: Sequence[NetworkPeer] = (),
        egress_dns: Sequence[NetworkPeer] | None = None,
        egress_to: Sequence[NetworkPeer] = (),
        egress_internet: bool = False,
        pod_disruption_budget: bool = True,
        topology_spread: bool = True,
        host_users: bool = True,
        pod_security_version: str | None = None,
        pod_security_exemptions: Mapping[str, str | PodSecurityExemption] | None = None,
        backend_tls_secret: str | None = None,
    ) -> None:
        # Everything is checked before the first object is made, so a mistake is a plain
        # ValueError and leaves nothing behind in the tree.
        where = place(scope, id)
        s = resolve(
            WorkspaceArguments(
                image=image,
                name=name,
                replicas=replicas,
                run_as_user=run_as_user,
                run_as_group=run_as_group,
                fs_group=fs_group,
                ports=ports,
                writable_paths=writable_paths,
                home=home,
                shm_size=shm_size,
                secret_env=secret_env,
                env=env,
                requests=requests,
                limits=limits,
                labels=labels,
                annotations=annotations,
                image_pull_policy=image_pull_policy,
                image_pull_secrets=image_pull_secrets,
                command=command,
                args=args,
                startup_probe=startup_probe,
                readiness_probe=readiness_probe,
                liveness_probe=liveness_probe,
                image_profile=image_profile,
                service_account_name=service_account_name,
                service=service,
                network_policy=network_policy,
                ingress_from=ingress_from,
                egress_dns=egress_dns,
                egress_to=egress_to,
                egress_internet=egress_internet,
                pod_disruption_budget=pod_disruption_budget,
                topology_spread=topology_spread,
                host_users=host_users,
                pod_security_version=pod_security_version,
                pod_security_exemptions=pod_security_exemptions,
                backend_tls_secret=backend_tls_secret,
            ),
            default_name=where.dns_label(max_len=52),
            chart_labels=where.labels,
        )
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
            api_version=_render.API_VERSIONS[s.kind],
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

        #: The namespace of every object (the chart's), or ``None``.
        self.namespace = where.namespace

    def allow_from(self, peer: NetworkPeer, ports: Sequence[int] | None = None) -> None:
        """Admit ``peer`` to ``ports`` (default: every declared port) in the workspace's own
        NetworkPolicy: one more ingress rule, no second policy."""
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
    def labels(self) -> Mapping[str, str]:
        """The labels of every object of the workspace (the user's and the recommended ones)."""
        return dict(self._settings.labels)

    @property
    def selector_labels(self) -> Mapping[str, str]:
        """The labels that select this workspace's pods (and only them)."""
        return dict(self._settings.selector_labels)
