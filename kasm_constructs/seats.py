"""Moved to :mod:`kasm_constructs.options.seats`; this path keeps working."""

from kasm_constructs.options.seats import *  # noqa: F403
from kasm_constructs.options.seats import __all__ as __all__  # noqa: PLC0414
