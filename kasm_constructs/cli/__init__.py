"""The ``kasm-constructs`` command line: ``audit`` and ``preflight``. Neither starts Node.js."""
