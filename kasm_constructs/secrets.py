"""Moved to :mod:`kasm_constructs.options.secrets`; this path keeps working."""

from kasm_constructs.options.secrets import *  # noqa: F403
from kasm_constructs.options.secrets import __all__ as __all__  # noqa: PLC0414
