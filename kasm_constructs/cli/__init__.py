"""The ``kasm-constructs`` command line: ``audit``, ``preflight`` and ``validate``. None starts
Node.js."""
