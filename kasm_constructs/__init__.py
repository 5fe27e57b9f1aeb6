"""Hardened cdk8s constructs for Kasm Workspaces desktops.

>>> from kasm_constructs import HardenedWorkspace, SecretKeyRef
>>> HardenedWorkspace(chart, "desktop", image="kasmweb/desktop:1.16.0",
...                   secret_env={"VNC_PW": SecretKeyRef("kasm-secrets", "vnc-password")})

This module only re-exports. Names are imported on first use, so ``python -m kasm_constructs
audit`` and the pure-Python modules do not start the jsii runtime. Where things live:

- ``kasm_constructs.constructs``: the constructs, the only code that imports cdk8s;
- ``kasm_constructs.options``: the value objects passed to them, and the facts they check;
- ``kasm_constructs._pipeline``: the pure steps (model, resolve, render, plan, roster);
- ``kasm_constructs.policy``: Pod Security, the API server's checks, waivers, the guard;
- ``kasm_constructs.manifests``: Kubernetes names, kinds and versions; kubectl's reader;
- ``kasm_constructs.cli``: ``kasm-constructs audit`` and ``preflight``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kasm_constructs._version import __version__

if TYPE_CHECKING:
    from kasm_constructs.constructs.certificate import WorkspaceCertificate
    from kasm_constructs.constructs.fleet import WorkspaceFleet
    from kasm_constructs.constructs.ingress import WorkspaceIngress
    from kasm_constructs.constructs.listener_sign_in import ListenerSignIn
    from kasm_constructs.constructs.namespace import RestrictedNamespace
    from kasm_constructs.constructs.route import WorkspaceRoute
    from kasm_constructs.constructs.sign_in_proxy import SignInProxy
    from kasm_constructs.constructs.workspace import HardenedWorkspace
    from kasm_constructs.errors import (
        ConfigurationError,
        RosterError,
        SynthRefusedError,
        clean_errors,
    )
    from kasm_constructs.options.controllers import IngressController, envoy_gateway_proxies
    from kasm_constructs.options.gpu import Gpu
    from kasm_constructs.options.home import Home
    from kasm_constructs.options.images import ImageProfile, profile_for
    from kasm_constructs.options.network import NetworkPeer
    from kasm_constructs.options.probes import Probe
    from kasm_constructs.options.schedule import Schedule
    from kasm_constructs.options.seats import FleetAccess, Seat
    from kasm_constructs.options.secrets import SecretKeyRef
    from kasm_constructs.options.session import SessionPolicy
    from kasm_constructs.options.sign_in import SignIn
    from kasm_constructs.policy.pod_security import PodSecurityExemption, Violation, evaluate

#: Public name -> the module that defines it.
_EXPORTS = {
    "ConfigurationError": "kasm_constructs.errors",
    "FleetAccess": "kasm_constructs.options.seats",
    "Gpu": "kasm_constructs.options.gpu",
    "HardenedWorkspace": "kasm_constructs.constructs.workspace",
    "Home": "kasm_constructs.options.home",
    "ImageProfile": "kasm_constructs.options.images",
    "IngressController": "kasm_constructs.options.controllers",
    "ListenerSignIn": "kasm_constructs.constructs.listener_sign_in",
    "NetworkPeer": "kasm_constructs.options.network",
    "PodSecurityExemption": "kasm_constructs.policy.pod_security",
    "Probe": "kasm_constructs.options.probes",
    "RestrictedNamespace": "kasm_constructs.constructs.namespace",
    "RosterError": "kasm_constructs.errors",
    "Schedule": "kasm_constructs.options.schedule",
    "Seat": "kasm_constructs.options.seats",
    "SecretKeyRef": "kasm_constructs.options.secrets",
    "SessionPolicy": "kasm_constructs.options.session",
    "SignIn": "kasm_constructs.options.sign_in",
    "SignInProxy": "kasm_constructs.constructs.sign_in_proxy",
    "SynthRefusedError": "kasm_constructs.errors",
    "Violation": "kasm_constructs.policy.pod_security",
    "WorkspaceCertificate": "kasm_constructs.constructs.certificate",
    "WorkspaceFleet": "kasm_constructs.constructs.fleet",
    "WorkspaceIngress": "kasm_constructs.constructs.ingress",
    "WorkspaceRoute": "kasm_constructs.constructs.route",
    "clean_errors": "kasm_constructs.errors",
    "envoy_gateway_proxies": "kasm_constructs.options.controllers",
    "evaluate": "kasm_constructs.policy.pod_security",
    "profile_for": "kasm_constructs.options.images",
}

__all__ = [
    "ConfigurationError",
    "FleetAccess",
    "Gpu",
    "HardenedWorkspace",
    "Home",
    "ImageProfile",
    "IngressController",
    "ListenerSignIn",
    "NetworkPeer",
    "PodSecurityExemption",
    "Probe",
    "RestrictedNamespace",
    "RosterError",
    "Schedule",
    "Seat",
    "SecretKeyRef",
    "SessionPolicy",
    "SignIn",
    "SignInProxy",
    "SynthRefusedError",
    "Violation",
    "WorkspaceCertificate",
    "WorkspaceFleet",
    "WorkspaceIngress",
    "WorkspaceRoute",
    "__version__",
    "clean_errors",
    "envoy_gateway_proxies",
    "evaluate",
    "profile_for",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
