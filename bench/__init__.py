"""Benchmarks: each `bench/bench_<name>.py` has `run() -> str` returning a Markdown section.

Every figure is reported against a baseline or physical limit measured in the same run, because these
machines are shared and noisy and absolute times drift.
"""
