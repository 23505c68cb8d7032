"""The reports app's menu items."""

from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.navigation import MenuItem, register

BUREAU = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BUREAU_VIEWER})
DASHBOARD_ROLES = BUREAU | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}

register(
    _("Reports"),
    5,
    MenuItem(_("Dashboard"), "reports:dashboard", DASHBOARD_ROLES, icon="bar-chart-line"),
    MenuItem(_("Quarterly review workbooks"), "reports:workbook_list", BUREAU, icon="journal-richtext"),
    MenuItem(_("Reminders"), "reports:reminder_list", BUREAU, icon="bell"),
    MenuItem(_("Job status"), "reports:job_list", frozenset({Role.BUREAU_ADMIN}), icon="clock-history"),
)
