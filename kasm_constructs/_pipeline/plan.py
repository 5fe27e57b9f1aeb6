"""``plan``: a fleet's options (:class:`~kasm_constructs._pipeline.model.FleetOptions`) -> every
person's decided :class:`~kasm_constructs._pipeline.model.Settings`, and every mistake at once.
Pure: no jsii.

Each person is resolved exactly once, with their preset's keywords, their overrides and what the
fleet decides for them; the construct creates their objects from those settings, and a roster
file goes through the same function, so a roster and the Python API cannot mean different
fleets. A mistake in a preset is reported once, at the preset, however many people use it.

Names come from the fleet's name and the person's id, never from the construct path:
``<fleet>-<user>-<preset>`` (``<fleet>-<user>`` when every preset shares one home). Each person's
home is a claim made by their StatefulSet (``home-<name>-0``), retained when the StatefulSet
is deleted or scaled to zero, so a stop, a preset change or leaving the roster never deletes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from kasm_constructs._pipeline.boundary import (
    Claims,
    peer_label_keys,
    peer_selects,
    refuse_open_front,
)
from kasm_constructs._pipeline.model import (
    OVERRIDE_SCOPES,
    PRESET_SCOPES,
    FleetOptions,
    Settings,
    WorkspaceOptions,
)
from kasm_constructs._pipeline.resolve import resolve
from kasm_constructs.errors import ConfigurationError
from kasm_constructs.manifests.grammar import (
    check_dns1035_label,
    check_dns_label,
    check_dns_subdomain,
    check_labels,
    check_mapping,
    check_secret_key,
    fail,
    format_quantity,
    is_extended_resource,
    parse_quantity,
)
from kasm_constructs.options.declare import Scoped, declared, did_you_mean
from kasm_constructs.options.home import Home
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.seats import FleetAccess, Seat, check_pattern
from kasm_constructs.options.secrets import SecretKeyRef, secret_key_ref
from kasm_constructs.options.sign_in import SignIn, check_proxy_group

__all__ = [
    "FLEET_LABEL",
    "PRESET_LABEL",
    "USER_LABEL",
    "FleetPlan",
    "Person",
    "Problem",
    "plan",
    "proxy_name",
    "quota",
]

#: Every object of a person carries these: ``kubectl get all,pvc -l kasm-constructs.io/user=x``.
USER_LABEL = "kasm-constructs.io/user"
FLEET_LABEL = "kasm-constructs.io/fleet"
PRESET_LABEL = "kasm-constructs.io/preset"
#: Resources whose quantities are bytes (the quota writes them in binary units).
_BYTE_RESOURCES = ("memory", "ephemeral-storage", "storage")
_FIRST_NAME = re.compile(r"[A-Za-z_]+")
#: The prefix of the labels the fleet sets on every object of a person.
_FLEET_PREFIX = "kasm-constructs.io/"


@dataclass(frozen=True)
class Person:
    """What one person gets: decided once, by :func:`plan`."""

    user: str
    preset: str
    stopped: bool
    #: Everything their workspace renders.
    settings: Settings
    host: str | None
    tls_secret: str | None
    #: Who they are at the organisation's sign-in (their :class:`Seat`'s).
    email: str | None = None
    sub: str | None = None
    groups: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """``metadata.name`` of every object of theirs."""
        return self.settings.name

    def identity(self, claim: str) -> str | None:
        """What names them in the sign-in claim ``claim`` (``email`` or ``sub``)."""
        return {"email": self.email, "sub": self.sub}.get(claim)

    def allowed(self, sign_in: SignIn | None) -> list[str]:
        """Who may reach their desktop with ``sign_in``: them, by its claim (nobody is named
        without sign-in). The plan refuses a person without the identity."""
        if sign_in is None:
            return []
        identity = self.identity(sign_in.claim)
        assert identity is not None
        return [identity]


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
    access: FleetAccess | None
    #: The fleet's labels (on every object), besides the fleet label.
    labels: Mapping[str, str]
    #: The size of each home claim.
    home_size: str
    namespace: bool
    resource_quota: bool


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


def _keywords(
    given: object, scoped: Scoped, whose: str, peer_keys: frozenset[str]
) -> dict[str, Any]:
    """A preset's or an override's keywords: the options ``scoped`` allows there, without what
    the fleet decides for every person (``VNC_PW``, its labels) or what would let a desktop pose
    as the access path (a label the proxies are selected by)."""
    mapping = dict(check_mapping("keywords", given))
    known = {d.name: d.option.scope for d in declared(scoped.options)}
    for key in mapping:
        if scoped.allows(str(key)):
            continue
        if known.get(key) == "fleet":
            fail(str(key), key, f"the fleet sets {key} for every person")
        if key in known:
            fail(str(key), key, f"a preset may set {key}, {whose} may not")
        fail(
            str(key),
            key,
            f"expected a HardenedWorkspace keyword{did_you_mean(str(key), tuple(known))}",
        )
    secret_env = mapping.get("secret_env")
    if isinstance(secret_env, Mapping) and "VNC_PW" in secret_env:
        fail(
            "secret_env['VNC_PW']",
            secret_env["VNC_PW"],
            "the fleet binds VNC_PW to each person's own Secret (vnc_secret, a pattern of "
            "{user}); set vnc_secret instead",
        )
    if isinstance(mapping.get("labels"), Mapping):
        _own_labels("labels", mapping["labels"], peer_keys)
    return mapping


def _own_labels(parameter: str, labels: Mapping[Any, Any], peer_keys: frozenset[str]) -> None:
    """Refuse labels the fleet sets, or that the access path's proxies are selected by."""
    for key in labels:
        if str(key).startswith(_FLEET_PREFIX):
            fail(f"{parameter} key", key, f"the fleet sets the {_FLEET_PREFIX}* labels itself")
        if key in peer_keys:
            fail(
                f"{parameter} key",
                key,
                "the access path's proxies are selected by this label: a desktop carrying it "
                "could pose as them; choose another key",
            )


def _overrides_secrets(overrides: Mapping[str, Any]) -> None:
    """A person's overrides name only Secrets of their own: patterns of ``{user}``."""
    given = overrides.get("secret_env")
    if not isinstance(given, Mapping):
        return
    for variable, value in given.items():
        ref = secret_key_ref(f"secret_env[{variable!r}]", value)
        if "user" not in ref.placeholders:
            fail(
                f"secret_env[{variable!r}]",
                ref,
                "a person's overrides may name only their own Secrets: a name pattern with "
                "{user}, e.g. SecretKeyRef('{user}-git', 'token'); a Secret for everyone on a "
                "preset belongs in the preset",
            )


@dataclass(frozen=True)
class _Fleet:
    """The fleet-wide settings, checked."""

    name: str
    vnc_secret: str
    vnc_secret_key: str
    home: Home
    home_size: str
    home_per_preset: bool
    access: FleetAccess | None
    labels: Mapping[str, str]
    namespace: bool
    resource_quota: bool

    def decided(
        self, user: str, preset: str, keywords: Mapping[str, Any], stopped: bool, name: str
    ) -> dict[str, Any]:
        """One person's workspace options: their keywords, and what the fleet decides."""
        fields = {"user": user, "preset": preset, "fleet": self.name}
        secret_env = {
            variable: secret_key_ref(f"secret_env[{variable!r}]", ref).for_person(**fields)
            for variable, ref in dict(keywords.get("secret_env") or {}).items()
        }
        sign_in = self.access.sign_in if self.access is not None else None
        vnc_password = sign_in is None or sign_in.vnc_password
        if vnc_password:
            secret = self.vnc_secret.format(**fields)
            secret_env["VNC_PW"] = SecretKeyRef(secret, self.vnc_secret_key)
        labels = {
            **self.labels,
            **dict(keywords.get("labels") or {}),
            FLEET_LABEL: self.name,
            USER_LABEL: user,
            PRESET_LABEL: preset,
        }
        routed = self.access is not None and self.access.kind == "route"
        return {
            **keywords,
            "name": name,
            "replicas": 0 if stopped else 1,
            # a stopped seat stays stopped: no ScaledObject starts it in the morning
            "schedule": None if stopped else keywords.get("schedule"),
            "home": self.home,
            "secret_env": secret_env,
            "vnc_password": vnc_password,
            "labels": labels,
            "network_policy": True,
            "ingress_from": (),
            "backend_tls_secret": f"{name}-backend-tls" if routed else None,
        }


def _flag(parameter: str, value: object) -> bool:
    if not isinstance(value, bool):
        fail(parameter, value, "expected True or False")
    return value


def _fleet(problems: list[Problem], o: Mapping[str, Any], default_name: str) -> _Fleet:
    """The fleet-wide settings. Each mistake is added to ``problems``, and a stand-in taken in
    its place, so the presets and the people are still checked."""

    def checked(path: str, check: Callable[[], object], stand_in: Any) -> Any:
        try:
            with _at(path):
                return check()
        except _MistakeAtError as at:
            problems.append(at.problem)
            return stand_in

    def fleet_access() -> FleetAccess | None:
        access = o["access"]
        if access is not None and not isinstance(access, FleetAccess):
            fail("access", access, "expected FleetAccess.ingress(...) or FleetAccess.route(...)")
        return access

    def home() -> Home:
        parse_quantity("home_size", o["home_size"], positive=True)
        if o["home_storage_class"] is not None:
            check_dns_subdomain("home_storage_class", o["home_storage_class"])
        return Home.per_replica(str(o["home_size"]), storage_class=o["home_storage_class"])

    name = default_name if o["name"] is None else o["name"]
    return _Fleet(
        checked("name", lambda: check_dns_label("name", name), "fleet"),
        checked(
            "vnc_secret", lambda: check_pattern("vnc_secret", o["vnc_secret"], need_user=True), "x"
        ),
        checked(
            "vnc_secret_key", lambda: check_secret_key("vnc_secret_key", o["vnc_secret_key"]), "x"
        ),
        checked("home_size", home, Home.per_replica("1Gi")),
        str(o["home_size"]),
        checked("home_per_preset", lambda: _flag("home_per_preset", o["home_per_preset"]), True),
        checked("access", fleet_access, None),
        checked("labels", lambda: check_labels("labels", o["labels"] or {}), {}),
        checked("namespace", lambda: _flag("namespace", o["namespace"]), False),
        checked("resource_quota", lambda: _flag("resource_quota", o["resource_quota"]), False),
    )


def plan(
    options: Mapping[str, object],
    *,
    default_name: str,
    chart_labels: Mapping[str, str],
    namespace: str | None,
) -> tuple[FleetPlan, list[Problem]]:
    """Check a fleet's options and decide every person's workspace, resolving each person
    once. Returns the plan (of the people without a mistake) and every mistake found, each with
    where it was made. ``default_name``: the fleet's name when ``name`` is not given (the
    construct id); ``chart_labels`` and ``namespace``: those of the fleet's chart."""
    problems: list[Problem] = []
    known = {d.name: d for d in declared(FleetOptions)}
    for key, value in options.items():
        if key not in known:
            allowed = f"unknown key{did_you_mean(str(key), tuple(known))}; expected one of " + (
                ", ".join(known)
            )
            problems.append(Problem((str(key),), ConfigurationError(str(key), value, allowed)))
    o = {name: options.get(name, d.option.default) for name, d in known.items()}
    fleet = _fleet(problems, o, default_name)
    if namespace is None and (fleet.namespace or fleet.access is not None):
        parameter = "namespace" if fleet.namespace else "access"
        problems.append(
            Problem(
                (parameter,),
                ConfigurationError(parameter, o[parameter], "the fleet's chart needs a namespace"),
            )
        )
    access = fleet.access
    if access is not None and access.kind == "ingress" and access.sign_in is not None:
        try:
            with _at("name"):
                check_dns1035_label("name", proxy_name(fleet.name), max_length=52)
        except _MistakeAtError as at:
            error = at.problem.error
            allowed = (
                f"{error.allowed} (the fleet's sign-in proxy is named '<name>-sign-in': a "
                "fleet name of at most 44 characters)"
            )
            problems.append(
                Problem(at.problem.path, ConfigurationError("name", fleet.name, allowed))
            )
    peer = fleet.access.peer(namespace) if fleet.access is not None else None
    sign_in = access.sign_in if access is not None else None
    if peer is not None and sign_in is not None and not sign_in.vnc_password:
        try:
            with _at("access"):
                refuse_open_front("access", peer)
        except _MistakeAtError as at:
            problems.append(at.problem)
    peer_keys = peer_label_keys(peer) if peer is not None else frozenset()
    try:
        with _at("labels"):
            _own_labels("labels", fleet.labels, peer_keys)
    except _MistakeAtError as at:
        problems.append(at.problem)
    empty = FleetPlan(fleet.name, (), fleet.access, fleet.labels, fleet.home_size, False, False)
    try:
        with _at("presets"):
            preset_map = check_mapping("presets", o["presets"])
        with _at("users"):
            user_map = check_mapping("users", o["users"])
    except _MistakeAtError as at:
        return empty, [*problems, at.problem]

    presets: dict[str, dict[str, Any]] = {}
    for preset, given in preset_map.items():
        try:
            with _at("presets", str(preset)):
                check_dns_label("presets key", preset)
                presets[str(preset)] = _keywords(
                    given, Scoped(WorkspaceOptions, PRESET_SCOPES), "a preset", peer_keys
                )
        except _MistakeAtError as at:
            problems.append(at.problem)

    people: list[Person] = []
    claims: list[Claims] = []
    names: dict[str, str] = {}
    used: set[str] = set()
    broken: set[str] = set()  # presets whose mistake is reported
    for user, seat in user_map.items():
        try:
            decided = _person(
                fleet, user, seat, preset_map, presets, broken, names, chart_labels, peer
            )
        except _MistakeAtError as at:
            problems.append(at.problem)
            continue
        if decided is not None:
            person, claimed = decided
            used.add(person.preset)
            people.append(person)
            claims.append(claimed)
        elif isinstance(seat, (str, Seat)):
            used.add(seat if isinstance(seat, str) else seat.preset)
    problems += _boundary(people, claims, presets, peer, namespace)
    # A preset nobody uses is still checked, as one person would get it.
    for preset, keywords in presets.items():
        if preset in used or preset in broken:
            continue
        try:
            with _at("presets", preset):
                resolve(
                    fleet.decided("sample", preset, keywords, False, "sample"),
                    default_name="sample",
                    chart_labels=chart_labels,
                )
        except _MistakeAtError as at:
            problems.append(at.problem)
    result = FleetPlan(
        fleet.name,
        tuple(people),
        fleet.access,
        fleet.labels,
        fleet.home_size,
        fleet.namespace,
        fleet.resource_quota,
    )
    return result, problems


def _person(
    fleet: _Fleet,
    user: object,
    given: object,
    preset_map: Mapping[Any, object],
    presets: Mapping[str, Mapping[str, Any]],
    broken: set[str],
    names: dict[str, str],
    chart_labels: Mapping[str, str],
    peer: NetworkPeer | None,
) -> tuple[Person, Claims] | None:
    """One person's desktop and what it claims, a mistake (:class:`_MistakeAtError`), or
    ``None`` when their preset has a mistake of its own (reported once, at the preset)."""
    path = ("users", str(user))
    with _at(*path):
        check_dns_label("users key", user)
        seat = Seat(given) if isinstance(given, str) else given
        if not isinstance(seat, Seat):
            fail("seat", given, "expected a preset name or Seat(preset, stopped, overrides)")
    assert isinstance(user, str)
    with _at(*path, "preset"):
        if seat.preset not in preset_map:
            fail(
                "preset",
                seat.preset,
                f"expected one of the presets {sorted(preset_map)}"
                + did_you_mean(str(seat.preset), tuple(map(str, preset_map))),
            )
    if seat.preset not in presets or seat.preset in broken:
        return None
    with _at(*path, "stopped"):
        _flag("stopped", seat.stopped)
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
    overrides: dict[str, Any] = {}
    if seat.overrides is not None:
        with _at(*path, "overrides"):
            overrides = _keywords(
                seat.overrides,
                Scoped(WorkspaceOptions, OVERRIDE_SCOPES),
                "one person",
                peer_label_keys(peer) if peer is not None else frozenset(),
            )
            _overrides_secrets(overrides)
    preset_keywords = presets[seat.preset]
    keywords = {**preset_keywords, **overrides}
    decided = fleet.decided(user, seat.preset, keywords, seat.stopped, name)
    try:
        settings = resolve(decided, default_name=name, chart_labels=chart_labels)
    except ConfigurationError as error:
        first = _FIRST_NAME.match(error.parameter)
        root = first[0] if first else ""
        if root in overrides:
            raise _MistakeAtError((*path, "overrides"), error) from error
        if root in preset_keywords:
            broken.add(seat.preset)
            raise _MistakeAtError(("presets", seat.preset), error) from error
        raise _MistakeAtError(path, error) from error
    if peer is not None and settings.web_port is not None:
        # The fleet admits its access path, and only it, to each desktop's web port.
        settings = replace(settings, ingress_from=(peer.on(settings.web_port),))
    names[name] = user
    fields = {"user": user, "preset": seat.preset, "fleet": fleet.name}
    access = fleet.access
    host = access.host.format(**fields) if access else None
    tls = access.tls_secret.format(**fields) if access and access.tls_secret else None
    person = Person(
        user,
        seat.preset,
        seat.stopped,
        settings,
        host,
        tls,
        seat.email,
        seat.sub,
        tuple(seat.groups),
    )
    if access is not None and access.sign_in is not None:
        _signs_in(person, access)
    return person, _claims(person, keywords, fleet)


def proxy_name(fleet: str) -> str:
    """The name of a fleet's sign-in proxy (the ingress path's)."""
    return f"{fleet}-sign-in"


def _signs_in(person: Person, access: FleetAccess) -> None:
    """With sign-in, a person is named by their identity, and their desktop's host shares the
    session."""
    sign_in = access.sign_in
    assert sign_in is not None and person.host is not None
    path = ("users", person.user)
    if person.identity(sign_in.claim) is None:
        with _at(*path):
            fail(
                sign_in.claim,
                None,
                f"with sign-in, each person needs their {sign_in.claim} (SignIn(claim="
                f"{sign_in.claim!r})): only the person it names reaches their desktop; in a "
                f"roster, users: {{{person.user}: {{preset: {person.preset}, {sign_in.claim}: "
                "...}}",
            )
    with _at(*path):
        sign_in.check_desktop_host("host", person.host)
        if access.kind == "ingress":
            for group in person.groups:
                check_proxy_group("groups item", group)


def _claims(person: Person, keywords: Mapping[str, Any], fleet: _Fleet) -> Claims:
    """What a person's desktop uses that may belong to someone: the Secrets rendered for them
    (the VNC Secret and every ``{user}`` pattern), their preset's shared Secrets."""
    vnc = person.settings.secret_env.get("VNC_PW")
    own = {vnc.name} if vnc is not None else set()
    shared: set[str] = set()
    fields = {"user": person.user, "preset": person.preset, "fleet": fleet.name}
    for variable, ref in dict(keywords.get("secret_env") or {}).items():
        given = secret_key_ref(f"secret_env[{variable!r}]", ref)
        rendered = given.for_person(**fields).name
        (own if "user" in given.placeholders else shared).add(rendered)
    return Claims(
        person.user,
        frozenset(own),
        frozenset(shared),
        person.settings.service_account_name,
        person.host,
    )


def _boundary(
    people: list[Person],
    claims: list[Claims],
    presets: Mapping[str, Mapping[str, Any]],
    peer: NetworkPeer | None,
    namespace: str | None,
) -> list[Problem]:
    """The mistakes that would let one person reach, borrow or pose as another's desktop."""
    found: list[Problem] = []

    def problem(path: tuple[str, ...], parameter: str, value: object, allowed: str) -> None:
        found.append(Problem(path, ConfigurationError(parameter, value, allowed)))

    hosts: dict[str, str] = {}
    own: dict[str, str] = {}
    for c in claims:
        if c.host is not None:
            if c.host in hosts:
                problem(
                    ("users", c.user),
                    "host",
                    c.host,
                    f"{hosts[c.host]!r} gets this host too (from the access host pattern): one "
                    "person's URL would serve another's desktop; use a pattern that keeps them "
                    "apart, e.g. '{user}.{preset}.desktops.example.com'",
                )
            hosts.setdefault(c.host, c.user)
        for secret in sorted(c.own_secrets):
            if own.setdefault(secret, c.user) != c.user:
                problem(
                    ("users", c.user),
                    "secret_env",
                    secret,
                    f"the Secret {secret!r} is rendered for {own[secret]!r} too: each person's "
                    "Secrets must be their own",
                )
    found += _identities(people)
    by_name = {p.name: p.user for p in people}
    for c in claims:
        for secret in sorted(c.shared_secrets & own.keys()):
            problem(
                ("users", c.user),
                "secret_env",
                secret,
                f"the Secret {secret!r} is {own[secret]!r}'s own: a preset's shared Secret may "
                "not have the name of a person's",
            )
    for preset, keywords in presets.items():
        account = keywords.get("service_account_name")
        if account in by_name:
            problem(
                ("presets", preset),
                "service_account_name",
                account,
                f"that is {by_name[account]!r}'s own ServiceAccount (their desktop makes it): "
                "name a ServiceAccount of the preset's own",
            )
    if peer is not None and namespace is not None:
        desktops = [p.settings.pod_labels for p in people]
        if peer_selects(peer, namespace, desktops):
            problem(
                ("access",),
                "access",
                peer.render(),
                "this peer, admitted to every desktop's web port, would also select the "
                f"desktops in namespace {namespace!r}, so desktops could reach each other: "
                "select the proxies by namespace and pod labels that no desktop carries "
                "(gateway_pods=NetworkPeer.from_pod_labels({...}, namespace=...))",
            )
    return found


def _identities(people: list[Person]) -> list[Problem]:
    """Each identity names one person: a duplicate would let one person into another's
    desktop."""
    found: list[Problem] = []
    for claim in ("email", "sub"):
        seen: dict[str, str] = {}
        for person in people:
            identity = person.identity(claim)
            if identity is None:
                continue
            if identity.lower() in seen:
                error = ConfigurationError(
                    claim,
                    identity,
                    f"{seen[identity.lower()]!r} has this {claim} too: it names one person, "
                    "who would reach both desktops",
                )
                found.append(Problem(("users", person.user), error))
            seen.setdefault(identity.lower(), person.user)
    return found


def quota(fleet: FleetPlan) -> dict[str, str]:
    """The ResourceQuota ``hard`` of a fleet. For each resource, the sum over the running
    desktops of their requests and limits, and ``pods``, their number; for storage, a claim of
    ``home_size`` per person, stopped or not (``persistentvolumeclaims``, ``requests.storage``)."""
    running = [p for p in fleet.people if not p.stopped]
    totals: dict[str, Decimal] = {}
    for person in running:
        for kind, amounts in (
            ("requests", person.settings.requests),
            ("limits", person.settings.limits),
        ):
            for resource, amount in amounts.items():
                if is_extended_resource(resource) and kind == "limits":
                    # a quota takes extended resources as requests. only (their request
                    # equals their limit)
                    continue
                key = f"{kind}.{resource}"
                totals[key] = totals.get(key, Decimal(0)) + parse_quantity(key, amount)
    claims = len(fleet.people)
    totals["requests.storage"] = claims * parse_quantity("home_size", fleet.home_size)
    hard = {
        key: format_quantity(total, binary=key.split(".", 1)[1] in _BYTE_RESOURCES)
        for key, total in sorted(totals.items())
    }
    hard["pods"] = str(len(running))
    hard["persistentvolumeclaims"] = str(claims)
    return hard
