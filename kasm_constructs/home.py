"""Moved to :mod:`kasm_constructs.options.home`; this path keeps working."""

from kasm_constructs.options.home import *  # noqa: F403
from kasm_constructs.options.home import __all__ as __all__  # noqa: PLC0414
