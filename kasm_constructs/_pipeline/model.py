"""The model: what may be asked of a workspace and of a fleet (:class:`WorkspaceOptions`,
:class:`FleetOptions`, each option declared once), and what a workspace decided
(:class:`Settings`), as plain frozen data.

``resolve(options, ...) -> Settings`` checks and defaults; ``render`` turns ``Settings`` into
manifest bodies. Neither starts jsii, so both are unit-tested without it. A new option is a
key of :class:`WorkspaceOptions` here (its type, default and doc), a field of
:class:`Settings` if rendering needs a decided value, its check in ``resolve`` and where it lands
in ``render``: three files (``docs/design.md``, "The room for a change").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Required, TypedDict

from kasm_constructs.options.declare import Option, Scope, Scoped
from kasm_constructs.options.gpu import Gpu
from kasm_constructs.options.home import ClaimTemplate, Home, Volume
from kasm_constructs.options.images import ImageProfile
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.probes import Probe
from kasm_constructs.options.schedule import Schedule
from kasm_constructs.options.seats import FleetAccess, Seat
from kasm_constructs.options.secrets import SecretKeyRef
from kasm_constructs.options.session import SessionPolicy
from kasm_constructs.policy.pod_security import PodSecurityExemption

__all__ = [
    "DEFAULT_GROUP",
    "DEFAULT_USER",
    "SHM_PATH",
    "SHM_VOLUME",
    "TLS_PATH",
    "TLS_VOLUME",
    "FleetOptions",
    "Settings",
    "WorkspaceOptions",
]

SHM_VOLUME = "dshm"
SHM_PATH = "/dev/shm"
TLS_VOLUME = "backend-tls"
#: Where the backend TLS Secret is mounted (read-only, the whole directory, so a renewed
#: certificate reaches the container).
TLS_PATH = "/etc/kasm-constructs/tls"
#: The kasmweb images' user and group: kasm-user, uid 1000, owns $HOME (``options.images``).
DEFAULT_USER = 1000
DEFAULT_GROUP = 1000
#: Defaults of a fleet.
DEFAULT_VNC_SECRET = "{user}-vnc"
DEFAULT_VNC_SECRET_KEY = "password"
DEFAULT_HOME_SIZE = "10Gi"

#: The options a preset may set, and those a person's overrides may set.
PRESET_SCOPES: tuple[Scope, ...] = ("preset", "preset-only")
OVERRIDE_SCOPES: tuple[Scope, ...] = ("preset",)

Quantity = str | int
"""A Kubernetes quantity: ``"500m"``, ``"2Gi"``, or a whole number (as YAML writes ``cpu: 4``)."""


class WorkspaceOptions(TypedDict, total=False):
    """The keyword arguments of :class:`~kasm_constructs.HardenedWorkspace`, each declared once:
    its type, its default and what it does. A preset of a :class:`~kasm_constructs.WorkspaceFleet`
    is one of these, without the options the fleet decides."""

    image: Required[
        Annotated[
            str,
            Option(
                'Image reference, e.g. ``"kasmweb/desktop:1.16.0"``. What the image needs '
                "(home, writable paths, env, ports, probes) is looked up from it; see "
                ":mod:`kasm_constructs.images`. Pin a digest (``name:tag@sha256:...``) for "
                "reproducible pods."
            ),
        ]
    ]
    name: Annotated[
        str | None,
        Option(
            "``metadata.name`` of every object created.",
            default=None,
            default_doc="derived from the construct path (``cdk8s.Names.to_dns_label``, at "
            "most 52 characters), unique in the app",
            scope="fleet",
        ),
    ]
    replicas: Annotated[int, Option("``spec.replicas``.", default=1, scope="fleet")]
    run_as_user: Annotated[
        int, Option("``runAsUser`` of pod and container: the kasmweb user.", default=DEFAULT_USER)
    ]
    run_as_group: Annotated[
        int, Option("``runAsGroup`` of pod and container.", default=DEFAULT_GROUP)
    ]
    fs_group: Annotated[int, Option("``fsGroup`` of the pod.", default=DEFAULT_GROUP)]
    ports: Annotated[
        Mapping[str, int] | None,
        Option(
            "Container port name -> number. ``NET_BIND_SERVICE`` is added only when a port is "
            "below 1024.",
            default=None,
            default_doc="the image's (``{'vnc': 6901}`` for kasmweb images, none for others)",
        ),
    ]
    writable_paths: Annotated[
        Mapping[str, Quantity] | None,
        Option(
            "Absolute path -> emptyDir ``sizeLimit``, for every path the image writes outside "
            "its home. What you pass replaces the default exactly.",
            default=None,
            default_doc="the image's (kasmweb: ``/tmp`` 1Gi, ``/var/run/pulse`` 64Mi, plus "
            "``/usr/share/kasmvnc/www/Downloads`` 16Mi on 1.14 and 1.15; others: ``/tmp`` 1Gi)",
        ),
    ]
    home: Annotated[
        Home | None,
        Option(
            "Where the home directory lives: ``Home.ephemeral(size_limit)``, "
            "``Home.claim(name, access_mode=...)`` or ``Home.per_replica(size, "
            "storage_class=..., access_mode=...)`` (which makes the workload a StatefulSet), "
            "each mounted at the image's ``$HOME`` unless given ``path=``.",
            default=None,
            default_doc="``Home.ephemeral()`` (4Gi for kasmweb) for an image with a known "
            "home, none for others",
            scope="fleet",
        ),
    ]
    shm_size: Annotated[
        Quantity | None,
        Option(
            "``sizeLimit`` of the memory-backed emptyDir at ``/dev/shm``. It counts against the "
            "memory limit, so it may not exceed it.",
            default=None,
            default_doc='the image\'s, ``"512Mi"``',
        ),
    ]
    secret_env: Annotated[
        Mapping[str, SecretKeyRef | tuple[str, str]] | None,
        Option(
            "Environment variable -> ``SecretKeyRef(name, key)`` (or a ``(name, key)`` tuple), "
            "rendered as ``secretKeyRef``. kasmweb images require ``VNC_PW`` here: without it "
            "they serve their published default password.",
            default=None,
        ),
    ]
    env: Annotated[
        Mapping[str, str] | None,
        Option(
            "Extra plain environment variables; they override the image's defaults (e.g. "
            "``XDG_CACHE_HOME``). A variable that holds a credential (``VNC_PW``, "
            "``VNC_VIEW_ONLY_PW``) is refused here.",
            default=None,
        ),
    ]
    requests: Annotated[
        Mapping[str, Quantity] | None,
        Option(
            "``resources.requests`` (``cpu``, ``memory``, ``ephemeral-storage``, extended "
            "resources such as ``nvidia.com/gpu``). ``ephemeral-storage`` defaults to the sum "
            "of the disk-backed emptyDirs.",
            default=None,
            default_doc="``{'cpu': '1', 'memory': '2Gi'}``",
        ),
    ]
    limits: Annotated[
        Mapping[str, Quantity] | None,
        Option(
            "``resources.limits``, same keys. ``ephemeral-storage`` defaults to the emptyDirs' "
            "sum plus 1Gi for logs.",
            default=None,
            default_doc="``{'cpu': '2', 'memory': '4Gi'}``",
        ),
    ]
    labels: Annotated[
        Mapping[str, str] | None,
        Option(
            "Added to every object and to the pods. The recommended ``app.kubernetes.io/*`` "
            "labels are always set.",
            default=None,
        ),
    ]
    annotations: Annotated[
        Mapping[str, str] | None,
        Option("Added to every object and to the pods.", default=None),
    ]
    image_pull_policy: Annotated[
        str, Option("``Always``, ``IfNotPresent`` or ``Never``.", default="Always")
    ]
    image_pull_secrets: Annotated[
        Sequence[str], Option("Names of Secrets for the registry.", default=())
    ]
    command: Annotated[
        Sequence[str] | None,
        Option(
            "The container ``command``.",
            default=None,
            default_doc="for kasmweb images, a ``/bin/sh`` wrapper that removes the stale X lock "
            "files, then runs the image's ENTRYPOINT unchanged; for other images, the image's",
        ),
    ]
    args: Annotated[
        Sequence[str] | None,
        Option(
            "The container ``args``.",
            default=None,
            default_doc="the image's CMD (``--wait`` for kasmweb)",
        ),
    ]
    startup_probe: Annotated[
        Probe | None,
        Option(
            "``Probe.disabled()`` for none.",
            default=None,
            default_doc="``tcpSocket`` on the first port, every 5 s, for up to the image's "
            "first-start budget (300 s for kasmweb)",
        ),
    ]
    readiness_probe: Annotated[
        Probe | None,
        Option(
            "``Probe.disabled()`` for none.",
            default=None,
            default_doc="``tcpSocket`` on the first port, every 10 s, 3 failures",
        ),
    ]
    liveness_probe: Annotated[
        Probe | None,
        Option(
            "The images restart KasmVNC themselves, so a restart is a last resort.",
            default=None,
            default_doc="``tcpSocket`` on the first port, every 30 s, 6 failures",
        ),
    ]
    image_profile: Annotated[
        ImageProfile | str | None,
        Option(
            'What the image needs: the name of a known profile (``"kasmweb-1.16"``, '
            '``"generic"`` for an image the library does not know: a writable /tmp, no home, '
            "no ports), or an ``ImageProfile`` of your own. An image that is not a kasmweb "
            "image of a known version needs it.",
            default=None,
            default_doc="looked up from ``image``'s tag "
            "(:func:`kasm_constructs.images.profile_for`)",
        ),
    ]
    service_account_name: Annotated[
        str | None,
        Option(
            "Run as this existing ServiceAccount instead of creating one. The token is never "
            "mounted. In a fleet, a preset may set it, never one person's overrides.",
            default=None,
            default_doc="``None`` (create one)",
            scope="preset-only",
        ),
    ]
    service: Annotated[
        bool,
        Option(
            "Create the ClusterIP Service (when there is a port). Required with "
            "``Home.per_replica``.",
            default=True,
        ),
    ]
    network_policy: Annotated[
        bool, Option("Create the NetworkPolicy.", default=True, scope="fleet")
    ]
    ingress_from: Annotated[
        Sequence[NetworkPeer],
        Option(
            "Who may connect to the declared ports (a peer made with ``.on(port)``: to that "
            "port only).",
            default=(),
            default_doc="nobody",
            scope="fleet",
        ),
    ]
    egress_dns: Annotated[
        Sequence[NetworkPeer] | None,
        Option(
            "Where DNS queries (port 53, UDP and TCP) may go. For NodeLocal DNSCache, "
            '``[NetworkPeer.from_ip_block("169.254.20.10/32")]``; ``[]`` for no DNS.',
            default=None,
            default_doc="``[NetworkPeer.kube_dns()]``, the kube-dns/CoreDNS pods in "
            "``kube-system``",
        ),
    ]
    egress_to: Annotated[
        Sequence[NetworkPeer],
        Option(
            "Further destinations, e.g. an internal Git server or package mirror: "
            '``[NetworkPeer.from_ip_block("10.20.0.0/16").on(443)]``. A peer without '
            "``.on()`` may be reached on every port.",
            default=(),
        ),
    ]
    egress_internet: Annotated[
        bool,
        Option(
            "Also allow egress to public addresses (everything but "
            ":data:`kasm_constructs.network.NON_PUBLIC_RANGES`).",
            default=False,
        ),
    ]
    termination_grace_period_seconds: Annotated[
        int | None,
        Option(
            "``terminationGracePeriodSeconds`` of the pod: how long the desktop gets to close "
            "its session after SIGTERM before it is killed.",
            default=None,
            default_doc="Kubernetes' (30 s)",
        ),
    ]
    schedule: Annotated[
        Schedule | None,
        Option(
            "The hours the desktop runs, e.g. ``Schedule(weekdays='1-5', start='07:00', "
            "stop='20:00', timezone='Europe/Berlin')``: a KEDA ``ScaledObject`` scales it to "
            "zero outside them (its home stays) and the workload leaves ``spec.replicas`` to "
            "KEDA (``docs/lifecycle.md``). A stopped seat has none.",
            default=None,
            default_doc="always on",
        ),
    ]
    session_policy: Annotated[
        SessionPolicy | None,
        Option(
            "KasmVNC's session controls: clipboard each way and its size, keyboard, pointer, "
            "frame rate, timeouts, watermark (``SessionPolicy(...)``), written as KasmVNC's "
            "options for the image's version. With it, ``env`` may not set ``VNCOPTIONS``, "
            "``MAX_FRAME_RATE`` or ``KASM_SVC_*_CUT_TEXT``.",
            default=None,
            default_doc="the image's",
        ),
    ]
    gpu: Annotated[
        Gpu | None,
        Option(
            "A GPU through a device plugin: ``Gpu.nvidia(count=1)`` or ``Gpu.dri(...)`` (its "
            "extended resource, RuntimeClass, the nodes' render and video group ids, and what "
            "the image needs to render with it); no hostPath. Not with ``host_users=False``.",
            default=None,
        ),
    ]
    pod_disruption_budget: Annotated[
        bool,
        Option(
            "With ``replicas > 1``, create a PodDisruptionBudget (``maxUnavailable: 1``).",
            default=True,
        ),
    ]
    topology_spread: Annotated[
        bool,
        Option(
            "With ``replicas > 1``, spread the pods over nodes (``ScheduleAnyway``).",
            default=True,
        ),
    ]
    host_users: Annotated[
        bool,
        Option(
            "``False`` runs the pod in a user namespace (``hostUsers: false``); the cluster "
            "must support it (see README). ``True`` leaves the field unset.",
            default=True,
        ),
    ]
    pod_security_version: Annotated[
        str | None,
        Option(
            'The Pod Security version the guard applies, ``"1.NN"``.',
            default=None,
            default_doc="the newest known",
        ),
    ]
    pod_security_exemptions: Annotated[
        Mapping[str, str | PodSecurityExemption] | None,
        Option(
            "Check id -> reason, or ``PodSecurityExemption(reason, allow=[...])``, for a Pod "
            'Security check you accept failing, e.g. ``{"capabilities_restricted": '
            'PodSecurityExemption("debugger", allow=["SYS_PTRACE"])}``. A plain reason '
            "never relaxes the baseline check a restricted check overrides; ``allow`` accepts "
            "exactly the values named. Each is written as a "
            "``pod-security.kasm-constructs.io/<check>`` annotation. Python only: weakening Pod "
            "Security is a decision for the app's code, not a roster line.",
            default=None,
            roster=False,
        ),
    ]
    vnc_password: Annotated[
        bool,
        Option(
            "KasmVNC's password at the web port (HTTP basic auth with ``VNC_PW``). ``False`` "
            "runs KasmVNC with ``-disableBasicAuth``: whoever reaches the port controls the "
            "desktop, so only behind a sign-in (``SignIn(vnc_password=False)``) whose proxy is "
            "the only peer the NetworkPolicy admits; the image then needs no ``VNC_PW``.",
            default=True,
            scope="fleet",
        ),
    ]
    backend_tls_secret: Annotated[
        str | None,
        Option(
            "A ``kubernetes.io/tls`` Secret (``tls.crt``, ``tls.key``, as cert-manager writes "
            "it) whose certificate the web port serves instead of the image's self-signed one, "
            "so a gateway or ingress can verify it. Mounted read-only at "
            "``/etc/kasm-constructs/tls``; for kasmweb images, ``VNCOPTIONS`` points KasmVNC "
            "at it. Required by ``WorkspaceRoute``.",
            default=None,
            scope="fleet",
        ),
    ]


class FleetOptions(TypedDict, total=False):
    """The keyword arguments of :class:`~kasm_constructs.WorkspaceFleet` and the keys of a
    roster file, each declared once."""

    users: Required[
        Annotated[
            Mapping[str, str | Seat],
            Option(
                "Person id -> preset name, or ``Seat(preset, stopped=..., overrides={...}, "
                "email=..., sub=..., groups=[...])``; with sign-in, each person's ``email`` (or "
                "``sub``) is who their desktop lets in. A person id is lowercase letters, digits "
                "and ``-``."
            ),
        ]
    ]
    presets: Required[
        Annotated[
            Mapping[
                str,
                Annotated[WorkspaceOptions, Scoped(WorkspaceOptions, PRESET_SCOPES, "preset")],
            ],
            Option(
                "Preset name -> ``HardenedWorkspace`` keywords for that kind of desktop "
                "(``image``, ``requests``, ``limits``, ``shm_size``, ``egress_internet``, ...), "
                "except those the fleet decides: "
                "``name``, ``replicas``, ``home``, ``backend_tls_secret``, ``network_policy``, "
                "``ingress_from``."
            ),
        ]
    ]
    name: Annotated[
        str | None,
        Option(
            "The fleet's name, the start of every object's name and of every home claim's: "
            "changing it gives everybody a new, empty home.",
            default=None,
            default_doc="the construct id",
        ),
    ]
    vnc_secret: Annotated[
        str,
        Option(
            "The Secret holding a person's ``VNC_PW``, a pattern of ``{user}``, ``{preset}`` "
            "and ``{fleet}``. With ``FleetAccess.route(sign_in=...)`` it also holds the key "
            "``credential`` the gateway injects (``docs/sign-in.md``); with "
            "``SignIn(vnc_password=False)`` there is none.",
            default=DEFAULT_VNC_SECRET,
        ),
    ]
    vnc_secret_key: Annotated[
        str, Option("The key of ``VNC_PW`` in that Secret.", default=DEFAULT_VNC_SECRET_KEY)
    ]
    home_size: Annotated[
        Quantity, Option("The size of each home claim.", default=DEFAULT_HOME_SIZE)
    ]
    home_storage_class: Annotated[
        str | None,
        Option(
            "The home claims' ``storageClassName``.",
            default=None,
            default_doc="``None`` (the cluster's)",
        ),
    ]
    home_per_preset: Annotated[
        bool,
        Option(
            "A home per person *and* preset, as Kasm keeps a profile per user and image "
            "(applications lock their files); ``False`` shares one home across a person's "
            "presets.",
            default=True,
        ),
    ]
    access: Annotated[
        FleetAccess | None,
        Option(
            "``FleetAccess.ingress(...)`` or ``FleetAccess.route(...)``, each with an optional "
            "``sign_in=SignIn(...)``: only the person a desktop belongs to reaches it. "
            "``None``: no access path, and nobody is admitted to the desktops.",
            default=None,
        ),
    ]
    namespace: Annotated[
        bool, Option("Create a ``RestrictedNamespace`` for the chart's namespace.", default=False)
    ]
    resource_quota: Annotated[
        bool,
        Option(
            "Create a ResourceQuota for the running desktops: for each resource, the sum of "
            "their presets' requests and limits; ``pods``, their number.",
            default=False,
        ),
    ]
    labels: Annotated[Mapping[str, str] | None, Option("Added to every object.", default=None)]


@dataclass(frozen=True)
class Settings:
    """Everything a workspace decided, checked and defaulted, ready to render."""

    #: ``metadata.name`` of every object, and the container's name.
    name: str
    #: The labels that select the workspace's pods: on the pods, in every selector.
    selector_labels: Mapping[str, str]
    #: Every object's labels (the user's and the recommended ones).
    labels: Mapping[str, str]
    #: The pods' labels: the chart's, then ``labels``.
    pod_labels: Mapping[str, str]
    #: The user's annotations: on every object and on the pods.
    annotations: Mapping[str, str]
    #: The workload's annotations: ``annotations``, scanner waivers and exemptions.
    workload_annotations: Mapping[str, str]
    image: str
    image_pull_policy: str
    image_pull_secrets: Sequence[str]
    replicas: int
    run_as_user: int
    run_as_group: int
    fs_group: int
    #: Container port name -> number; the first is the web port.
    ports: Mapping[str, int]
    capabilities_add: Sequence[str]
    env: Mapping[str, str]
    secret_env: Mapping[str, SecretKeyRef]
    volumes: Sequence[Volume]
    claim_template: ClaimTemplate | None
    #: A single-attach claim: the Deployment replaces its pod instead of surging.
    recreate: bool
    requests: Mapping[str, str]
    limits: Mapping[str, str]
    #: ``startupProbe`` / ``readinessProbe`` / ``livenessProbe`` -> the probe object.
    probes: Mapping[str, Mapping[str, Any]]
    command: Sequence[str] | None
    args: Sequence[str] | None
    host_users: bool
    #: ``terminationGracePeriodSeconds``, or ``None`` for Kubernetes' default.
    termination_grace_period_seconds: int | None
    #: An existing ServiceAccount to run as, or ``None``: the workspace makes its own.
    service_account_name: str | None
    service: bool
    network_policy: bool
    pod_disruption_budget: bool
    ingress_from: Sequence[NetworkPeer]
    #: Where DNS queries may go (port 53, UDP and TCP).
    egress_dns: Sequence[NetworkPeer]
    #: Further destinations, each on its own ports (all ports when it names none).
    egress_to: Sequence[NetworkPeer]
    egress_internet: bool
    spread: bool
    pod_security_version: str
    pod_security_exemptions: Mapping[str, PodSecurityExemption]
    #: The ``kubernetes.io/tls`` Secret whose certificate the web port serves, or ``None``.
    backend_tls_secret: str | None
    #: KasmVNC's password at the web port: ``False`` runs it with ``-disableBasicAuth``.
    vnc_password: bool
    #: The hours the desktop runs (a KEDA ScaledObject), or ``None``.
    schedule: Schedule | None
    #: ``runtimeClassName`` of the pod (a GPU's), or ``None``.
    runtime_class_name: str | None
    #: ``securityContext.supplementalGroups`` of the pod (a GPU's render and video groups).
    supplemental_groups: tuple[int, ...]
    #: What was looked up for the image (for the record; rendering does not read it).
    profile: ImageProfile = field(compare=False)

    @property
    def kind(self) -> str:
        """``StatefulSet`` with a claim per replica, else ``Deployment``."""
        return "StatefulSet" if self.claim_template is not None else "Deployment"

    @property
    def web_port(self) -> int | None:
        """The first declared port: the one that is probed and exposed."""
        return next(iter(self.ports.values()), None)
