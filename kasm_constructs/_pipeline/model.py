"""The model: what a workspace was asked for (:class:`WorkspaceArguments`) and what it decided
(:class:`Settings`), as plain frozen data.

``_resolve.resolve(WorkspaceArguments, ...) -> Settings`` checks and defaults; ``_render``
turns ``Settings`` into manifest bodies. Neither starts jsii, so both are unit-tested without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kasm_constructs.options.images import ImageProfile
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.secrets import SecretKeyRef
from kasm_constructs.policy.pod_security import PodSecurityExemption

__all__ = [
    "HOME_VOLUME",
    "SHM_PATH",
    "SHM_VOLUME",
    "TLS_PATH",
    "TLS_VOLUME",
    "ClaimTemplate",
    "Settings",
    "Volume",
    "WorkspaceArguments",
]

HOME_VOLUME = "home"
SHM_VOLUME = "dshm"
SHM_PATH = "/dev/shm"
TLS_VOLUME = "backend-tls"
#: Where the backend TLS Secret is mounted (read-only, the whole directory, so a renewed
#: certificate reaches the container).
TLS_PATH = "/etc/kasm-constructs/tls"


@dataclass(frozen=True)
class WorkspaceArguments:
    """The keyword arguments of :class:`~kasm_constructs.HardenedWorkspace`, as given.

    Field for field the constructor's keywords, with the same defaults (a test holds the two
    together); typed ``object`` where a user may pass anything, since checking is
    ``resolve``'s job.
    """

    image: object
    name: object = None
    replicas: object = 1
    run_as_user: object = 1000
    run_as_group: object = 1000
    fs_group: object = 1000
    ports: object = None
    writable_paths: object = None
    home: object = None
    shm_size: object = None
    secret_env: object = None
    env: object = None
    requests: object = None
    limits: object = None
    labels: object = None
    annotations: object = None
    image_pull_policy: object = "Always"
    image_pull_secrets: object = ()
    command: object = None
    args: object = None
    startup_probe: object = None
    readiness_probe: object = None
    liveness_probe: object = None
    image_profile: object = None
    service_account_name: object = None
    service: object = True
    network_policy: object = True
    ingress_from: object = ()
    egress_dns: object = None
    egress_to: object = ()
    egress_internet: object = False
    pod_disruption_budget: object = True
    topology_spread: object = True
    host_users: object = True
    pod_security_version: object = None
    pod_security_exemptions: object = None
    backend_tls_secret: object = None


@dataclass(frozen=True)
class Volume:
    """A pod volume mounted into the workspace container: an emptyDir (``size_limit``, disk or
    memory backed), an existing claim, or a Secret (mounted read-only)."""

    name: str
    mount_path: str
    size_limit: str | None = None
    memory: bool = False
    claim: str | None = None
    secret: str | None = None


@dataclass(frozen=True)
class ClaimTemplate:
    """A home claim per replica: the workload is a StatefulSet with a volumeClaimTemplate."""

    mount_path: str
    size: str
    access_mode: str
    storage_class: str | None


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
