"""The evaluation app's forms, one module per subject (import from the submodules)."""
