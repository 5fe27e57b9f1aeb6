"""Second example: desktops for two teams in one app, next to ordinary cdk8s-plus objects.

- team-a gets Chrome desktops on an ephemeral home with internet egress, behind an Ingress;
- team-b gets two full desktops, each with its own persistent home (a StatefulSet);
- each team has its own chart, namespace (Pod Security "restricted" enforced) and labels;
- a plain cdk8s-plus NetworkPolicy and ConfigMap sit beside them, selecting the workspaces
  through the cdk8s-plus API.

Run ``cdk8s synth`` here; the output in dist/ is committed and checked by the tests.
"""

import cdk8s
import cdk8s_plus_28 as kplus

from kasm_constructs import (
    HardenedWorkspace,
    Home,
    RestrictedNamespace,
    WorkspaceIngress,
    clean_errors,
)


def build(app: cdk8s.App) -> list[cdk8s.Chart]:
    """One chart for the namespaces, one per team."""
    cluster = cdk8s.Chart(app, "namespaces")
    for team in ("team-a", "team-b"):
        RestrictedNamespace(cluster, team, name=team, enforce_version="1.28")

    team_a = cdk8s.Chart(app, "team-a", namespace="team-a", labels={"team": "a"})
    chrome = HardenedWorkspace(
        team_a,
        "chrome",
        image="kasmweb/chrome:1.16.0",
        secret_env={"VNC_PW": ("chrome-vnc", "password")},
        egress_internet=True,
        requests={"cpu": "500m", "memory": "1Gi"},
        limits={"cpu": "2", "memory": "3Gi"},
    )
    WorkspaceIngress(
        team_a,
        "chrome-ingress",
        workspace=chrome,
        host="chrome.team-a.example.com",
        tls_secret="chrome-team-a-tls",
        ingress_class_name="nginx",
    )

    team_b = cdk8s.Chart(app, "team-b", namespace="team-b", labels={"team": "b"})
    desktop = HardenedWorkspace(
        team_b,
        "desktop",
        image="kasmweb/desktop:1.16.0",
        replicas=2,
        home=Home.per_replica("20Gi", storage_class="standard-rwo"),
        secret_env={"VNC_PW": ("desktop-vnc", "password")},
        env={"VNC_RESOLUTION": "1920x1080", "KASM_SVC_AUDIO": "0"},
    )
    # Ordinary cdk8s-plus objects, composed with the workspace through the cdk8s-plus API.
    kplus.ConfigMap(team_b, "notes", data={"owner": "team-b"})
    monitoring = kplus.NetworkPolicy(
        team_b,
        "allow-probe-exporter",
        selector=desktop.workload,
        ingress=kplus.NetworkPolicyTraffic(default=kplus.NetworkPolicyTrafficDefault.DENY),
    )
    monitoring.add_ingress_rule(
        kplus.Pods.select(team_b, "blackbox", labels={"app": "blackbox-exporter"}),
        [kplus.NetworkPolicyPort.tcp(desktop.ports["vnc"])],
    )
    return [cluster, team_a, team_b]


if __name__ == "__main__":
    # A mistake (a wrong argument, a roster line, a refused workload) is printed as one
    # message, without a Python or jsii stack, and the app exits with status 1.
    with clean_errors():
        app = cdk8s.App()
        build(app)
        app.synth()
