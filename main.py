"""The example app: the seed's hardened Kasm deployment, expressed with kasm-constructs.

``cdk8s synth`` writes it to dist/. The seed is tests/fixtures/seed-deployment.yaml; every way
this output differs from it is listed, with the reason, in tests/seed_deviations.py and the README.
"""

import cdk8s

from kasm_constructs import HardenedWorkspace, Home, SecretKeyRef, clean_errors


def build(app: cdk8s.App) -> cdk8s.Chart:
    """Chart ``kasm`` in namespace ``kasm``, configured like the seed."""
    chart = cdk8s.Chart(app, "kasm", namespace="kasm")
    HardenedWorkspace(
        chart,
        "workspace",
        name="kasm-workspace",
        image="kasmweb/desktop:1.14.0",
        replicas=3,
        labels={"app": "kasm-workspace", "tier": "application"},
        # One ReadWriteOnce claim cannot serve three replicas: each replica gets its own home.
        home=Home.per_replica("10Gi"),
        secret_env={"VNC_PW": SecretKeyRef("kasm-secrets", "vnc-password")},
        writable_paths={
            "/tmp": "500Mi",
            "/var/run/pulse": "100Mi",
            "/usr/share/kasmvnc/www/Downloads": "16Mi",
        },
        requests={"memory": "2Gi", "cpu": "1000m"},
        limits={"memory": "4Gi", "cpu": "2000m"},
    )
    return chart


if __name__ == "__main__":
    # A mistake (a wrong argument, a roster line, a refused workload) is printed as one
    # message, without a Python or jsii stack, and the app exits with status 1.
    with clean_errors():
        app = cdk8s.App()
        build(app)
        app.synth()
