"""Writes of the reports app: each atomic and audited."""
