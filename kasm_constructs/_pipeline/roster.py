"""Rosters: a fleet as a YAML file, for :meth:`WorkspaceFleet.from_roster`.

The keys mirror :class:`~kasm_constructs.WorkspaceFleet`'s keywords (``roster.schema.json``
beside this module lets an editor check a roster as it is written)::

    name: desktops
    vnc_secret: "{user}-vnc"
    home_size: 20Gi
    access:
      route: {host: "{user}.desktops.example.com", gateway: public,
              gateway_namespace: gateway-system, ca_config_map: desktops-ca, issuer: desktops-ca}
    presets:
      chrome: {image: "kasmweb/chrome:1.16.0", egress_internet: true}
    users:
      alice: chrome
      bob: {preset: chrome, stopped: true, overrides: {limits: {memory: 6Gi}}}

Every mistake in the file is reported in one :class:`RosterError`, each with the file, the line
and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from kasm_constructs.errors import ConfigurationError, RosterError
from kasm_constructs.options.controllers import IngressController
from kasm_constructs.options.network import NetworkPeer
from kasm_constructs.options.seats import FleetAccess, Problem, Seat, plan
from kasm_constructs.options.secrets import SecretKeyRef

__all__ = ["SCHEMA", "RosterError", "load_roster"]

#: The JSON Schema of a roster.
SCHEMA = Path(__file__).parents[1] / "roster.schema.json"

_FLEET_KEYS = (
    "name",
    "vnc_secret",
    "vnc_secret_key",
    "home_size",
    "home_storage_class",
    "home_per_preset",
    "access",
    "namespace",
    "resource_quota",
    "labels",
    "presets",
    "users",
)
#: Preset keywords that take objects a YAML file cannot write; set them from Python.
_PYTHON_ONLY = (
    "startup_probe",
    "readiness_probe",
    "liveness_probe",
    "image_profile",
    "egress_dns",
    "pod_security_exemptions",
)
_FIRST_NAME = re.compile(r"^[A-Za-z_]+")

Path_ = tuple[str, ...]


class _Lines:
    """A YAML document as Python values, and where each key of it is: path -> line
    (1-based)."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self._loader = yaml.SafeLoader("")

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node)
                self.lines[(*path, str(key))] = key_node.start_mark.line + 1
                result[key] = self.value(value_node, (*path, str(key)))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, str(i))) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        return self._loader.construct_object(node, deep=True)

    def line(self, path: Path_) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def load_roster(path: str | Path) -> dict[str, Any]:
    """The :class:`~kasm_constructs.WorkspaceFleet` keywords in the roster at ``path``;
    :class:`RosterError` with every mistake in it."""
    file = str(path)
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(file, [(1, "file", f"cannot read it: {error}")]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise RosterError(file, [(line, "file", f"not YAML: {error}")]) from error
    lines = _Lines()
    data = lines.value(node, ()) if node is not None else None
    problems: list[tuple[int, str, str]] = []

    def report(where: Path_, field: str, message: str) -> None:
        problems.append((lines.line(where), field, message))

    if not isinstance(data, Mapping):
        raise RosterError(file, [(1, "file", "expected a mapping of fleet settings")])
    for key in data:
        if key not in _FLEET_KEYS:
            report((str(key),), str(key), f"unknown key; expected one of {list(_FLEET_KEYS)}")
    keywords = {key: value for key, value in data.items() if key in _FLEET_KEYS}
    keywords["presets"] = _presets(data.get("presets"), report)
    keywords["users"] = _users(data.get("users"), report)
    if "access" in data:
        keywords["access"] = _access(data["access"], report)
    planned = {k: v for k, v in keywords.items() if k not in ("namespace", "resource_quota")}
    planned["name"] = planned.get("name", Path(path).stem)
    for problem in plan(**planned)[1]:
        report(_path(problem), *_describe(problem))
    if problems:
        raise RosterError(file, problems)
    return keywords


def _path(problem: Problem) -> Path_:
    """Where in the file a mistake is: its path, then the first name of its parameter."""
    first = _FIRST_NAME.match(problem.error.parameter)
    return (*problem.path, first[0]) if first else problem.path


def _describe(problem: Problem) -> tuple[str, str]:
    error = problem.qualified()
    return error.parameter, f"got {error.value!r}; {error.allowed}"


def _presets(given: object, report: Any) -> object:
    if not isinstance(given, Mapping):
        report(("presets",), "presets", "expected a mapping: preset name -> keywords")
        return {}
    presets = {}
    for name, keywords in given.items():
        where = ("presets", str(name))
        if not isinstance(keywords, Mapping):
            report(where, f"presets[{name!r}]", "expected a mapping of HardenedWorkspace keywords")
            continue
        presets[name] = _keywords(where, f"presets[{name!r}]", keywords, report)
    return presets


def _keywords(where: Path_, field: str, keywords: Mapping[str, Any], report: Any) -> dict[str, Any]:
    """A preset's or an override's keywords, with the YAML forms of values made Python's."""
    result = dict(keywords)
    for key in _PYTHON_ONLY:
        if key in result:
            report((*where, key), f"{field}.{key}", "takes Python objects: set it from Python")
            del result[key]
    secrets = result.get("secret_env")
    if isinstance(secrets, Mapping):
        result["secret_env"] = {
            variable: SecretKeyRef(**ref) if isinstance(ref, Mapping) else tuple(ref)
            for variable, ref in secrets.items()
            if _secret(where, f"{field}.secret_env[{variable!r}]", ref, report)
        }
    egress = result.get("egress_to")
    if egress is not None:
        result["egress_to"] = _peers((*where, "egress_to"), f"{field}.egress_to", egress, report)
    return result


def _secret(where: Path_, field: str, ref: object, report: Any) -> bool:
    valid = (isinstance(ref, Mapping) and set(ref) == {"name", "key"}) or (
        isinstance(ref, list) and len(ref) == 2
    )
    if not valid:
        report(where, field, "expected {name: <Secret>, key: <key>}")
        return False
    try:
        if isinstance(ref, Mapping):
            SecretKeyRef(**ref)
        else:
            SecretKeyRef(*list(ref))  # type: ignore[call-overload]
    except ConfigurationError as error:
        report(where, field, str(error))
        return False
    return True


def _peers(where: Path_, field: str, given: object, report: Any) -> list[NetworkPeer]:
    """``egress_to`` entries: ``{cidr: ..., except: [...], ports: [...]}`` or
    ``{namespace: ..., pod_labels: {...}, ports: [...]}``."""
    peers: list[NetworkPeer] = []
    for index, entry in enumerate(given if isinstance(given, list) else [given]):
        try:
            if not isinstance(entry, Mapping) or not set(entry) <= {
                "cidr",
                "except",
                "namespace",
                "pod_labels",
                "ports",
            }:
                raise ConfigurationError(
                    "egress_to item",
                    entry,
                    "expected {cidr, except, ports} or {namespace, pod_labels, ports}",
                )
            if "cidr" in entry:
                peer = NetworkPeer.from_ip_block(entry["cidr"], except_=entry.get("except", []))
            elif "pod_labels" in entry:
                peer = NetworkPeer.from_pod_labels(
                    entry["pod_labels"], namespace=entry.get("namespace")
                )
            else:
                peer = NetworkPeer.from_namespace(entry.get("namespace"))  # type: ignore[arg-type]
            peers.append(peer.on(*entry.get("ports", [])))
        except ConfigurationError as error:
            report((*where, str(index)), f"{field}[{index}]", str(error))
    return peers


def _users(given: object, report: Any) -> object:
    if not isinstance(given, Mapping):
        report(("users",), "users", "expected a mapping: person id -> preset or seat")
        return {}
    users: dict[object, object] = {}
    for user, seat in given.items():
        where = ("users", str(user))
        if isinstance(seat, str):
            users[user] = seat
        elif (
            isinstance(seat, Mapping)
            and set(seat) <= {"preset", "stopped", "overrides"}
            and "preset" in seat
        ):
            overrides = seat.get("overrides")
            if overrides is not None and not isinstance(overrides, Mapping):
                report((*where, "overrides"), f"users[{user!r}].overrides", "expected a mapping")
                continue
            if overrides is not None:
                overrides = _keywords(
                    (*where, "overrides"), f"users[{user!r}].overrides", overrides, report
                )
            users[user] = Seat(seat["preset"], seat.get("stopped", False), overrides)
        else:
            report(
                where, f"users[{user!r}]", "expected a preset name or {preset, stopped, overrides}"
            )
    return users


def _access(given: object, report: Any) -> FleetAccess | None:
    if not isinstance(given, Mapping) or len(given) != 1 or not set(given) <= {"ingress", "route"}:
        report(("access",), "access", "expected {ingress: {...}} or {route: {...}}")
        return None
    ((kind, settings),) = given.items()
    where = ("access", kind)
    if not isinstance(settings, Mapping):
        report(where, f"access.{kind}", "expected a mapping")
        return None
    settings = dict(settings)
    try:
        if kind == "route":
            pods = settings.pop("gateway_pods_namespace", None)
            if pods is not None:
                settings["gateway_pods"] = NetworkPeer.from_namespace(pods)
            return FleetAccess.route(**settings)
        controller = settings.pop("controller", None)
        if controller is not None:
            settings["controller"] = _controller(controller)
        return FleetAccess.ingress(**settings)
    except ConfigurationError as error:
        report((*where, _FIRST_NAME.sub("", error.parameter)), f"access.{kind}", str(error))
    except TypeError as error:
        report(where, f"access.{kind}", str(error).split(") ", 1)[-1])
    return None


def _controller(given: object) -> IngressController:
    if isinstance(given, Mapping) and len(given) == 1:
        ((kind, settings),) = given.items()
        settings = dict(settings or {})
        if kind == "ingress_nginx":
            return IngressController.ingress_nginx(**settings)
        if kind == "generic":
            namespace = settings.get("namespace")
            return IngressController.generic(
                None if namespace is None else NetworkPeer.from_namespace(namespace)
            )
    raise ConfigurationError(
        "controller",
        given,
        "expected {ingress_nginx: {namespace, session_seconds, body_size}} "
        "or {generic: {namespace}}",
    )
