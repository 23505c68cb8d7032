"""The evaluation app's filtersets, one module per subject (import from the submodules)."""
