"""Evaluation services: experts (being written)."""
