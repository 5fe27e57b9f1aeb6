"""Moved to :mod:`kasm_constructs._pipeline.roster`; this path keeps working."""

from kasm_constructs._pipeline.roster import *  # noqa: F403
from kasm_constructs._pipeline.roster import __all__ as __all__  # noqa: PLC0414
