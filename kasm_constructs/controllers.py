"""Moved to :mod:`kasm_constructs.options.controllers` (0.2.0); this import path keeps working."""

from kasm_constructs.options.controllers import *  # noqa: F403
from kasm_constructs.options.controllers import __all__ as __all__
