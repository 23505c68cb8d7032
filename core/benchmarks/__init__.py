"""`manage.py bench --current`: figures of the data in the database (core.benchmarks.current)."""
