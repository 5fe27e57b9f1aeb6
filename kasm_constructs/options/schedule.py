"""``Schedule``: the hours a desktop runs, kept by KEDA's cron scaler.

A workspace with a schedule gets a KEDA ``ScaledObject`` (``keda.sh/v1alpha1``) aimed at its
workload: one ``cron`` trigger whose window is the schedule, ``minReplicaCount: 0`` and
``maxReplicaCount`` the workload's replicas. Outside the window KEDA scales the desktop to zero
(its home stays); inside, to its replicas. The workload then leaves ``spec.replicas`` to KEDA.

Facts, each with its source (kedacore/keda v2.20.2 unless said otherwise):

- [cron] ``pkg/scalers/cron_scaler.go`` L30-57: ``start``, ``end``, ``timezone`` and
  ``desiredReplicas`` are all required; ``start`` and ``end`` are parsed with five fields
  (minute, hour, day of month, month, day of week: robfig/cron v3.0.1, no seconds, no
  descriptors); ``start == end`` and ``desiredReplicas == 0`` are refused. L84-87, L129-151:
  the trigger is active when the next end comes before the next start (both computed in
  ``timezone`` with ``time.LoadLocation``, an IANA name).
- [cooldown] ``pkg/scaling/executor/scale_executor.go`` L33-37 (``cooldownPeriod`` defaults to
  300 s), ``scale_scaledobjects.go`` L187-238: the step to zero waits ``cooldownPeriod`` after
  the trigger was last active; ``withtriggers_types.go`` L49-52 (``pollingInterval`` 30 s).
- [pause] ``apis/keda/v1alpha1/scaledobject_types.go`` L58-61: the annotation
  ``autoscaling.keda.sh/paused-replicas`` pauses an object at a count.
- [scale] ``pkg/scaling/resolver/scale_resolvers.go`` L808-824: a StatefulSet is a target.
- [argo] argoproj/argo-cd v3.5.1 ``docs/user-guide/diffing.md`` L24-47 and
  ``sync-options.md`` L413-432: ``ignoreDifferences`` on ``/spec/replicas`` with
  ``RespectIgnoreDifferences=true``.
"""

from __future__ import annotations

import re
import zlib
import zoneinfo
from dataclasses import dataclass
from typing import Any

from kasm_constructs.manifests.grammar import (
    CLOCK_TIME,
    CRON_WEEKDAYS,
    IANA_ZONE,
    check_str,
    compiled,
    fail,
    full_match,
)
from kasm_constructs.options.forms import Form, Record

__all__ = ["COOLDOWN_SECONDS", "Schedule"]

#: How long after the stop time KEDA waits before it scales a desktop to zero [cooldown]; with
#: its 30 s polling, a desktop stops within about 90 s of ``stop``.
COOLDOWN_SECONDS = 60
_STAGGER = re.compile(r"([1-9][0-9]{0,2})m")


def _minutes(parameter: str, value: object) -> int:
    text = check_str(parameter, value)
    match = compiled(CLOCK_TIME).fullmatch(text)
    if match is None:
        fail(parameter, value, "expected a time of day as HH:MM, e.g. '07:00'")
    return int(match[1]) * 60 + int(match[2])


def _days(value: str) -> list[int]:
    """The days of week (0 = Sunday) of a cron day-of-week field of digits, ranges and lists."""
    days: set[int] = set()
    for part in value.split(","):
        first, _, last = part.partition("-")
        days.update(range(int(first), int(last or first) + 1))
    return sorted(days)


def _field(days: list[int]) -> str:
    """``days`` as a cron day-of-week field, ranges where they run."""
    parts, start = [], None
    for index, day in enumerate(days):
        if start is None:
            start = day
        if index + 1 == len(days) or days[index + 1] != day + 1:
            parts.append(str(start) if start == day else f"{start}-{day}")
            start = None
    return ",".join(parts)


def _check_zone(value: object) -> str:
    text = check_str("Schedule(timezone)", value)
    known = zoneinfo.available_timezones()
    if (known and text not in known and text != "UTC") or (
        not known and not full_match(IANA_ZONE, text)
    ):
        fail("Schedule(timezone)", value, "expected an IANA time zone, e.g. 'Europe/Berlin'")
    return text


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """The hours a desktop runs: from ``start`` to ``stop`` (``HH:MM``) on ``weekdays`` (a cron
    day-of-week field: ``0`` is Sunday, e.g. ``"1-5"``, ``"1,3,5"``), in ``timezone`` (an IANA
    name). A ``stop`` before ``start`` runs overnight, ending the next day. ``stagger`` (e.g.
    ``"30m"``): each desktop starts up to that much *before* ``start``, at a minute fixed by
    its name, so a thousand desktops do not all start at once and all are up by ``start``.

    Desktops stop within about 90 s of ``stop`` (KEDA's cool-down, 60 s, and its polling).
    """

    weekdays: str = "1-5"
    start: str = "07:00"
    stop: str = "20:00"
    timezone: str = "UTC"
    stagger: str | None = None

    def __post_init__(self) -> None:
        days = check_str("Schedule(weekdays)", self.weekdays)
        if not full_match(CRON_WEEKDAYS, days) or any(
            int(a) > int(b) for a, _, b in (p.partition("-") for p in days.split(",")) if b
        ):
            fail(
                "Schedule(weekdays)",
                self.weekdays,
                "expected days of week as cron writes them, 0 (Sunday) to 6: '1-5', '0,6'",
            )
        start = _minutes("Schedule(start)", self.start)
        stop = _minutes("Schedule(stop)", self.stop)
        if start == stop:
            fail("Schedule(stop)", self.stop, "expected a time other than start (KEDA refuses it)")
        _check_zone(self.timezone)
        if self.stagger is not None:
            match = _STAGGER.fullmatch(check_str("Schedule(stagger)", self.stagger))
            if match is None:
                fail("Schedule(stagger)", self.stagger, "expected minutes, e.g. '30m', or None")
            window = (stop - start) % (24 * 60)
            if int(match[1]) >= window or int(match[1]) > start:
                fail(
                    "Schedule(stagger)",
                    self.stagger,
                    "expected less than the window, and no earlier than midnight before start",
                )

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{weekdays, start, stop, timezone, stagger}``."""
        return Record.of(cls)

    def offset(self, name: str) -> int:
        """How many minutes before ``start`` the desktop ``name`` starts (``stagger``)."""
        if self.stagger is None:
            return 0
        spread = int(self.stagger[:-1])
        return zlib.crc32(name.encode()) % (spread + 1)

    def cron(self, name: str) -> tuple[str, str]:
        """The cron trigger's ``start`` and ``end`` for the desktop ``name`` [cron]."""
        days = _days(self.weekdays)
        start = _minutes("start", self.start) - self.offset(name)
        stop = _minutes("stop", self.stop)
        # overnight: the window ends on the day after each day it starts
        end_days = days if stop > start else sorted({(day + 1) % 7 for day in days})
        return (
            f"{start % 60} {start // 60} * * {_field(days)}",
            f"{stop % 60} {stop // 60} * * {_field(end_days)}",
        )

    def scaled_object_spec(self, *, kind: str, name: str, replicas: int) -> dict[str, Any]:
        """The ``ScaledObject`` spec that keeps this schedule for the workload ``kind``/``name``
        of ``replicas`` replicas."""
        start, end = self.cron(name)
        return {
            "cooldownPeriod": COOLDOWN_SECONDS,
            "maxReplicaCount": replicas,
            "minReplicaCount": 0,
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name},
            "triggers": [
                {
                    "metadata": {
                        "desiredReplicas": str(replicas),
                        "end": end,
                        "start": start,
                        "timezone": self.timezone,
                    },
                    "type": "cron",
                }
            ],
        }
