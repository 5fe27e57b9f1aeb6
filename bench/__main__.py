"""``python -m bench``: the fleet benchmark (bench/fleet.py)."""

from bench.fleet import main

raise SystemExit(main())
