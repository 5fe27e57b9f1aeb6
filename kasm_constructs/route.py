"""Moved to :mod:`kasm_constructs.constructs.route` (0.2.0); this import path keeps working."""

from kasm_constructs.constructs.route import *  # noqa: F403
from kasm_constructs.constructs.route import __all__ as __all__
