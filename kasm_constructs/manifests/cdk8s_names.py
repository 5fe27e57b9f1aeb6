"""How cdk8s names what it writes, computed without the jsii bridge: ``Names.toDnsLabel``
(default object names) and ``Names.toLabelValue`` (cdk8s-plus's ``cdk8s.io/metadata.addr``
pod label), from a construct's path.

Sources: cdk8s 2.70.115 ``lib/names.ts`` (``toDnsLabel``, ``toLabelValue``, ``toHumanForm``,
``calcHash``: the first 8 characters of the construct's address) and constructs 10.x
``lib/private/uniqueid.ts`` (``addressOf``: ``c8`` and the SHA-1 of every scope id, the root's
empty one included, but ``Default``). ``tests/test_names.py`` holds both to cdk8s's own.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

__all__ = ["address", "dns_label", "label_value"]

# JavaScript's "$" matches no trailing newline: fullmatch.
_DNS_NAME: Final = re.compile(r"[0-9a-z-]+")
_LABEL_VALUE: Final = re.compile(r"(([0-9a-zA-Z][0-9a-zA-Z-_.]*)?[0-9a-zA-Z])?")
_NOT_ALLOWED: Final = re.compile(r"[^0-9a-zA-Z-_.]")
_LEADING: Final = re.compile(r"^[^0-9a-zA-Z]+")
_HASH_LENGTH: Final = 8


def address(path: str) -> str:
    """The construct address of the construct at ``path`` (the app root excluded)."""
    digest = hashlib.sha1(b"\n", usedforsecurity=False)
    for component in path.split("/"):
        if component != "Default":
            digest.update(component.encode() + b"\n")
    return "c8" + digest.hexdigest()


def _human_form(parts: list[str], max_len: int) -> str:
    """toHumanForm(): keep the end when too long, drop repeats and "resource"/"default"."""
    reversed_parts = parts[::-1]
    kept = [p for i, p in enumerate(reversed_parts) if i == 0 or p != reversed_parts[i - 1]]
    joined = "/".join(kept)[:max_len].split("/")[::-1]
    words = "-".join(p for p in joined if p).split("-")
    return "-".join(w for w in words if w and w.lower() not in ("resource", "default"))


def dns_label(path: str, max_len: int = 63) -> str:
    """``Names.toDnsLabel`` of the construct at ``path``."""
    components = path.split("/")
    if len(components) == 1 and _DNS_NAME.fullmatch(components[0]) and len(path) <= max_len:
        return path
    parts = [_NOT_ALLOWED.sub("", c.lower())[:max_len] for c in components]
    return _human_form([*parts, address(path)[:_HASH_LENGTH]], max_len)


def label_value(path: str, max_len: int = 63) -> str:
    """``Names.toLabelValue`` of the construct at ``path``."""
    components = path.split("/")
    if len(components) == 1 and _LABEL_VALUE.fullmatch(components[0]) and len(path) <= max_len:
        return path
    parts = [_NOT_ALLOWED.sub("", c)[:max_len] for c in components]
    return _LEADING.sub("", _human_form([*parts, address(path)[:_HASH_LENGTH]], max_len))
