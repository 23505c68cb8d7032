"""Menu entries and to-dos of supervision."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets import AnnualReportFilterSet

_AREA_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}

register(
    _("Oversight"),
    15,
    MenuItem(_("Annual reports"), "supervision:annualreport_list", _AREA_ROLES | {Role.ORG_USER}, "journal-check"),
    MenuItem(_("Owing reports"), "supervision:annualreport_owing", _AREA_ROLES, "hourglass-split"),
    MenuItem(_("Abnormal-activity list"), "supervision:abnormallisting_list", _AREA_ROLES | {Role.ORG_USER},
             "exclamation-triangle"),
    MenuItem(_("Serious-violation list"), "supervision:seriousviolationlisting_list", _AREA_ROLES | {Role.ORG_USER},
             "x-octagon"),
)  # fmt: skip

todos.register(
    todos.TodoSource(
        _("Annual reports awaiting a conclusion"),
        "supervision:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF}),
        {"status": "submitted"},
    ),
    todos.TodoSource(
        _("Annual reports returned for correction"),
        "supervision:annualreport_list",
        AnnualReportFilterSet,
        frozenset({Role.ORG_USER}),
        {"status": "returned"},
    ),
)
