"""Benchmarks run by hand; each prints a table with ratios."""
