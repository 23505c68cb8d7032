"""Evaluation services: objections (being written)."""
