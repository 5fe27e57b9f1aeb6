"""``SecretKeyRef``: one key of a Secret, bound to an environment variable by reference.

A Secret's name and key are not credentials and are shown in messages. A value given where a
reference belongs (``secret_env={"VNC_PW": "hunter2"}``) may be one, and is never shown.

In a fleet's presets, a name may be a pattern of ``{user}``, ``{preset}`` and ``{fleet}``
(``"{user}-git"``): each person then gets their own Secret. A person's overrides may name only
such Secrets of their own.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from kasm_constructs.manifests.grammar import fail, hidden, is_dns_subdomain, is_secret_key
from kasm_constructs.options.forms import Form, Record

__all__ = ["PLACEHOLDERS", "SecretKeyRef", "secret_key_ref"]

#: The placeholders of a fleet's name patterns.
PLACEHOLDERS = ("user", "preset", "fleet")
_SAMPLE = {"user": "u", "preset": "p", "fleet": "f"}


@dataclass(frozen=True)
class SecretKeyRef:
    """The key ``key`` of the Secret ``name`` in the workspace's namespace, rendered as
    ``valueFrom.secretKeyRef``. A ``(name, key)`` tuple is accepted wherever this is."""

    name: str
    key: str

    def __post_init__(self) -> None:
        _check("SecretKeyRef", self.name, self.key)

    @classmethod
    def roster_form(cls) -> Form:
        """In a roster: ``{name: <Secret>, key: <key>}``."""
        return Record.of(cls)

    @property
    def placeholders(self) -> frozenset[str]:
        """The placeholders of a name pattern (``{"user"}`` for ``"{user}-git"``)."""
        return frozenset(
            field for _, field, _, _ in string.Formatter().parse(self.name) if field is not None
        )

    def for_person(self, *, user: str, preset: str, fleet: str) -> SecretKeyRef:
        """The reference with its name pattern filled in for one person."""
        if not self.placeholders:
            return self
        return SecretKeyRef(self.name.format(user=user, preset=preset, fleet=fleet), self.key)

    def render(self) -> dict[str, dict[str, str]]:
        """The ``valueFrom`` object."""
        return {"secretKeyRef": {"key": self.key, "name": self.name}}


def _name_as_written(name: object) -> object:
    """A name pattern with its placeholders filled with samples, or ``name`` itself."""
    if not isinstance(name, str) or "{" not in name:
        return name
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(name) if f is not None}
        if not fields <= set(PLACEHOLDERS):
            return None
        return name.format(**_SAMPLE)
    except (ValueError, IndexError, KeyError):
        return None


def _check(parameter: str, name: object, key: object) -> None:
    if not is_dns_subdomain(_name_as_written(name)):
        fail(
            f"{parameter} Secret name",
            name,
            "expected an RFC 1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', "
            "starting and ending with a letter or digit (in a fleet's preset, a pattern of "
            "{user}, {preset} and {fleet})",
        )
    if not is_secret_key(key):
        fail(
            f"{parameter} key",
            key,
            "expected a Secret key: up to 253 of a-z, A-Z, 0-9, '-', '_' and '.'",
        )


def secret_key_ref(parameter: str, value: object) -> SecretKeyRef:
    """A :class:`SecretKeyRef`, or a ``(Secret name, key)`` tuple made into one; a mistake
    names ``parameter``."""
    if isinstance(value, SecretKeyRef):
        return value
    if not isinstance(value, tuple) or len(value) != 2:
        fail(parameter, hidden(value), "expected SecretKeyRef(name, key) or a (name, key) tuple")
    _check(parameter, *value)
    return SecretKeyRef(*value)
