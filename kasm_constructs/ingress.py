"""Moved to :mod:`kasm_constructs.constructs.ingress`; this path keeps working."""

from kasm_constructs.constructs.ingress import *  # noqa: F403
from kasm_constructs.constructs.ingress import __all__ as __all__  # noqa: PLC0414
