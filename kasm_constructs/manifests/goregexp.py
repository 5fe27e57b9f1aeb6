"""CRD ``pattern``s matched as the API server matches them: Go's regexp, through RE2.

The API server checks a ``pattern`` with Go's ``regexp`` (kube-openapi
``pkg/validation/validate/values.go`` ``Pattern``: ``regexp.MatchString``, a search; the CRDs
anchor their patterns with ``^...$``). Go's regexp has RE2's syntax and, like RE2, matches in
time linear in the text. ``google-re2`` (part of ``kasm-constructs[validate]``) is RE2 itself.

Python's ``re`` would not do: ``$`` also matches before a final ``\\n`` (``"desk.example.com\\n"``
would pass a hostname pattern), ``\\d`` and ``\\w`` take non-ASCII digits and letters, some of
Go's syntax means something else or nothing to it, and it backtracks: on Envoy Gateway's CORS
origin pattern (``(([\\w-]+\\.?)+)?[\\w-]+``) a 22-character value that does not match takes 0.3
seconds, and each further character doubles that. ``tests/test_validate.py`` holds each of these.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

import re2

__all__ = ["GoPattern", "compile_go", "matches"]


class GoPattern(Protocol):
    """A compiled pattern (``re2._Regexp``)."""

    def search(self, text: str) -> object | None: ...


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # a bad pattern raises re2.error; RE2 need not print it too
    return options


@functools.lru_cache(maxsize=512)
def compile_go(pattern: str) -> GoPattern:
    """``pattern`` in Go's syntax, compiled; raises ``re2.error`` when RE2 refuses it."""
    compiled: GoPattern = re2.compile(pattern, _options())
    return compiled


def matches(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text``, as Go's ``regexp.MatchString``."""
    return compile_go(pattern).search(text) is not None
