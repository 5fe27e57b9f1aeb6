"""Moved to :mod:`kasm_constructs.constructs.ingress` (0.2.0); this import path keeps working."""

from kasm_constructs.constructs.ingress import *  # noqa: F403
from kasm_constructs.constructs.ingress import __all__ as __all__
