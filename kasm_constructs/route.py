"""Moved to :mod:`kasm_constructs.constructs.route`; this path keeps working."""

from kasm_constructs.constructs.route import *  # noqa: F403
from kasm_constructs.constructs.route import __all__ as __all__  # noqa: PLC0414
