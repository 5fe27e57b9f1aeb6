"""Scanner findings the library accepts on purpose, each with its reason.

A waiver is written on the workload as a ``checkov.io/skipN`` annotation, so checkov reports the
check as *skipped* with the reason instead of silently passing it, and a reader of the manifest
sees why. Anything not listed here stays visible: an image without a digest keeps its
CKV_K8S_43 finding, for example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["CHECKOV_WAIVERS", "Facts", "Waiver", "checkov_annotations"]


@dataclass(frozen=True)
class Facts:
    """What a waiver's condition looks at."""

    run_as_user: int
    secret_env: Sequence[str]
    capabilities_add: Sequence[str]
    low_ports: Sequence[int]


@dataclass(frozen=True)
class Waiver:
    """One accepted finding: the check, when it applies, and why."""

    check: str
    applies: Callable[[Facts], bool]
    reason: Callable[[Facts], str]


#: Every finding the constructs waive. The README lists the same table.
CHECKOV_WAIVERS: tuple[Waiver, ...] = (
    Waiver(
        "CKV_K8S_40",  # containers should run as a high UID (>= 10000)
        lambda f: f.run_as_user < 10000,
        lambda f: (
            f"runs as uid {f.run_as_user}, the user the image is built for (kasmweb: uid 1000, "
            "kasm-user, owns $HOME); runAsNonRoot is enforced"
        ),
    ),
    Waiver(
        "CKV_K8S_35",  # prefer secrets as files over secrets as environment variables
        lambda f: bool(f.secret_env),
        lambda f: (
            f"the image reads {', '.join(f.secret_env)} from its environment; bound by "
            "secretKeyRef, never by value"
        ),
    ),
    Waiver(
        "CKV_K8S_25",  # minimise added capabilities
        lambda f: bool(f.capabilities_add),
        lambda f: (
            f"adds only {', '.join(f.capabilities_add)}, for port(s) "
            f"{', '.join(map(str, f.low_ports))} below 1024"
        ),
    ),
)


def checkov_annotations(facts: Facts) -> Mapping[str, str]:
    """The ``checkov.io/skipN`` annotations for the waivers that apply."""
    applied = [w for w in CHECKOV_WAIVERS if w.applies(facts)]
    return {
        f"checkov.io/skip{n}": f"{w.check}={w.reason(facts)}"
        for n, w in enumerate(applied, start=1)
    }
