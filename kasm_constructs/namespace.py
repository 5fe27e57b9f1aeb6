"""Moved to :mod:`kasm_constructs.constructs.namespace` (0.2.0); this import path keeps working."""

from kasm_constructs.constructs.namespace import *  # noqa: F403
from kasm_constructs.constructs.namespace import __all__ as __all__
