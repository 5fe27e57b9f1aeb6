"""Moved to :mod:`kasm_constructs.policy.waivers` (0.2.0); this import path keeps working."""

from kasm_constructs.policy.waivers import *  # noqa: F403
from kasm_constructs.policy.waivers import __all__ as __all__
