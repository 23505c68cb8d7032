"""Evaluation services: scoring (being written)."""
