"""Evaluation services: rounds (being written)."""
