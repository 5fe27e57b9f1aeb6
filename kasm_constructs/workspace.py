"""Moved to :mod:`kasm_constructs.constructs.workspace` (0.2.0); this import path keeps working."""

from kasm_constructs.constructs.workspace import *  # noqa: F403
from kasm_constructs.constructs.workspace import __all__ as __all__
