"""Tests of ``kasm-constructs preflight`` (preflight.py and its wiring in __main__.py).

Each reference kind has a focused manifest and its exact listing; the committed example outputs
have theirs; and the command outputs shown in the documentation are compared with the real ones.
``python -m tests.test_preflight --update`` (``make docs``) rewrites those shown outputs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from kasm_constructs.__main__ import main

REPO = Path(__file__).resolve().parents[1]
# Markdown files that may show command outputs.
DOCS = (REPO / "README.md", *sorted((REPO / "docs").glob("*.md")))
# A shown output: the marker, then a fenced text block holding exactly what the command prints.
OUTPUT_BLOCK = re.compile(
    r"^<!-- output of: (?P<command>python -m kasm_constructs [^\n]*?) -->\n"
    r"```text\n(?P<text>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
RUN_TIMEOUT = 60

Listing = list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]


def preflight_json(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> dict[str, Any]:
    code = main(["preflight", "--output", "json", *map(str, paths)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    report: dict[str, Any] = json.loads(captured.out)
    return report


def listing(report: dict[str, Any]) -> Listing:
    """Each requirement as (kind, what, keys or kinds, fields of its uses)."""
    rows = []
    for requirement in report["requirements"]:
        what = requirement["name"] or f"<{requirement['selector'] or 'unnamed'}>"
        if requirement["namespace"]:
            what = f"{requirement['namespace']}/{what}"
        details = tuple(requirement["keys"] + requirement["kinds"])
        fields = tuple(use["field"] for use in requirement["used_by"])
        rows.append((requirement["kind"], what, details, fields))
    return rows


def scan_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manifests: str
) -> dict[str, Any]:
    """The JSON report on ``manifests``, written as a directory's one file."""
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / "app.k8s.yaml").write_text(textwrap.dedent(manifests), encoding="utf-8")
    return preflight_json(capsys, tmp_path / "out")


def scan(tmp_path: Path, capsys: pytest.CaptureFixture[str], manifests: str) -> Listing:
    return listing(scan_report(tmp_path, capsys, manifests))


def notes(report: dict[str, Any], kind: str, name: str | None) -> list[str]:
    (requirement,) = [r for r in report["requirements"] if (r["kind"], r["name"]) == (kind, name)]
    found: list[str] = requirement["notes"]
    return found


# ---------------------------------------------------------------------------------------------
# The committed example outputs
# ---------------------------------------------------------------------------------------------


def test_seed_example_listing(capsys: pytest.CaptureFixture[str]) -> None:
    report = preflight_json(capsys, REPO / "dist")

    assert report["objects"] == 5
    assert listing(report) == [
        ("Namespace", "kasm", (), ("metadata.namespace",) * 5),
        (
            "Secret",
            "kasm/kasm-secrets",
            ("vnc-password",),
            ("spec.template.spec.containers[kasm-workspace].env[VNC_PW].valueFrom.secretKeyRef",),
        ),
        (
            "StorageClass",
            "<unnamed>",
            (),
            ("spec.volumeClaimTemplates[home].spec.storageClassName",),
        ),
    ]


def test_teams_example_listing(capsys: pytest.CaptureFixture[str]) -> None:
    report = preflight_json(capsys, REPO / "examples" / "teams" / "dist")
    chrome = "team-a-chrome-c80c47ad"
    desktop = "team-b-desktop-c88dd245"

    assert [Path(file).name for file in report["files"]] == [
        "namespaces.k8s.yaml",
        "team-a.k8s.yaml",
        "team-b.k8s.yaml",
    ]
    assert listing(report) == [
        (
            "Namespace",
            "ingress-nginx",
            (),
            ("spec.ingress[0].from[0].namespaceSelector",),
        ),
        ("Secret", "team-a/chrome-team-a-tls", ("tls.crt", "tls.key"), ("spec.tls[0].secretName",)),
        (
            "Secret",
            "team-a/chrome-vnc",
            ("password",),
            (f"spec.template.spec.containers[{chrome}].env[VNC_PW].valueFrom.secretKeyRef",),
        ),
        (
            "Secret",
            "team-b/desktop-vnc",
            ("password",),
            (f"spec.template.spec.containers[{desktop}].env[VNC_PW].valueFrom.secretKeyRef",),
        ),
        (
            "StorageClass",
            "standard-rwo",
            (),
            ("spec.volumeClaimTemplates[home].spec.storageClassName",),
        ),
        ("IngressClass", "nginx", (), ("spec.ingressClassName",)),
    ]
    by_object = {
        (use["kind"], use["name"])
        for requirement in report["requirements"]
        for use in requirement["used_by"]
    }
    assert by_object == {
        ("NetworkPolicy", chrome),
        ("Ingress", chrome),
        ("Deployment", chrome),
        ("StatefulSet", desktop),
    }


FLEET_USERS = yaml.safe_load((REPO / "examples/fleet/roster.yaml").read_text())["users"]


@pytest.mark.parametrize(
    ("example", "objects", "expected"),
    [
        (
            "gateway",
            15,
            [
                ("Namespace", "envoy-gateway-system"),
                ("APIGroup", "cert-manager.io"),
                ("APIGroup", "gateway.networking.k8s.io"),
                ("Secret", "desktops/chrome-vnc"),
                ("Secret", "desktops/desktop-vnc"),
                ("ConfigMap", "desktops/desktops-ca"),
                ("StorageClass", "<unnamed>"),
                ("Gateway", "gateway-system/public"),
                ("Issuer", "desktops/desktops-ca"),
            ],
        ),
        (
            "fleet",
            251,
            [
                ("Namespace", "envoy-gateway-system"),
                # the listener's sign-in policy lives beside the Gateway
                ("Namespace", "gateway-system"),
                ("APIGroup", "cert-manager.io"),
                ("APIGroup", "gateway.envoyproxy.io"),
                ("APIGroup", "gateway.networking.k8s.io"),
                ("APIGroup", "keda.sh"),
                *[("Secret", f"desktops/{user}-vnc") for user in sorted(FLEET_USERS)],
                ("Secret", "gateway-system/desktops-oidc"),
                ("ConfigMap", "desktops/desktops-ca"),
                ("StorageClass", "standard-rwo"),
                ("Gateway", "gateway-system/public"),
                ("Issuer", "desktops/desktops-ca"),
            ],
        ),
    ],
)
def test_access_examples_listing(
    capsys: pytest.CaptureFixture[str],
    example: str,
    objects: int,
    expected: list[tuple[str, str]],
) -> None:
    """What the Gateway API examples need: the Gateway and its namespace, cert-manager and its
    Issuer, the CA ConfigMap the gateway verifies with, each person's VNC Secret. The TLS
    Secrets the Certificates write are not listed: the output makes them."""
    report = preflight_json(capsys, REPO / "examples" / example / "dist")
    assert report["objects"] == objects
    assert [(kind, name) for kind, name, _, _ in listing(report)] == expected


# ---------------------------------------------------------------------------------------------
# Each reference kind, in focused manifests
# ---------------------------------------------------------------------------------------------

POD_REFERENCES = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: apps}
    spec:
      template:
        spec:
          serviceAccountName: builder
          priorityClassName: high
          runtimeClassName: gvisor
          imagePullSecrets: [{name: regcred}]
          initContainers:
            - name: init
              envFrom: [{configMapRef: {name: init-env}}]
          containers:
            - name: app
              env:
                - {name: PLAIN, value: x}
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: api-token, key: token}}
                - name: EXTRA
                  valueFrom: {secretKeyRef: {name: extra, key: value, optional: true}}
                - name: MODE
                  valueFrom: {configMapKeyRef: {name: settings, key: mode}}
              envFrom: [{secretRef: {name: bulk}}]
          volumes:
            - name: files
              secret:
                secretName: files
                items: [{key: a.txt, path: a.txt}]
            - name: conf
              configMap: {name: nginx-conf}
            - name: proj
              projected:
                sources:
                  - secret: {name: proj-secret, items: [{key: k, path: k}]}
                  - configMap: {name: kube-root-ca.crt}
                  - serviceAccountToken: {path: token}
            - name: data
              persistentVolumeClaim: {claimName: data}
            - name: scratch
              ephemeral:
                volumeClaimTemplate:
                  spec: {storageClassName: fast, accessModes: [ReadWriteOnce]}
    """


def test_pod_references(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pod = "spec.template.spec"
    app = f"{pod}.containers[app]"

    assert scan(tmp_path, capsys, POD_REFERENCES) == [
        ("Namespace", "apps", (), ("metadata.namespace",)),
        ("Secret", "apps/api-token", ("token",), (f"{app}.env[TOKEN].valueFrom.secretKeyRef",)),
        ("Secret", "apps/bulk", (), (f"{app}.envFrom[0].secretRef",)),
        ("Secret", "apps/extra", ("value",), (f"{app}.env[EXTRA].valueFrom.secretKeyRef",)),
        ("Secret", "apps/files", ("a.txt",), (f"{pod}.volumes[files].secret",)),
        (
            "Secret",
            "apps/proj-secret",
            ("k",),
            (f"{pod}.volumes[proj].projected.sources[0].secret",),
        ),
        ("Secret", "apps/regcred", (".dockerconfigjson",), (f"{pod}.imagePullSecrets[0].name",)),
        (
            "ConfigMap",
            "apps/init-env",
            (),
            (f"{pod}.initContainers[init].envFrom[0].configMapRef",),
        ),
        ("ConfigMap", "apps/nginx-conf", (), (f"{pod}.volumes[conf].configMap",)),
        ("ConfigMap", "apps/settings", ("mode",), (f"{app}.env[MODE].valueFrom.configMapKeyRef",)),
        ("ServiceAccount", "apps/builder", (), (f"{pod}.serviceAccountName",)),
        (
            "PersistentVolumeClaim",
            "apps/data",
            (),
            (f"{pod}.volumes[data].persistentVolumeClaim.claimName",),
        ),
        (
            "StorageClass",
            "fast",
            (),
            (f"{pod}.volumes[scratch].ephemeral.volumeClaimTemplate.spec.storageClassName",),
        ),
        ("PriorityClass", "high", (), (f"{pod}.priorityClassName",)),
        ("RuntimeClass", "gvisor", (), (f"{pod}.runtimeClassName",)),
    ]


def test_optional_references_are_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = scan_report(tmp_path, capsys, POD_REFERENCES)
    optional = {r["name"] for r in report["requirements"] if r["optional"]}

    assert optional == {"extra"}
    assert notes(report, "Secret", "regcred") == ["type kubernetes.io/dockerconfigjson"]


def test_every_pod_kind_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = "{containers: [{name: c, envFrom: [{secretRef: {name: s}}]}]}"
    manifests = f"""\
    apiVersion: v1
    kind: Pod
    metadata: {{name: p, namespace: ns}}
    spec: {spec}
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {{name: c, namespace: ns}}
    spec: {{jobTemplate: {{spec: {{template: {{spec: {spec}}}}}}}}}
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {{name: d, namespace: ns}}
    spec: {{template: {{spec: {spec}}}}}
    """
    ((_, _, _, fields),) = [row for row in scan(tmp_path, capsys, manifests) if row[0] == "Secret"]

    assert fields == (
        "spec.containers[c].envFrom[0].secretRef",
        "spec.jobTemplate.spec.template.spec.containers[c].envFrom[0].secretRef",
        "spec.template.spec.containers[c].envFrom[0].secretRef",
    )


def test_what_the_output_defines_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = """\
    apiVersion: v1
    kind: Namespace
    metadata: {name: apps}
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: app-secrets, namespace: apps}
    data: {present: MQ==}
    stringData: {also: "2"}
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: builder, namespace: apps}
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: data, namespace: apps}
    spec: {storageClassName: standard}
    ---
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata: {name: standard}
    provisioner: example.com/disk
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: apps}
    spec:
      template:
        spec:
          serviceAccountName: builder
          containers:
            - name: app
              env:
                - name: A
                  valueFrom: {secretKeyRef: {name: app-secrets, key: present}}
                - name: B
                  valueFrom: {secretKeyRef: {name: app-secrets, key: also}}
          volumes:
            - {name: data, persistentVolumeClaim: {claimName: data}}
            - name: ca
              projected: {sources: [{configMap: {name: kube-root-ca.crt}}]}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: once, namespace: kube-system}
    spec: {template: {spec: {serviceAccountName: default, containers: [{name: c}]}}}
    """
    assert scan(tmp_path, capsys, manifests) == []


def test_a_key_missing_from_a_defined_secret_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = """\
    apiVersion: v1
    kind: Secret
    metadata: {name: app-secrets}
    stringData: {present: "1"}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      containers:
        - name: app
          env:
            - {name: A, valueFrom: {secretKeyRef: {name: app-secrets, key: present}}}
            - {name: B, valueFrom: {secretKeyRef: {name: app-secrets, key: absent}}}
    """
    report = scan_report(tmp_path, capsys, manifests)
    rows = listing(report)

    assert [row[:3] for row in rows] == [
        ("Namespace", "<unnamed>", ()),
        ("Secret", "app-secrets", ("absent", "present")),
    ]
    assert notes(report, "Secret", "app-secrets") == ["defined in the output without key(s) absent"]
    assert "kubectl's current namespace" in notes(report, "Namespace", None)[0]


def test_storage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = """\
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: default-class, namespace: apps}
    spec: {accessModes: [ReadWriteOnce]}
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: static, namespace: apps}
    spec: {storageClassName: "", volumeName: pv-1}
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: any-static, namespace: apps}
    spec: {storageClassName: ""}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db, namespace: apps}
    spec:
      volumeClaimTemplates:
        - metadata: {name: data}
          spec: {storageClassName: fast}
        - metadata: {name: logs}
          spec: {}
    """
    rows = scan(tmp_path, capsys, manifests)

    assert [row for row in rows if row[0] != "Namespace"] == [
        ("PersistentVolume", "<unnamed>", (), ("spec.storageClassName",)),
        ("PersistentVolume", "pv-1", (), ("spec.storageClassName",)),
        (
            "StorageClass",
            "<unnamed>",
            (),
            ("spec.storageClassName", "spec.volumeClaimTemplates[logs].spec.storageClassName"),
        ),
        ("StorageClass", "fast", (), ("spec.volumeClaimTemplates[data].spec.storageClassName",)),
    ]


def test_default_classes_defined_in_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = """\
    apiVersion: storage.k8s.io/v1
    kind: StorageClass
    metadata:
      name: local
      annotations: {storageclass.kubernetes.io/is-default-class: "true"}
    provisioner: example.com/disk
    ---
    apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata:
      name: mine
      annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
    spec: {controller: example.com/ingress}
    ---
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: c, namespace: default}
    spec: {}
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: i, namespace: default}
    spec: {}
    """
    assert scan(tmp_path, capsys, manifests) == []


def test_ingress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = """\
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: named, namespace: apps}
    spec:
      ingressClassName: nginx
      tls: [{hosts: [a.example.com], secretName: a-tls}]
      defaultBackend: {service: {name: web, port: {number: 80}}}
      rules:
        - http:
            paths:
              - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: unnamed, namespace: apps}
    spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: legacy
      namespace: apps
      annotations: {kubernetes.io/ingress.class: traefik}
    spec: {}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: apps}
    spec: {ports: [{port: 80}]}
    """
    report = scan_report(tmp_path, capsys, manifests)
    rows = listing(report)

    assert [row for row in rows if row[0] != "Namespace"] == [
        ("Secret", "apps/a-tls", ("tls.crt", "tls.key"), ("spec.tls[0].secretName",)),
        ("IngressClass", "<unnamed>", (), ("spec.ingressClassName",)),
        ("IngressClass", "nginx", (), ("spec.ingressClassName",)),
        (
            "IngressClass",
            "traefik",
            (),
            ("metadata.annotations[kubernetes.io/ingress.class]",),
        ),
        ("Service", "apps/api", (), ("spec.rules[0].http.paths[0].backend.service.name",)),
    ]
    assert notes(report, "Secret", "a-tls") == ["type kubernetes.io/tls"]
    assert notes(report, "IngressClass", None) == [
        "no ingressClassName set: the IngressClass annotated "
        'ingressclass.kubernetes.io/is-default-class: "true"'
    ]


def test_gateway_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = """\
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: public, namespace: gateways}
    spec:
      gatewayClassName: istio
      listeners:
        - name: https
          port: 443
          protocol: HTTPS
          tls:
            certificateRefs: [{name: gw-cert}, {name: shared-cert, namespace: certs}]
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: web, namespace: apps}
    spec:
      parentRefs:
        - {name: public, namespace: gateways}
        - {name: shared, namespace: gateways, sectionName: https}
      rules:
        - backendRefs: [{name: api, port: 80}, {name: other, namespace: elsewhere, port: 80}]
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: BackendTLSPolicy
    metadata: {name: api-tls, namespace: apps}
    spec:
      targetRefs: [{group: "", kind: Service, name: api}]
      validation:
        caCertificateRefs: [{group: "", kind: ConfigMap, name: backend-ca}]
        hostname: api.apps.svc
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: gateways}
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: apps}
    """
    report = scan_report(tmp_path, capsys, manifests)
    rows = listing(report)

    assert rows == [
        (
            "APIGroup",
            "gateway.networking.k8s.io",
            ("BackendTLSPolicy", "Gateway", "HTTPRoute"),
            ("apiVersion", "apiVersion", "spec.parentRefs[0]", "spec.parentRefs[1]", "apiVersion"),
        ),
        (
            "Secret",
            "certs/shared-cert",
            ("tls.crt", "tls.key"),
            ("spec.listeners[https].tls.certificateRefs[1]",),
        ),
        (
            "Secret",
            "gateways/gw-cert",
            ("tls.crt", "tls.key"),
            ("spec.listeners[https].tls.certificateRefs[0]",),
        ),
        (
            "ConfigMap",
            "apps/backend-ca",
            ("ca.crt",),
            ("spec.validation.caCertificateRefs[0]",),
        ),
        ("GatewayClass", "istio", (), ("spec.gatewayClassName",)),
        ("Gateway", "gateways/shared", (), ("spec.parentRefs[1]",)),
        ("Service", "apps/api", (), ("spec.rules[0].backendRefs[0]", "spec.targetRefs[0]")),
        ("Service", "elsewhere/other", (), ("spec.rules[0].backendRefs[1]",)),
    ]
    assert notes(report, "Secret", "shared-cert") == [
        "in another namespace: needs a ReferenceGrant in certs"
    ]
    assert notes(report, "Gateway", "shared") == [
        "in another namespace: its listeners must allow routes from apps"
    ]
    assert notes(report, "APIGroup", "gateway.networking.k8s.io") == [
        "serves gateway.networking.k8s.io/v1"
    ]


def test_cert_manager(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = """\
    apiVersion: cert-manager.io/v1
    kind: Certificate
    metadata: {name: web-cert, namespace: apps}
    spec:
      secretName: web-tls
      issuerRef: {name: ca-issuer, kind: ClusterIssuer}
    ---
    apiVersion: cert-manager.io/v1
    kind: Issuer
    metadata: {name: local, namespace: apps}
    spec: {ca: {secretName: local-ca}}
    ---
    apiVersion: cert-manager.io/v1
    kind: ClusterIssuer
    metadata: {name: cluster-ca}
    spec: {ca: {secretName: root-ca}}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: apps}
    spec:
      containers: [{name: app}]
      volumes: [{name: tls, secret: {secretName: web-tls}}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: shim
      namespace: apps
      annotations: {cert-manager.io/issuer: local}
    spec:
      ingressClassName: nginx
      tls: [{hosts: [a.example.com], secretName: issued-by-cert-manager}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: shim-cluster
      namespace: apps
      annotations: {cert-manager.io/cluster-issuer: letsencrypt}
    spec:
      ingressClassName: nginx
      tls: [{hosts: [b.example.com], secretName: also-issued}]
    """
    report = scan_report(tmp_path, capsys, manifests)
    rows = listing(report)

    assert [row for row in rows if row[0] not in {"Namespace", "IngressClass"}] == [
        (
            "APIGroup",
            "cert-manager.io",
            ("Certificate", "ClusterIssuer", "Issuer"),
            (
                "apiVersion",
                "spec.issuerRef",
                "apiVersion",
                "apiVersion",
                "metadata.annotations[cert-manager.io/issuer]",
                "metadata.annotations[cert-manager.io/cluster-issuer]",
            ),
        ),
        ("Secret", "apps/local-ca", ("tls.crt", "tls.key"), ("spec.ca.secretName",)),
        ("Secret", "cert-manager/root-ca", ("tls.crt", "tls.key"), ("spec.ca.secretName",)),
        ("ClusterIssuer", "ca-issuer", (), ("spec.issuerRef",)),
        (
            "ClusterIssuer",
            "letsencrypt",
            (),
            ("metadata.annotations[cert-manager.io/cluster-issuer]",),
        ),
    ]
    assert "cluster resource namespace" in notes(report, "Secret", "root-ca")[0]


def test_network_policy_peers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = """\
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: peers, namespace: apps}
    spec:
      podSelector: {}
      ingress:
        - from:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
            - namespaceSelector:
                matchExpressions:
                  - {key: kubernetes.io/metadata.name, operator: In, values: [b, a]}
            - namespaceSelector: {matchLabels: {team: x}}
            - namespaceSelector:
                matchLabels: {team: "y"}
                matchExpressions: [{key: env, operator: NotIn, values: [dev]}]
            - namespaceSelector: {}
            - podSelector: {matchLabels: {app: probe}}
      egress:
        - to:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
            - namespaceSelector:
                matchLabels: {kubernetes.io/metadata.name: apps, tier: web}
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: apps, labels: {team: x}}
    """
    report = scan_report(tmp_path, capsys, manifests)
    rows = listing(report)

    assert rows == [
        ("Namespace", "a", (), ("spec.ingress[0].from[1].namespaceSelector",)),
        ("Namespace", "apps", (), ("spec.egress[0].to[1].namespaceSelector",)),
        ("Namespace", "b", (), ("spec.ingress[0].from[1].namespaceSelector",)),
        (
            "Namespace",
            "<team=y,env notin (dev)>",
            (),
            ("spec.ingress[0].from[3].namespaceSelector",),
        ),
        ("Namespace", "monitoring", (), ("spec.ingress[0].from[0].namespaceSelector",)),
    ]
    # "apps" is in the output, but without the label the peer asks for.
    assert [r["selector"] for r in report["requirements"] if r["name"] == "apps"] == ["tier=web"]


@pytest.mark.parametrize(
    ("selector", "listed"),
    [
        ("{matchLabels: {team: x}}", False),
        ("{matchLabels: {team: z}}", True),
        ("{matchExpressions: [{key: team, operator: In, values: [w, x]}]}", False),
        ("{matchExpressions: [{key: team, operator: In, values: [z]}]}", True),
        ("{matchExpressions: [{key: team, operator: NotIn, values: [x]}]}", True),
        ("{matchExpressions: [{key: team, operator: NotIn, values: [z]}]}", False),
        ("{matchExpressions: [{key: team, operator: Exists}]}", False),
        ("{matchExpressions: [{key: env, operator: Exists}]}", True),
        ("{matchExpressions: [{key: env, operator: DoesNotExist}]}", False),
        ("{matchExpressions: [{key: team, operator: DoesNotExist}]}", True),
    ],
)
def test_label_selected_namespaces_defined_in_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], selector: str, listed: bool
) -> None:
    manifests = f"""\
    apiVersion: v1
    kind: Namespace
    metadata: {{name: apps, labels: {{team: x}}}}
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {{name: peers, namespace: apps}}
    spec: {{podSelector: {{}}, ingress: [{{from: [{{namespaceSelector: {selector}}}]}}]}}
    """
    rows = scan(tmp_path, capsys, manifests)

    assert len(rows) == listed
    assert all(row[0] == "Namespace" and row[1].startswith("<") for row in rows)


def test_api_groups_minus_the_crds_in_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Cluster
      names: {kind: Widget, plural: widgets}
    ---
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w}
    ---
    apiVersion: example.com/v1alpha1
    kind: Gadget
    metadata: {name: g, namespace: kube-system}
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: p, namespace: kube-system}
    """
    assert scan(tmp_path, capsys, manifests) == [
        ("APIGroup", "example.com", ("Gadget",), ("apiVersion",)),
    ]


def test_service_account_image_pull_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = """\
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: puller, namespace: default}
    imagePullSecrets: [{name: regcred}]
    """
    assert scan(tmp_path, capsys, manifests) == [
        ("Secret", "default/regcred", (".dockerconfigjson",), ("imagePullSecrets[0].name",)),
    ]


def test_malformed_shapes_are_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: odd, namespace: default}
    spec:
      template:
        spec:
          containers: [{name: a, env: {not: a list}, envFrom: [null, 3]}, "text"]
          volumes: [{name: v, secret: {}}, {name: w, projected: {sources: [{secret: 1}]}}]
          imagePullSecrets: [{}, "x"]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: odd, namespace: default}
    spec: {ingress: [{from: [{namespaceSelector: {matchExpressions: [7]}}]}], egress: 3}
    """
    assert scan(tmp_path, capsys, manifests) == []


# ---------------------------------------------------------------------------------------------
# Reading, and the command line
# ---------------------------------------------------------------------------------------------


def test_directories_are_read_recursively_in_sorted_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "b").mkdir(parents=True)
    (out / "a.yaml").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s1}\n", "utf-8")
    (out / "b" / "c.yml").write_text(
        "---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec: {containers: [{name: c, envFrom: [{secretRef: {name: s2}}]}]}\n",
        "utf-8",
    )
    (out / "b" / "d.json").write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "List",
                "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "m"}}],
            }
        ),
        "utf-8",
    )
    (out / "README.md").write_text("# not read\n", "utf-8")
    report = preflight_json(capsys, out)

    assert [Path(file).relative_to(out).as_posix() for file in report["files"]] == [
        "a.yaml",
        "b/c.yml",
        "b/d.json",
    ]
    assert report["objects"] == 3
    ((secret,),) = [r["used_by"] for r in report["requirements"] if r["kind"] == "Secret"]
    assert (secret["name"], secret["line"]) == ("p", 3)


def test_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "app.yaml").write_text(textwrap.dedent(POD_REFERENCES), "utf-8")
    code = main(["preflight", str(tmp_path / "app.yaml")])
    out = capsys.readouterr().out

    assert code == 0
    assert out.startswith(
        "Read 1 object from 1 file.\nBefore they can run, the cluster must have:\n"
    )
    assert "\nSecrets\n  apps/api-token: keys token; see docs/cluster.md#secrets\n" in out
    assert "  apps/extra: keys value; optional; see docs/cluster.md#secrets\n" in out
    assert (
        "\nRuntimeClasses\n  gvisor\n"
        "      Deployment apps/web: spec.template.spec.runtimeClassName\n" in out
    )


def test_text_report_without_requirements(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    code = main(["preflight", str(tmp_path)])

    assert code == 0
    assert capsys.readouterr().out == (
        "Read 1 object from 1 file.\nThey refer to nothing outside themselves.\n"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.yaml",
            "a: b\n  c: d\n",
            "bad.yaml:2:4: mapping values are not allowed in this context",
        ),
        ("bad.yaml", "kind: Pod\n---\n- a list\n", "bad.yaml:3: document is a list, not an object"),
        ("bad.yaml", "apiVersion: v1\n", "bad.yaml:1:1: kind: object has no kind"),
        ("bad.json", '{"kind": "Pod",\n  }', "bad.json:2: invalid JSON: Expecting property name"),
        ("bad.yaml", b"kind: \xff\n", "bad.yaml:1: not UTF-8 text"),
    ],
)
def test_unreadable_input_exits_2_naming_file_and_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes,
    message: str,
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code = main(["preflight", str(tmp_path)])
    captured = capsys.readouterr()

    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith(f"kasm-constructs preflight: error: {tmp_path}/{message}")
    assert "Traceback" not in captured.err


def test_missing_path_and_empty_directory_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["preflight", str(tmp_path / "nope")]) == 2
    assert "nope: no such file or directory" in capsys.readouterr().err
    assert main(["preflight", str(tmp_path)]) == 2
    assert "no .yaml, .yml or .json files in this directory" in capsys.readouterr().err


def test_python_dash_m_end_to_end() -> None:
    """As a user runs it; reading the files needs no Node.js (nothing starts jsii)."""
    result = subprocess.run(
        [sys.executable, "-m", "kasm_constructs", "preflight", "--output", "json", "dist"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
        env={"PATH": "/nonexistent"},
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"] == ["dist/kasm.k8s.yaml"]


# ---------------------------------------------------------------------------------------------
# The outputs shown in the documentation
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownOutput:
    doc: Path
    command: str
    shown: str

    def actual(self) -> str:
        """What the command prints, run from the repository root as the reader would."""
        args = self.command.split()[1:]  # "python" is this interpreter
        result = subprocess.run(
            [sys.executable, *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, f"{self.command}: {result.stderr}"
        return result.stdout


def shown_outputs(doc: Path) -> list[ShownOutput]:
    text = doc.read_text(encoding="utf-8")
    return [ShownOutput(doc, m["command"], m["text"]) for m in OUTPUT_BLOCK.finditer(text)]


def update_docs() -> list[Path]:
    """Write every shown output from the command's real output; return the files changed."""
    changed = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        actual = {shown.command: shown.actual() for shown in shown_outputs(doc)}
        updated = OUTPUT_BLOCK.sub(partial(_shown_block, actual), text)
        if updated != text:
            doc.write_text(updated, encoding="utf-8")
            changed.append(doc)
    return changed


def _shown_block(actual: dict[str, str], match: re.Match[str]) -> str:
    command = match["command"]
    return f"<!-- output of: {command} -->\n```text\n{actual[command]}```"


def test_docs_show_the_preflight_output_of_both_examples() -> None:
    commands = [shown.command for doc in DOCS for shown in shown_outputs(doc)]

    assert "python -m kasm_constructs preflight dist" in commands
    assert "python -m kasm_constructs preflight examples/teams/dist" in commands


@pytest.mark.parametrize(
    "shown",
    [shown for doc in DOCS for shown in shown_outputs(doc)],
    ids=lambda shown: f"{shown.doc.name}: {shown.command}",
)
def test_shown_output_is_the_real_output(shown: ShownOutput) -> None:
    assert shown.shown == shown.actual(), (
        f"{shown.doc.relative_to(REPO)} shows a stale output of `{shown.command}`: "
        "run `make docs` and commit the result"
    )


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.test_preflight --update")
    for path in update_docs():
        print(f"updated {path.relative_to(REPO)}")
