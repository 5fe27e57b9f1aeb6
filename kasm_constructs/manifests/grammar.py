"""Argument checks shared by the constructs.

Every check raises :class:`ConfigurationError` (a ``ValueError``) whose message names the
parameter, shows the value and says what is allowed. The patterns are the API server's own
(``k8s.io/apimachinery/pkg/util/validation``), so a value accepted here is accepted there.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from kasm_constructs.errors import ConfigurationError

__all__ = [
    "INT32_MAX",
    "ConfigurationError",
    "check_absolute_path",
    "check_annotations",
    "check_dns1035_label",
    "check_dns_label",
    "check_dns_subdomain",
    "check_env_name",
    "check_int",
    "check_labels",
    "check_mapping",
    "check_port_name",
    "check_str",
    "fail",
    "hidden",
    "is_dns_subdomain",
    "is_label_value",
    "is_secret_key",
    "parse_quantity",
]


def fail(parameter: str, value: object, allowed: str) -> NoReturn:
    """Raise a :class:`ConfigurationError`."""
    raise ConfigurationError(parameter, value, allowed)


class _Hidden:
    """Stands in for a value that may be a credential: its repr says what it was, not what."""

    def __init__(self, value: object) -> None:
        size = f" of {len(value)} characters" if isinstance(value, str) else ""
        self._text = f"<{type(value).__name__}{size}, not shown>"

    def __repr__(self) -> str:
        return self._text


def hidden(value: object) -> object:
    """A stand-in for ``value`` in a message: its type and length, never its content."""
    return _Hidden(value)


# k8s.io/apimachinery/pkg/util/validation/validation.go
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", re.ASCII)
# IsEnvVarName (the rule before RelaxedEnvironmentVariableValidation, which 1.28 enforces)
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
# IsConfigMapKey: keys of Secrets and ConfigMaps
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
# IsValidPortName (IANA_SVC_NAME)
_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")

# k8s.io/apimachinery/pkg/api/resource/quantity.go
_QUANTITY = re.compile(
    r"^(?P<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?P<suffix>[KMGTPE]i|[mkMGTPE]?|[eE][-+]?[0-9]+)$"
)
_BINARY_SI = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_SI = {
    "m": Decimal("0.001"),
    "": Decimal(1),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18,
}


def check_str(parameter: str, value: object) -> str:
    """A non-empty string without surrounding whitespace."""
    if not isinstance(value, str) or not value or value != value.strip():
        fail(parameter, value, "expected a non-empty string without surrounding whitespace")
    return value


INT32_MAX = 2**31 - 1


def check_int(parameter: str, value: object, *, minimum: int, maximum: int = INT32_MAX) -> int:
    """An ``int`` (not a ``bool``) within ``[minimum, maximum]`` (an int32 by default)."""
    in_range = (
        isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum
    )
    if not in_range:
        fail(parameter, value, f"expected an integer from {minimum} to {maximum}")
    assert isinstance(value, int)
    return value


def check_mapping(parameter: str, value: object) -> Mapping[Any, Any]:
    """A mapping (``dict`` or similar)."""
    if not isinstance(value, Mapping):
        fail(parameter, value, "expected a mapping (dict)")
    return value


def check_dns_label(parameter: str, value: object, *, max_length: int = 63) -> str:
    """An RFC 1123 label, as used by container and volume names."""
    if not isinstance(value, str) or len(value) > max_length or not _DNS_LABEL.match(value):
        fail(
            parameter,
            value,
            f"expected an RFC 1123 label: at most {max_length} characters of a-z, 0-9 and '-', "
            "starting and ending with a letter or digit",
        )
    return value


def check_dns1035_label(parameter: str, value: object, *, max_length: int = 63) -> str:
    """An RFC 1035 label, as used by Service names: starts with a letter."""
    if not isinstance(value, str) or len(value) > max_length or not _DNS1035_LABEL.match(value):
        fail(
            parameter,
            value,
            f"expected an RFC 1035 label: at most {max_length} characters of a-z, 0-9 and '-', "
            "starting with a letter and ending with a letter or digit",
        )
    return value


def is_dns_subdomain(value: str) -> bool:
    """An RFC 1123 subdomain: at most 253 characters, dot-separated labels."""
    return len(value) <= 253 and bool(_DNS_SUBDOMAIN.match(value))


def check_dns_subdomain(parameter: str, value: object) -> str:
    """An RFC 1123 subdomain, as used by Secret, claim and class names."""
    if not isinstance(value, str) or not is_dns_subdomain(value):
        fail(
            parameter,
            value,
            "expected an RFC 1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', "
            "starting and ending with a letter or digit",
        )
    return value


def check_env_name(parameter: str, value: object) -> str:
    """An environment variable name."""
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        fail(
            parameter,
            value,
            "expected an environment variable name: letters, digits, '_', '-' and '.', "
            "not starting with a digit",
        )
    return value


def is_secret_key(value: str) -> bool:
    """A key of a Secret or ConfigMap: up to 253 of letters, digits, '-', '_' and '.'."""
    return len(value) <= 253 and bool(_CONFIG_KEY.match(value))


def check_port_name(parameter: str, value: object) -> str:
    """An IANA_SVC_NAME: at most 15 characters, at least one letter, no '--'."""
    valid = (
        isinstance(value, str)
        and len(value) <= 15
        and bool(_PORT_NAME.match(value))
        and "--" not in value
        and any(c.isalpha() for c in value)
    )
    if not valid:
        fail(
            parameter,
            value,
            "expected an IANA_SVC_NAME: at most 15 characters of a-z, 0-9 and '-', with at "
            "least one letter, no '--', not starting or ending with '-'",
        )
    assert isinstance(value, str)
    return value


def _check_qualified_key(parameter: str, key: object) -> str:
    """A label or annotation key: an optional DNS-subdomain prefix and a qualified name."""
    if isinstance(key, str):
        prefix, slash, name = key.rpartition("/")
        prefix_ok = not slash or (len(prefix) <= 253 and bool(_DNS_SUBDOMAIN.match(prefix)))
        if prefix_ok and len(name) <= 63 and _QUALIFIED_NAME.match(name):
            return key
    fail(
        parameter,
        key,
        "expected a key of the form [prefix/]name: the prefix a DNS subdomain, the name at most "
        "63 characters of letters, digits, '-', '_' and '.', starting and ending alphanumeric",
    )


def is_label_value(value: str) -> bool:
    """At most 63 characters of letters, digits, '-', '_' and '.', alphanumeric at both ends."""
    return len(value) <= 63 and bool(_LABEL_VALUE.match(value))


def check_labels(parameter: str, value: object) -> dict[str, str]:
    """Kubernetes labels: qualified keys, values of at most 63 characters."""
    labels = check_mapping(parameter, value)
    for key, item in labels.items():
        _check_qualified_key(f"{parameter} key", key)
        if not isinstance(item, str) or not is_label_value(item):
            fail(
                f"{parameter}[{key!r}]",
                item,
                "expected a label value: at most 63 characters of letters, digits, '-', '_' "
                "and '.', starting and ending alphanumeric (or empty)",
            )
    return dict(labels)


def check_annotations(parameter: str, value: object) -> dict[str, str]:
    """Kubernetes annotations: qualified keys, string values."""
    annotations = check_mapping(parameter, value)
    for key, item in annotations.items():
        _check_qualified_key(f"{parameter} key", key)
        if not isinstance(item, str):
            fail(f"{parameter}[{key!r}]", item, "expected a string")
    return dict(annotations)


def check_absolute_path(parameter: str, value: object) -> str:
    """A normalised absolute path other than ``/``. ``posixpath.normpath`` keeps a leading
    ``//`` (POSIX leaves its meaning to the system), so ``//`` is refused anywhere."""
    if (
        not isinstance(value, str)
        or not value.startswith("/")
        or value == "/"
        or "//" in value
        or posixpath.normpath(value) != value
        or ":" in value
    ):
        fail(
            parameter,
            value,
            "expected a normalised absolute path other than '/' (no '..', '.', '//', ':' or "
            "trailing '/'), e.g. '/tmp'",
        )
    return value


def parse_quantity(parameter: str, value: object, *, positive: bool = False) -> Decimal:
    """Parse a Kubernetes quantity such as ``500m``, ``2Gi`` or ``1e3`` into a number."""
    match = _QUANTITY.match(value) if isinstance(value, str) else None
    if match is not None:
        number, suffix = Decimal(match["number"]), match["suffix"]
        try:
            if suffix in _BINARY_SI:
                amount = number * _BINARY_SI[suffix]
            elif suffix in _DECIMAL_SI:
                amount = number * _DECIMAL_SI[suffix]
            else:
                amount = number.scaleb(int(suffix[1:]))
        except InvalidOperation:  # pragma: no cover - exponent beyond Decimal's range
            amount = None
        if amount is not None and (amount > 0 or not positive):
            return amount
    fail(
        parameter,
        value,
        "expected a Kubernetes quantity"
        + (" greater than zero" if positive else "")
        + ", e.g. '500m', '2', '512Mi', '4Gi' or '1G'",
    )
