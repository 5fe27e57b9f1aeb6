"""Moved to :mod:`kasm_constructs._pipeline.roster` (0.2.0); this import path keeps working."""

from kasm_constructs._pipeline.roster import *  # noqa: F403
from kasm_constructs._pipeline.roster import __all__ as __all__
