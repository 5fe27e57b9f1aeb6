"""Moved to :mod:`kasm_constructs.options.controllers`; this path keeps working."""

from kasm_constructs.options.controllers import *  # noqa: F403
from kasm_constructs.options.controllers import __all__ as __all__  # noqa: PLC0414
