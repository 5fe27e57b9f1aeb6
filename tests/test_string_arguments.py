"""Every string argument is checked with a full match: a trailing newline, a NUL, a digit that is
not ASCII and an over-long value are refused (``ValueError`` naming the argument), never
written for the API server to reject. One table of every string a user can give, each with a
value that is accepted, so the test also proves the table builds what it claims to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cdk8s
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kasm_constructs import (
    FleetAccess,
    HardenedWorkspace,
    Home,
    IngressController,
    NetworkPeer,
    Probe,
    RestrictedNamespace,
    Seat,
    SecretKeyRef,
    WorkspaceCertificate,
    WorkspaceIngress,
    WorkspaceRoute,
    envoy_gateway_proxies,
)
from kasm_constructs._pipeline.plan import plan
from kasm_constructs._pipeline.resolve import resolve

VNC = {"VNC_PW": SecretKeyRef("kasm-secrets", "vnc-password")}
BASE: dict[str, Any] = {"image": "kasmweb/desktop:1.16.0", "secret_env": VNC}


def _resolve(**options: Any) -> object:
    return resolve({**BASE, **options}, default_name="desk", chart_labels={})


def _plan(**options: Any) -> object:
    given = {"users": {"alice": "desktop"}, "presets": {"desktop": {"image": BASE["image"]}}}
    fleet, problems = plan(
        {**given, **options}, default_name="team", chart_labels={}, namespace="desktops"
    )
    if problems:
        raise problems[0].qualified()
    return fleet


def _workspace(chart: cdk8s.Chart) -> HardenedWorkspace:
    return HardenedWorkspace(chart, "desk", backend_tls_secret="desk-tls", **BASE)


def _in_chart(make: Callable[[cdk8s.Chart, HardenedWorkspace], object]) -> object:
    chart = cdk8s.Chart(cdk8s.App(), "kasm", namespace="kasm")
    return make(chart, _workspace(chart))


def _route(**kwargs: Any) -> object:
    given = {"gateway": "public", "hostnames": ["d.example.com"], "ca_config_map": "ca"}
    return _in_chart(
        lambda chart, ws: WorkspaceRoute(chart, "route", workspace=ws, **{**given, **kwargs})
    )


def _ingress(**kwargs: Any) -> object:
    given = {"host": "d.example.com", "tls_secret": "tls"}
    return _in_chart(
        lambda chart, ws: WorkspaceIngress(chart, "ingress", workspace=ws, **{**given, **kwargs})
    )


@dataclass(frozen=True)
class Argument:
    """A string a user gives: how it is given (``build`` with the string), a value that is
    accepted, and which mutations are legitimate text for it."""

    name: str
    build: Callable[[str], object]
    accepted: str
    #: Free text (an env value, a command line argument): a newline and any digit are text.
    free_text: bool = False
    #: No length limit: a name or grammar has one, text does not.
    unbounded: bool = False


_ROUTE = {"gateway": "g", "gateway_namespace": "gw", "ca_config_map": "ca"}
ARGUMENTS = [
    # HardenedWorkspace options
    Argument("image", lambda v: _resolve(image=v), "kasmweb/desktop:1.16.0"),
    Argument("name", lambda v: _resolve(name=v), "desk"),
    Argument("ports key", lambda v: _resolve(ports={v: 6901}), "vnc"),
    Argument("writable_paths key", lambda v: _resolve(writable_paths={v: "1Gi"}), "/tmp/x"),
    Argument("writable_paths value", lambda v: _resolve(writable_paths={"/tmp": v}), "1Gi"),
    Argument("shm_size", lambda v: _resolve(shm_size=v), "1Gi"),
    Argument("secret_env key", lambda v: _resolve(secret_env={**VNC, v: ("s", "k")}), "TOKEN"),
    Argument("SecretKeyRef name", lambda v: SecretKeyRef(v, "key"), "kasm-secrets"),
    Argument("SecretKeyRef key", lambda v: SecretKeyRef("kasm-secrets", v), "vnc-password"),
    Argument("env key", lambda v: _resolve(env={v: "x"}), "LANG"),
    Argument("env value", lambda v: _resolve(env={"X": v}), "x1", free_text=True, unbounded=True),
    Argument(
        "requests key",
        lambda v: _resolve(requests={"cpu": "1", v: "1"}, limits={"cpu": "2", v: "1"}),
        "nvidia.com/gpu",
    ),
    Argument("requests value", lambda v: _resolve(requests={"cpu": v}), "1"),
    Argument("limits value", lambda v: _resolve(limits={"cpu": "2", "memory": v}), "4Gi"),
    Argument("labels key", lambda v: _resolve(labels={v: "x"}), "team"),
    Argument("labels value", lambda v: _resolve(labels={"team": v}), "a1"),
    Argument("annotations key", lambda v: _resolve(annotations={v: "x"}), "note"),
    Argument(
        "annotations value",
        lambda v: _resolve(annotations={"note": v}),
        "x1",
        free_text=True,
        unbounded=True,
    ),
    Argument("image_pull_policy", lambda v: _resolve(image_pull_policy=v), "Always"),
    Argument("image_pull_secrets item", lambda v: _resolve(image_pull_secrets=[v]), "regcred"),
    Argument(
        "command item",
        lambda v: _resolve(command=["/bin/sh", v]),
        "-c1",
        free_text=True,
        unbounded=True,
    ),
    Argument("args item", lambda v: _resolve(args=[v]), "--wait1", free_text=True, unbounded=True),
    Argument("service_account_name", lambda v: _resolve(service_account_name=v), "desk-sa"),
    Argument("pod_security_version", lambda v: _resolve(pod_security_version=v), "1.31"),
    Argument("backend_tls_secret", lambda v: _resolve(backend_tls_secret=v), "desk-tls"),
    # value objects
    Argument("Home.claim(name)", Home.claim, "home-1"),
    Argument("Home.per_replica(size)", Home.per_replica, "10Gi"),
    Argument(
        "Home.per_replica(storage_class)",
        lambda v: Home.per_replica("1Gi", storage_class=v),
        "fast-1",
    ),
    Argument("Home.ephemeral(path)", lambda v: Home.ephemeral(path=v), "/data1"),
    Argument("NetworkPeer.from_namespace", NetworkPeer.from_namespace, "gw1"),
    Argument(
        "NetworkPeer.from_pod_labels value",
        lambda v: NetworkPeer.from_pod_labels({"app": v}),
        "gw1",
    ),
    Argument("NetworkPeer.from_ip_block", NetworkPeer.from_ip_block, "10.0.0.0/8"),
    Argument("Probe.from_tcp_socket(port)", Probe.from_tcp_socket, "vnc"),
    # an HTTP path has no small limit
    Argument(
        "Probe.from_http_get(path)",
        lambda v: Probe.from_http_get(v, 6901),
        "/health1",
        unbounded=True,
    ),
    Argument(
        "Probe.from_exec item",
        lambda v: Probe.from_exec([v]),
        "true1",
        free_text=True,
        unbounded=True,
    ),
    Argument(
        "IngressController(namespace)",
        lambda v: IngressController.ingress_nginx(namespace=v),
        "nginx1",
    ),
    Argument(
        "IngressController(body_size)",
        lambda v: IngressController.ingress_nginx(body_size=v),
        "256m",
    ),
    Argument(
        "envoy_gateway_proxies(gateway)",
        lambda v: envoy_gateway_proxies(gateway=v, gateway_namespace="gw"),
        "public1",
    ),
    Argument(
        "FleetAccess.route(host)",
        lambda v: FleetAccess.route(host=v, **_ROUTE),
        "{user}.d1.example.com",
    ),
    Argument(
        "FleetAccess.route(gateway)",
        lambda v: FleetAccess.route(host="{user}.d.example.com", **{**_ROUTE, "gateway": v}),
        "public1",
    ),
    Argument(
        "FleetAccess.route(ca_config_map)",
        lambda v: FleetAccess.route(host="{user}.d.example.com", **{**_ROUTE, "ca_config_map": v}),
        "ca1",
    ),
    Argument(
        "FleetAccess.ingress(tls_secret)",
        lambda v: FleetAccess.ingress(host="{user}.d.example.com", tls_secret=v),
        "tls1",
    ),
    # fleet options
    Argument("fleet name", lambda v: _plan(name=v), "team1"),
    Argument("fleet vnc_secret", lambda v: _plan(vnc_secret=v), "{user}-vnc1"),
    Argument("fleet vnc_secret_key", lambda v: _plan(vnc_secret_key=v), "password1"),
    Argument("fleet home_size", lambda v: _plan(home_size=v), "10Gi"),
    Argument("fleet home_storage_class", lambda v: _plan(home_storage_class=v), "standard1"),
    Argument("fleet labels value", lambda v: _plan(labels={"team": v}), "a1"),
    Argument("fleet users key", lambda v: _plan(users={v: "desktop"}), "alice1"),
    Argument(
        "fleet presets key",
        lambda v: _plan(presets={v: {"image": BASE["image"]}}, users={"a": Seat(v)}),
        "desktop1",
    ),
    # constructs
    Argument("WorkspaceRoute(gateway)", lambda v: _route(gateway=v), "public1"),
    Argument("WorkspaceRoute(hostnames item)", lambda v: _route(hostnames=[v]), "d1.example.com"),
    Argument("WorkspaceRoute(request_timeout)", lambda v: _route(request_timeout=v), "3600s"),
    Argument("WorkspaceIngress(host)", lambda v: _ingress(host=v), "d1.example.com"),
    Argument(
        "WorkspaceIngress(ingress_class_name)", lambda v: _ingress(ingress_class_name=v), "nginx1"
    ),
    Argument(
        "WorkspaceCertificate(issuer)",
        lambda v: _in_chart(lambda c, ws: WorkspaceCertificate(c, "cert", workspace=ws, issuer=v)),
        "issuer1",
    ),
    Argument(
        "RestrictedNamespace(name)",
        lambda v: RestrictedNamespace(cdk8s.Chart(cdk8s.App(), "ns"), "ns", name=v),
        "team1",
    ),
]


def _non_ascii_digit(value: str) -> str:
    """``value`` with its first digit written as another script's (or one appended)."""
    for index, char in enumerate(value):
        if char.isascii() and char.isdigit():
            return f"{value[:index]}\u0663{value[index + 1 :]}"  # ARABIC-INDIC DIGIT THREE
    return value + "\u00b2"  # SUPERSCRIPT TWO


MUTATIONS: dict[str, Callable[[str], str]] = {
    "trailing-newline": lambda v: v + "\n",
    "nul": lambda v: v + "\0",
    "non-ascii-digit": _non_ascii_digit,
    "over-long": lambda v: v[:-1] + "a" * 300 + v[-1:] if v.endswith("m") else v + "x" * 300,
}


@pytest.mark.parametrize("argument", ARGUMENTS, ids=lambda a: a.name)
def test_the_accepted_value_is_accepted(argument: Argument) -> None:
    argument.build(argument.accepted)


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize("argument", ARGUMENTS, ids=lambda a: a.name)
def test_a_mutated_string_is_refused(argument: Argument, mutation: str) -> None:
    if argument.free_text and mutation in ("trailing-newline", "non-ascii-digit"):
        pytest.skip("text: a newline and any digit are part of it")
    if argument.unbounded and mutation == "over-long":
        pytest.skip("text has no length limit")
    value = MUTATIONS[mutation](argument.accepted)
    with pytest.raises(ValueError) as error:
        argument.build(value)
    assert "got " in str(error.value)  # the message shows what was given


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=40))
def test_no_name_outside_the_ascii_grammar_is_accepted(text: str) -> None:
    """Whatever text a name is given, it is refused or it is a plain RFC 1123 label."""
    try:
        _resolve(name=text)
    except ValueError:
        return
    assert text.isascii() and text == text.strip() and "\n" not in text
