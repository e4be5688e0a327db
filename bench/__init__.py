"""The benchmark: `make bench` (python -m bench.run) and `make bench-configs`."""
