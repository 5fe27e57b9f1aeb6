"""Moved to :mod:`kasm_constructs.cli.audit`; this path keeps working."""

from kasm_constructs.cli.audit import *  # noqa: F403
from kasm_constructs.cli.audit import __all__ as __all__  # noqa: PLC0414
