"""Moved to :mod:`kasm_constructs.cli.audit` (0.2.0); this import path keeps working."""

from kasm_constructs.cli.audit import *  # noqa: F403
from kasm_constructs.cli.audit import __all__ as __all__
