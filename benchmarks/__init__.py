"""Benchmark scripts (not tests): accuracy and speed against public sets in ../shared/bench/data."""
