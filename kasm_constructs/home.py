"""Moved to :mod:`kasm_constructs.options.home` (0.2.0); this import path keeps working."""

from kasm_constructs.options.home import *  # noqa: F403
from kasm_constructs.options.home import __all__ as __all__
