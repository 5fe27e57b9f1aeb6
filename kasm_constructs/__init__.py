"""Hardened cdk8s constructs for Kasm Workspaces desktops.

>>> from kasm_constructs import HardenedWorkspace
>>> HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0",
...                   secret_env={"VNC_PW": ("kasm-secrets", "vnc-password")})

Names are imported on first use, so ``python -m kasm_constructs audit`` and the pure-Python
modules (``pod_security``, ``images``) do not start the jsii runtime.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._validation import ConfigurationError
    from .certificate import WorkspaceCertificate
    from .controllers import IngressController
    from .fleet import WorkspaceFleet
    from .home import Home
    from .images import ImageProfile, profile_for
    from .ingress import WorkspaceIngress
    from .namespace import RestrictedNamespace
    from .network import NetworkPeer
    from .pod_security import PodSecurityExemption, Violation, evaluate
    from .probes import Probe
    from .roster import RosterError
    from .route import WorkspaceRoute
    from .seats import FleetAccess, Seat
    from .secrets import SecretKeyRef
    from .workspace import HardenedWorkspace

__version__ = "0.1.0"  # the one version source: pyproject.toml reads it

_EXPORTS = {
    "ConfigurationError": "._validation",
    "FleetAccess": ".seats",
    "HardenedWorkspace": ".workspace",
    "Home": ".home",
    "ImageProfile": ".images",
    "IngressController": ".controllers",
    "NetworkPeer": ".network",
    "PodSecurityExemption": ".pod_security",
    "Probe": ".probes",
    "RestrictedNamespace": ".namespace",
    "RosterError": ".roster",
    "Seat": ".seats",
    "SecretKeyRef": ".secrets",
    "Violation": ".pod_security",
    "WorkspaceCertificate": ".certificate",
    "WorkspaceFleet": ".fleet",
    "WorkspaceIngress": ".ingress",
    "WorkspaceRoute": ".route",
    "evaluate": ".pod_security",
    "profile_for": ".images",
}

__all__ = [
    "ConfigurationError",
    "FleetAccess",
    "HardenedWorkspace",
    "Home",
    "ImageProfile",
    "IngressController",
    "NetworkPeer",
    "PodSecurityExemption",
    "Probe",
    "RestrictedNamespace",
    "RosterError",
    "Seat",
    "SecretKeyRef",
    "Violation",
    "WorkspaceCertificate",
    "WorkspaceFleet",
    "WorkspaceIngress",
    "WorkspaceRoute",
    "evaluate",
    "profile_for",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
