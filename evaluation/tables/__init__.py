"""The evaluation app's tables, one module per subject (import from the submodules)."""
