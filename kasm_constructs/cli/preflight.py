"""``kasm-constructs preflight``: what synthesized manifests expect the cluster to have.

Reads the YAML and JSON files under the given directories (recursively, in sorted order) or the
given files, and lists what must exist in the cluster before the objects can run: namespaces,
Secrets and their keys, ConfigMaps, StorageClasses, IngressClasses, Gateways, existing claims,
ServiceAccounts, and the API groups beyond built-in Kubernetes (CustomResourceDefinitions and the
controllers behind them). Whatever the output defines itself is left out, and so is what every
cluster has (the ``default`` ServiceAccount, ``kube-root-ca.crt``, the ``kube-*`` namespaces).

Only the files are read: no cluster is contacted, so nothing here says what a cluster already has.
Exit status: 0 with the listing (a listing is not a failure), 2 when the input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from kasm_constructs.manifests.grammar import is_extended_resource
from kasm_constructs.manifests.kinds import BUILTIN_GROUPS, CLUSTER_SCOPED_KINDS
from kasm_constructs.manifests.kubeyaml import ManifestError, manifest_files, read_file
from kasm_constructs.policy.pod_security import CONTAINER_FIELDS, POD_TEMPLATE_PATHS

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "PROG",
    "PreflightError",
    "Report",
    "Requirement",
    "Use",
    "configure_parser",
    "format_text",
    "preflight",
    "run",
]

PROG: Final = "kasm-constructs preflight"
EXIT_OK: Final = 0
EXIT_ERROR: Final = 2

# What every cluster has without being asked.
BUILTIN_OBJECTS: Final = frozenset(
    {
        ("Namespace", "default"),
        ("Namespace", "kube-node-lease"),
        ("Namespace", "kube-public"),
        ("Namespace", "kube-system"),
        ("ServiceAccount", "default"),
        ("ConfigMap", "kube-root-ca.crt"),
        ("PriorityClass", "system-cluster-critical"),
        ("PriorityClass", "system-node-critical"),
    }
)
# How a cluster marks its default StorageClass and IngressClass.
DEFAULT_CLASS_ANNOTATIONS: Final = {
    "StorageClass": "storageclass.kubernetes.io/is-default-class",
    "IngressClass": "ingressclass.kubernetes.io/is-default-class",
}
NAMESPACE_NAME_LABEL: Final = "kubernetes.io/metadata.name"
GATEWAY_GROUP: Final = "gateway.networking.k8s.io"
ROUTE_KINDS: Final = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})
CERT_MANAGER_GROUP: Final = "cert-manager.io"
ENVOY_GATEWAY_GROUP: Final = "gateway.envoyproxy.io"
#: Where docs/cluster.md tells how to provide a requirement: by kind, or by (kind, name).
GUIDE: Final = "docs/cluster.md"
GUIDE_SECTIONS: Final[Mapping[str | tuple[str, str], str]] = {
    ("APIGroup", "gateway.networking.k8s.io"): "gateway-api",
    ("APIGroup", "gateway.envoyproxy.io"): "envoy-gateway",
    ("APIGroup", "cert-manager.io"): "cert-manager-the-ca-issuer-and-the-trust-bundle",
    ("APIGroup", "keda.sh"): "keda-for-schedules",
    ("Namespace", "envoy-gateway-system"): "envoy-gateway",
    ("Namespace", "ingress-nginx"): "ingress-nginx",
    "Gateway": "the-gateway-and-its-listener",
    "GatewayClass": "gateway-api",
    "Issuer": "cert-manager-the-ca-issuer-and-the-trust-bundle",
    "ClusterIssuer": "cert-manager-the-ca-issuer-and-the-trust-bundle",
    "IngressClass": "ingress-nginx",
    "StorageClass": "storage",
    "Secret": "secrets",
    "ConfigMap": "cert-manager-the-ca-issuer-and-the-trust-bundle",
    ("RuntimeClass", "nvidia"): "gpus",
    "ExtendedResource": "gpus",
}
#: The controller an API group needs, where the output depends on its version.
CONTROLLERS: Final = {
    "keda.sh": (
        "KEDA v2.20 or later: its cron scaler starts and stops the desktops on their schedule"
    ),
    ENVOY_GATEWAY_GROUP: (
        "Envoy Gateway v1.9 or later: a route's SecurityPolicy merges over its listener's "
        "(mergeType, v1.8) and the sign-in forwards the ID token (forwardIDToken, v1.9); "
        "v1.9 wants the Gateway API v1.6 CRDs (docs/sign-in.md)"
    ),
}
# cert-manager's ingress-shim and gateway-shim: these annotations make it issue the TLS Secrets.
CERT_MANAGER_ANNOTATIONS: Final = {
    "cert-manager.io/issuer": "Issuer",
    "cert-manager.io/cluster-issuer": "ClusterIssuer",
}
# The namespace in which cert-manager reads a ClusterIssuer's Secrets, unless it was installed
# with --cluster-resource-namespace.
CERT_MANAGER_NAMESPACE: Final = "cert-manager"
TLS_KEYS: Final = ("tls.crt", "tls.key")
TLS_NOTE: Final = "type kubernetes.io/tls"
# Section order of the text report; other kinds follow in alphabetical order.
ORDER: Final = (
    "Namespace",
    "APIGroup",
    "Secret",
    "ConfigMap",
    "ServiceAccount",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "IngressClass",
    "GatewayClass",
    "Gateway",
    "Service",
    "Issuer",
    "ClusterIssuer",
    "PriorityClass",
    "RuntimeClass",
    "ExtendedResource",
)
HEADINGS: Final = {
    "APIGroup": "API groups beyond built-in Kubernetes (their CRDs and controllers)",
    "Namespace": "Namespaces",
    "Secret": "Secrets",
    "ConfigMap": "ConfigMaps",
    "ServiceAccount": "ServiceAccounts",
    "PersistentVolumeClaim": "PersistentVolumeClaims (existing claims)",
    "PersistentVolume": "PersistentVolumes",
    "StorageClass": "StorageClasses",
    "IngressClass": "IngressClasses",
    "GatewayClass": "GatewayClasses",
    "Gateway": "Gateways",
    "Service": "Services",
    "Issuer": "Issuers (cert-manager)",
    "ClusterIssuer": "ClusterIssuers (cert-manager)",
    "PriorityClass": "PriorityClasses",
    "RuntimeClass": "RuntimeClasses",
    "ExtendedResource": "Extended resources (a device plugin advertising them on some node)",
}
# What an unnamed requirement stands for.
UNNAMED: Final = {
    "Namespace": "(not set)",
    "StorageClass": "(cluster default)",
    "IngressClass": "(cluster default)",
    "PersistentVolume": "(pre-provisioned)",
}
NAMESPACE_FIELD: Final = "metadata.namespace"
API_VERSION_FIELD: Final = "apiVersion"
# Uses that only say an object is there: the text report gives them one line per requirement.
MEMBERSHIP_FIELDS: Final = (NAMESPACE_FIELD, API_VERSION_FIELD)
MEMBERS_SHOWN: Final = 3


class PreflightError(Exception):
    """Input that cannot be read; the message names the file (and line) and what is wrong."""


@dataclass(frozen=True)
class Use:
    """Where an object of the output refers to a requirement."""

    file: str
    line: int
    kind: str
    namespace: str | None
    name: str | None
    field: str
    optional: bool = False

    @property
    def object(self) -> str:
        return f"{self.kind} {_qualified(self.namespace, self.name or '<unnamed>')}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Requirement:
    """Something the cluster must have: an object (``kind``, ``namespace``, ``name``), the
    cluster's default of a class (``name`` None), namespaces matching ``selector``, or, for
    ``kind`` "APIGroup", the API group ``name`` serving ``kinds``."""

    kind: str
    name: str | None
    namespace: str | None = None
    selector: str | None = None
    keys: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    used_by: list[Use] = field(default_factory=list)

    @property
    def optional(self) -> bool:
        """Whether every reference to it may be missing (``optional: true``)."""
        return all(use.optional for use in self.used_by)

    @property
    def guide(self) -> str | None:
        """The section of docs/cluster.md that says how to provide it, if one does."""
        section = GUIDE_SECTIONS.get((self.kind, self.name or "")) or GUIDE_SECTIONS.get(self.kind)
        return f"{GUIDE}#{section}" if section else None

    @property
    def label(self) -> str:
        if self.name is None:
            return f"labels {self.selector}" if self.selector else UNNAMED.get(self.kind, "")
        return _qualified(self.namespace, self.name)

    def sort_key(self) -> tuple[int, str, str, str]:
        rank = ORDER.index(self.kind) if self.kind in ORDER else len(ORDER)
        return (rank, self.kind, self.namespace or "", self.label)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
            "selector": self.selector,
            "keys": sorted(self.keys),
            "kinds": sorted(self.kinds),
            "optional": self.optional,
            "notes": sorted(self.notes),
            "guide": self.guide,
            "used_by": [use.to_json() for use in self.used_by],
        }


@dataclass(frozen=True)
class Report:
    """The files read, how many objects they hold, and what the cluster must have."""

    files: tuple[str, ...]
    objects: int
    requirements: tuple[Requirement, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "files": list(self.files),
            "objects": self.objects,
            "requirements": [requirement.to_json() for requirement in self.requirements],
        }


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add the preflight options and arguments to ``parser`` and make :func:`run` its handler."""
    parser.add_argument(
        "--output", choices=("text", "json"), default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="directory of synthesized output (its .yaml, .yml and .json files, recursively) "
        "or a manifest file",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read ``args.paths``, print what the cluster must have; return the exit status."""
    try:
        report = preflight(args.paths)
    except PreflightError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.output == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(format_text(report))
    return EXIT_OK


def preflight(paths: Sequence[str]) -> Report:
    """What the manifests under ``paths`` need from the cluster; PreflightError if unreadable."""
    files = [file for path in paths for file in _manifest_files(path)]
    objects = [obj for file in files for obj in _read_objects(file)]
    return Report(
        files=tuple(files),
        objects=len(objects),
        requirements=tuple(_Scan(objects).requirements()),
    )


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Object:
    """One Kubernetes object of the output, where it was read."""

    file: str
    line: int
    body: Mapping[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body["kind"])

    @property
    def group(self) -> str:
        api_version = _text(self.body.get("apiVersion")) or ""
        return api_version.rpartition("/")[0]

    @property
    def metadata(self) -> Mapping[str, Any]:
        return _map(self.body.get("metadata"))

    @property
    def name(self) -> str | None:
        return _text(self.metadata.get("name"))

    @property
    def namespace(self) -> str | None:
        """The namespace it is created in: None if cluster-scoped or not set."""
        return _text(self.metadata.get("namespace"))

    def use(self, path: str, *, optional: bool = False) -> Use:
        return Use(self.file, self.line, self.kind, self.namespace, self.name, path, optional)


def _manifest_files(path: str) -> list[str]:
    if not Path(path).exists():
        raise PreflightError(f"{path}: no such file or directory (give a directory or a file)")
    found = list(manifest_files([path]))
    if not found:
        raise PreflightError(f"{path}: no .yaml, .yml or .json files in this directory")
    return found


def _read_objects(file: str) -> list[_Object]:
    """The objects of a file, read exactly as kubectl reads it (``Lists`` unpacked)."""
    try:
        return [_Object(obj.source, obj.line, obj.value) for obj in read_file(file)]
    except ManifestError as error:
        raise PreflightError(str(error)) from error


# ---------------------------------------------------------------------------------------------
# What the objects refer to, and what they define
# ---------------------------------------------------------------------------------------------


class _Scan:
    """Collects the references of ``objects`` and leaves out what they define."""

    def __init__(self, objects: Sequence[_Object]) -> None:
        self.objects = objects
        # (kind, namespace, name) -> the keys it holds (None: any key)
        self.defined: dict[tuple[str, str | None, str], frozenset[str] | None] = {}
        self.namespace_labels: dict[str, dict[str, str]] = {}
        self.crd_kinds: set[tuple[str, str]] = set()
        self.cluster_scoped = set(CLUSTER_SCOPED_KINDS)
        self.needs: dict[tuple[str, str | None, str | None, str | None], Requirement] = {}
        # selector text -> (matchLabels, matchExpressions) of NetworkPolicy namespace selectors
        self.selectors: dict[str, tuple[dict[str, str], list[Mapping[str, Any]]]] = {}
        for obj in objects:
            if obj.kind == "CustomResourceDefinition":
                self._define_crd(obj.body)
        for obj in objects:
            self._define(obj)

    # -- what the output defines ---------------------------------------------------------------

    def _define(self, obj: _Object) -> None:
        body, kind, name = obj.body, obj.kind, obj.name
        if name is None:
            return
        namespace = None if kind in self.cluster_scoped else obj.namespace
        keys = None
        if kind in {"Secret", "ConfigMap"}:
            sections = ("data", "stringData") if kind == "Secret" else ("data", "binaryData")
            keys = frozenset(str(key) for section in sections for key in _map(body.get(section)))
        self.defined[kind, namespace, name] = keys
        if kind == "Namespace":
            labels = {str(k): str(v) for k, v in _map(obj.metadata.get("labels")).items()}
            self.namespace_labels[name] = {**labels, NAMESPACE_NAME_LABEL: name}
        elif kind == "Certificate" and obj.group == CERT_MANAGER_GROUP:
            secret = _text(_map(body.get("spec")).get("secretName"))
            if secret:
                self.defined["Secret", obj.namespace, secret] = None  # cert-manager writes it

    def _define_crd(self, body: Mapping[str, Any]) -> None:
        spec = _map(body.get("spec"))
        kind = _text(_map(spec.get("names")).get("kind"))
        group = _text(spec.get("group"))
        if kind and group:
            self.crd_kinds.add((group, kind))
            if spec.get("scope") == "Cluster":
                self.cluster_scoped.add(kind)

    # -- references ------------------------------------------------------------------------------

    def need(
        self,
        kind: str,
        name: str | None,
        namespace: str | None,
        use: Use,
        *,
        keys: Iterable[str] = (),
        note: str | None = None,
        selector: str | None = None,
        kinds: Iterable[str] = (),
    ) -> None:
        """Record that ``use`` needs the object ``kind``/``namespace``/``name``."""
        if kind in self.cluster_scoped or kind == "APIGroup":
            namespace = None
        key = (kind, namespace, name, selector)
        requirement = self.needs.setdefault(
            key, Requirement(kind=kind, name=name, namespace=namespace, selector=selector)
        )
        requirement.keys.update(keys)
        requirement.kinds.update(kinds)
        if note:
            requirement.notes.add(note)
        if use not in requirement.used_by:
            requirement.used_by.append(use)

    def need_reference(
        self, ref: Mapping[str, Any], obj: _Object, path: str, default_kind: str, default_group: str
    ) -> None:
        """A Gateway API style reference: ``{group, kind, name, namespace}`` with defaults."""
        name = _text(ref.get("name"))
        if name is None:
            return
        kind = _text(ref.get("kind")) or default_kind
        group = _text(ref.get("group"))
        group = default_group if group is None else group
        namespace = _text(ref.get("namespace")) or obj.namespace
        note = None
        if namespace != obj.namespace and kind == "Gateway":
            note = f"in another namespace: its listeners must allow routes from {obj.namespace}"
        elif namespace != obj.namespace:
            note = f"in another namespace: needs a ReferenceGrant in {namespace}"
        keys: tuple[str, ...] = TLS_KEYS if kind == "Secret" else ()
        if kind == "ConfigMap" and "caCertificateRefs" in path:
            keys = ("ca.crt",)
        self.need(kind, name, namespace, obj.use(path), keys=keys, note=note)
        self.need_group(group, kind, obj.use(path))

    def need_group(self, group: str, kind: str, use: Use, api_version: str | None = None) -> None:
        """Record that ``use`` needs ``kind`` of API group ``group``, unless Kubernetes has it
        built in or the output defines its CustomResourceDefinition."""
        if group not in BUILTIN_GROUPS and (group, kind) not in self.crd_kinds:
            note = f"serves {api_version}" if api_version else None
            self.need("APIGroup", group, None, use, kinds=[kind], note=note)
            if group in CONTROLLERS:
                self.need("APIGroup", group, None, use, note=CONTROLLERS[group])

    def requirements(self) -> list[Requirement]:
        for obj in self.objects:
            self._scan(obj)
        kept = [requirement for requirement in self.needs.values() if self._external(requirement)]
        return sorted(kept, key=Requirement.sort_key)

    def _scan(self, obj: _Object) -> None:
        kind = obj.kind
        api_version = _text(obj.body.get("apiVersion"))
        self.need_group(obj.group, kind, obj.use(API_VERSION_FIELD), api_version)
        if kind not in self.cluster_scoped:
            self.need("Namespace", obj.namespace, None, obj.use(NAMESPACE_FIELD))
        spec = _map(obj.body.get("spec"))
        if kind in POD_TEMPLATE_PATHS:
            self._pod(obj)
        if kind == "StatefulSet":
            for index, template in enumerate(_seq(spec.get("volumeClaimTemplates"))):
                name = _text(_map(_map(template).get("metadata")).get("name")) or str(index)
                self._storage_class(
                    obj, _map(template).get("spec"), f"spec.volumeClaimTemplates[{name}].spec"
                )
        scanner = {
            "PersistentVolumeClaim": self._claim,
            "ServiceAccount": self._service_account,
            "Ingress": self._ingress,
            "NetworkPolicy": self._network_policy,
        }.get(kind)
        if scanner is not None:
            scanner(obj, spec)
        if obj.group == GATEWAY_GROUP:
            self._gateway_api(obj, spec)
        if obj.group == CERT_MANAGER_GROUP:
            self._cert_manager(obj, spec)
        if obj.group == ENVOY_GATEWAY_GROUP:
            self._envoy_gateway(obj, spec)

    # -- pods --------------------------------------------------------------------------------

    def _pod(self, obj: _Object) -> None:
        prefix = POD_TEMPLATE_PATHS[obj.kind]
        template: Mapping[str, Any] = obj.body
        for key in prefix:
            template = _map(template.get(key))
        spec = _map(template.get("spec"))
        base = "".join(f"{key}." for key in prefix) + "spec"
        for container_field in CONTAINER_FIELDS:
            for index, item in enumerate(_seq(spec.get(container_field))):
                container = _map(item)
                name = _text(container.get("name")) or str(index)
                self._container(obj, container, f"{base}.{container_field}[{name}]")
        for index, item in enumerate(_seq(spec.get("volumes"))):
            volume = _map(item)
            name = _text(volume.get("name")) or str(index)
            self._volume(obj, volume, f"{base}.volumes[{name}]")
        for index, secret in enumerate(_seq(spec.get("imagePullSecrets"))):
            self._pull_secret(obj, secret, f"{base}.imagePullSecrets[{index}]")
        account = _text(spec.get("serviceAccountName")) or _text(spec.get("serviceAccount"))
        if account:
            path = "serviceAccountName" if spec.get("serviceAccountName") else "serviceAccount"
            self.need("ServiceAccount", account, obj.namespace, obj.use(f"{base}.{path}"))
        for key, kind in (
            ("priorityClassName", "PriorityClass"),
            ("runtimeClassName", "RuntimeClass"),
        ):
            class_name = _text(spec.get(key))
            if class_name:
                self.need(kind, class_name, None, obj.use(f"{base}.{key}"))

    def _container(self, obj: _Object, container: Mapping[str, Any], path: str) -> None:
        for index, item in enumerate(_seq(container.get("env"))):
            variable = _map(item)
            source = _map(variable.get("valueFrom"))
            name = _text(variable.get("name")) or str(index)
            for ref_key, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                ref = _map(source.get(ref_key))
                self._keyed(
                    obj, kind, ref, [ref.get("key")], f"{path}.env[{name}].valueFrom.{ref_key}"
                )
        resources = _map(container.get("resources"))
        for kind in ("limits", "requests"):
            for resource in _map(resources.get(kind)):
                if is_extended_resource(resource):
                    use = obj.use(f"{path}.resources.{kind}[{resource}]")
                    self.need("ExtendedResource", str(resource), None, use)
        for index, item in enumerate(_seq(container.get("envFrom"))):
            source = _map(item)
            for ref_key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                self._keyed(
                    obj, kind, _map(source.get(ref_key)), [], f"{path}.envFrom[{index}].{ref_key}"
                )

    def _volume(self, obj: _Object, volume: Mapping[str, Any], path: str) -> None:
        secret = _map(volume.get("secret"))
        if secret:
            self._keyed(
                obj,
                "Secret",
                {**secret, "name": secret.get("secretName")},
                _item_keys(secret),
                f"{path}.secret",
            )
        config_map = _map(volume.get("configMap"))
        if config_map:
            self._keyed(obj, "ConfigMap", config_map, _item_keys(config_map), f"{path}.configMap")
        for index, item in enumerate(_seq(_map(volume.get("projected")).get("sources"))):
            source = _map(item)
            for source_key, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                ref = _map(source.get(source_key))
                if ref:
                    self._keyed(
                        obj,
                        kind,
                        ref,
                        _item_keys(ref),
                        f"{path}.projected.sources[{index}].{source_key}",
                    )
        claim = _text(_map(volume.get("persistentVolumeClaim")).get("claimName"))
        if claim:
            self.need(
                "PersistentVolumeClaim",
                claim,
                obj.namespace,
                obj.use(f"{path}.persistentVolumeClaim.claimName"),
            )
        ephemeral = _map(_map(volume.get("ephemeral")).get("volumeClaimTemplate"))
        if ephemeral:
            self._storage_class(
                obj, ephemeral.get("spec"), f"{path}.ephemeral.volumeClaimTemplate.spec"
            )

    def _keyed(
        self, obj: _Object, kind: str, ref: Mapping[str, Any], keys: Iterable[Any], path: str
    ) -> None:
        """A reference to a Secret or ConfigMap by ``name``, to ``keys`` of it (none: all)."""
        name = _text(ref.get("name"))
        if name is None:
            return
        use = obj.use(path, optional=ref.get("optional") is True)
        self.need(kind, name, obj.namespace, use, keys=[str(key) for key in keys if _text(key)])

    def _pull_secret(self, obj: _Object, ref: object, path: str) -> None:
        name = _text(_map(ref).get("name"))
        if name:
            self.need(
                "Secret",
                name,
                obj.namespace,
                obj.use(f"{path}.name"),
                keys=[".dockerconfigjson"],
                note="type kubernetes.io/dockerconfigjson",
            )

    def _storage_class(self, obj: _Object, spec: object, path: str) -> None:
        """A claim (template) ``spec``: its StorageClass, or the cluster's default one."""
        spec = _map(spec)
        name = spec.get("storageClassName")
        use = obj.use(f"{path}.storageClassName")
        if name is None:
            self.need("StorageClass", None, None, use, note=_default_class_note("StorageClass"))
        elif name == "":
            note = 'storageClassName "": binds an existing PersistentVolume without a class'
            self.need("PersistentVolume", _text(spec.get("volumeName")), None, use, note=note)
        elif _text(name):
            self.need("StorageClass", str(name), None, use)

    # -- other kinds --------------------------------------------------------------------------

    def _claim(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        self._storage_class(obj, spec, "spec")
        volume = _text(spec.get("volumeName"))
        if volume and spec.get("storageClassName") != "":
            self.need("PersistentVolume", volume, None, obj.use("spec.volumeName"))

    def _service_account(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        for index, secret in enumerate(_seq(obj.body.get("imagePullSecrets"))):
            self._pull_secret(obj, secret, f"imagePullSecrets[{index}]")

    def _ingress(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        class_name = _text(spec.get("ingressClassName"))
        annotations = _map(obj.metadata.get("annotations"))
        legacy = _text(annotations.get("kubernetes.io/ingress.class"))
        if class_name:
            self.need("IngressClass", class_name, None, obj.use("spec.ingressClassName"))
        elif legacy:
            note = "named by the deprecated annotation kubernetes.io/ingress.class"
            use = obj.use("metadata.annotations[kubernetes.io/ingress.class]")
            self.need("IngressClass", legacy, None, use, note=note)
        else:
            note = _default_class_note("IngressClass")
            self.need("IngressClass", None, None, obj.use("spec.ingressClassName"), note=note)
        issued = self._cert_manager_shim(obj)
        for index, tls in enumerate(_seq(spec.get("tls"))):
            secret = _text(_map(tls).get("secretName"))
            if secret and not issued:
                use = obj.use(f"spec.tls[{index}].secretName")
                self.need("Secret", secret, obj.namespace, use, keys=TLS_KEYS, note=TLS_NOTE)
        backends = [("spec.defaultBackend", spec.get("defaultBackend"))]
        for index, rule in enumerate(_seq(spec.get("rules"))):
            for path_index, path in enumerate(_seq(_map(_map(rule).get("http")).get("paths"))):
                backends.append(
                    (
                        f"spec.rules[{index}].http.paths[{path_index}].backend",
                        _map(path).get("backend"),
                    )
                )
        for path, backend in backends:
            service = _text(_map(_map(backend).get("service")).get("name"))
            if service:
                self.need("Service", service, obj.namespace, obj.use(f"{path}.service.name"))

    def _cert_manager_shim(self, obj: _Object) -> bool:
        """cert-manager's annotations on an Ingress or Gateway: it then issues the TLS Secrets."""
        annotations = _map(obj.metadata.get("annotations"))
        issued = False
        for annotation, kind in CERT_MANAGER_ANNOTATIONS.items():
            issuer = _text(annotations.get(annotation))
            if issuer:
                use = obj.use(f"metadata.annotations[{annotation}]")
                self.need(
                    kind, issuer, obj.namespace, use, note="cert-manager issues the TLS Secrets"
                )
                self.need_group(CERT_MANAGER_GROUP, kind, use)
                issued = True
        return issued

    def _network_policy(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        for direction, peers_key in (("ingress", "from"), ("egress", "to")):
            for index, rule in enumerate(_seq(spec.get(direction))):
                for peer_index, peer in enumerate(_seq(_map(rule).get(peers_key))):
                    selector = _map(peer).get("namespaceSelector")
                    if isinstance(selector, Mapping):
                        path = (
                            f"spec.{direction}[{index}].{peers_key}[{peer_index}].namespaceSelector"
                        )
                        self._namespace_selector(obj, selector, path)

    def _namespace_selector(self, obj: _Object, selector: Mapping[str, Any], path: str) -> None:
        """The namespaces a NetworkPolicy peer selects: by name, or by labels."""
        labels = {str(k): str(v) for k, v in _map(selector.get("matchLabels")).items()}
        expressions = [
            e
            for e in _seq(selector.get("matchExpressions"))
            if isinstance(e, Mapping) and e.get("key")
        ]
        names = {labels.pop(NAMESPACE_NAME_LABEL)} if NAMESPACE_NAME_LABEL in labels else set()
        rest = []
        for expression in expressions:
            values = [str(v) for v in _seq(expression.get("values"))]
            if expression.get("key") == NAMESPACE_NAME_LABEL and expression.get("operator") == "In":
                names = set(values) if not names else names & set(values)
            else:
                rest.append(expression)
        if not names and not labels and not rest:
            return  # {} selects every namespace
        text = _selector_text(labels, rest) or None
        if text:
            self.selectors[text] = (labels, rest)
        named: list[str | None] = [*sorted(names)] or [None]
        for name in named:
            self.need("Namespace", name, None, obj.use(path), selector=text)

    def _gateway_api(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        kind = obj.kind
        if kind == "Gateway":
            class_name = _text(spec.get("gatewayClassName"))
            if class_name:
                self.need("GatewayClass", class_name, None, obj.use("spec.gatewayClassName"))
            issued = self._cert_manager_shim(obj)
            for index, item in enumerate(_seq(spec.get("listeners"))):
                listener = _map(item)
                name = _text(listener.get("name")) or str(index)
                refs = _seq(_map(listener.get("tls")).get("certificateRefs"))
                for ref_index, ref in enumerate(refs if not issued else []):
                    path = f"spec.listeners[{name}].tls.certificateRefs[{ref_index}]"
                    self.need_reference(_map(ref), obj, path, "Secret", "")
        elif kind in ROUTE_KINDS:
            for index, ref in enumerate(_seq(spec.get("parentRefs"))):
                self.need_reference(
                    _map(ref), obj, f"spec.parentRefs[{index}]", "Gateway", GATEWAY_GROUP
                )
            for index, rule in enumerate(_seq(spec.get("rules"))):
                for ref_index, ref in enumerate(_seq(_map(rule).get("backendRefs"))):
                    path = f"spec.rules[{index}].backendRefs[{ref_index}]"
                    self.need_reference(_map(ref), obj, path, "Service", "")
                for ref_index, item in enumerate(_seq(_map(rule).get("filters"))):
                    ref = _map(_map(item).get("extensionRef"))
                    path = f"spec.rules[{index}].filters[{ref_index}].extensionRef"
                    if ref:
                        self.need_reference(ref, obj, path, "", "")
        elif kind == "BackendTLSPolicy":
            for index, ref in enumerate(_seq(spec.get("targetRefs"))):
                self.need_reference(_map(ref), obj, f"spec.targetRefs[{index}]", "Service", "")
            refs = _seq(_map(spec.get("validation")).get("caCertificateRefs"))
            for index, ref in enumerate(refs):
                path = f"spec.validation.caCertificateRefs[{index}]"
                self.need_reference(_map(ref), obj, path, "ConfigMap", "")

    def _envoy_gateway(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        """Envoy Gateway's sign-in: the OIDC client's Secret (key ``client-secret``) and the
        Secret whose key ``credential`` a route's filter injects."""
        if obj.kind == "SecurityPolicy":
            ref = _map(_map(spec.get("oidc")).get("clientSecret"))
            name = _text(ref.get("name"))
            if name:
                namespace = _text(ref.get("namespace")) or obj.namespace
                note = "the identity provider's client secret for the fleet's one registration"
                use = obj.use("spec.oidc.clientSecret")
                self.need("Secret", name, namespace, use, keys=["client-secret"], note=note)
            for index, target in enumerate(_seq(spec.get("targetRefs"))):
                kind = _text(_map(target).get("kind"))
                if kind == "Gateway":
                    path = f"spec.targetRefs[{index}]"
                    self.need_reference(_map(target), obj, path, "Gateway", GATEWAY_GROUP)
        elif obj.kind == "HTTPRouteFilter":
            injection = _map(spec.get("credentialInjection"))
            ref = _map(_map(injection.get("credential")).get("valueRef"))
            name = _text(ref.get("name"))
            if name:
                note = (
                    "key credential: 'Basic ' + base64 of 'kasm_user:<the password>', the "
                    "password of key password (docs/sign-in.md makes both)"
                )
                use = obj.use("spec.credentialInjection.credential.valueRef")
                namespace = _text(ref.get("namespace")) or obj.namespace
                self.need("Secret", name, namespace, use, keys=["credential"], note=note)

    def _cert_manager(self, obj: _Object, spec: Mapping[str, Any]) -> None:
        if obj.kind == "Certificate":
            issuer = _map(spec.get("issuerRef"))
            name = _text(issuer.get("name"))
            if name:
                kind = _text(issuer.get("kind")) or "Issuer"
                group = _text(issuer.get("group")) or CERT_MANAGER_GROUP
                self.need(kind, name, obj.namespace, obj.use("spec.issuerRef"))
                self.need_group(group, kind, obj.use("spec.issuerRef"))
        elif obj.kind in {"Issuer", "ClusterIssuer"}:
            secret = _text(_map(spec.get("ca")).get("secretName"))
            if secret:
                namespace, note = obj.namespace, TLS_NOTE
                if obj.kind == "ClusterIssuer":
                    namespace = CERT_MANAGER_NAMESPACE
                    note = (
                        f"{TLS_NOTE}; in cert-manager's cluster resource namespace "
                        f"({namespace} unless cert-manager was installed with another)"
                    )
                self.need(
                    "Secret",
                    secret,
                    namespace,
                    obj.use("spec.ca.secretName"),
                    keys=TLS_KEYS,
                    note=note,
                )

    # -- minus what the output defines ------------------------------------------------------------

    def _external(self, requirement: Requirement) -> bool:
        kind, name = requirement.kind, requirement.name
        if kind == "APIGroup":
            return True  # need_group left out the kinds the output defines
        if kind == "Namespace":
            return self._namespace_missing(requirement)
        if name is None:
            return not self._default_class_defined(kind)
        if (kind, name) in BUILTIN_OBJECTS:
            return False
        key = (kind, requirement.namespace, name)
        if key not in self.defined:
            return True
        keys = self.defined[key]
        missing = sorted(requirement.keys - keys) if keys is not None else []
        if missing:
            requirement.notes.add(f"defined in the output without key(s) {', '.join(missing)}")
            return True
        return False

    def _namespace_missing(self, requirement: Requirement) -> bool:
        name, selector = requirement.name, requirement.selector
        if name is not None and ("Namespace", name) in BUILTIN_OBJECTS and selector is None:
            return False
        if name is None and selector is None:
            requirement.notes.add(
                "objects without metadata.namespace go to the namespace they are applied to "
                "(kubectl's current namespace, or helm --namespace)"
            )
            return True
        if name is None:
            candidates = list(self.namespace_labels.values())
        else:
            candidates = [self.namespace_labels[name]] if name in self.namespace_labels else []
        labels, expressions = self.selectors[selector] if selector else ({}, [])
        return not any(_selects(labels, expressions, found) for found in candidates)

    def _default_class_defined(self, kind: str) -> bool:
        annotation = DEFAULT_CLASS_ANNOTATIONS.get(kind)
        return annotation is not None and any(
            obj.kind == kind and _map(obj.metadata.get("annotations")).get(annotation) == "true"
            for obj in self.objects
        )


# ---------------------------------------------------------------------------------------------
# Text report
# ---------------------------------------------------------------------------------------------


def format_text(report: Report) -> str:
    """The human-readable report: a section per kind, each requirement with where it is used."""
    files = "file" if len(report.files) == 1 else "files"
    objects = "object" if report.objects == 1 else "objects"
    lines = [f"Read {report.objects} {objects} from {len(report.files)} {files}."]
    if not report.requirements:
        lines.append("They refer to nothing outside themselves.")
        return "\n".join(lines)
    lines.append("Before they can run, the cluster must have:")
    heading = None
    for requirement in report.requirements:
        title = HEADINGS.get(requirement.kind, requirement.kind)
        if title != heading:
            lines += ["", title]
            heading = title
        details = []
        if requirement.keys:
            details.append(f"keys {', '.join(sorted(requirement.keys))}")
        if requirement.kinds:
            details.append(f"kinds {', '.join(sorted(requirement.kinds))}")
        if requirement.name is not None and requirement.selector:
            details.append(f"labels {requirement.selector}")
        if requirement.optional:
            details.append("optional")
        details += sorted(requirement.notes)
        if requirement.guide:
            details.append(f"see {requirement.guide}")
        lines.append(f"  {requirement.label}" + (f": {'; '.join(details)}" if details else ""))
        lines += [f"      {line}" for line in _use_lines(requirement.used_by)]
    return "\n".join(lines)


def _use_lines(uses: Sequence[Use]) -> list[str]:
    """A line per use, but one line for all the objects that merely live in a namespace or
    belong to an API group."""
    lines = []
    for membership in MEMBERSHIP_FIELDS:
        members = [use for use in uses if use.field == membership]
        if members:
            shown = ", ".join(use.object for use in members[:MEMBERS_SHOWN])
            more = len(members) - MEMBERS_SHOWN
            objects = "object" if len(members) == 1 else "objects"
            lines.append(
                f"{membership} of {len(members)} {objects}: {shown}"
                + (f" and {more} more" if more > 0 else "")
            )
    lines += [f"{use.object}: {use.field}" for use in uses if use.field not in MEMBERSHIP_FIELDS]
    return lines


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _seq(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str | None:
    """A non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def _qualified(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


def _item_keys(source: Mapping[str, Any]) -> list[Any]:
    """The keys a Secret or ConfigMap volume projects (none listed: all of them)."""
    return [_map(item).get("key") for item in _seq(source.get("items"))]


def _default_class_note(kind: str) -> str:
    field_name = kind[0].lower() + kind[1:] + "Name"
    return f'no {field_name} set: the {kind} annotated {DEFAULT_CLASS_ANNOTATIONS[kind]}: "true"'


def _selects(
    labels: Mapping[str, str], expressions: Sequence[Mapping[str, Any]], found: Mapping[str, str]
) -> bool:
    """Whether a namespace labelled ``found`` matches ``labels`` and ``expressions``."""
    if any(found.get(key) != value for key, value in labels.items()):
        return False
    for expression in expressions:
        key, operator = str(expression.get("key")), expression.get("operator")
        values = {str(v) for v in _seq(expression.get("values"))}
        present = key in found
        matched = {
            "In": present and found.get(key) in values,
            "NotIn": not present or found.get(key) not in values,
            "Exists": present,
            "DoesNotExist": not present,
        }.get(str(operator), False)
        if not matched:
            return False
    return True


def _selector_text(labels: Mapping[str, str], expressions: Sequence[Mapping[str, Any]]) -> str:
    """A label selector as kubectl writes one: ``a=b,c in (d,e),!f``."""
    parts = [f"{key}={value}" for key, value in sorted(labels.items())]
    for expression in expressions:
        key, operator = expression.get("key"), expression.get("operator")
        values = ",".join(str(v) for v in _seq(expression.get("values")))
        parts.append(
            {
                "In": f"{key} in ({values})",
                "NotIn": f"{key} notin ({values})",
                "Exists": f"{key}",
                "DoesNotExist": f"!{key}",
            }.get(str(operator), f"{key} {operator} ({values})")
        )
    return ",".join(parts)
