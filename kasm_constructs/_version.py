"""The one version of the package: ``pyproject.toml`` and the release workflow read it here."""

__version__ = "0.1.0"
