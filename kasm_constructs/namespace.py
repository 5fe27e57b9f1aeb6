"""Moved to :mod:`kasm_constructs.constructs.namespace`; this path keeps working."""

from kasm_constructs.constructs.namespace import *  # noqa: F403
from kasm_constructs.constructs.namespace import __all__ as __all__  # noqa: PLC0414
