"""Fourth example: a desktop per person, for 25 people, from a roster file.

``roster.yaml`` lists three presets (``kasmweb/desktop``, ``kasmweb/chrome`` and
``kasmweb/vs-code``, all 1.16.0) and 25 people; three are stopped (no pod, home kept), the
others run on weekdays from 07:00 to 20:00, Berlin time (KEDA starts and stops them). Each
person is reached at ``<user>.desktops.example.com`` through the listener ``desktops`` of the
Gateway ``public``, over TLS that the gateway verifies, after signing in at the organisation's
identity provider: only the person whose email the roster gives reaches the desktop, and the
gateway injects their VNC password (``docs/sign-in.md``). The namespace enforces Pod Security
"restricted", and a ResourceQuota caps it at what the running desktops request.

Run ``cdk8s synth`` here; the output in dist/ is committed and checked by the tests.
"""

from pathlib import Path

import cdk8s

from kasm_constructs import WorkspaceFleet, clean_errors

ROSTER = Path(__file__).with_name("roster.yaml")


def build(app: cdk8s.App) -> cdk8s.Chart:
    """One chart in namespace ``desktops``: the fleet of the roster."""
    chart = cdk8s.Chart(app, "desktops", namespace="desktops")
    WorkspaceFleet.from_roster(chart, "fleet", ROSTER)
    return chart


if __name__ == "__main__":
    # A mistake (a wrong argument, a roster line, a refused workload) is printed as one
    # message, without a Python or jsii stack, and the app exits with status 1.
    with clean_errors():
        app = cdk8s.App()
        build(app)
        app.synth()
