"""Moved to :mod:`kasm_constructs.policy.waivers`; this path keeps working."""

from kasm_constructs.policy.waivers import *  # noqa: F403
from kasm_constructs.policy.waivers import __all__ as __all__  # noqa: PLC0414
