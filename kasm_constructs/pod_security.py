"""Moved to :mod:`kasm_constructs.policy.pod_security`; this path keeps working."""

from kasm_constructs.policy.pod_security import *  # noqa: F403
from kasm_constructs.policy.pod_security import __all__ as __all__  # noqa: PLC0414
