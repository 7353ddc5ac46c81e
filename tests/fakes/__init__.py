"""Stand-ins that tests and benchmarks run: local HTTP translation servers and a tiny model."""
