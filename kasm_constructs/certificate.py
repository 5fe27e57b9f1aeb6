"""Moved to :mod:`kasm_constructs.constructs.certificate`; this path keeps working."""

from kasm_constructs.constructs.certificate import *  # noqa: F403
from kasm_constructs.constructs.certificate import __all__ as __all__  # noqa: PLC0414
