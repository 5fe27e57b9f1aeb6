"""Moved to :mod:`kasm_constructs.manifests.kubeyaml`; this path keeps working."""

from kasm_constructs.manifests.kubeyaml import *  # noqa: F403
from kasm_constructs.manifests.kubeyaml import __all__ as __all__  # noqa: PLC0414
