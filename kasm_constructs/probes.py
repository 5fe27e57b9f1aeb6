"""Moved to :mod:`kasm_constructs.options.probes`; this path keeps working."""

from kasm_constructs.options.probes import *  # noqa: F403
from kasm_constructs.options.probes import __all__ as __all__  # noqa: PLC0414
