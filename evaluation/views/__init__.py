"""The evaluation app's pages, one module per subject; each lists its own `urlpatterns`, which
evaluation.urls joins under the namespace `evaluation` (public pages: evaluation.public_urls)."""
