"""``HardenedWorkspace``: one Kasm Workspaces desktop, hardened, as a cdk8s construct."""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import cdk8s
import cdk8s_plus_28 as kplus
from constructs import Construct

from . import _render
from ._guard import PodSecurityGuard, install_excepthook
from ._render import HOME_VOLUME, SHM_VOLUME, Home, Settings, Volume
from ._validation import (
    ConfigurationError,
    check_absolute_path,
    check_annotations,
    check_dns1035_label,
    check_dns_subdomain,
    check_env_name,
    check_int,
    check_labels,
    check_mapping,
    check_port_name,
    check_secret_key,
    check_str,
    fail,
    parse_quantity,
)
from .images import ImageProfile, ImageReference, profile_for
from .network import NetworkPeer
from .pod_security import CHECK_IDS, LATEST_VERSION, SUPPORTED_VERSIONS
from .probes import Probe
from .waivers import Facts, checkov_annotations

__all__ = ["HardenedWorkspace"]

#: Requests and limits when none are given: the seed manifest's values.
DEFAULT_REQUESTS: Mapping[str, str] = {"cpu": "1", "memory": "2Gi"}
DEFAULT_LIMITS: Mapping[str, str] = {"cpu": "2", "memory": "4Gi"}
#: Added to the ephemeral-storage limit on top of the emptyDirs, for container logs.
EPHEMERAL_STORAGE_HEADROOM = 2**30
_ACCESS_MODES = ("ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany")
_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_EXTENDED_RESOURCE = re.compile(
    r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
)
_PRIVILEGED_PORT_LIMIT = 1024
_SELECTOR = ("app.kubernetes.io/name", "app.kubernetes.io/instance")
_ANNOTATION_PREFIXES = ("checkov.io/", "pod-security.kasm-constructs.io/")
_STALE_FILES_SCRIPT = 'rm -f -- {files}; exec "$@"'

# Workload names in use, per app: (namespace, name) -> construct path.
_NAMES: weakref.WeakKeyDictionary[Any, dict[tuple[str | None, str], str]] = (
    weakref.WeakKeyDictionary()
)


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
        # Everything is checked before the first jsii call, so a mistake is a plain ValueError.
        check_str("id", id)
        image = check_str("image", image)
        reference = ImageReference.parse(image)
        if image_profile is None:
            profile = profile_for(image)
        elif isinstance(image_profile, ImageProfile):
            profile = image_profile
        else:
            fail("image_profile", image_profile, "expected an ImageProfile or None")
        replicas = check_int("replicas", replicas, minimum=0)
        uid = check_int("run_as_user", run_as_user, minimum=1, maximum=2**31 - 1)
        gid = check_int("run_as_group", run_as_group, minimum=1, maximum=2**31 - 1)
        check_int("fs_group", fs_group, minimum=1, maximum=2**31 - 1)
        for flag, value in {
            "service": service,
            "network_policy": network_policy,
            "egress_internet": egress_internet,
            "pod_disruption_budget": pod_disruption_budget,
            "topology_spread": topology_spread,
            "host_users": host_users,
        }.items():
            if not isinstance(value, bool):
                fail(flag, value, "expected True or False")
        if name is not None:
            check_dns1035_label("name", name, max_length=52)
        user_labels = check_labels("labels", labels or {})
        for key in _SELECTOR:
            if key in user_labels:
                fail("labels", {key: user_labels[key]}, f"{key} is set by the construct")
        user_annotations = check_annotations("annotations", annotations or {})
        for key in user_annotations:
            if key.startswith(_ANNOTATION_PREFIXES):
                fail(
                    "annotations",
                    key,
                    "checkov.io/ and pod-security.kasm-constructs.io/ "
                    "annotations are written by the construct; use pod_security_exemptions",
                )
        if image_pull_policy not in _PULL_POLICIES:
            fail("image_pull_policy", image_pull_policy, f"expected one of {_PULL_POLICIES}")
        pull_secrets = _string_list("image_pull_secrets", image_pull_secrets)
        for secret in pull_secrets:
            check_dns_subdomain("image_pull_secrets item", secret)

        port_map = _ports(profile.ports if ports is None else ports)
        home_mount = _home_path(home_path, profile)
        shm = shm_size if shm_size is not None else profile.shm_size
        parse_quantity("shm_size", shm, positive=True)
        volumes, home = _volumes(
            profile,
            writable_paths,
            home_mount,
            replicas,
            shm,
            home_claim,
            home_size,
            home_storage_class,
            home_access_mode,
            home_size_limit,
        )
        if home is not None and not (service and port_map):
            fail(
                "home_size",
                home_size,
                "a StatefulSet needs its governing Service: keep service=True and declare a port",
            )
        plain_env, secrets = _environment(profile, env, secret_env, image)
        req, lim = _resources(requests, limits, volumes, shm)
        probes = _probes(profile, port_map, startup_probe, readiness_probe, liveness_probe)
        cmd, arguments = _command(profile, command, args)
        peers = _peers("ingress_from", ingress_from)
        version = _pod_security_version(pod_security_version)
        exemptions = _exemptions(pod_security_exemptions)
        if service_account_name is not None:
            check_dns_subdomain("service_account_name", service_account_name)

        # --- from here on, jsii calls: everything above has been checked ---
        if scope.node.try_find_child(id) is not None:
            fail("id", id, f"a construct with this id already exists in {scope.node.path!r}")
        super().__init__(scope, id)
        chart = cdk8s.Chart.of(self)
        resource_name = name or cdk8s.Names.to_dns_label(self, max_len=52)
        self._claim_name(chart.namespace, resource_name)
        low_ports = sorted(n for n in port_map.values() if n < _PRIVILEGED_PORT_LIMIT)
        capabilities = ["NET_BIND_SERVICE"] if low_ports else []

        selector = {_SELECTOR[0]: "kasm-workspace", _SELECTOR[1]: resource_name}
        all_labels = {
            **user_labels,
            **selector,
            "app.kubernetes.io/component": "desktop",
            "app.kubernetes.io/part-of": "kasm-workspaces",
            "app.kubernetes.io/managed-by": "cdk8s",
        }
        if reference.tag and len(reference.tag) <= 63:
            all_labels["app.kubernetes.io/version"] = reference.tag
        settings = Settings(
            name=resource_name,
            container_name=resource_name,
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
            service_account_name=service_account_name or resource_name,
            ingress_from=[p.render() for p in peers],
            egress_internet=[p.render() for p in NetworkPeer.internet()] if egress_internet else [],
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
        pod_labels = {**chart.labels, **all_labels}

        #: The ServiceAccount created for the pods, or ``None`` with ``service_account_name``.
        self.service_account: kplus.ServiceAccount | None = None
        if service_account_name is None:
            self.service_account = kplus.ServiceAccount(
                self, "ServiceAccount", metadata=metadata, automount_token=False
            )

        #: The ClusterIP Service on the named ports, or ``None`` with ``service=False``.
        self.service: kplus.Service | None = None
        if service and port_map:
            self.service = kplus.Service(
                self,
                "Service",
                metadata=metadata,
                ports=[
                    kplus.ServicePort(port=number, target_port=number, name=port_name)
                    for port_name, number in port_map.items()
                ],
            )

        workload_props: dict[str, Any] = {
            "metadata": cdk8s.ApiObjectMetadata(
                name=resource_name, labels=all_labels, annotations=workload_annotations
            ),
            "pod_metadata": cdk8s.ApiObjectMetadata(
                labels=pod_labels, annotations=user_annotations
            ),
            "replicas": replicas,
            "select": False,
            # cdk8s-plus needs one container to render; the pod spec patch replaces it.
            "containers": [kplus.ContainerProps(name=resource_name, image=image)],
        }
        #: The cdk8s-plus workload: a ``Deployment``, or a ``StatefulSet`` with ``home_size``.
        self.workload: kplus.Deployment | kplus.StatefulSet
        if home is not None:
            assert self.service is not None
            self.workload = kplus.StatefulSet(
                self, "Resource", service=self.service, **workload_props
            )
        else:
            if home_claim is not None and home_access_mode != "ReadWriteMany":
                # A single-attach claim cannot follow a surge pod to another node.
                workload_props["strategy"] = kplus.DeploymentStrategy.recreate()
            self.workload = kplus.Deployment(self, "Resource", **workload_props)
        self.workload.select(kplus.LabelSelector.of(labels=selector))
        if self.service is not None:
            self.service.select(self.workload)

        spec: dict[str, Any] = {"template": {"spec": _render.pod_spec_patch(settings)}}
        if home is not None:
            spec["volumeClaimTemplates"] = _render.volume_claim_templates(settings)
        typed, typed_paths = _render.typed_for_cdk8s_plus(spec)
        patches = [
            cdk8s.JsonPatch.add(f"/spec/template/spec/{key}", value)
            for key, value in typed["template"]["spec"].items()
        ]
        if home is not None:
            patches.append(
                cdk8s.JsonPatch.add("/spec/volumeClaimTemplates", typed["volumeClaimTemplates"])
            )
        workload_object = cdk8s.ApiObject.of(self.workload)
        workload_object.add_json_patch(*patches)

        #: The NetworkPolicy (a plain ``ApiObject``), or ``None`` with ``network_policy=False``.
        self.network_policy: cdk8s.ApiObject | None = None
        if network_policy:
            self.network_policy = self._api_object(
                "NetworkPolicy",
                "networking.k8s.io/v1",
                metadata,
                _render.network_policy_spec(settings),
            )
        #: The PodDisruptionBudget (a plain ``ApiObject``), with ``replicas > 1``.
        self.pod_disruption_budget: cdk8s.ApiObject | None = None
        if pod_disruption_budget and replicas > 1:
            self.pod_disruption_budget = self._api_object(
                "PodDisruptionBudget",
                "policy/v1",
                metadata,
                _render.pod_disruption_budget_spec(settings),
            )

        workload = self.workload
        self.node.add_validation(
            PodSecurityGuard(
                self.node.path,
                workload_object.to_json,
                version,
                exemptions,
                typed_paths,
                lambda: _foreign_containers(workload, self.node.path),
            )
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

    def _api_object(
        self, kind: str, api_version: str, metadata: cdk8s.ApiObjectMetadata, spec: Any
    ) -> cdk8s.ApiObject:
        obj = cdk8s.ApiObject(self, kind, api_version=api_version, kind=kind, metadata=metadata)
        obj.add_json_patch(cdk8s.JsonPatch.add("/spec", spec))
        return obj

    def _claim_name(self, namespace: str | None, name: str) -> None:
        used = _NAMES.setdefault(self.node.root, {})
        other = used.get((namespace, name))
        if other is not None:
            fail(
                "name",
                name,
                f"already used in namespace {namespace!r} by {other!r}; "
                "choose another name or construct id",
            )
        used[(namespace, name)] = self.node.path


def _foreign_containers(workload: kplus.Deployment | kplus.StatefulSet, path: str) -> list[str]:
    """The pod spec is rendered by the construct; cdk8s-plus additions would be lost."""
    if len(workload.containers) == 1 and not workload.init_containers and not workload.volumes:
        return []
    return [
        f'HardenedWorkspace "{path}": containers, init containers '
        "and volumes added through the cdk8s-plus API are not rendered; use the construct's "
        "parameters, or a JSON patch on ApiObject.of(workspace.workload)"
    ]


def _string_list(parameter: str, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        fail(parameter, value, "expected a list of strings")
    return [check_str(f"{parameter} item", item) for item in value]


def _ports(ports: object) -> dict[str, int]:
    mapping = check_mapping("ports", ports)
    seen: dict[int, str] = {}
    for port_name, number in mapping.items():
        check_port_name("ports key", port_name)
        check_int(f"ports[{port_name!r}]", number, minimum=1, maximum=65535)
        if number in seen:
            fail(f"ports[{port_name!r}]", number, f"{number} is already named {seen[number]!r}")
        seen[number] = port_name
    return dict(mapping)


def _home_path(home_path: str | None, profile: ImageProfile) -> str | None:
    if home_path is None:
        return profile.home
    return check_absolute_path("home_path", home_path)


def _volumes(
    profile: ImageProfile,
    writable_paths: Mapping[str, str] | None,
    home_mount: str | None,
    replicas: int,
    shm_size: str,
    home_claim: str | None,
    home_size: str | None,
    storage_class: str | None,
    access_mode: str,
    home_size_limit: str | None,
) -> tuple[list[Volume], Home | None]:
    """The writable emptyDirs, /dev/shm and the home, with no path mounted twice."""
    paths = check_mapping(
        "writable_paths", profile.writable_paths if writable_paths is None else writable_paths
    )
    if access_mode not in _ACCESS_MODES:
        fail("home_access_mode", access_mode, f"expected one of {_ACCESS_MODES}")
    if home_claim is not None and home_size is not None:
        fail("home_size", home_size, "home_claim and home_size are alternatives; pass one")
    persistent = home_claim is not None or home_size is not None
    if persistent and home_size_limit is not None:
        fail(
            "home_size_limit",
            home_size_limit,
            "only for an ephemeral home; it cannot be combined with home_claim or home_size",
        )
    if storage_class is not None and home_size is None:
        fail("home_storage_class", storage_class, "only used with home_size")
    if persistent and home_mount is None:
        fail("home_path", None, "this image has no known home directory; set home_path")

    volumes: list[Volume] = []
    used: dict[str, str] = {"/dev/shm": "shm_size"}
    names = {HOME_VOLUME, SHM_VOLUME}

    def claim_path(parameter: str, path: str) -> None:
        for other, owner in used.items():
            if path == other or path.startswith(other + "/") or other.startswith(path + "/"):
                fail(parameter, path, f"overlaps {other!r} (from {owner}); mounts must not nest")
        used[path] = parameter

    home: Home | None = None
    if home_mount is not None:
        claim_path("home_path", home_mount)
        if home_claim is not None:
            check_dns_subdomain("home_claim", home_claim)
            if replicas > 1 and access_mode != "ReadWriteMany":
                fail(
                    "home_claim",
                    home_claim,
                    f"a {access_mode} claim attaches to one node, so {replicas} replicas would "
                    "hang in ContainerCreating (Multi-Attach error) and share one profile; use "
                    "home_size for a claim per replica, replicas=1, or a ReadWriteMany claim "
                    "with home_access_mode='ReadWriteMany'",
                )
            volumes.append(Volume(HOME_VOLUME, home_mount, claim=home_claim))
        elif home_size is not None:
            parse_quantity("home_size", home_size, positive=True)
            if storage_class is not None:
                check_dns_subdomain("home_storage_class", storage_class)
            home = Home(home_mount, home_size, access_mode, storage_class)
        else:
            limit = home_size_limit if home_size_limit is not None else profile.home_size_limit
            parse_quantity("home_size_limit", limit, positive=True)
            volumes.append(Volume(HOME_VOLUME, home_mount, size_limit=limit))

    for path, size in paths.items():
        parameter = f"writable_paths[{path!r}]"
        check_absolute_path("writable_paths key", path)
        parse_quantity(parameter, size, positive=True)
        claim_path(parameter, path)
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:60].strip("-") or "path"
        volume_name = slug
        suffix = 2
        while volume_name in names:
            volume_name, suffix = f"{slug[:57]}-{suffix}", suffix + 1
        names.add(volume_name)
        volumes.append(Volume(volume_name, path, size_limit=size))
    volumes.append(Volume(SHM_VOLUME, "/dev/shm", size_limit=shm_size, memory=True))
    return volumes, home


def _environment(
    profile: ImageProfile,
    env: Mapping[str, str] | None,
    secret_env: Mapping[str, tuple[str, str]] | None,
    image: str,
) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    plain = dict(profile.env)
    for key, value in check_mapping("env", env or {}).items():
        check_env_name("env key", key)
        if not isinstance(value, str):
            fail(f"env[{key!r}]", value, "expected a string")
        if key in profile.required_secret_env:
            fail(
                f"env[{key!r}]",
                "<value hidden>",
                f"{key} is a secret; bind it by reference with secret_env={{{key!r}: "
                "('<secret name>', '<key>')}",
            )
        plain[key] = value
    secrets: dict[str, tuple[str, str]] = {}
    for key, ref in check_mapping("secret_env", secret_env or {}).items():
        check_env_name("secret_env key", key)
        parameter = f"secret_env[{key!r}]"
        if not isinstance(ref, tuple) or len(ref) != 2:
            fail(parameter, ref, "expected a (Secret name, key) tuple")
        check_dns_subdomain(f"{parameter} Secret name", ref[0])
        check_secret_key(f"{parameter} key", ref[1])
        if key in plain and key not in profile.env:
            fail(parameter, ref, f"{key} is also set in env; set it in one place")
        plain.pop(key, None)
        secrets[key] = ref
    for key in profile.required_secret_env:
        if key not in secrets:
            fail(
                "secret_env",
                dict(secret_env or {}),
                f"{image} needs {key} bound to a Secret, e.g. secret_env={{{key!r}: "
                f"('kasm-secrets', 'vnc-password')}}; without it the image falls back to its "
                "published default password",
            )
    return plain, secrets


def _format_bytes(amount: Decimal) -> str:
    whole = int(amount.to_integral_value(rounding="ROUND_CEILING"))
    for suffix, factor in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if whole % factor == 0:
            return f"{whole // factor}{suffix}"
    return str(whole)


def _resources(
    requests: Mapping[str, str] | None,
    limits: Mapping[str, str] | None,
    volumes: Sequence[Volume],
    shm_size: str,
) -> tuple[dict[str, str], dict[str, str]]:
    """Requests and limits as given, ephemeral-storage defaulted from the emptyDirs."""
    given: dict[str, dict[str, str]] = {}
    amounts: dict[str, dict[str, Decimal]] = {}
    for parameter, value, default in (
        ("requests", requests, DEFAULT_REQUESTS),
        ("limits", limits, DEFAULT_LIMITS),
    ):
        mapping = dict(check_mapping(parameter, default if value is None else value))
        amounts[parameter] = {}
        for resource, quantity in mapping.items():
            key = f"{parameter}[{resource!r}]"
            extended = isinstance(resource, str) and bool(_EXTENDED_RESOURCE.match(resource))
            if resource not in ("cpu", "memory", "ephemeral-storage") and not extended:
                fail(
                    f"{parameter} key",
                    resource,
                    "expected cpu, memory, ephemeral-storage or an extended resource "
                    "such as nvidia.com/gpu",
                )
            amount = parse_quantity(key, quantity)
            if extended and amount != amount.to_integral_value():
                fail(key, quantity, "extended resources take whole numbers")
            amounts[parameter][resource] = amount
        given[parameter] = mapping

    disk = sum(
        (parse_quantity("size", v.size_limit) for v in volumes if v.size_limit and not v.memory),
        Decimal(0),
    )
    if disk and "ephemeral-storage" not in given["requests"]:
        given["requests"]["ephemeral-storage"] = _format_bytes(disk)
        amounts["requests"]["ephemeral-storage"] = disk
    if disk and "ephemeral-storage" not in given["limits"]:
        floor = max(disk, amounts["requests"].get("ephemeral-storage", disk))
        given["limits"]["ephemeral-storage"] = _format_bytes(floor + EPHEMERAL_STORAGE_HEADROOM)
        amounts["limits"]["ephemeral-storage"] = floor + EPHEMERAL_STORAGE_HEADROOM

    for resource, requested in amounts["requests"].items():
        limit = amounts["limits"].get(resource)
        key = f"requests[{resource!r}]"
        if limit is not None and requested > limit:
            fail(
                key,
                given["requests"][resource],
                f"a request may not exceed its limit, limits[{resource!r}] = "
                f"{given['limits'][resource]!r}",
            )
        if _EXTENDED_RESOURCE.match(resource) and limit != requested:
            fail(key, given["requests"][resource], "extended resources need an equal limit")
    memory_limit = amounts["limits"].get("memory")
    if memory_limit is not None and parse_quantity("shm_size", shm_size) > memory_limit:
        fail(
            "shm_size",
            shm_size,
            f"/dev/shm counts against memory, so it may not exceed limits['memory'] = "
            f"{given['limits']['memory']!r}",
        )
    return given["requests"], given["limits"]


def _probes(
    profile: ImageProfile,
    ports: Mapping[str, int],
    startup: Probe | None,
    readiness: Probe | None,
    liveness: Probe | None,
) -> dict[str, dict[str, Any]]:
    web_port = next(iter(ports), None)
    defaults: dict[str, Probe | None] = {
        "startupProbe": None,
        "readinessProbe": None,
        "livenessProbe": None,
    }
    if web_port is not None:
        tcp = {"tcpSocket": {"port": web_port}}
        defaults = {
            "startupProbe": Probe(
                tcp,
                period_seconds=5,
                timeout_seconds=3,
                failure_threshold=max(1, profile.startup_seconds // 5),
            ),
            "readinessProbe": Probe(tcp, period_seconds=10, timeout_seconds=3, failure_threshold=3),
            "livenessProbe": Probe(tcp, period_seconds=30, timeout_seconds=5, failure_threshold=6),
        }
    rendered: dict[str, dict[str, Any]] = {}
    for key, parameter, given in (
        ("startupProbe", "startup_probe", startup),
        ("readinessProbe", "readiness_probe", readiness),
        ("livenessProbe", "liveness_probe", liveness),
    ):
        if given is not None and not isinstance(given, Probe):
            fail(parameter, given, "expected a Probe (Probe.from_tcp_socket(...), ...) or None")
        probe = given if given is not None else defaults[key]
        if probe is None or not probe.enabled:
            continue
        if key != "readinessProbe" and probe.success_threshold != 1:
            fail(parameter, probe, "success_threshold must be 1 for startup and liveness probes")
        port = next(iter(probe.handler.values())).get("port")
        if isinstance(port, str) and port not in ports:
            fail(parameter, probe, f"port {port!r} is not one of the declared ports {list(ports)}")
        rendered[key] = probe.render()
    return rendered


def _command(
    profile: ImageProfile, command: Sequence[str] | None, args: Sequence[str] | None
) -> tuple[list[str] | None, list[str] | None]:
    """Remove stale files, then exec the image's ENTRYPOINT with CMD exactly as built."""
    given_command = None if command is None else _string_list("command", command)
    given_args = None if args is None else _string_list("args", args)
    if given_command is not None or not profile.stale_files:
        return given_command, given_args
    script = _STALE_FILES_SCRIPT.format(files=" ".join(profile.stale_files))
    # Kubernetes drops the image's CMD once command is set, so CMD is restated as args.
    wrapper = ["/bin/sh", "-c", script, "kasm-entrypoint", *profile.entrypoint]
    return wrapper, given_args if given_args is not None else list(profile.cmd)


def _peers(parameter: str, peers: object) -> list[NetworkPeer]:
    if isinstance(peers, NetworkPeer) or not isinstance(peers, Sequence):
        fail(parameter, peers, "expected a list of NetworkPeer")
    for peer in peers:
        if not isinstance(peer, NetworkPeer):
            fail(
                f"{parameter} item",
                peer,
                "expected a NetworkPeer, e.g. NetworkPeer.from_namespace('ingress-nginx')",
            )
    return list(peers)


def _pod_security_version(version: str | None) -> str:
    if version is None:
        return LATEST_VERSION
    if version not in SUPPORTED_VERSIONS:
        fail("pod_security_version", version, f"expected one of {', '.join(SUPPORTED_VERSIONS)}")
    return version


def _exemptions(exemptions: Mapping[str, str] | None) -> dict[str, str]:
    checked = dict(check_mapping("pod_security_exemptions", exemptions or {}))
    for check, reason in checked.items():
        if check not in CHECK_IDS:
            fail("pod_security_exemptions key", check, f"expected one of {sorted(CHECK_IDS)}")
        if not isinstance(reason, str) or not reason.strip():
            fail(f"pod_security_exemptions[{check!r}]", reason, "expected a non-empty reason")
    return checked


__all__ += ["ConfigurationError"]
