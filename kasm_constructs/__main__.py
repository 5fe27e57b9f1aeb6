"""``python -m kasm_constructs``: the ``kasm-constructs`` command line."""

from kasm_constructs.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
