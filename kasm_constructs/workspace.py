"""``HardenedWorkspace``: one Kasm Workspaces desktop, hardened, as a cdk8s construct."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from . import _render, _resolve
from ._guard import Judged, install_excepthook, watch
from ._render import Settings
from ._resolve import SELECTOR_KEYS
from ._tree import api_object, place
from ._validation import (
    check_dns1035_label,
    check_dns_subdomain,
    check_int,
    check_str,
    fail,
    is_label_value,
)
from .images import ImageProfile, ImageReference, profile_for
from .network import NetworkPeer
from .probes import Probe
from .waivers import Facts, checkov_annotations

__all__ = ["HardenedWorkspace"]

_PRIVILEGED_PORT_LIMIT = 1024
_INTERNET = [peer.render() for peer in NetworkPeer.internet()]


class HardenedWorkspace(Construct):
    """A Kasm Workspaces desktop that passes Pod Security "restricted" and starts with the image.

    It creates, in the scope's chart (and so in the chart's namespace, with its labels):

    - ``workload``: a cdk8s-plus ``Deployment``, or a ``StatefulSet`` when each replica gets its
      own home claim (``home_size``);
    - ``service_account``: a dedicated ServiceAccount without a mounted token (unless
      ``service_account_name`` names an existing one);
    - ``service``: a ClusterIP Service on the named ports (``service=False`` to skip);
    - ``network_policy``: ingress only from ``ingress_from`` on the declared ports, egress only
      to DNS (and the public internet with ``egress_internet=True``);
    - ``pod_disruption_budget``: with more than one replica, at most one pod down at a time.

    Every argument is checked here, and a wrong one raises ``ValueError`` naming it. At synth,
    the final workload (JSON patches included) is checked against Pod Security "restricted".

    Args:
        scope: The parent construct, inside a ``cdk8s.Chart``.
        id: The construct id. It determines the default ``name``; keep it stable.
        image: Image reference, e.g. ``"kasmweb/desktop:1.16.0"``. Required. What the image
            needs (home, writable paths, env, ports, probes) is looked up from it; see
            :mod:`kasm_constructs.images`. Pin a digest (``name:tag@sha256:...``) for
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
        home_claim: An existing PersistentVolumeClaim mounted as the home directory.
            Default ``None``.
        home_size: With no ``home_claim``: the size of a claim made for each replica. The
            workload becomes a StatefulSet with ``volumeClaimTemplates``. Default ``None``.
        home_storage_class: ``storageClassName`` of the per-replica claims. Default ``None``
            (the cluster's default class).
        home_access_mode: Access mode of ``home_claim`` or of the per-replica claims:
            ``ReadWriteOnce`` (default), ``ReadWriteOncePod`` or ``ReadWriteMany``. Only
            ``ReadWriteMany`` lets one ``home_claim`` serve several replicas.
        home_size_limit: With neither ``home_claim`` nor ``home_size`` the home is ephemeral,
            an emptyDir of this ``sizeLimit``. Default: the image's (``4Gi`` for kasmweb).
        home_path: Where the home is mounted. Default: the image's ``$HOME``
            (``/home/kasm-user`` for kasmweb); other images have no home unless you set it.
        shm_size: ``sizeLimit`` of the memory-backed emptyDir at ``/dev/shm``. It counts
            against the memory limit, so it may not exceed it. Default ``"512Mi"``.
        secret_env: Environment variable -> ``(Secret name, key)``, rendered as
            ``secretKeyRef``. kasmweb images require ``VNC_PW`` here: without it they serve
            their published default password. Default: none.
        env: Extra plain environment variables; they override the image's defaults
            (e.g. ``XDG_CACHE_HOME``). Default: none.
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
            ``image`` with :func:`kasm_constructs.images.profile_for`.
        service_account_name: Run as this existing ServiceAccount instead of creating one.
            Default ``None`` (create one). The token is never mounted.
        service: Create the ClusterIP Service (when there is a port). Default ``True``.
            Required with ``home_size``.
        network_policy: Create the NetworkPolicy. Default ``True``.
        ingress_from: Who may connect to the declared ports. Default: nobody.
        egress_internet: Also allow egress to public addresses (everything but
            :data:`kasm_constructs.network.NON_PUBLIC_RANGES`). Default ``False``: DNS only.
        pod_disruption_budget: With ``replicas > 1``, create a PodDisruptionBudget
            (``maxUnavailable: 1``). Default ``True``.
        topology_spread: With ``replicas > 1``, spread the pods over nodes
            (``ScheduleAnyway``). Default ``True``.
        host_users: ``False`` runs the pod in a user namespace (``hostUsers: false``); the
            cluster must support it (see README). Default ``True`` (field not set).
        pod_security_version: The Pod Security version the synth guard applies, ``"1.NN"``.
            Default: the newest known.
        pod_security_exemptions: Check id -> reason, for a Pod Security check you accept
            failing (e.g. ``{"capabilities_restricted": "needs SYS_PTRACE"}``). Each becomes a
            ``pod-security.kasm-constructs.io/<check>`` annotation. Default: none.
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
        home_claim: str | None = None,
        home_size: str | None = None,
        home_storage_class: str | None = None,
        home_access_mode: str = "ReadWriteOnce",
        home_size_limit: str | None = None,
        home_path: str | None = None,
        shm_size: str | None = None,
        secret_env: Mapping[str, tuple[str, str]] | None = None,
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
        egress_internet: bool = False,
        pod_disruption_budget: bool = True,
        topology_spread: bool = True,
        host_users: bool = True,
        pod_security_version: str | None = None,
        pod_security_exemptions: Mapping[str, str] | None = None,
    ) -> None:
        # Everything is checked before the first object is made, so a mistake is a plain
        # ValueError and leaves nothing behind in the tree.
        where = place(scope, id)
        image = check_str("image", image)
        reference = ImageReference.parse(image)
        if image_profile is None:
            profile = profile_for(image)
        elif isinstance(image_profile, ImageProfile):
            profile = image_profile
        else:
            fail("image_profile", image_profile, "expected an ImageProfile or None")
        replicas = check_int("replicas", replicas, minimum=0)
        uid = check_int("run_as_user", run_as_user, minimum=1)
        gid = check_int("run_as_group", run_as_group, minimum=1)
        check_int("fs_group", fs_group, minimum=1)
        _resolve.flags(
            service=service,
            network_policy=network_policy,
            egress_internet=egress_internet,
            pod_disruption_budget=pod_disruption_budget,
            topology_spread=topology_spread,
            host_users=host_users,
        )
        if name is not None:
            check_dns1035_label("name", name, max_length=52)
        user_labels, user_annotations = _resolve.metadata(labels, annotations)
        pull_secrets = _resolve.image_pull(image_pull_policy, image_pull_secrets)
        port_map = _resolve.ports(profile.ports if ports is None else ports)
        volumes, home = _resolve.volumes(
            profile,
            writable_paths=writable_paths,
            home_path=home_path,
            replicas=replicas,
            shm_size=shm_size,
            home_claim=home_claim,
            home_size=home_size,
            home_storage_class=home_storage_class,
            home_access_mode=home_access_mode,
            home_size_limit=home_size_limit,
        )
        if home is not None and not (service and port_map):
            fail(
                "home_size",
                home_size,
                "a StatefulSet needs its governing Service: keep service=True and declare a port",
            )
        plain_env, secrets = _resolve.environment(profile, env, secret_env, image)
        req, lim = _resolve.resources(requests, limits, volumes)
        probes = _resolve.probes(
            profile,
            port_map,
            {
                "startup_probe": startup_probe,
                "readiness_probe": readiness_probe,
                "liveness_probe": liveness_probe,
            },
        )
        cmd, arguments = _resolve.command(profile, command, args)
        peers = _resolve.peers("ingress_from", ingress_from)
        version, exemptions = _resolve.pod_security(pod_security_version, pod_security_exemptions)
        if service_account_name is not None:
            check_dns_subdomain("service_account_name", service_account_name)

        where.add(lambda: Construct.__init__(self, scope, id))
        resource_name = name or where.dns_label(max_len=52)
        kinds = ["StatefulSet" if home else "Deployment"]
        kinds += ["ServiceAccount"] * (service_account_name is None)
        kinds += ["Service"] * bool(service and port_map)
        kinds += ["NetworkPolicy"] * network_policy
        kinds += ["PodDisruptionBudget"] * (pod_disruption_budget and replicas > 1)
        where.claim([(kind, resource_name) for kind in kinds], service_name=resource_name)

        low_ports = sorted(n for n in port_map.values() if n < _PRIVILEGED_PORT_LIMIT)
        capabilities = ["NET_BIND_SERVICE"] if low_ports else []
        selector = {SELECTOR_KEYS[0]: "kasm-workspace", SELECTOR_KEYS[1]: resource_name}
        all_labels = {
            **user_labels,
            **selector,
            "app.kubernetes.io/component": "desktop",
            "app.kubernetes.io/part-of": "kasm-workspaces",
            "app.kubernetes.io/managed-by": "cdk8s",
        }
        if reference.tag and is_label_value(reference.tag):
            all_labels["app.kubernetes.io/version"] = reference.tag
        settings = Settings(
            name=resource_name,
            selector_labels=selector,
            labels=all_labels,
            image=image,
            image_pull_policy=image_pull_policy,
            image_pull_secrets=pull_secrets,
            replicas=replicas,
            run_as_user=uid,
            run_as_group=gid,
            fs_group=fs_group,
            ports=port_map,
            capabilities_add=capabilities,
            env=plain_env,
            secret_env=secrets,
            volumes=volumes,
            per_replica_home=home,
            requests=req,
            limits=lim,
            probes=probes,
            command=cmd,
            args=arguments,
            host_users=host_users,
            existing_service_account=service_account_name,
            ingress_from=[p.render() for p in peers],
            egress_internet=_INTERNET if egress_internet else [],
            spread=topology_spread and replicas > 1,
        )
        self._settings = settings
        workload_annotations = {
            **user_annotations,
            **checkov_annotations(Facts(uid, list(secrets), capabilities, low_ports)),
            **{f"pod-security.kasm-constructs.io/{c}": r for c, r in exemptions.items()},
        }
        metadata = cdk8s.ApiObjectMetadata(
            name=resource_name, labels=all_labels, annotations=user_annotations
        )

        #: The ServiceAccount created for the pods, or ``None`` with ``service_account_name``.
        self.service_account: kplus.ServiceAccount | None = None
        if service_account_name is None:
            self.service_account = kplus.ServiceAccount(
                self, "ServiceAccount", metadata=metadata, automount_token=False
            )

        workload_props: dict[str, Any] = {
            "metadata": cdk8s.ApiObjectMetadata(
                name=resource_name, labels=all_labels, annotations=workload_annotations
            ),
            "pod_metadata": cdk8s.ApiObjectMetadata(
                labels={**where.labels, **all_labels}, annotations=user_annotations
            ),
            "replicas": replicas,
            "select": False,
            "service_account": self.service_account,
            # cdk8s-plus needs one container to render; the pod spec patch replaces it.
            "containers": [kplus.ContainerProps(name=resource_name, image=image)],
        }
        service_ports = [
            kplus.ServicePort(port=number, target_port=number, name=port_name)
            for port_name, number in port_map.items()
        ]
        #: The ClusterIP Service on the named ports, or ``None`` (``service=False``, no port).
        self.service: kplus.Service | None = None
        #: The cdk8s-plus workload: a ``Deployment``, or a ``StatefulSet`` with ``home_size``.
        self.workload: kplus.Deployment | kplus.StatefulSet
        if home is not None:
            # A StatefulSet names its governing Service, so the Service comes first.
            self.service = kplus.Service(self, "Service", metadata=metadata, ports=service_ports)
            self.workload = kplus.StatefulSet(
                self, "Resource", service=self.service, **workload_props
            )
            self.service.select(self.workload)
        else:
            if home_claim is not None and home_access_mode != "ReadWriteMany":
                # A single-attach claim cannot follow a surge pod to another node.
                workload_props["strategy"] = kplus.DeploymentStrategy.recreate()
            self.workload = kplus.Deployment(self, "Resource", **workload_props)
            if service and port_map:
                self.service = kplus.Service(
                    self, "Service", metadata=metadata, ports=service_ports, selector=self.workload
                )

        workload_object = cdk8s.ApiObject.of(self.workload)
        patches, typed_paths = _render.workload_patch(settings)
        workload_object.add_json_patch(
            *(
                (cdk8s.JsonPatch.replace if op == "replace" else cdk8s.JsonPatch.add)(path, value)
                for op, path, value in patches
            )
        )

        #: The NetworkPolicy (a plain ``ApiObject``), or ``None`` with ``network_policy=False``.
        self.network_policy: cdk8s.ApiObject | None = None
        if network_policy:
            self.network_policy = api_object(
                self, "NetworkPolicy", metadata, _render.network_policy_spec(settings)
            )
        #: The PodDisruptionBudget (a plain ``ApiObject``), with ``replicas > 1``.
        self.pod_disruption_budget: cdk8s.ApiObject | None = None
        if pod_disruption_budget and replicas > 1:
            self.pod_disruption_budget = api_object(
                self, "PodDisruptionBudget", metadata, _render.pod_disruption_budget_spec(settings)
            )

        workload = self.workload
        watch(
            where.chart,
            Judged(
                where.path,
                workload_object.to_json,
                version,
                exemptions,
                typed_paths,
                lambda: _lost_volumes(workload, where.path),
            ),
        )
        install_excepthook()

    @property
    def ports(self) -> Mapping[str, int]:
        """The container ports, name -> number; the first is the web port."""
        return dict(self._settings.ports)

    @property
    def selector_labels(self) -> Mapping[str, str]:
        """The labels that select this workspace's pods (and only them)."""
        return dict(self._settings.selector_labels)


def _lost_volumes(workload: kplus.Deployment | kplus.StatefulSet, path: str) -> list[str]:
    """The construct's patch replaces the volumes: ones added through cdk8s-plus would be lost."""
    if not workload.volumes:
        return []
    return [
        f'HardenedWorkspace "{path}": volumes added through the cdk8s-plus API are not '
        "rendered; use writable_paths or home_claim, or a JSON patch on "
        "ApiObject.of(workspace.workload)"
    ]
