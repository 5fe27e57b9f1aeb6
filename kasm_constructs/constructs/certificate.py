"""``WorkspaceCertificate``: a cert-manager Certificate for a workspace's Service, written to
its ``backend_tls_secret``."""

from __future__ import annotations

import cdk8s
from constructs import Construct

from kasm_constructs._pipeline import render
from kasm_constructs.constructs._tree import place, public_signature
from kasm_constructs.constructs.ingress import service_hostname
from kasm_constructs.constructs.workspace import HardenedWorkspace
from kasm_constructs.imports.certificate.io.cert_manager import (
    Certificate,
    CertificateSpec,
    CertificateSpecIssuerRef,
    CertificateSpecPrivateKey,
    CertificateSpecPrivateKeyAlgorithm,
    CertificateSpecPrivateKeyRotationPolicy,
    CertificateSpecUsages,
)
from kasm_constructs.manifests.grammar import check_dns_subdomain, fail

__all__ = ["WorkspaceCertificate"]

_ISSUER_KINDS = ("Issuer", "ClusterIssuer")


@public_signature
class WorkspaceCertificate(Construct):
    """A cert-manager ``Certificate`` (cert-manager.io/v1) for the in-cluster DNS names of a
    workspace's Service, written to the workspace's ``backend_tls_secret``. KasmVNC reads the
    files at every TLS handshake, so a renewal needs no restart.

    Args:
        scope: The parent construct.
        id: The construct id.
        workspace: The workspace; it needs ``backend_tls_secret``, its Service, and its chart a
            namespace.
        issuer: The name of the cert-manager Issuer (or ClusterIssuer) that signs it. Required.
        issuer_kind: ``Issuer`` (default, in the workspace's namespace) or ``ClusterIssuer``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workspace: HardenedWorkspace,
        issuer: str,
        issuer_kind: str = "Issuer",
    ) -> None:
        where = place(scope, id)
        if not isinstance(workspace, HardenedWorkspace):
            fail("workspace", workspace, "expected a HardenedWorkspace")
        secret = workspace.backend_tls_secret
        if secret is None:
            fail(
                "backend_tls_secret",
                None,
                f"the workspace {workspace.node.path!r} names no Secret to write the certificate "
                "to: give it backend_tls_secret=",
            )
        hostname = service_hostname(workspace, "workspace")
        check_dns_subdomain("issuer", issuer)
        if issuer_kind not in _ISSUER_KINDS:
            fail("issuer_kind", issuer_kind, f"expected one of {_ISSUER_KINDS}")
        where.add(lambda: Construct.__init__(self, scope, id))
        where.claim([("Certificate", workspace.name)])
        #: The Certificate.
        self.certificate = Certificate(
            self,
            "Resource",
            metadata=cdk8s.ApiObjectMetadata(name=workspace.name, labels=workspace.labels),
            spec=CertificateSpec(
                secret_name=secret,
                issuer_ref=CertificateSpecIssuerRef(
                    name=issuer, kind=issuer_kind, group="cert-manager.io"
                ),
                dns_names=render.certificate_dns_names(hostname),
                usages=[CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE],
                private_key=CertificateSpecPrivateKey(
                    algorithm=CertificateSpecPrivateKeyAlgorithm.ECDSA,
                    size=256,
                    rotation_policy=CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
                ),
            ),
        )
