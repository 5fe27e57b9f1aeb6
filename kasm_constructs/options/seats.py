"""A desktop per person: which kind of desktop each person has (:class:`Seat`), how people reach
them (:class:`FleetAccess`), and :func:`plan`, which turns a roster into every person's checked
workspace arguments, reporting every mistake at once. Pure: no jsii.

Names come from the fleet's name and the person's id, never from the construct path:
``<fleet>-<user>-<preset>`` (``<fleet>-<user>`` when every preset shares one home). Each person's
home is a claim made by their StatefulSet (``home-<name>-0``), retained when the StatefulSet
is deleted or scaled to zero, so a stop, a preset change or leaving the roster never deletes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kasm_constructs._pipeline.model import Settings, WorkspaceArguments
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.manifests.grammar import (
    ConfigurationError,
    check_dns1035_label,
    check_dns_label,
    check_dns_subdomain,
    check_labels,
    check_mapping,
    fail,
    parse_quantity,
)
from kasm_constructs.options.controllers import IngressController
from kasm_constructs.options.home import Home
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.secrets import SecretKeyRef, secret_key_ref

__all__ = [
    "FLEET_LABEL",
    "PRESET_LABEL",
    "USER_LABEL",
    "FleetAccess",
    "FleetPlan",
    "Person",
    "Problem",
    "Seat",
    "plan",
]

#: Every object of a person carries these: ``kubectl get all,pvc -l kasm-constructs.io/user=x``.
USER_LABEL = "kasm-constructs.io/user"
FLEET_LABEL = "kasm-constructs.io/fleet"
PRESET_LABEL = "kasm-constructs.io/preset"
#: Keywords the fleet decides for every person; a preset or an override may not set them.
FLEET_OWNED = (
    "name",
    "replicas",
    "home",
    "backend_tls_secret",
    "network_policy",
    "ingress_from",
)
_KEYWORDS = tuple(f.name for f in dataclasses.fields(WorkspaceArguments))


@dataclass(frozen=True)
class Seat:
    """One person's desktop: the ``preset`` (a key of the fleet's presets), whether it is
    ``stopped`` (no pod; the home stays), and ``overrides`` of the preset's keywords."""

    preset: str
    stopped: bool = False
    overrides: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FleetAccess:
    """How people reach their desktops. Make one with :meth:`ingress` or :meth:`route`. In
    ``host`` (and ``tls_secret``), ``{user}``, ``{preset}`` and ``{fleet}`` stand for the
    person's id, preset and the fleet's name."""

    kind: str
    host: str
    tls_secret: str | None = None
    ingress_class_name: str | None = None
    controller: IngressController | None = None
    gateway: str | None = None
    gateway_namespace: str | None = None
    section_name: str | None = None
    ca_config_map: str | None = None
    issuer: str | None = None
    issuer_kind: str = "Issuer"
    gateway_pods: NetworkPeer | None = None

    @classmethod
    def ingress(
        cls,
        *,
        host: str,
        tls_secret: str,
        ingress_class_name: str | None = None,
        controller: IngressController | None = None,
    ) -> FleetAccess:
        """A :class:`~kasm_constructs.WorkspaceIngress` per person, at ``host`` (e.g.
        ``"{user}.desktops.example.com"``), with the certificate in ``tls_secret`` (one
        wildcard Secret for all, or a pattern). ``controller``: default ingress-nginx."""
        _check_pattern("FleetAccess.ingress(host)", host, need_user=True)
        _check_pattern("FleetAccess.ingress(tls_secret)", tls_secret, need_user=False)
        return cls(
            "ingress",
            host,
            tls_secret=tls_secret,
            ingress_class_name=ingress_class_name,
            controller=controller or IngressController.ingress_nginx(),
        )

    @classmethod
    def route(
        cls,
        *,
        host: str,
        gateway: str,
        ca_config_map: str,
        gateway_namespace: str | None = None,
        section_name: str | None = None,
        issuer: str | None = None,
        issuer_kind: str = "Issuer",
        gateway_pods: NetworkPeer | None = None,
    ) -> FleetAccess:
        """A :class:`~kasm_constructs.WorkspaceRoute` per person, at ``host``, attached to the
        Gateway ``gateway``; each person's desktop serves a certificate from its Secret
        ``<name>-backend-tls``, made by a :class:`~kasm_constructs.WorkspaceCertificate` from
        ``issuer`` when given (else by you)."""
        _check_pattern("FleetAccess.route(host)", host, need_user=True)
        check_dns_subdomain("FleetAccess.route(gateway)", gateway)
        check_dns_subdomain("FleetAccess.route(ca_config_map)", ca_config_map)
        if gateway_namespace is not None:
            check_dns_label("FleetAccess.route(gateway_namespace)", gateway_namespace)
        if issuer is not None:
            check_dns_subdomain("FleetAccess.route(issuer)", issuer)
        return cls(
            "route",
            host,
            gateway=gateway,
            gateway_namespace=gateway_namespace,
            section_name=section_name,
            ca_config_map=ca_config_map,
            issuer=issuer,
            issuer_kind=issuer_kind,
            gateway_pods=gateway_pods,
        )

    def peer(self, namespace: str | None) -> NetworkPeer | None:
        """The pods that carry people to their desktops: admitted to the web port."""
        if self.kind == "ingress":
            return self.controller.peer if self.controller else None
        if self.gateway_pods is not None:
            return self.gateway_pods
        gateway_namespace = self.gateway_namespace or namespace
        return None if gateway_namespace is None else NetworkPeer.from_namespace(gateway_namespace)


def _check_pattern(parameter: str, pattern: object, *, need_user: bool) -> str:
    if not isinstance(pattern, str):
        fail(parameter, pattern, "expected a string")
    try:
        pattern.format(user="user", preset="preset", fleet="fleet")
    except (KeyError, IndexError, ValueError):
        fail(parameter, pattern, "expected a pattern using only {user}, {preset} and {fleet}")
    if need_user and "{user}" not in pattern:
        fail(parameter, pattern, "expected a pattern with {user}: every person needs their own")
    return pattern


@dataclass(frozen=True)
class Person:
    """What one person gets."""

    user: str
    preset: str
    stopped: bool
    #: ``metadata.name`` of every object of theirs.
    name: str
    #: The :class:`~kasm_constructs.HardenedWorkspace` keywords.
    arguments: WorkspaceArguments
    host: str | None
    tls_secret: str | None
    #: ``resources`` of the desktop: (requests, limits).
    resources: tuple[Mapping[str, str], Mapping[str, str]]


@dataclass(frozen=True)
class Problem:
    """A mistake: where (a path into the roster) and what."""

    path: tuple[str, ...]
    error: ConfigurationError

    def qualified(self) -> ConfigurationError:
        """The error, its parameter prefixed with where in the roster it was made, e.g.
        ``presets['chrome'].requests['cpu']``."""
        head = f"{self.path[0]}[{self.path[1]!r}]" if len(self.path) > 1 else "".join(self.path)
        prefix = "".join([head, *(f".{p}" for p in self.path[2:])])
        inner = self.error.parameter
        parameter = (
            f"{prefix}.{inner}" if prefix and not prefix.endswith(inner) else prefix or inner
        )
        return ConfigurationError(parameter, self.error.value, self.error.allowed)


@dataclass(frozen=True)
class FleetPlan:
    """Every person's desktop, and what the fleet needs as a whole."""

    name: str
    people: tuple[Person, ...]
    #: Preset -> the settings of one of its desktops (its ports, egress).
    presets: Mapping[str, Settings] = field(default_factory=dict)
    #: The size of each home claim.
    home_size: str = ""


class _MistakeAtError(Exception):
    """A mistake and where it was made: how :func:`plan` carries on to the next one."""

    def __init__(self, path: tuple[str, ...], error: ConfigurationError) -> None:
        super().__init__(str(error))
        self.problem = Problem(path, error)


@contextmanager
def _at(*path: str) -> Iterator[None]:
    """Attach ``path`` to a mistake raised inside."""
    try:
        yield
    except ConfigurationError as error:
        raise _MistakeAtError(path, error) from error


def _arguments(given: object) -> dict[str, Any]:
    """A preset's or an override's keywords: HardenedWorkspace keywords the fleet does not own."""
    mapping = dict(check_mapping("keywords", given))
    for key in mapping:
        if key in FLEET_OWNED:
            fail(str(key), key, f"the fleet sets {key} for every person")
        if key not in _KEYWORDS:
            fail(str(key), key, "expected a HardenedWorkspace keyword")
    return mapping


@dataclass(frozen=True)
class _Fleet:
    """The fleet-wide settings, checked."""

    name: str
    vnc_secret: str
    vnc_secret_key: str
    home: Home
    home_per_preset: bool
    access: FleetAccess | None
    labels: Mapping[str, str]

    def arguments(
        self, user: str, preset: str, kwargs: Mapping[str, Any], stopped: bool, name: str
    ) -> WorkspaceArguments:
        """The HardenedWorkspace keywords of one person."""
        secret_env = dict(kwargs.get("secret_env") or {})
        secret = self.vnc_secret.format(user=user, preset=preset, fleet=self.name)
        secret_env["VNC_PW"] = SecretKeyRef(secret, self.vnc_secret_key)
        labels = {
            **self.labels,
            **dict(kwargs.get("labels") or {}),
            FLEET_LABEL: self.name,
            USER_LABEL: user,
            PRESET_LABEL: preset,
        }
        routed = self.access is not None and self.access.kind == "route"
        return WorkspaceArguments(
            **{
                **kwargs,
                "name": name,
                "replicas": 0 if stopped else 1,
                "home": self.home,
                "secret_env": secret_env,
                "labels": labels,
                "network_policy": False,
                "backend_tls_secret": f"{name}-backend-tls" if routed else None,
            }
        )


def _fleet(
    problems: list[Problem],
    name: object,
    vnc_secret: object,
    vnc_secret_key: object,
    home_size: object,
    home_storage_class: object,
    home_per_preset: object,
    access: object,
    labels: object,
) -> _Fleet:
    """The fleet-wide settings. Each mistake is added to ``problems``, and a stand-in taken in
    its place, so the presets and the people are still checked."""

    def checked(path: str, check: Callable[[], object], stand_in: Any) -> Any:
        try:
            with _at(path):
                return check()
        except _MistakeAtError as at:
            problems.append(at.problem)
            return stand_in

    def flag(parameter: str, value: object) -> bool:
        if not isinstance(value, bool):
            fail(parameter, value, "expected True or False")
        return value

    def fleet_access() -> FleetAccess | None:
        if access is not None and not isinstance(access, FleetAccess):
            fail("access", access, "expected FleetAccess.ingress(...) or FleetAccess.route(...)")
        return access

    def home() -> Home:
        parse_quantity("home_size", home_size, positive=True)
        if home_storage_class is not None:
            check_dns_subdomain("home_storage_class", home_storage_class)
        return Home.per_replica(str(home_size), storage_class=home_storage_class)  # type: ignore[arg-type]

    return _Fleet(
        checked("name", lambda: check_dns_label("name", name), "fleet"),
        checked(
            "vnc_secret", lambda: _check_pattern("vnc_secret", vnc_secret, need_user=False), "x"
        ),
        checked(
            "vnc_secret_key",
            lambda: secret_key_ref("vnc_secret_key", ("x", vnc_secret_key)).key,
            "x",
        ),
        checked("home_size", home, Home.per_replica("1Gi")),
        checked("home_per_preset", lambda: flag("home_per_preset", home_per_preset), True),
        checked("access", fleet_access, None),
        checked("labels", lambda: check_labels("labels", labels or {}), {}),
    )


def plan(
    *,
    name: str,
    users: Mapping[str, str | Seat],
    presets: Mapping[str, Mapping[str, Any]],
    vnc_secret: str = "{user}-vnc",
    vnc_secret_key: str = "password",
    home_size: str = "10Gi",
    home_storage_class: str | None = None,
    home_per_preset: bool = True,
    access: FleetAccess | None = None,
    labels: Mapping[str, str] | None = None,
) -> tuple[FleetPlan, list[Problem]]:
    """Check the roster and decide every person's workspace. Returns the plan (of the people
    without a mistake) and every mistake found, each with where it was made."""
    problems: list[Problem] = []
    fleet = _fleet(
        problems,
        name,
        vnc_secret,
        vnc_secret_key,
        home_size,
        home_storage_class,
        home_per_preset,
        access,
        labels,
    )
    try:
        with _at("presets"):
            preset_map = check_mapping("presets", presets)
        with _at("users"):
            user_map = check_mapping("users", users)
    except _MistakeAtError as at:
        return FleetPlan(fleet.name, ()), [*problems, at.problem]

    # Each preset is checked once, as a person gets it: its mistakes are reported once.
    checked: dict[str, dict[str, Any]] = {}
    samples: dict[str, Settings] = {}
    for preset, given in preset_map.items():
        try:
            with _at("presets", str(preset)):
                check_dns_label("presets key", preset)
                kwargs = _arguments(given)
                sample = fleet.arguments("sample", str(preset), kwargs, False, "sample")
                settings = resolve(sample, default_name="sample", chart_labels={})
        except _MistakeAtError as at:
            problems.append(at.problem)
            continue
        checked[str(preset)] = kwargs
        samples[str(preset)] = settings

    people: list[Person] = []
    names: dict[str, str] = {}
    for user, seat in user_map.items():
        try:
            person = _person(fleet, user, seat, preset_map, checked, samples, names)
        except _MistakeAtError as at:
            problems.append(at.problem)
            continue
        if person is not None:
            people.append(person)
    return FleetPlan(fleet.name, tuple(people), samples, fleet.home.size or ""), problems


def _person(
    fleet: _Fleet,
    user: object,
    given: object,
    presets: Mapping[str, object],
    checked: Mapping[str, Mapping[str, Any]],
    samples: Mapping[str, Settings],
    names: dict[str, str],
) -> Person | None:
    """One person's desktop, a mistake (:class:`_MistakeAtError`), or ``None`` when their
    preset has a mistake of its own."""
    path = ("users", str(user))
    with _at(*path):
        check_dns_label("users key", user)
        seat = Seat(given) if isinstance(given, str) else given
        if not isinstance(seat, Seat):
            fail("seat", given, "expected a preset name or Seat(preset, stopped, overrides)")
    assert isinstance(user, str)
    with _at(*path, "preset"):
        if seat.preset not in presets:
            fail("preset", seat.preset, f"expected one of the presets {sorted(presets)}")
    if seat.preset not in checked:
        return None  # the preset's own mistake is reported, once
    with _at(*path, "stopped"):
        if not isinstance(seat.stopped, bool):
            fail("stopped", seat.stopped, "expected True or False")
    name = f"{fleet.name}-{user}"
    if fleet.home_per_preset:
        name = f"{name}-{seat.preset}"
    with _at(*path):
        check_dns1035_label("users key", name, max_length=52)
        if name in names:
            fail(
                "users key",
                user,
                f"its objects would be named {name!r}, like those of {names[name]!r}; "
                "choose ids that differ",
            )
    kwargs = dict(checked[seat.preset])
    with _at(*path, "overrides"):
        if seat.overrides:
            kwargs.update(_arguments(seat.overrides))
        arguments = fleet.arguments(user, seat.preset, kwargs, seat.stopped, name)
        settings = samples[seat.preset]
        if seat.overrides:
            settings = resolve(arguments, default_name=name, chart_labels={})
    names[name] = user
    fields = {"user": user, "preset": seat.preset, "fleet": fleet.name}
    access = fleet.access
    host = access.host.format(**fields) if access else None
    tls = access.tls_secret.format(**fields) if access and access.tls_secret else None
    resources = (settings.requests, settings.limits)
    return Person(user, seat.preset, seat.stopped, name, arguments, host, tls, resources)


def quota(fleet: FleetPlan) -> dict[str, str]:
    """The ResourceQuota ``hard`` of a fleet. For each resource, the sum over the running
    desktops of their requests and limits, and ``pods``, their number; for storage, a claim of
    ``home_size`` per person, stopped or not (``persistentvolumeclaims``, ``requests.storage``)."""
    running = [p for p in fleet.people if not p.stopped]
    totals: dict[str, Decimal] = {}
    for person in running:
        for kind, amounts in zip(("requests", "limits"), person.resources, strict=True):
            for resource, amount in amounts.items():
                key = f"{kind}.{resource}"
                totals[key] = totals.get(key, Decimal(0)) + parse_quantity(key, amount)
    claims = len(fleet.people)
    totals["requests.storage"] = claims * parse_quantity("home_size", fleet.home_size)
    hard = {key: _quantity(total) for key, total in sorted(totals.items())}
    hard["pods"] = str(len(running))
    hard["persistentvolumeclaims"] = str(claims)
    return hard


def _quantity(amount: Decimal) -> str:
    """A quantity: whole bytes or units as binary suffixes where exact, else millis."""
    if amount != amount.to_integral_value():
        return f"{int(amount * 1000)}m"
    whole = int(amount)
    for suffix, factor in (("Gi", 2**30), ("Mi", 2**20)):
        if whole >= factor and whole % factor == 0:
            return f"{whole // factor}{suffix}"
    return str(whole)
