"""Ongoing supervision of organizations that exist: annual reports (年度报告/年检), the
abnormal-activity list (活动异常名录) and the serious-violation list (严重违法失信名单)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        # What the registry's organization pages show of supervision (registry.extensions).
        from . import extensions  # noqa: F401
