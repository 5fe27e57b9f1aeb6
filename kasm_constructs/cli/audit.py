"""``kasm-constructs audit``: a CI gate that checks manifests against the Pod Security Standards.

Files are read exactly as ``kubectl apply -f`` reads them
(:mod:`kasm_constructs.manifests.kubeyaml`), and
every object that runs a pod is evaluated with :func:`kasm_constructs.policy.pod_security.evaluate`:
Pods, PodTemplates, the built-in controllers, CronJobs, and any other kind with a pod template at
``spec.template`` (or ``spec.jobTemplate.spec.template``). Other kinds that are not built in are
reported as skipped. Exit status: 0 when every pod is allowed, 1 when any is denied, 2 when a file
cannot be read or is malformed (the message names the file and line).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from kasm_constructs._version import __version__
from kasm_constructs.manifests.kinds import KINDS_WITHOUT_PODS
from kasm_constructs.manifests.kubeyaml import (
    OBJECT_META,
    KubeObject,
    ManifestError,
    Shape,
    format_path,
    manifest_files,
    read_file,
    shape_problems,
)
from kasm_constructs.policy.pod_security import (
    CONTAINER_FIELDS,
    GENERIC_POD_TEMPLATE_PATHS,
    LATEST_VERSION,
    LEVELS,
    SUPPORTED_VERSIONS,
    PodSecurityExemption,
    evaluate,
    evaluate_exempted,
    exemptions_from_annotations,
    overriding_check,
    pod_template_path,
)

__all__ = [
    "EXIT_ALLOWED",
    "EXIT_DENIED",
    "EXIT_ERROR",
    "PROG",
    "Finding",
    "ManifestResult",
    "Options",
    "audit_file",
    "audit_object",
    "audit_paths",
    "configure_parser",
    "format_sarif",
    "format_text",
    "run",
]

PROG = "kasm-constructs"
EXIT_ALLOWED = 0
EXIT_DENIED = 1
EXIT_ERROR = 2
OUTPUTS: Final = ("text", "json", "sarif")
#: What a directory is searched for (kubectl apply -f DIR -R reads the same).


# --check-secrets: env variables whose literal value is a credential
CREDENTIAL_ENV_NAMES: Final = frozenset({"VNC_PW"})
CREDENTIAL_ENV_MARKERS: Final = ("PASSWORD", "TOKEN", "SECRET")
PLAINTEXT_CREDENTIAL: Final = "plaintextCredential"

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
    "env": ("list", {"name": "string", "value": "string"}),
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
        help="also deny literal credentials in container env (VNC_PW and names with PASSWORD, "
        "TOKEN or SECRET); values are never printed",
    )
    parser.add_argument(
        "--ignore-exemptions",
        action="store_true",
        help="deny what a pod-security.kasm-constructs.io/<check> exemption annotation accepts "
        "(by default such violations are reported as exempted, with their reason)",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help="JSON or YAML manifest file, directory (searched recursively for *.yaml, *.yml, "
        "*.json) or - for standard input",
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
    """The results for every file in ``paths`` (directories searched); raises ManifestError."""
    return [result for file in manifest_files(paths) for result in audit_file(file, options)]


def audit_file(file: str, options: Options = Options()) -> list[ManifestResult]:
    """The results for every object in ``file`` that runs a pod or is of an unknown kind."""
    results = (audit_object(obj, options) for obj in read_file(file))
    return [result for result in results if result is not None]


def audit_object(obj: KubeObject, options: Options = Options()) -> ManifestResult | None:
    """The verdict for one object; None for a built-in kind that runs no pod."""
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
    exempted: list[tuple[Finding, str]] = []
    exemptions = (
        _exemptions(manifest) if options.exemptions and options.level == "restricted" else {}
    )
    if exemptions:
        violations, accepted = evaluate_exempted(manifest, exemptions, options.version)
        for v in accepted:
            covering = exemptions.get(v.check) or exemptions[overriding_check(v.check) or ""]
            exempted.append(
                (_finding(obj, v.check, v.message, v.field, v.container), covering.reason)
            )
    else:
        violations = evaluate(manifest, options.level, options.version)
    findings = [_finding(obj, v.check, v.message, v.field, v.container) for v in violations]
    if options.check_secrets:
        findings.extend(_credential_findings(obj, path))
    return _replace(result, findings=tuple(findings), exempted=tuple(exempted))


def _exemptions(manifest: Mapping[str, Any]) -> dict[str, PodSecurityExemption]:
    metadata = manifest.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    return exemptions_from_annotations(annotations) if isinstance(annotations, Mapping) else {}


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


def _credential_findings(obj: KubeObject, path: tuple[str, ...]) -> Iterator[Finding]:
    """--check-secrets: a literal env value under a credential's name. Never the value."""
    spec = obj.value
    for key in (*path, "spec"):
        spec = spec.get(key) or {}
    base = format_path((*path, "spec"))
    for kind in CONTAINER_FIELDS:
        for index, container in enumerate(spec.get(kind) or ()):
            name = (container or {}).get("name") or f"{kind}[{index}]"
            for position, entry in enumerate((container or {}).get("env") or ()):
                variable = entry or {}
                env_name = str(variable.get("name") or "")
                if variable.get("value") in (None, "") or not _is_credential(env_name):
                    continue
                yield _finding(
                    obj,
                    PLAINTEXT_CREDENTIAL,
                    f'container "{name}" sets {env_name} to a literal value; '
                    "use valueFrom.secretKeyRef",
                    f"{base}.{kind}[{index}].env[{position}].value",
                    name,
                )


def _is_credential(name: str) -> bool:
    upper = name.upper()
    return upper in CREDENTIAL_ENV_NAMES or any(
        marker in upper for marker in CREDENTIAL_ENV_MARKERS
    )


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
    if rule_id == SKIPPED_RULE:
        text = "A workload of a kind the audit does not know was not judged"
    elif rule_id == PLAINTEXT_CREDENTIAL:
        text = "A credential is written as a literal container env value"
    else:
        text = f'Pod Security "{options.level}" check {rule_id} (policy v{options.version})'
    return {"id": rule_id, "shortDescription": {"text": text}, "helpUri": PSS_HELP}


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
