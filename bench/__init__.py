"""Benchmarks of kasm_constructs (not part of the package). See bench/README.md."""
