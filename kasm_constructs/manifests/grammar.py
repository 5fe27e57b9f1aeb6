"""Kubernetes' grammars: names, keys, label values, ports, quantities; and the argument checks
built on them. The one module that owns these patterns.

The patterns are the API server's own, so a value accepted here is accepted there:

- [validation] kubernetes/apimachinery ``pkg/util/validation/validation.go``
  (``IsDNS1123Label``, ``IsDNS1035Label``, ``IsDNS1123Subdomain``, ``IsQualifiedName``,
  ``IsValidLabelValue``, ``IsEnvVarName``, ``IsConfigMapKey``, ``IsValidPortName``);
- [quantity] kubernetes/apimachinery ``pkg/api/resource/quantity.go`` (``ParseQuantity``);
- [helper] kubernetes/kubernetes ``pkg/apis/core/helper/helpers.go``
  (``IsExtendedResourceName``, ``IsNativeResource``);
- [gateway] kubernetes-sigs/gateway-api v1.5.1 ``apis/v1/shared_types.go`` (``Duration``);
- [reference] github.com/distribution/reference ``regexp.go`` (image references).

Every match is a *full* match (``re.fullmatch``, ASCII only): a ``$`` anchor would let a
trailing newline through, and ``\\d`` or ``str.isdigit`` would take ``²`` or ``٣``. Every check
raises :class:`~kasm_constructs.ConfigurationError`, naming the parameter, showing the value
(never a credential's: see :func:`hidden`) and saying what is allowed.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any, Final, NoReturn

from kasm_constructs.errors import ConfigurationError

__all__ = [
    "CLOCK_TIME",
    "CONFIG_KEY",
    "CRON_WEEKDAYS",
    "DNS1035_LABEL",
    "DNS_LABEL",
    "DNS_SUBDOMAIN",
    "ENV_NAME",
    "EXTENDED_RESOURCE",
    "GATEWAY_DURATION",
    "IANA_ZONE",
    "IMAGE_REFERENCE",
    "INT32_MAX",
    "LABEL_VALUE",
    "PORT_NAME",
    "QUALIFIED_NAME",
    "QUANTITY",
    "URL_PATH",
    "ConfigurationError",
    "check_absolute_path",
    "check_annotations",
    "check_dns1035_label",
    "check_dns_label",
    "check_dns_subdomain",
    "check_env_name",
    "check_host",
    "check_int",
    "check_labels",
    "check_mapping",
    "check_port_name",
    "check_str",
    "check_text",
    "compiled",
    "fail",
    "format_quantity",
    "full_match",
    "hidden",
    "is_dns_label",
    "is_dns_subdomain",
    "is_extended_resource",
    "is_label_value",
    "is_port_name",
    "is_quantity",
    "is_secret_key",
    "parse_quantity",
]

# --- the patterns ----------------------------------------------------------------------------
#: IsDNS1123Label: container, volume, namespace and person names. At most 63 characters.
DNS_LABEL: Final = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#: IsDNS1035Label: Service names (they start with a letter). At most 63 characters.
DNS1035_LABEL: Final = r"[a-z]([-a-z0-9]*[a-z0-9])?"
#: IsDNS1123Subdomain: most object names, Secret and claim names. At most 253 characters.
DNS_SUBDOMAIN: Final = rf"{DNS_LABEL}(\.{DNS_LABEL})*"
#: IsQualifiedName, the name part of a label or annotation key. At most 63 characters.
QUALIFIED_NAME: Final = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#: IsValidLabelValue: empty, or like a qualified name. At most 63 characters.
LABEL_VALUE: Final = rf"({QUALIFIED_NAME})?"
#: IsEnvVarName, the rule before RelaxedEnvironmentVariableValidation (Kubernetes 1.28+ only).
ENV_NAME: Final = r"[-._a-zA-Z][-._a-zA-Z0-9]*"
#: IsConfigMapKey: the keys of Secrets and ConfigMaps. At most 253 characters.
CONFIG_KEY: Final = r"[-._a-zA-Z0-9]+"
#: IsValidPortName (IANA_SVC_NAME), with the rules a pattern cannot say checked beside it: at
#: most 15 characters, at least one letter, no "--".
PORT_NAME: Final = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
#: ParseQuantity: a signed decimal number, then a binary or decimal suffix or an exponent.
QUANTITY: Final = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[mkMGTPE]?|[eE][-+]?[0-9]+)"
#: IsExtendedResourceName: a domain-prefixed name (outside ``kubernetes.io``, checked beside).
EXTENDED_RESOURCE: Final = rf"{DNS_SUBDOMAIN}/{QUALIFIED_NAME}"
#: A Gateway API duration (GEP-2257): up to four parts of up to five digits, h, m, s or ms
#: [gateway] (``apis/v1/shared_types.go``, ``Duration``).
GATEWAY_DURATION: Final = r"([0-9]{1,5}(h|m|s|ms)){1,4}"
#: A time of day, ``HH:MM`` (a ``Schedule``'s start and stop).
CLOCK_TIME: Final = r"([01][0-9]|2[0-3]):([0-5][0-9])"
#: A cron day-of-week field of digits (0 is Sunday), ranges and lists: what a ``Schedule``
#: writes into KEDA's five-field cron expressions (robfig/cron v3, ``parser.go``).
CRON_WEEKDAYS: Final = r"[0-6](-[0-6])?(,[0-6](-[0-6])?)*"
#: An IANA time zone name's shape, for a machine without a time zone database to look it up.
IANA_ZONE: Final = r"UTC|[A-Z][A-Za-z_+-]+(/[A-Za-z0-9_+-]+){1,2}"
# An image reference [reference] (distribution/reference ``regexp.go``): domain, path, tag,
# digest.
_IMAGE_COMPONENT: Final = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_DOMAIN: Final = (
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
)
#: An image reference, ``[domain/]path[:tag][@digest]``, with named groups.
IMAGE_REFERENCE: Final = (
    rf"(?:(?P<domain>{_IMAGE_DOMAIN})/)?(?P<path>{_IMAGE_COMPONENT}(?:/{_IMAGE_COMPONENT})*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?"
)

_COMPILED: dict[str, re.Pattern[str]] = {}

INT32_MAX: Final = 2**31 - 1
_BINARY_SI: Final = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_SI: Final = {
    "m": Decimal("0.001"),
    "": Decimal(1),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18,
}
_QUANTITY_PARTS: Final = re.compile(
    r"(?P<sign>[+-]?)(?P<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>[KMGTPE]i|[mkMGTPE]?|[eE][-+]?[0-9]+)",
    re.ASCII,
)
#: The longest quantity taken: no resource needs more digits (a bound of ours, not the API's).
_QUANTITY_MAX_LENGTH: Final = 64
#: The standard resources a container may request; any other name must be an extended one.
STANDARD_RESOURCES: Final = ("cpu", "memory", "ephemeral-storage")


def compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled once, ASCII only: use it with ``fullmatch``."""
    found = _COMPILED.get(pattern)
    if found is None:
        found = _COMPILED[pattern] = re.compile(pattern, re.ASCII)
    return found


def full_match(pattern: str, value: object, max_length: int | None = None) -> bool:
    """Whether ``value`` is a string that ``pattern`` matches as a whole (ASCII only), of at
    most ``max_length`` characters."""
    if not isinstance(value, str) or (max_length is not None and len(value) > max_length):
        return False
    return compiled(pattern).fullmatch(value) is not None


def is_dns_label(value: object, max_length: int = 63) -> bool:
    """An RFC 1123 label of at most ``max_length`` characters."""
    return full_match(DNS_LABEL, value, max_length)


def is_dns_subdomain(value: object) -> bool:
    """An RFC 1123 subdomain: at most 253 characters, dot-separated labels."""
    return full_match(DNS_SUBDOMAIN, value, 253)


def is_label_value(value: object) -> bool:
    """At most 63 characters of letters, digits, '-', '_' and '.', alphanumeric at both ends."""
    return full_match(LABEL_VALUE, value, 63)


def is_secret_key(value: object) -> bool:
    """A key of a Secret or ConfigMap: up to 253 of letters, digits, '-', '_' and '.'."""
    return full_match(CONFIG_KEY, value, 253)


def is_port_name(value: object) -> bool:
    """An IANA_SVC_NAME: at most 15 characters, at least one letter, no '--'."""
    return (
        full_match(PORT_NAME, value, 15)
        and "--" not in str(value)
        and any("a" <= c <= "z" for c in str(value))
    )


def is_extended_resource(value: object) -> bool:
    """A resource name such as ``nvidia.com/gpu``: domain-prefixed, not in ``kubernetes.io``."""
    if not full_match(EXTENDED_RESOURCE, value):
        return False
    domain, name = str(value).split("/", 1)
    return len(domain) <= 253 and len(name) <= 63 and not domain.endswith("kubernetes.io")


def is_quantity(value: object) -> bool:
    """A quantity the API server parses: a string in its grammar, or a number (YAML ``4``)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or full_match(QUANTITY, value, _QUANTITY_MAX_LENGTH)


# --- checks ----------------------------------------------------------------------------------
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
    """A stand-in for ``value`` in a message: its type and length, never its content. For
    values that may be credentials only (an env value, a password); a Secret's name and key are
    not credentials and are shown."""
    return _Hidden(value)


def check_str(parameter: str, value: object, *, max_length: int = 4096) -> str:
    """A non-empty string of printable characters, without surrounding whitespace."""
    if (
        not isinstance(value, str)
        or not value
        or value != value.strip()
        or len(value) > max_length
        or not value.isprintable()
    ):
        fail(
            parameter,
            value,
            f"expected a non-empty string of at most {max_length} printable characters, "
            "without surrounding whitespace",
        )
    return value


def check_text(parameter: str, value: object) -> str:
    """Free text (an env value, an argument): a string without NUL, which no process can take
    in its environment or argv."""
    if not isinstance(value, str) or "\0" in value:
        fail(parameter, value, "expected a string without NUL characters")
    return value


#: A URL path a probe requests: printable ASCII without spaces.
URL_PATH: Final = r"/[!-~]*"


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
    """An RFC 1123 label, as used by container, volume and namespace names."""
    if not is_dns_label(value, max_length):
        fail(
            parameter,
            value,
            f"expected an RFC 1123 label: at most {max_length} characters of a-z, 0-9 and '-', "
            "starting and ending with a letter or digit",
        )
    assert isinstance(value, str)
    return value


def check_dns1035_label(parameter: str, value: object, *, max_length: int = 63) -> str:
    """An RFC 1035 label, as used by Service names: starts with a letter."""
    if not full_match(DNS1035_LABEL, value, max_length):
        fail(
            parameter,
            value,
            f"expected an RFC 1035 label: at most {max_length} characters of a-z, 0-9 and '-', "
            "starting with a letter and ending with a letter or digit",
        )
    assert isinstance(value, str)
    return value


def check_dns_subdomain(parameter: str, value: object) -> str:
    """An RFC 1123 subdomain, as used by Secret, claim and class names."""
    if not is_dns_subdomain(value):
        fail(
            parameter,
            value,
            "expected an RFC 1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', "
            "starting and ending with a letter or digit",
        )
    assert isinstance(value, str)
    return value


def check_env_name(parameter: str, value: object) -> str:
    """An environment variable name, of at most 253 characters (a bound of ours: Kubernetes
    sets none)."""
    if not full_match(ENV_NAME, value, 253):
        fail(
            parameter,
            value,
            "expected an environment variable name: at most 253 letters, digits, '_', '-' and "
            "'.', not starting with a digit",
        )
    assert isinstance(value, str)
    return value


def check_secret_key(parameter: str, value: object) -> str:
    """A key of a Secret or ConfigMap (not a credential: it is shown)."""
    if not is_secret_key(value):
        fail(
            parameter, value, "expected a Secret key: up to 253 of a-z, A-Z, 0-9, '-', '_' and '.'"
        )
    assert isinstance(value, str)
    return value


def check_port_name(parameter: str, value: object) -> str:
    """An IANA_SVC_NAME: at most 15 characters, at least one letter, no '--'."""
    if not is_port_name(value):
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
        if (not slash or is_dns_subdomain(prefix)) and full_match(QUALIFIED_NAME, name, 63):
            return key
    fail(
        parameter,
        key,
        "expected a key of the form [prefix/]name: the prefix a DNS subdomain, the name at most "
        "63 characters of letters, digits, '-', '_' and '.', starting and ending alphanumeric",
    )


def check_labels(parameter: str, value: object) -> dict[str, str]:
    """Kubernetes labels: qualified keys, values of at most 63 characters."""
    labels = check_mapping(parameter, value)
    for key, item in labels.items():
        _check_qualified_key(f"{parameter} key", key)
        if not is_label_value(item):
            fail(
                f"{parameter}[{key!r}]",
                item,
                "expected a label value: at most 63 characters of letters, digits, '-', '_' "
                "and '.', starting and ending alphanumeric (or empty)",
            )
    return dict(labels)


def check_annotations(parameter: str, value: object) -> dict[str, str]:
    """Kubernetes annotations: qualified keys, string values without NUL."""
    annotations = check_mapping(parameter, value)
    for key, item in annotations.items():
        _check_qualified_key(f"{parameter} key", key)
        if not isinstance(item, str) or "\0" in item:
            fail(f"{parameter}[{key!r}]", item, "expected a string (without NUL)")
    return dict(annotations)


def check_host(parameter: str, host: object) -> str:
    """A host name a route or an Ingress matches: a lowercase DNS name, optionally with a
    leading ``*.`` wildcard; not an IP address."""
    name = host[2:] if isinstance(host, str) and host.startswith("*.") else host
    if isinstance(name, str) and name.lower() != name and is_dns_subdomain(name.lower()):
        fail(parameter, host, f"expected a lowercase DNS name: {str(host).lower()!r}")
    try:
        ipaddress.ip_address(str(name))
    except ValueError:
        if isinstance(name, str) and is_dns_subdomain(name):
            return str(host)
        fail(
            parameter,
            host,
            "expected a lowercase DNS name such as 'desktop.example.com' or '*.example.com'",
        )
    fail(parameter, host, "expected a DNS name, not an IP address (routes match on names)")


def check_absolute_path(parameter: str, value: object) -> str:
    """A normalised absolute path other than ``/``, of printable ASCII, each part at most 255
    characters (Linux's NAME_MAX). ``posixpath.normpath`` keeps a leading ``//`` (POSIX leaves
    its meaning to the system), so ``//`` is refused anywhere."""
    if (
        not full_match(_ABSOLUTE_PATH, value, 4096)
        or value == "/"
        or "//" in str(value)
        or posixpath.normpath(str(value)) != value
        or any(len(part) > 255 for part in str(value).split("/"))
    ):
        fail(
            parameter,
            value,
            "expected a normalised absolute path other than '/', of printable ASCII (no '..', "
            "'.', '//', ':' or a trailing '/'), e.g. '/tmp'",
        )
    assert isinstance(value, str)
    return value


#: An absolute path: printable ASCII without ":" (a mountPath may not hold ":").
_ABSOLUTE_PATH: Final = r"/[ -9;-~]*"


# --- quantities ------------------------------------------------------------------------------
def parse_quantity(parameter: str, value: object, *, positive: bool = False) -> Decimal:
    """A Kubernetes quantity such as ``500m``, ``2Gi``, ``1e3`` or the YAML integer ``4``, as a
    number. Negative quantities are refused (no resource takes one)."""
    text = value if isinstance(value, str) and len(value) <= _QUANTITY_MAX_LENGTH else None
    match = _QUANTITY_PARTS.fullmatch(text) if text is not None else None
    amount: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif match is not None and match["sign"] != "-":
        number, suffix = Decimal(match["number"]), match["suffix"]
        try:
            if suffix in _BINARY_SI:
                amount = number * _BINARY_SI[suffix]
            elif suffix in _DECIMAL_SI:
                amount = number * _DECIMAL_SI[suffix]
            else:
                amount = number.scaleb(int(suffix[1:]))
        except (InvalidOperation, ValueError):  # an exponent beyond Decimal's range
            amount = None
    if amount is not None and amount >= 0 and (amount > 0 or not positive):
        return amount
    fail(
        parameter,
        value,
        "expected a Kubernetes quantity"
        + (" greater than zero" if positive else "")
        + ", e.g. '500m', '2', '512Mi', '4Gi' or '1G'",
    )


def format_quantity(amount: Decimal, *, binary: bool) -> str:
    """A quantity for ``amount``. ``binary`` (bytes): rounded up to a whole number of bytes, in
    the largest binary suffix that divides it exactly. Otherwise (CPUs, counts): whole numbers
    as they are, fractions in millis, rounded up."""
    if binary:
        whole = int(amount.to_integral_value(rounding=ROUND_CEILING))
        for suffix, factor in _BINARY_SI_DESCENDING:
            if whole >= factor and whole % factor == 0:
                return f"{whole // factor}{suffix}"
        return str(whole)
    if amount != amount.to_integral_value():
        return f"{int((amount * 1000).to_integral_value(rounding=ROUND_CEILING))}m"
    return str(int(amount))


_BINARY_SI_DESCENDING: Final = sorted(_BINARY_SI.items(), key=lambda item: -item[1])
