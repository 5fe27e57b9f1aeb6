"""Moved to :mod:`kasm_constructs.options.probes` (0.2.0); this import path keeps working."""

from kasm_constructs.options.probes import *  # noqa: F403
from kasm_constructs.options.probes import __all__ as __all__
