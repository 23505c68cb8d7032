"""Schemes, experts, rounds, scores, surveys, results, organization grades."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        # The registry's pages show grades, community reviews and published ratings (registry.extensions).
        from . import extensions  # noqa: F401
