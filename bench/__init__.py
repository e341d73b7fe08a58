"""The performance benchmark (`make bench`: run.py, compare.py, table.py, run as scripts) and
its synthetic data generator, `python -m bench.scale`. Not part of the `cop` package."""
