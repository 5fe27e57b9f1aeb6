"""Moved to :mod:`kasm_constructs.cli.preflight`; this path keeps working."""

from kasm_constructs.cli.preflight import *  # noqa: F403
from kasm_constructs.cli.preflight import __all__ as __all__  # noqa: PLC0414
