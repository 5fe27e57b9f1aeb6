"""Moved to :mod:`kasm_constructs.constructs.workspace`; this path keeps working."""

from kasm_constructs.constructs.workspace import *  # noqa: F403
from kasm_constructs.constructs.workspace import __all__ as __all__  # noqa: PLC0414
