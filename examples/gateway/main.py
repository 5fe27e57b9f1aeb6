"""Third example: desktops reached through Gateway API, over TLS verified end to end.

- the namespace enforces Pod Security "restricted";
- each workspace serves a certificate from cert-manager (``WorkspaceCertificate``, signed by
  the Issuer ``desktops-ca``) instead of the image's self-signed one;
- an ``HTTPRoute`` attaches each to the Gateway ``public`` in ``gateway-system``, and a
  ``BackendTLSPolicy`` makes the gateway verify that certificate against the CA in the
  ConfigMap ``desktops-ca`` (key ``ca.crt``; e.g. written by trust-manager);
- each workspace's one NetworkPolicy admits the gateway's proxy pods (Envoy Gateway's, by
  namespace and pod labels) to the web port only.

Run ``cdk8s synth`` here; the output in dist/ is committed and checked by the tests.
"""

import cdk8s

from kasm_constructs import (
    HardenedWorkspace,
    Home,
    RestrictedNamespace,
    SecretKeyRef,
    WorkspaceCertificate,
    WorkspaceRoute,
    clean_errors,
)

NAMESPACE = "desktops"
GATEWAY = {"gateway": "public", "gateway_namespace": "gateway-system"}


def build(app: cdk8s.App) -> cdk8s.Chart:
    """One chart in namespace ``desktops``: the namespace, two workspaces and their routes."""
    chart = cdk8s.Chart(app, "desktops", namespace=NAMESPACE)
    RestrictedNamespace(chart, "namespace", name=NAMESPACE)
    for name, image, home in (
        ("chrome", "kasmweb/chrome:1.16.0", None),
        ("desktop", "kasmweb/desktop:1.16.0", Home.per_replica("20Gi")),
    ):
        workspace = HardenedWorkspace(
            chart,
            name,
            name=name,
            image=image,
            home=home,
            secret_env={"VNC_PW": SecretKeyRef(f"{name}-vnc", "password")},
            backend_tls_secret=f"{name}-backend-tls",
            egress_internet=name == "chrome",
        )
        WorkspaceCertificate(
            chart, f"{name}-certificate", workspace=workspace, issuer="desktops-ca"
        )
        WorkspaceRoute(
            chart,
            f"{name}-route",
            workspace=workspace,
            hostnames=[f"{name}.desktops.example.com"],
            ca_config_map="desktops-ca",
            **GATEWAY,
        )
    return chart


if __name__ == "__main__":
    # A mistake (a wrong argument, a roster line, a refused workload) is printed as one
    # message, without a Python or jsii stack, and the app exits with status 1.
    with clean_errors():
        app = cdk8s.App()
        build(app)
        app.synth()
