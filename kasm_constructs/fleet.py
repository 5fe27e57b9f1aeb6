"""Moved to :mod:`kasm_constructs.constructs.fleet`; this path keeps working."""

from kasm_constructs.constructs.fleet import *  # noqa: F403
from kasm_constructs.constructs.fleet import __all__ as __all__  # noqa: PLC0414
