"""``kasm-constructs audit``: a CI gate that checks manifests against the Pod Security Standards.

Files are read exactly as ``kubectl apply -f`` reads them
(:mod:`kasm_constructs.manifests.kubeyaml`), and
every object that runs a pod is evaluated with :func:`kasm_constructs.policy.pod_security.evaluate`:
Pods, PodTemplates, the built-in controllers, CronJobs, and any other kind with a pod template at
``spec.template`` (or ``spec.jobTemplate.spec.template``). Other kinds that are not built in are
reported as skipped. Exit status: 0 when every pod is allowed, 1 when any is denied, 2 when a file
cannot be read or is malformed (the message names the file and line), when a path holds no
manifest file, or when no path holds an object (kubectl: "no objects passed to apply").

An exemption annotation (``pod-security.kasm-constructs.io/<check>``) means exactly what it means
to the guard: :func:`~kasm_constructs.policy.pod_security.read_exemptions` decides what it
exempts, and :func:`~kasm_constructs.policy.pod_security.evaluate_exempted` what that accepts.
One the library would never write is reported (:data:`INVALID_EXEMPTION`), never honoured.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from kasm_constructs._version import __version__
from kasm_constructs.manifests.kinds import KINDS_WITHOUT_PODS
from kasm_constructs.manifests.kubeyaml import (
    OBJECT_META,
    STDIN,
    KubeObject,
    ManifestError,
    Shape,
    format_path,
    manifest_files,
    read_file,
    shape_problems,
)
from kasm_constructs.options.images import CREDENTIAL_VARIABLES
from kasm_constructs.policy.pod_security import (
    CONTAINER_FIELDS,
    EXEMPTION_ANNOTATION,
    GENERIC_POD_TEMPLATE_PATHS,
    LATEST_VERSION,
    LEVELS,
    SUPPORTED_VERSIONS,
    PodSecurityExemption,
    evaluate,
    evaluate_exempted,
    overriding_check,
    pod_template_path,
    read_exemptions,
)

__all__ = [
    "EXIT_ALLOWED",
    "EXIT_DENIED",
    "EXIT_ERROR",
    "INVALID_EXEMPTION",
    "PLAINTEXT_CREDENTIAL",
    "PROG",
    "ConfigMaps",
    "Finding",
    "ManifestResult",
    "Options",
    "audit_file",
    "audit_object",
    "audit_paths",
    "configure_parser",
    "format_sarif",
    "format_text",
    "read_paths",
    "run",
]

PROG = "kasm-constructs"
EXIT_ALLOWED = 0
EXIT_DENIED = 1
EXIT_ERROR = 2
OUTPUTS: Final = ("text", "json", "sarif")

#: The rule of an exemption annotation the library never writes, which is not honoured.
INVALID_EXEMPTION: Final = "invalidExemption"

# --check-secrets. A name holds a credential when it is one the library knows holds one
# (CREDENTIAL_VARIABLES, kasm_constructs.options.images) or contains one of these markers.
CREDENTIAL_ENV_MARKERS: Final = ("PASSWORD", "TOKEN", "SECRET")
PLAINTEXT_CREDENTIAL: Final = "plaintextCredential"
#: ``NAME=value`` in a command or argument (a shell assignment, ``env NAME=value``, ...).
_ASSIGNMENT: Final = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)
#: ``-name``, ``--name`` or ``--name=value`` in a command or argument.
_FLAG: Final = re.compile(r"(--?[A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?", re.DOTALL)

# The API types of the pod fields the checks read (k8s.io/api/core/v1/types.go): the API server
# refuses a pod whose fields do not decode into them, so the audit refuses the file (exit 2).
_PROFILE: Final[Shape] = {"type": "string", "localhostProfile": "string"}
_HANDLER: Final[Shape] = {"httpGet": {"host": "string"}, "tcpSocket": {"host": "string"}}
_SECURITY_CONTEXT: Final[Mapping[str, Shape]] = {
    "runAsNonRoot": "bool",
    "runAsUser": "int64",
    "runAsGroup": "int64",
    "seccompProfile": _PROFILE,
    "appArmorProfile": _PROFILE,
    "seLinuxOptions": dict.fromkeys(("user", "role", "type", "level"), "string"),
    "windowsOptions": {"hostProcess": "bool", "runAsUserName": "string"},
}
CONTAINER_SHAPE: Final[Shape] = {
    "name": "string",
    "ports": ("list", {"hostPort": "int32", "containerPort": "int32"}),
    "env": (
        "list",
        {
            "name": "string",
            "value": "string",
            "valueFrom": {"configMapKeyRef": {"name": "string", "key": "string"}},
        },
    ),
    "envFrom": ("list", {"prefix": "string", "configMapRef": {"name": "string"}}),
    **dict.fromkeys(("command", "args"), ("list", "string")),
    "securityContext": {
        **_SECURITY_CONTEXT,
        **dict.fromkeys(("privileged", "allowPrivilegeEscalation"), "bool"),
        "procMount": "string",
        "capabilities": dict.fromkeys(("add", "drop"), ("list", "string")),
    },
    **dict.fromkeys(("livenessProbe", "readinessProbe", "startupProbe"), _HANDLER),
    "lifecycle": dict.fromkeys(("postStart", "preStop"), _HANDLER),
}
# core/v1 VolumeSource: every source is an object
VOLUME_SOURCES: Final = (
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "hostPath",
    "image",
    "iscsi",
    "nfs",
    "persistentVolumeClaim",
    "photonPersistentDisk",
    "portworxVolume",
    "projected",
    "quobyte",
    "rbd",
    "scaleIO",
    "secret",
    "storageos",
    "vsphereVolume",
)
POD_TEMPLATE_SHAPE: Final[Shape] = {
    "metadata": OBJECT_META,
    "spec": {
        **dict.fromkeys(("hostNetwork", "hostPID", "hostIPC", "hostUsers"), "bool"),
        "os": {"name": "string"},
        "securityContext": {
            **_SECURITY_CONTEXT,
            "sysctls": ("list", {"name": "string", "value": "string"}),
        },
        "volumes": ("list", {"name": "string", **{source: {} for source in VOLUME_SOURCES}}),
        **dict.fromkeys(CONTAINER_FIELDS, ("list", CONTAINER_SHAPE)),
    },
}

_FIELD_PART: Final = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[([^\]]*)\]")


@dataclass(frozen=True)
class Finding:
    """One violation, with where the offending field is written (1-based line and column)."""

    check: str
    message: str
    field: str
    line: int
    column: int
    container: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "message": self.message,
            "field": self.field,
            "line": self.line,
            "column": self.column,
        }


@dataclass(frozen=True)
class ManifestResult:
    """The verdict for one object: judged (allowed or denied), or skipped with a reason."""

    file: str
    line: int
    kind: str
    name: str | None
    namespace: str | None
    findings: tuple[Finding, ...] = ()
    skipped: str | None = None
    #: Violations an exemption annotation on the object accepts: (finding, its reason).
    exempted: tuple[tuple[Finding, str], ...] = ()

    @property
    def allowed(self) -> bool:
        return self.skipped is None and not self.findings

    @property
    def status(self) -> str:
        if self.skipped is not None:
            return "skipped"
        return "denied" if self.findings else "allowed"

    @property
    def label(self) -> str:
        namespace = f" ({self.namespace})" if self.namespace else ""
        return f"{self.kind}/{self.name or '<unnamed>'}{namespace}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "status": self.status,
            "allowed": None if self.skipped is not None else self.allowed,
            "violations": [finding.to_json() for finding in self.findings],
            "exempted": [{**f.to_json(), "reason": reason} for f, reason in self.exempted],
        }
        if self.skipped is not None:
            data["reason"] = self.skipped
        return data


@dataclass(frozen=True)
class Options:
    """What to check: the level, the policy version and the optional credential check."""

    level: str = "restricted"
    version: str = LATEST_VERSION
    check_secrets: bool = False
    #: Honour the ``pod-security.kasm-constructs.io/`` exemption annotations (restricted only).
    exemptions: bool = True


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the audit options and arguments to ``parser`` and make :func:`run` its handler."""
    parser.add_argument(
        "--level",
        choices=LEVELS,
        default="restricted",
        help="Pod Security Standards level to enforce (default: restricted)",
    )
    parser.add_argument(
        "--version",
        choices=[*SUPPORTED_VERSIONS, "latest"],
        default="latest",
        metavar="1.NN",
        help=f"policy version, {SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]} or latest "
        f"(default: latest, which is {LATEST_VERSION})",
    )
    parser.add_argument(
        "--output", choices=OUTPUTS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "--check-secrets",
        action="store_true",
        help="also deny literal credentials (VNC_PW, VNC_VIEW_ONLY_PW and names with PASSWORD, "
        "TOKEN or SECRET) in container env, in ConfigMaps of the input that envFrom or "
        "configMapKeyRef read, and in command/args; values are never printed",
    )
    parser.add_argument(
        "--ignore-exemptions",
        action="store_true",
        help="deny what a pod-security.kasm-constructs.io/<check> exemption annotation accepts "
        "(by default such violations are reported as exempted, with their reason, and an "
        "annotation the library never writes is reported as invalidExemption)",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help="JSON or YAML manifest file, directory (searched recursively for *.yaml, *.yml, "
        "*.json; one without any is an error) or - for standard input",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Audit ``args.files`` and print the report; return the exit status."""
    version = LATEST_VERSION if args.version == "latest" else str(args.version)
    options = Options(args.level, version, args.check_secrets, not args.ignore_exemptions)
    try:
        results = audit_paths(args.files, options)
    except ManifestError as error:
        print(f"{PROG} audit: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.output == "json":
        print(json.dumps([result.to_json() for result in results], indent=2))
    elif args.output == "sarif":
        print(json.dumps(format_sarif(results, options), indent=2))
    else:
        print(format_text(results, options))
    return EXIT_DENIED if any(result.status == "denied" for result in results) else EXIT_ALLOWED


def audit_paths(paths: Iterable[str], options: Options = Options()) -> list[ManifestResult]:
    """The results for every object read from ``paths`` (see :func:`read_paths`); raises
    ManifestError."""
    return _audit_objects(read_paths(paths), options)


def read_paths(paths: Iterable[str], *, verb: str = "audit") -> list[KubeObject]:
    """Every object in ``paths``, each a file, a directory (searched recursively) or ``-``.

    Raises ManifestError for a file kubectl would not read, for a path that holds no manifest
    file (a directory without a ``.yaml``, ``.yml`` or ``.json`` file: a mistyped path must not
    pass the gate) and, as ``kubectl apply`` does ("no objects passed to apply"), when all of
    them together hold no object (only comments, say). ``verb`` names the command in them.
    """
    paths = list(paths)
    objects: list[KubeObject] = []
    for path in paths:
        files = list(manifest_files([path]))
        if not files:  # only a directory expands to no file
            raise ManifestError(
                f"a directory with no .yaml, .yml or .json file in it (nothing to {verb})", path
            )
        objects += [obj for file in files for obj in read_file(file)]
    if not objects:
        raise ManifestError(
            f"no objects passed to {verb}: only empty documents and comments "
            '(kubectl apply says "no objects passed to apply")',
            ", ".join("<stdin>" if path == STDIN else path for path in paths),
        )
    return objects


def audit_file(file: str, options: Options = Options()) -> list[ManifestResult]:
    """The results for every object in ``file`` that runs a pod or is of an unknown kind."""
    return _audit_objects(read_file(file), options)


def _audit_objects(objects: Sequence[KubeObject], options: Options) -> list[ManifestResult]:
    config_maps = ConfigMaps.of(objects) if options.check_secrets else ConfigMaps()
    results = (audit_object(obj, options, config_maps) for obj in objects)
    return [result for result in results if result is not None]


def audit_object(
    obj: KubeObject, options: Options = Options(), config_maps: ConfigMaps | None = None
) -> ManifestResult | None:
    """The verdict for one object; None for a built-in kind that runs no pod. ``config_maps``:
    those the object's ``envFrom`` and ``configMapKeyRef`` can read (for ``check_secrets``)."""
    manifest = obj.value
    path = pod_template_path(manifest)
    result = ManifestResult(obj.source, obj.line, obj.kind, obj.name, obj.namespace)
    if path is None:
        if _api_group_and_kind(manifest) in KINDS_WITHOUT_PODS:
            return None
        where = " or ".join(
            format_path((*p, "spec", "containers")) for p in GENERIC_POD_TEMPLATE_PATHS
        )
        return _replace(result, skipped=f"not a built-in kind and no pod template at {where}")
    _check_template(obj, path)
    findings: list[Finding] = []
    exempted: list[tuple[Finding, str]] = []
    exemptions: dict[str, PodSecurityExemption] = {}
    if options.exemptions and options.level == "restricted":
        exemptions, refused = _exemptions(obj, path, options.version)
        findings += refused
    if exemptions:
        violations, accepted = evaluate_exempted(manifest, exemptions, options.version)
        for v in accepted:
            covering = exemptions.get(v.check) or exemptions[overriding_check(v.check) or ""]
            exempted.append(
                (_finding(obj, v.check, v.message, v.field, v.container), covering.reason)
            )
    else:
        violations = evaluate(manifest, options.level, options.version)
    findings += [_finding(obj, v.check, v.message, v.field, v.container) for v in violations]
    if options.check_secrets:
        findings.extend(_credential_findings(obj, path, config_maps or ConfigMaps()))
    return _replace(result, findings=tuple(findings), exempted=tuple(exempted))


def _exemptions(
    obj: KubeObject, path: tuple[str, ...], version: str
) -> tuple[dict[str, PodSecurityExemption], list[Finding]]:
    """What the object's exemption annotations exempt, as the guard reads them, and a finding
    for each one the library would never write: refused by ``read_exemptions``, or written on
    a pod template (the library writes them on the workload's own metadata)."""
    exemptions, refused = read_exemptions(_annotations(obj.value, ()), version)
    findings = [
        _finding(
            obj,
            INVALID_EXEMPTION,
            f"annotation {r.key} is not honoured: {r.problem}",
            f"metadata.annotations[{r.key}]",
            None,
        )
        for r in refused
    ]
    if path:
        findings += [
            _finding(
                obj,
                INVALID_EXEMPTION,
                f"annotation {key} is not honoured: exemptions are read from the workload's own "
                "metadata, never from its pod template",
                f"{format_path((*path, 'metadata', 'annotations'))}[{key}]",
                None,
            )
            for key in _annotations(obj.value, path)
            if key.startswith(EXEMPTION_ANNOTATION)
        ]
    return exemptions, findings


def _annotations(manifest: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any]:
    """The annotations of the metadata below ``path`` (``()``: the object's own)."""
    value: Any = manifest
    for key in (*path, "metadata", "annotations"):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _replace(result: ManifestResult, **changes: Any) -> ManifestResult:
    return ManifestResult(**{**result.__dict__, **changes})


def _api_group_and_kind(manifest: Mapping[str, Any]) -> tuple[str, str]:
    api_version = manifest.get("apiVersion")
    group = api_version.rpartition("/")[0] if isinstance(api_version, str) else ""
    return group, str(manifest.get("kind"))


def _check_template(obj: KubeObject, path: tuple[str, ...]) -> None:
    """Refuse a pod template the API server would refuse: fields of the wrong type, or no
    containers (``spec: null`` and ``spec: "hello"`` included)."""
    value: Any = obj.value
    for depth, key in enumerate(path):
        value = value.get(key)
        if value is not None and not isinstance(value, dict):
            raise _malformed(
                obj, path[: depth + 1], "must be an object (the API server rejects it)"
            )
        value = value or {}
    for problem_path, problem in shape_problems(value, POD_TEMPLATE_SHAPE, path):
        raise _malformed(obj, problem_path, f"{problem} (the API server rejects it)")
    spec = value.get("spec") or {}
    if not spec.get("containers"):
        containers = (*path, "spec", "containers")
        raise _malformed(
            obj, containers, "required: the API server rejects a pod without containers"
        )


def _malformed(obj: KubeObject, path: Sequence[str | int], problem: str) -> ManifestError:
    line, column = obj.position(path)
    return ManifestError(
        f"{obj.kind}/{obj.name or '<unnamed>'}: {format_path(path)}: {problem}",
        obj.source,
        line,
        column,
    )


def _finding(
    obj: KubeObject, check: str, message: str, dotted: str, container: str | None
) -> Finding:
    line, column = obj.position(parse_field(dotted))
    return Finding(check, message, dotted, line, column, container)


def parse_field(dotted: str) -> tuple[str | int, ...]:
    """``"spec.containers[0].env"`` -> ``("spec", "containers", 0, "env")``; a bracketed name
    (``annotations[a.b/c]``) is one key."""
    return tuple(
        name or (int(index) if index else key) for name, index, key in _FIELD_PART.findall(dotted)
    )


# ---------------------------------------------------------------------------------------------
# --check-secrets: a credential written where anyone who can read the object can read it
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigMaps:
    """The ConfigMaps of the input, by name: what a container's ``envFrom`` and
    ``configMapKeyRef`` read (in the pod's namespace)."""

    by_name: Mapping[str, tuple[KubeObject, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, objects: Iterable[KubeObject]) -> ConfigMaps:
        found: dict[str, list[KubeObject]] = {}
        for obj in objects:
            if _api_group_and_kind(obj.value) == ("", "ConfigMap") and obj.name is not None:
                found.setdefault(obj.name, []).append(obj)
        return cls({name: tuple(items) for name, items in found.items()})

    def named(self, name: object, namespace: str | None) -> list[KubeObject]:
        """The ConfigMaps a pod in ``namespace`` reads as ``name``. An unset namespace is the
        one ``kubectl apply`` is given, which may be any: it matches every namespace."""
        found = self.by_name.get(name, ()) if isinstance(name, str) else ()
        return [c for c in found if None in (c.namespace, namespace) or c.namespace == namespace]


def _credential_findings(
    obj: KubeObject, path: tuple[str, ...], config_maps: ConfigMaps
) -> Iterator[Finding]:
    """--check-secrets: a credential given as a literal value, in a container's ``env``, in a
    ConfigMap of the input its ``envFrom`` or ``configMapKeyRef`` reads, or in its ``command``
    or ``args``. The value is never shown."""
    spec = _mapping(_lookup(obj.value, (*path, "spec")))
    base = format_path((*path, "spec"))
    for kind in CONTAINER_FIELDS:
        for index, item in enumerate(_list(spec.get(kind))):
            container = _mapping(item)
            where = f"{base}.{kind}[{index}]"
            name = str(container.get("name") or f"{kind}[{index}]")
            who = f'container "{name}"'
            for field_path, message in (
                *_env_credentials(container, where, who),
                *_env_from_credentials(container, where, who, config_maps, obj.namespace),
                *_argument_credentials(container, where, who),
            ):
                yield _finding(obj, PLAINTEXT_CREDENTIAL, message, field_path, name)


def _env_credentials(
    container: Mapping[str, Any], where: str, who: str
) -> Iterator[tuple[str, str]]:
    """``env``: a literal ``value``, or a ``configMapKeyRef`` (a ConfigMap holds plain text)."""
    for position, item in enumerate(_list(container.get("env"))):
        variable = _mapping(item)
        name = str(variable.get("name") or "")
        if not _is_credential(name):
            continue
        at = f"{where}.env[{position}]"
        reference = _mapping(_mapping(variable.get("valueFrom")).get("configMapKeyRef"))
        if variable.get("value") not in (None, ""):
            yield f"{at}.value", f"{who} sets {name} to a literal value; use valueFrom.secretKeyRef"
        elif reference:
            yield (
                f"{at}.valueFrom.configMapKeyRef",
                f'{who} reads {name} from ConfigMap "{reference.get("name")}", which holds it as '
                "plain text; use valueFrom.secretKeyRef",
            )


def _env_from_credentials(
    container: Mapping[str, Any],
    where: str,
    who: str,
    config_maps: ConfigMaps,
    namespace: str | None,
) -> Iterator[tuple[str, str]]:
    """``envFrom.configMapRef``: a credential's name among the ``data`` keys (with the
    ``prefix``) of the ConfigMap, when the input defines it."""
    for position, item in enumerate(_list(container.get("envFrom"))):
        source = _mapping(item)
        name = _mapping(source.get("configMapRef")).get("name")
        prefix = str(source.get("prefix") or "")
        for config_map in config_maps.named(name, namespace):
            for key, value in _mapping(config_map.value.get("data")).items():
                if isinstance(value, str) and value and _is_credential(prefix + key):
                    line, _ = config_map.position(("data", key))
                    yield (
                        f"{where}.envFrom[{position}].configMapRef",
                        f'{who} reads {prefix + key} from ConfigMap "{name}" '
                        f"({config_map.source}:{line}, data.{key}), which holds it as plain "
                        "text; put it in a Secret (envFrom.secretRef or valueFrom.secretKeyRef)",
                    )


def _argument_credentials(
    container: Mapping[str, Any], where: str, who: str
) -> Iterator[tuple[str, str]]:
    """``command`` and ``args``, one argv, split into words as a shell would: ``NAME=value``
    for a credential's name, and ``-flag=value`` or ``-flag value`` for a flag named after one
    (its name ends in a marker, or is a credential variable's). A value that starts with ``$``
    (``$(VNC_PW)``, ``$VNC_PW``) is a reference, not a literal."""
    words = [
        (f"{where}.{field_name}[{index}]", word)
        for field_name in ("command", "args")
        for index, item in enumerate(_list(container.get(field_name)))
        if isinstance(item, str)
        for word in _words(item)
    ]
    for position, (at, word) in enumerate(words):
        assignment = _ASSIGNMENT.fullmatch(word)
        flag = _FLAG.fullmatch(word)
        if assignment and _is_credential(assignment[1]) and _is_literal(assignment[2]):
            yield at, f"{who} assigns {assignment[1]} a literal value in {_argv(at)}; {_USE_SECRET}"
        elif flag and _is_credential_flag(flag[1]):
            value_at, value = (at, flag[2]) if flag[2] is not None else _next_word(words, position)
            if _is_literal(value):
                yield (
                    value_at,
                    (f"{who} gives {flag[1]} a literal value in {_argv(value_at)}; {_USE_SECRET}"),
                )


_USE_SECRET: Final = (
    'read it from a Secret: an env variable with valueFrom.secretKeyRef, passed as "$(NAME)"'
)


def _words(text: str) -> list[str]:
    """``text`` split into words as a POSIX shell would (unbalanced quotes: at white space)."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _next_word(words: Sequence[tuple[str, str]], position: int) -> tuple[str, str | None]:
    """The word after ``position`` as a flag's value, unless it is another flag."""
    if position + 1 < len(words) and not words[position + 1][1].startswith("-"):
        return words[position + 1]
    return "", None


def _argv(at: str) -> str:
    """``...containers[0].args[2]`` -> ``args[2]``."""
    return at.rpartition(".")[2]


def _is_literal(value: str | None) -> bool:
    return bool(value) and not str(value).startswith("$")


def _is_credential(name: str) -> bool:
    """A variable that holds a credential: one the library knows, or a name with a marker."""
    upper = name.upper()
    return upper in CREDENTIAL_VARIABLES or any(
        marker in upper for marker in CREDENTIAL_ENV_MARKERS
    )


def _is_credential_flag(flag: str) -> bool:
    """A flag that takes a credential: named after a credential variable (``--vnc-pw``), or
    ending in a marker (``-password``, ``--auth-token``; not ``--password-file``)."""
    name = flag.lstrip("-").upper().replace("-", "_")
    return name in CREDENTIAL_VARIABLES or name.endswith(CREDENTIAL_ENV_MARKERS)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _lookup(value: Mapping[str, Any], keys: Iterable[str]) -> object:
    found: object = value
    for key in keys:
        found = _mapping(found).get(key)
    return found


def format_text(results: Sequence[ManifestResult], options: Options = Options()) -> str:
    """The human-readable report: a line per object, its violations, then a summary."""
    lines: list[str] = []
    for result in results:
        where = f"{result.file}:{result.line}"
        if result.skipped is not None:
            lines.append(f"SKIPPED {where} {result.label}: {result.skipped}")
            continue
        lines.append(f"{result.status.upper()} {where} {result.label}")
        lines.extend(
            f"  - {result.file}:{f.line}:{f.column} {f.check} at {f.field}: {f.message}"
            for f in result.findings
        )
        lines.extend(
            f"  - exempted: {result.file}:{f.line}:{f.column} {f.check} at {f.field}: "
            f"{f.message} (reason: {reason})"
            for f, reason in result.exempted
        )
    judged = [result for result in results if result.skipped is None]
    denied = sum(result.status == "denied" for result in judged)
    objects = "object" if len(judged) == 1 else "objects"
    summary = (
        f'{len(judged)} pod-bearing {objects} checked against Pod Security "{options.level}" '
        f"(v{options.version}): {len(judged) - denied} allowed, {denied} denied"
    )
    skipped = len(results) - len(judged)
    lines.append(summary + (f"; {skipped} skipped (not judged)" if skipped else ""))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run, a rule per check.
# ---------------------------------------------------------------------------------------------

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
SKIPPED_RULE: Final = "unjudgedWorkload"
PSS_HELP: Final = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
AUDIT_HELP: Final = "https://github.com/kasm-constructs/kasm-constructs/blob/main/docs/audit.md"


def format_sarif(results: Sequence[ManifestResult], options: Options = Options()) -> dict[str, Any]:
    """The results as a SARIF 2.1.0 log: an error per violation, a warning per skipped object."""
    entries: list[dict[str, Any]] = []
    for result in results:
        if result.skipped is not None:
            entries.append(
                _sarif_result(
                    SKIPPED_RULE,
                    "warning",
                    f"{result.label}: {result.skipped}",
                    result.file,
                    result.line,
                    1,
                )
            )
        entries.extend(_sarif_violation(result, f) for f in result.findings)
        # An exempted violation is a result suppressed in the source, with its justification.
        entries.extend(
            {
                **_sarif_violation(result, f),
                "suppressions": [{"kind": "inSource", "justification": reason}],
            }
            for f, reason in result.exempted
        )
    rule_ids = sorted({entry["ruleId"] for entry in entries})
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": PROG,
                        "version": __version__,
                        "informationUri": "https://github.com/kasm-constructs/kasm-constructs",
                        "rules": [_sarif_rule(rule_id, options) for rule_id in rule_ids],
                    }
                },
                "results": [
                    {**entry, "ruleIndex": rule_ids.index(entry["ruleId"])} for entry in entries
                ],
            }
        ],
    }


def _sarif_rule(rule_id: str, options: Options) -> dict[str, Any]:
    help_uri = AUDIT_HELP
    if rule_id == SKIPPED_RULE:
        text = "A workload of a kind the audit does not know was not judged"
    elif rule_id == PLAINTEXT_CREDENTIAL:
        text = (
            "A credential is written as a literal value: in a container's env or command/args, "
            "or in a ConfigMap it reads"
        )
    elif rule_id == INVALID_EXEMPTION:
        text = "An exemption annotation the library never writes: it is not honoured"
    else:
        text = f'Pod Security "{options.level}" check {rule_id} (policy v{options.version})'
        help_uri = PSS_HELP
    return {"id": rule_id, "shortDescription": {"text": text}, "helpUri": help_uri}


def _sarif_violation(result: ManifestResult, finding: Finding) -> dict[str, Any]:
    message = f"{result.label}: {finding.message} ({finding.field})"
    return _sarif_result(finding.check, "error", message, result.file, finding.line, finding.column)


def _sarif_result(
    rule_id: str, level: str, message: str, file: str, line: int, column: int
) -> dict[str, Any]:
    return {
        "ruleId": rule_id,
        "level": level,
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(file)},
                    "region": {"startLine": line, "startColumn": column},
                }
            }
        ],
    }


def _uri(file: str) -> str:
    """A relative path as a URI reference; an absolute one as a file: URI."""
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix())
