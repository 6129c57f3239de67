"""Property testing from the mapping itself: lens laws, command effects and range proofs (needs hypothesis).

The public entry point is `matter_map.testing.runner.check_mapping`; `matter-map test` and the pytest plugin
(`pytest --matter-map mappings/`) are built on it. This package is imported lazily so the core never needs
hypothesis.
"""
