"""Benchmark scripts: each prints a table, its ratio to a baseline run alongside, and the machine.

Run them from the repository root as `.venv/bin/python bench/bench_x.py [--quick]`.
"""
