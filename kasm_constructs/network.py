"""Moved to :mod:`kasm_constructs.options.network`; this path keeps working."""

from kasm_constructs.options.network import *  # noqa: F403
from kasm_constructs.options.network import __all__ as __all__  # noqa: PLC0414
