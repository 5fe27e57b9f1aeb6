"""Moved to :mod:`kasm_constructs.manifests.kubeyaml` (0.2.0); this import path keeps working."""

from kasm_constructs.manifests.kubeyaml import *  # noqa: F403
from kasm_constructs.manifests.kubeyaml import __all__ as __all__
