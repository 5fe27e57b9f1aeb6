"""Moved to :mod:`kasm_constructs.policy.pod_security` (0.2.0); this import path keeps working."""

from kasm_constructs.policy.pod_security import *  # noqa: F403
from kasm_constructs.policy.pod_security import __all__ as __all__
