"""The typed CRD classes in imports/ (imports/README.md): what ``cdk8s import`` generates from the
CRDs ``cdk8s.yaml`` lists, importable as ``kasm_constructs.imports...``, shipped inside the
package, and usable next to an app's own ``cdk8s import`` of the same CRDs.

The CRDs are read from ``../shared/crds``, never committed: the tests that need them (schema
validation, regeneration, the app with its own imports) skip, saying why, when it is absent;
those that run ``cdk8s import`` also need ``node_modules`` (``make setup``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cdk8s
import pytest
import yaml

from kasm_constructs.imports.backendtlspolicy.io.k8s.networking import gateway as tls
from kasm_constructs.imports.certificate.io import cert_manager as cm
from kasm_constructs.imports.gateway.io.k8s.networking import gateway as gw
from kasm_constructs.imports.httproute.io.k8s.networking import gateway as route
from kasm_constructs.imports.httproutefilter.io.envoyproxy import gateway as filters
from kasm_constructs.imports.referencegrant.io.k8s.networking import gateway as grant
from kasm_constructs.imports.scaledobject.sh import keda
from kasm_constructs.imports.securitypolicy.io.envoyproxy import gateway as security
from kasm_constructs.manifests.kubeyaml import format_path
from tests.helpers import REPO, SHARED, Manifest, synth
from tests.judges import crd_validator
from tests.test_package import _copy_ignore

CRDS = SHARED / "crds"
CDK8S = REPO / "node_modules" / ".bin" / "cdk8s"
# Where `cdk8s import` writes the modules named kasm_constructs.imports.*, relative to its output.
GENERATED = Path("kasm_constructs", "imports")
PREFIX = "kasm_constructs.imports."
TIMEOUT = 300


def _import_specs() -> list[tuple[str, str]]:
    """(module name, CRD file) of each ``NAME:=FILE`` that ``cdk8s.yaml`` lists."""
    specs = yaml.safe_load((REPO / "cdk8s.yaml").read_text(encoding="utf-8"))["imports"]
    pairs = [spec.split(":=") for spec in specs]
    return [(name, source) for name, source in pairs]


def _skip_without(*needs: str) -> None:
    if "crds" in needs and not CRDS.is_dir():
        pytest.skip(f"the pinned CRDs are not at {CRDS}")
    if "cli" in needs and not CDK8S.exists():
        pytest.skip(f"the cdk8s CLI is not installed at {CDK8S}: run `make setup`")


def _run(
    args: list[str | Path], cwd: Path, env: dict[str, str] | None = None, *, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``args``; unless ``ok`` is false, it must succeed."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0 or not ok, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


class Cdk8sImport:
    """A ``cdk8s import`` running with the pinned CLI and Node, offline."""

    def __init__(self, cwd: Path, *args: str | Path) -> None:
        path = f"{CDK8S.parent}{os.pathsep}{os.environ['PATH']}"
        env = {**os.environ, "PATH": path, "CDK8S_CHECK_UPGRADE": "false"}
        self.args = [str(arg) for arg in (CDK8S, "import", "--language", "python", *args)]
        self.process = subprocess.Popen(
            self.args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.output: str | None = None

    def wait(self) -> None:
        if self.output is None:
            self.output, _ = self.process.communicate(timeout=TIMEOUT)
        assert self.process.returncode == 0, f"{self.args}:\n{self.output}"


def _generated(root: Path) -> dict[str, Path]:
    """Relative path -> file, for the generated files below ``root``."""
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _contents(root: Path) -> dict[str, bytes]:
    """Relative path -> content of the generated files below ``root``; a jsii tarball's content
    is its members' (gzip framing is no part of what ``cdk8s import`` means)."""
    contents: dict[str, bytes] = {}
    for relative, path in _generated(root).items():
        if not path.name.endswith(".jsii.tgz"):
            contents[relative] = path.read_bytes()
            continue
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                content = archive.extractfile(member)
                assert content is not None, (relative, member.name)
                contents[f"{relative}!{member.name}"] = content.read()
    return contents


def _assembly(package: Path) -> dict[str, Any]:
    """The .jsii manifest in a generated package's tarball."""
    (tarball,) = package.glob("_jsii/*.jsii.tgz")
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/.jsii")
        assert member is not None
        manifest: dict[str, Any] = json.load(member)
    return manifest


# --- the generated modules, as committed ---------------------------------------------------------


def test_every_import_is_a_kasm_constructs_module_with_its_own_assembly() -> None:
    specs = _import_specs()
    assert specs, "cdk8s.yaml lists no imports"
    assemblies = set()
    for name, source in specs:
        assert name.startswith(PREFIX), f"{name}:={source} is outside kasm_constructs.imports"
        assert source.startswith("../shared/crds/"), source
        (marker,) = (REPO / "imports" / Path(*name.split("."))).glob("**/py.typed")
        package = marker.parent
        module = ".".join(package.relative_to(REPO / "imports").parts)
        manifest = _assembly(package)
        # The jsii Python module is the one the package imports as, and the assembly (which
        # names every type: "<assembly>.HttpRoute") begins with this project's name.
        assert manifest["targets"]["python"]["module"] == module
        assert manifest["name"].startswith("kasm_constructs"), manifest["name"]
        assemblies.add(manifest["name"])
    assert len(assemblies) == len(specs)
    assert (REPO / "kasm_constructs" / "imports").resolve() == REPO / "imports" / GENERATED


# --- each class in a chart, against its CRD's schema ---------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One generated class: how the constructs build it, what it must synthesize to, and the
    CRD file whose schema and CEL rules the result must pass."""

    build: Callable[[cdk8s.Chart], object]
    api_version: str
    spec: dict[str, Any]
    crd: str
    # A field the CRD requires (its schema, or a CEL rule): the object without it must fail
    # validation with ``refusal``.
    required: tuple[str | int, ...]
    refusal: str


def _http_route(chart: cdk8s.Chart) -> object:
    return route.HttpRoute(
        chart,
        "route",
        spec=route.HttpRouteSpec(
            parent_refs=[
                route.HttpRouteSpecParentRefs(
                    name="gateway", namespace="infra", section_name="https"
                )
            ],
            hostnames=["desk.example.com"],
            rules=[
                route.HttpRouteSpecRules(
                    matches=[
                        route.HttpRouteSpecRulesMatches(
                            path=route.HttpRouteSpecRulesMatchesPath(
                                type=route.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value="/"
                            )
                        )
                    ],
                    backend_refs=[route.HttpRouteSpecRulesBackendRefs(name="desk", port=6901)],
                    timeouts=route.HttpRouteSpecRulesTimeouts(request="0s", backend_request="0s"),
                )
            ],
        ),
    )


def _backend_tls_policy(chart: cdk8s.Chart) -> object:
    return tls.BackendTlsPolicy(
        chart,
        "tls",
        spec=tls.BackendTlsPolicySpec(
            target_refs=[tls.BackendTlsPolicySpecTargetRefs(group="", kind="Service", name="desk")],
            validation=tls.BackendTlsPolicySpecValidation(
                hostname="desk.kasm.svc",
                ca_certificate_refs=[
                    tls.BackendTlsPolicySpecValidationCaCertificateRefs(
                        group="", kind="ConfigMap", name="desk-ca"
                    )
                ],
            ),
        ),
    )


def _reference_grant(chart: cdk8s.Chart) -> object:
    return grant.ReferenceGrant(
        chart,
        "grant",
        spec=grant.ReferenceGrantSpec(
            from_=[
                grant.ReferenceGrantSpecFrom(
                    group="gateway.networking.k8s.io", kind="HTTPRoute", namespace="infra"
                )
            ],
            to=[grant.ReferenceGrantSpecTo(group="", kind="Service", name="desk")],
        ),
    )


def _certificate(chart: cdk8s.Chart) -> object:
    return cm.Certificate(
        chart,
        "certificate",
        spec=cm.CertificateSpec(
            secret_name="desk-tls",
            issuer_ref=cm.CertificateSpecIssuerRef(name="ca", kind="ClusterIssuer"),
            dns_names=["desk.kasm.svc"],
            private_key=cm.CertificateSpecPrivateKey(
                algorithm=cm.CertificateSpecPrivateKeyAlgorithm.ECDSA,
                size=256,
                rotation_policy=cm.CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
            ),
        ),
    )


def _gateway(chart: cdk8s.Chart) -> object:
    return gw.Gateway(
        chart,
        "gateway",
        spec=gw.GatewaySpec(
            gateway_class_name="eg",
            listeners=[
                gw.GatewaySpecListeners(
                    name="https",
                    port=443,
                    protocol="HTTPS",
                    hostname="*.example.com",
                    tls=gw.GatewaySpecListenersTls(
                        mode=gw.GatewaySpecListenersTlsMode.TERMINATE,
                        certificate_refs=[
                            gw.GatewaySpecListenersTlsCertificateRefs(name="wildcard-tls")
                        ],
                    ),
                    allowed_routes=gw.GatewaySpecListenersAllowedRoutes(
                        namespaces=gw.GatewaySpecListenersAllowedRoutesNamespaces(
                            from_=gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL
                        )
                    ),
                )
            ],
        ),
    )


def _security_policy(chart: cdk8s.Chart) -> object:
    return security.SecurityPolicy(
        chart,
        "security",
        spec=security.SecurityPolicySpec(
            target_refs=[
                security.SecurityPolicySpecTargetRefs(
                    group="gateway.networking.k8s.io", kind="HTTPRoute", name="desk"
                )
            ],
            oidc=security.SecurityPolicySpecOidc(
                provider=security.SecurityPolicySpecOidcProvider(issuer="https://idp.example.com"),
                client_id="kasm",
                client_secret=security.SecurityPolicySpecOidcClientSecret(name="desk-oidc"),
            ),
        ),
    )


def _http_route_filter(chart: cdk8s.Chart) -> object:
    return filters.HttpRouteFilter(
        chart,
        "filter",
        spec=filters.HttpRouteFilterSpec(
            direct_response=filters.HttpRouteFilterSpecDirectResponse(
                status_code=503,
                content_type="text/plain",
                body=filters.HttpRouteFilterSpecDirectResponseBody(
                    type="Inline", inline="desktops are down for maintenance"
                ),
            )
        ),
    )


def _scaled_object(chart: cdk8s.Chart) -> object:
    return keda.ScaledObject(
        chart,
        "scaler",
        spec=keda.ScaledObjectSpec(
            scale_target_ref=keda.ScaledObjectSpecScaleTargetRef(
                name="desk", kind="StatefulSet", api_version="apps/v1"
            ),
            min_replica_count=0,
            max_replica_count=1,
            triggers=[
                keda.ScaledObjectSpecTriggers(
                    type="cron",
                    metadata={
                        "timezone": "Europe/Berlin",
                        "start": "0 8 * * 1-5",
                        "end": "0 18 * * 1-5",
                        "desiredReplicas": "1",
                    },
                )
            ],
        ),
    )


KINDS = {
    "HTTPRoute": Kind(
        build=_http_route,
        api_version="gateway.networking.k8s.io/v1",
        spec={
            "parentRefs": [{"name": "gateway", "namespace": "infra", "sectionName": "https"}],
            "hostnames": ["desk.example.com"],
            "rules": [
                {
                    "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                    "backendRefs": [{"name": "desk", "port": 6901}],
                    "timeouts": {"request": "0s", "backendRequest": "0s"},
                }
            ],
        },
        crd="gateway-api-v1.5.1-httproutes.yaml",
        required=("spec", "parentRefs", 0, "name"),
        refusal="spec.parentRefs[0]: 'name' is a required property",
    ),
    "BackendTLSPolicy": Kind(
        build=_backend_tls_policy,
        api_version="gateway.networking.k8s.io/v1",
        spec={
            "targetRefs": [{"group": "", "kind": "Service", "name": "desk"}],
            "validation": {
                "hostname": "desk.kasm.svc",
                "caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "desk-ca"}],
            },
        },
        crd="gateway-api-v1.5.1-backendtlspolicies.yaml",
        required=("spec", "validation", "hostname"),
        refusal="spec.validation: 'hostname' is a required property",
    ),
    "ReferenceGrant": Kind(
        build=_reference_grant,
        api_version="gateway.networking.k8s.io/v1",
        spec={
            "from": [
                {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "infra"}
            ],
            "to": [{"group": "", "kind": "Service", "name": "desk"}],
        },
        crd="gateway-api-v1.5.1-referencegrants.yaml",
        required=("spec", "from", 0, "namespace"),
        refusal="spec.from[0]: 'namespace' is a required property",
    ),
    "Certificate": Kind(
        build=_certificate,
        api_version="cert-manager.io/v1",
        spec={
            "secretName": "desk-tls",
            "issuerRef": {"name": "ca", "kind": "ClusterIssuer"},
            "dnsNames": ["desk.kasm.svc"],
            "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
        },
        crd="cert-manager-v1.21.1-certificates.yaml",
        required=("spec", "secretName"),
        refusal="spec: 'secretName' is a required property",
    ),
    "Gateway": Kind(
        build=_gateway,
        api_version="gateway.networking.k8s.io/v1",
        spec={
            "gatewayClassName": "eg",
            "listeners": [
                {
                    "name": "https",
                    "port": 443,
                    "protocol": "HTTPS",
                    "hostname": "*.example.com",
                    "tls": {"mode": "Terminate", "certificateRefs": [{"name": "wildcard-tls"}]},
                    "allowedRoutes": {"namespaces": {"from": "All"}},
                }
            ],
        },
        crd="gateway-api-v1.5.1-gateways.yaml",
        required=("spec", "gatewayClassName"),
        refusal="spec: 'gatewayClassName' is a required property",
    ),
    "SecurityPolicy": Kind(
        build=_security_policy,
        api_version="gateway.envoyproxy.io/v1alpha1",
        spec={
            "targetRefs": [
                {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "desk"}
            ],
            "oidc": {
                "provider": {"issuer": "https://idp.example.com"},
                "clientID": "kasm",
                "clientSecret": {"name": "desk-oidc"},
            },
        },
        crd="envoy-gateway-v1.9.0-securitypolicies.yaml",
        required=("spec", "oidc", "provider", "issuer"),
        refusal="spec.oidc.provider: 'issuer' is a required property",
    ),
    "HTTPRouteFilter": Kind(
        build=_http_route_filter,
        api_version="gateway.envoyproxy.io/v1alpha1",
        spec={
            "directResponse": {
                "statusCode": 503,
                "contentType": "text/plain",
                "body": {"type": "Inline", "inline": "desktops are down for maintenance"},
            }
        },
        crd="envoy-gateway-v1.9.0-httproutefilters.yaml",
        # A CEL rule of the CRD, not its schema, requires it.
        required=("spec", "directResponse", "body", "inline"),
        refusal="spec.directResponse.body: inline must be set for type Inline",
    ),
    "ScaledObject": Kind(
        build=_scaled_object,
        api_version="keda.sh/v1alpha1",
        spec={
            "scaleTargetRef": {"name": "desk", "kind": "StatefulSet", "apiVersion": "apps/v1"},
            "minReplicaCount": 0,
            "maxReplicaCount": 1,
            "triggers": [
                {
                    "type": "cron",
                    "metadata": {
                        "timezone": "Europe/Berlin",
                        "start": "0 8 * * 1-5",
                        "end": "0 18 * * 1-5",
                        "desiredReplicas": "1",
                    },
                }
            ],
        },
        crd="keda-v2.20.2-scaledobjects.yaml",
        required=("spec", "scaleTargetRef", "name"),
        refusal="spec.scaleTargetRef: 'name' is a required property",
    ),
}


@pytest.fixture(scope="module")
def synthesized() -> dict[str, Manifest]:
    """kind -> manifest: one of each class, built into one chart."""

    def build(app: cdk8s.App) -> None:
        chart = cdk8s.Chart(app, "kasm", namespace="kasm")
        for kind in KINDS.values():
            kind.build(chart)

    manifests = synth(build)
    assert sorted(m["kind"] for m in manifests) == sorted(KINDS)
    return {m["kind"]: m for m in manifests}


@pytest.mark.parametrize("kind", KINDS)
def test_class_synthesizes_its_kind(kind: str, synthesized: dict[str, Manifest]) -> None:
    manifest = synthesized[kind]

    assert manifest["apiVersion"] == KINDS[kind].api_version
    assert manifest["metadata"]["namespace"] == "kasm"
    assert manifest["spec"] == KINDS[kind].spec


def _without(manifest: Manifest, path: tuple[str | int, ...]) -> Manifest:
    copy: Any = json.loads(json.dumps(manifest))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    result: Manifest = copy
    return result


def _refusals(manifest: Manifest) -> list[str]:
    verdict = crd_validator().validate(manifest)
    assert verdict is not None, manifest["kind"]
    assert verdict.rules_unchecked == ()
    return [f"{format_path(v.path)}: {v.message}" for v in verdict.violations]


@pytest.mark.parametrize("kind", KINDS)
def test_class_passes_its_crd(kind: str, synthesized: dict[str, Manifest]) -> None:
    """The CRD's schema and CEL rules, as ``kasm-constructs validate`` checks them (the shipped
    schemas, which tests/test_validate.py holds to the CRD files)."""
    manifest = synthesized[kind]
    verdict = crd_validator().validate(manifest)

    assert verdict is not None and verdict.crd.source == KINDS[kind].crd
    assert _refusals(manifest) == []
    # The CRD does refuse: the same object without a required field fails.
    assert _refusals(_without(manifest, KINDS[kind].required)) == [KINDS[kind].refusal]


# --- regeneration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imports:
    """The ``cdk8s import`` runs of these tests, started together (each keeps one core busy for
    up to half a minute); each fixture waits for the ones it needs."""

    ours: Path
    ours_job: Cdk8sImport
    app: Path
    app_jobs: tuple[Cdk8sImport, ...]


@pytest.fixture(scope="module")
def imports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imports]:
    _skip_without("crds", "cli")
    ours = tmp_path_factory.mktemp("imports")
    ours_job = Cdk8sImport(REPO, "--no-save", "--output", ours)
    # An app's own imports of the HTTPRoute and Certificate CRDs, with default names, as its
    # cdk8s.yaml lists them; and a ReferenceGrant package generated with the default name too.
    app = tmp_path_factory.mktemp("user-app")
    sources = [str(CRDS / KINDS[kind].crd) for kind in ("HTTPRoute", "Certificate")]
    config = {"language": "python", "app": "python main.py", "imports": sources}
    (app / "cdk8s.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    vendored = (app / "vendored", CRDS / KINDS["ReferenceGrant"].crd)
    app_jobs = (Cdk8sImport(app), Cdk8sImport(app, "--no-save", "--output", *vendored))
    yield Imports(ours=ours, ours_job=ours_job, app=app, app_jobs=app_jobs)
    for job in (ours_job, *app_jobs):
        if job.process.poll() is None:
            job.process.kill()
            job.process.wait()


@pytest.fixture(scope="module")
def regenerated(imports: Imports) -> Path:
    """What ``make imports`` would write, generated into a temporary directory."""
    imports.ours_job.wait()
    return imports.ours


def test_committed_imports_are_what_cdk8s_import_generates(regenerated: Path) -> None:
    fresh = _contents(regenerated / GENERATED)
    committed = _contents(REPO / "imports" / GENERATED)

    assert fresh, "cdk8s import generated nothing"
    stale = sorted(
        name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name)
    )
    assert not stale, f"imports/ is stale, run `make imports`: {stale}"
    # Nothing but the generated modules goes there.
    assert sorted(p.name for p in regenerated.iterdir()) == [GENERATED.parts[0]]


# --- the wheel and the sdist ---------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    wheel: Path
    sdist: Path
    installed: Path  # the wheel installed with `pip install --target`, without dependencies


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The wheel and sdist of a copy of the work tree, and the wheel installed."""
    source = tmp_path_factory.mktemp("source") / "kasm-constructs"
    shutil.copytree(REPO, source, ignore=_copy_ignore(REPO), symlinks=True)
    outdir = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--sdist", "--wheel", "--no-isolation"]
    _run([*build, "--outdir", outdir], source)
    (wheel,) = outdir.glob("*.whl")
    (sdist,) = outdir.glob("*.tar.gz")
    installed = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "install"]
    _run([*pip, "--no-deps", "--no-index", "--target", installed, wheel], outdir)
    return Built(wheel=wheel, sdist=sdist, installed=installed)


def _committed_files() -> dict[str, bytes]:
    """Archive path -> content of every generated file, as the package holds it."""
    generated = _generated(REPO / "imports" / GENERATED)
    return {f"{GENERATED.as_posix()}/{name}": path.read_bytes() for name, path in generated.items()}


def test_wheel_holds_the_generated_modules_inside_the_package(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = wheel.namelist()
        for name, content in _committed_files().items():
            assert wheel.read(name) == content, name
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert wheel.read(top_level).decode().split() == ["kasm_constructs"]
    assert not [n for n in names if n.split("/")[0] == "imports"]


def test_sdist_holds_the_generated_modules_as_files(built: Built) -> None:
    with tarfile.open(built.sdist) as sdist:
        members = {m.name.split("/", 1)[1]: m for m in sdist.getmembers() if "/" in m.name}
        for name, content in _committed_files().items():
            assert members[name].isfile(), name
            extracted = sdist.extractfile(members[name])
            assert extracted is not None and extracted.read() == content, name
    assert not [n for n in members if n.split("/")[0] == "imports"]


# A fresh interpreter with the installed wheel first on sys.path: each module imports from it
# and its class synthesizes.
INSTALLED_SCRIPT = textwrap.dedent(
    """\
    import importlib
    import json
    import sys

    import cdk8s

    app = cdk8s.App()
    chart = cdk8s.Chart(app, "kasm")
    files = {}
    for module_name, class_name, spec in json.loads(sys.argv[1]):
        module = importlib.import_module(module_name)
        files[module_name] = module.__file__
        getattr(module, class_name)(chart, class_name, spec=spec)
    print(json.dumps({"files": files, "yaml": app.synth_yaml()}))
    """
)

# (module, class, the smallest spec, as keyword arguments of the spec struct)
CLASSES = [
    (route.__name__, "HttpRoute", {"parent_refs": [{"name": "gateway"}]}),
    (
        tls.__name__,
        "BackendTlsPolicy",
        {
            "target_refs": [{"group": "", "kind": "Service", "name": "desk"}],
            "validation": {"hostname": "desk.kasm.svc", "well_known_ca_certificates": "System"},
        },
    ),
    (
        grant.__name__,
        "ReferenceGrant",
        {
            "from_": [{"group": "", "kind": "Pod", "namespace": "a"}],
            "to": [{"group": "", "kind": "Service"}],
        },
    ),
    (cm.__name__, "Certificate", {"secret_name": "desk-tls", "issuer_ref": {"name": "ca"}}),
    (
        gw.__name__,
        "Gateway",
        {
            "gateway_class_name": "eg",
            "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}],
        },
    ),
    (security.__name__, "SecurityPolicy", {"target_refs": [{"group": "", "kind": "", "name": ""}]}),
    (filters.__name__, "HttpRouteFilter", {}),
    (
        keda.__name__,
        "ScaledObject",
        {"scale_target_ref": {"name": "desk"}, "triggers": [{"type": "cron", "metadata": {}}]},
    ),
]


def _python_env(*path: Path) -> dict[str, str]:
    """This environment (conftest.py put the pinned Node first on PATH) with only ``path`` on
    PYTHONPATH: not the repository."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return {**env, "PYTHONPATH": os.pathsep.join(str(p) for p in path)}


def test_installed_wheel_imports_and_synthesizes_each_class(built: Built, tmp_path: Path) -> None:
    script = tmp_path / "installed.py"
    script.write_text(INSTALLED_SCRIPT, encoding="utf-8")

    out = _run(
        [sys.executable, script, json.dumps(CLASSES)], tmp_path, _python_env(built.installed)
    )

    result = json.loads(out.stdout)
    for module_name, file in result["files"].items():
        assert Path(file).is_relative_to(built.installed), (module_name, file)
    objects = [(d["apiVersion"], d["kind"]) for d in yaml.safe_load_all(result["yaml"])]
    assert objects == [(KINDS[kind].api_version, kind) for kind in KINDS]
    assert not (built.installed / "imports").exists()


# --- next to an app's own imports of the same CRDs -----------------------------------------------

# A user's app: its own `cdk8s import` of the HTTPRoute and Certificate CRDs with default names
# (`imports/io/...`), and ours, in one App.
USER_APP = textwrap.dedent(
    """\
    import cdk8s
    from imports.io.cert_manager import Certificate, CertificateSpec, CertificateSpecIssuerRef
    from imports.io.k8s.networking.gateway import HttpRoute, HttpRouteSpec, HttpRouteSpecParentRefs

    from kasm_constructs.imports.certificate.io import cert_manager
    from kasm_constructs.imports.httproute.io.k8s.networking import gateway

    app = cdk8s.App()
    chart = cdk8s.Chart(app, "app", namespace="app")
    issuer = {"name": "ca", "kind": "ClusterIssuer"}
    HttpRoute(chart, "theirs", spec=HttpRouteSpec(parent_refs=[HttpRouteSpecParentRefs(name="gw")]))
    gateway.HttpRoute(
        chart, "ours",
        spec=gateway.HttpRouteSpec(parent_refs=[gateway.HttpRouteSpecParentRefs(name="gw")]),
    )
    Certificate(
        chart, "theirs-cert",
        spec=CertificateSpec(secret_name="theirs", issuer_ref=CertificateSpecIssuerRef(**issuer)),
    )
    cert_manager.Certificate(
        chart, "ours-cert",
        spec=cert_manager.CertificateSpec(
            secret_name="ours", issuer_ref=cert_manager.CertificateSpecIssuerRef(**issuer)
        ),
    )
    app.synth()
    """
)

# The clash the names avoid: a second package generated from another Gateway API CRD with the
# default name, as ours would be without NAME:=, used next to the app's.
CLASHING_APP = textwrap.dedent(
    """\
    import cdk8s
    from imports.io.k8s.networking.gateway import HttpRoute
    from vendored.io.k8s.networking.gateway import ReferenceGrant

    chart = cdk8s.Chart(cdk8s.App(), "app")
    HttpRoute(chart, "route", spec={})
    ReferenceGrant(chart, "grant")
    """
)


@pytest.fixture(scope="module")
def user_app(imports: Imports) -> Path:
    """A cdk8s app directory that ran ``cdk8s import`` of the pinned CRDs with default names."""
    for job in imports.app_jobs:
        job.wait()
    (imports.app / "main.py").write_text(USER_APP, encoding="utf-8")
    (imports.app / "clash.py").write_text(CLASHING_APP, encoding="utf-8")
    return imports.app


def test_app_with_its_own_imports_of_the_same_crds_synthesizes(
    user_app: Path, built: Built
) -> None:
    assert _assembly(user_app / "imports/io/k8s/networking/gateway")["name"] == (
        "iok8snetworkinggateway"
    )

    _run([sys.executable, "main.py"], user_app, _python_env(built.installed))

    docs = yaml.safe_load_all((user_app / "dist" / "app.k8s.yaml").read_text(encoding="utf-8"))
    objects = sorted((d["kind"], d["spec"].get("secretName")) for d in docs)
    assert objects == [
        ("Certificate", "ours"),
        ("Certificate", "theirs"),
        ("HTTPRoute", None),
        ("HTTPRoute", None),
    ]


def test_two_assemblies_of_one_name_clash(user_app: Path) -> None:
    """Why the modules are named: the jsii kernel loads one assembly per name."""
    result = _run([sys.executable, "clash.py"], user_app, _python_env(), ok=False)

    assert result.returncode != 0
    assert "Type 'iok8snetworkinggateway.ReferenceGrant' not found" in result.stderr
