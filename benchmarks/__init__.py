"""Benchmarks: extraction quality (quality.py) and speed (speed.py) on the shared bench."""
