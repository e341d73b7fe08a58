"""Synthetic data at regional scale for the performance benchmark:
`python -m bench.scale --factor N` (from the repository root; see __main__.py).

Benchmark tooling, not part of the app: it lives beside the benchmark, outside the `cop`
package (which never imports it), and stays out of the wheel.

`services.seed_scale(factor)` runs the registered seeders (network, discussions,
notifications, practices, meetings; later features add theirs with `services.register_seeder`)."""
