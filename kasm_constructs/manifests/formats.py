"""The string ``format``s the API server checks in a custom resource, as it checks them.

The API server validates a CRD's ``format`` with kube-openapi's registry
(k8s.io/kube-openapi ``pkg/validation/strfmt``: ``default.go``, ``date.go``, ``time.go``, and
its copy of govalidator, ``pkg/internal/third_party/govalidator``). A format the registry does
not know (``int32``, ``int64``, ...) is not checked at all: ``maxReplicaCount: 2**40`` passes a
``format: int32`` field. Format names are compared without dashes (``date-time`` is
``datetime``).

:data:`CHECKS` holds the formats that the pinned CRDs use; ``tests/test_validate.py`` fails when
a shipped schema uses one that is neither here nor in :data:`NOT_CHECKED`.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Final

from kasm_constructs.manifests.goregexp import compile_go

__all__ = ["CHECKS", "NOT_CHECKED", "check"]

# The upstream patterns, verbatim, matched as Go matches them.
# govalidator patterns.go Base64 (an empty string is not base64 to it)
_BASE64: Final = (
    r"^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=|[A-Za-z0-9+\/]{4})$"
)
# strfmt time.go DateTimePattern, matched against what follows the date ("." is any character)
_TIME: Final = r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$"
# Go's time.Parse("2006-01-02", ...): four, two and two digits, then a valid date
_FULL_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def _is_date(text: str) -> bool:
    """strfmt date.go ``IsDate``: Go's ``time.Parse("2006-01-02", text)``."""
    match = _FULL_DATE.fullmatch(text)
    if match is None:
        return False
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _is_date_time(text: str) -> bool:
    """strfmt time.go ``IsDateTime``: a date, ``t``, a time with a zone (any case)."""
    if len(text) < 4:
        return False
    parts = text.lower().split("t")
    if len(parts) < 2 or not _is_date(parts[0]):
        return False
    match = compile_go(_TIME).search(parts[1])
    if match is None:
        return False
    hour, minute, second = parts[1][0:2], parts[1][3:5], parts[1][6:8]
    return hour <= "23" and minute <= "59" and second <= "59"


def _is_base64(text: str) -> bool:
    return compile_go(_BASE64).search(text) is not None


def _is_go_ip(text: str, *, sloppy: bool) -> bool:
    """Go's ``net.ParseIP`` (``sloppy``: k8s.io/utils ``ParseIPSloppy``, leading zeros allowed
    in IPv4 octets)."""
    if "%" in text:  # a zone: Python reads it, Go does not
        return False
    if ":" in text:
        try:
            ipaddress.IPv6Address(text)
        except ValueError:
            return False
        return True
    octets = text.split(".")
    return len(octets) == 4 and all(_is_octet(octet, sloppy=sloppy) for octet in octets)


def _is_octet(text: str, *, sloppy: bool) -> bool:
    if not text or not text.isascii() or not text.isdigit() or int(text) > 255:
        return False
    return sloppy or text == "0" or not text.startswith("0")


def _is_ipv4(text: str) -> bool:
    """default.go ``isIPv4``: parses sloppily and contains a dot."""
    return _is_go_ip(text, sloppy=True) and "." in text


def _is_ipv6(text: str) -> bool:
    """govalidator ``IsIPv6``: parses and contains a colon."""
    return _is_go_ip(text, sloppy=False) and ":" in text


#: format (without dashes) -> whether a string is valid.
CHECKS: Final[Mapping[str, Callable[[str], bool]]] = {
    "byte": _is_base64,
    "date": _is_date,
    "datetime": _is_date_time,
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
}
#: Formats the pinned CRDs use that kube-openapi does not check, so neither does the validator.
NOT_CHECKED: Final = frozenset({"int32", "int64"})


def check(format_name: str, value: object) -> bool:
    """Whether ``value`` is valid for ``format_name`` (anything but a string, and any format
    :data:`CHECKS` does not hold, is)."""
    checker = CHECKS.get(format_name.replace("-", ""))
    return checker is None or not isinstance(value, str) or checker(value)
