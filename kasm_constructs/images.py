"""Moved to :mod:`kasm_constructs.options.images`; this path keeps working."""

from kasm_constructs.options.images import *  # noqa: F403
from kasm_constructs.options.images import __all__ as __all__  # noqa: PLC0414
