"""Synthetic data at regional scale for the performance benchmark: `flask cop seed-scale`.

`services.seed_scale(factor)` runs the registered seeders (network, discussions,
notifications, practices, meetings; later features add theirs with `services.register_seeder`)."""
