"""Moved to :mod:`kasm_constructs.constructs.fleet` (0.2.0); this import path keeps working."""

from kasm_constructs.constructs.fleet import *  # noqa: F403
from kasm_constructs.constructs.fleet import __all__ as __all__
