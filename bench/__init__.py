"""Benchmarks and generators of synthetic content; not part of the installed package."""
