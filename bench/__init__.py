"""Benchmarks and evaluations (run as modules: python -m bench.<name>)."""
