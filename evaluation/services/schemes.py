"""Evaluation services: schemes (being written)."""
