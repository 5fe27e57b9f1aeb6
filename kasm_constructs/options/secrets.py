"""``SecretKeyRef``: one key of a Secret, bound to an environment variable by reference.

A value never appears in a message: a password pasted where a Secret name or key belongs is
shown as ``<str of N characters, not shown>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kasm_constructs.manifests.grammar import fail, hidden, is_dns_subdomain, is_secret_key
from kasm_constructs.options.forms import Form, Record

__all__ = ["SecretKeyRef", "secret_key_ref"]


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

    def render(self) -> dict[str, dict[str, str]]:
        """The ``valueFrom`` object."""
        return {"secretKeyRef": {"key": self.key, "name": self.name}}


def _check(parameter: str, name: object, key: object) -> None:
    if not isinstance(name, str) or not is_dns_subdomain(name):
        fail(
            f"{parameter} Secret name",
            hidden(name),
            "expected an RFC 1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', "
            "starting and ending with a letter or digit",
        )
    if not isinstance(key, str) or not is_secret_key(key):
        fail(
            f"{parameter} key",
            hidden(key),
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
