"""List columns of annual reports and list entries; the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import Action
from core.tables import ActionsColumn, AmountColumn, BaseTable, FromQuery
from registry.choices import RegistrationLevel
from registry.models import Organization

from .choices import AnnualReportStatus
from .models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing


class StreetColumn(tables.Column):
    """The street of the organization (its region, or the region's parent when a community)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("street"))
        kwargs.setdefault("accessor", "organization__region")
        kwargs.setdefault("order_by", ("organization__region__path",))
        super().__init__(**kwargs)

    def value(self, record, value):
        region = value
        if region is not None and region.level == "community":
            region = region.parent
        return str(region) if region is not None else ""

    def render(self, record, value):
        return self.value(record, value)

    def from_query(self, bound_column):
        region = "__".join(tables.A(bound_column.accessor).bits)
        return FromQuery(f"{region}__level", f"{region}__name", f"{region}__parent__name", function=_street_name)


def _street_name(level, name, parent_name):
    return parent_name if level == "community" else name


def report_owed(registration_level: str) -> str:
    """“Annual status report → street” for a filed organization, “annual work report → bureau” else."""
    if registration_level == RegistrationLevel.FILED:
        return str(_("Annual status report to the street"))
    return str(_("Annual work report to the bureau"))


class AnnualReportTable(BaseTable):
    sortable = ("year", "due_on", "submitted_at")
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    year = tables.Column(verbose_name=_("year"), linkify=True)
    kind = tables.Column(verbose_name=_("kind of report"))
    status = tables.Column(verbose_name=_("status"))
    due_on = tables.DateColumn(verbose_name=_("due on"))
    submitted_at = tables.DateColumn(verbose_name=pgettext_lazy("annual report", "submitted at"))
    conclusion = tables.Column(verbose_name=_("conclusion"))
    income = AmountColumn(verbose_name=_("income (yuan)"), attrs={"td": {"class": "text-end"}})
    expenditure = AmountColumn(verbose_name=_("expenditure (yuan)"), attrs={"td": {"class": "text-end"}})
    street = StreetColumn()
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = AnnualReport
        fields = ("organization", "year", "kind", "status", "due_on", "submitted_at", "conclusion", "income",
                  "expenditure", "street")  # fmt: skip


class OwingReportTable(BaseTable):
    """Organizations whose report on the year is not in: what they have so far, and a way to file."""

    sortable = ("name", "number")

    name = tables.Column(verbose_name=_("organization"), linkify=True)
    number = tables.Column(verbose_name=_("code / filing number"), accessor="uscc", order_by=("uscc", "filing_number"))
    legal_form = tables.Column(verbose_name=_("legal form"))
    # What is owed, and to whom: a work report to the bureau, or a status report to the street.
    report_owed = tables.Column(
        verbose_name=_("report owed"), accessor="registration_level", order_by=("registration_level",)
    )
    street = StreetColumn(accessor="region", order_by=("region__path",))
    legal_representative = tables.Column(verbose_name=_("person in charge"))
    phone = tables.Column(verbose_name=_("phone"))
    report_status = tables.Column(verbose_name=_("report so far"), orderable=False, empty_values=())
    file = ActionsColumn(
        template_name="supervision/includes/owing_report_action.html",
        extra_context=lambda table: {"can_file": table.can_file, "year": table.year},
    )

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("name", "number", "legal_form", "report_owed", "street", "legal_representative", "phone",
                  "report_status")  # fmt: skip

    export_from_query = {"report_owed": FromQuery("registration_level", function=lambda level: report_owed(level))}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.can_file = user is not None and AnnualReport.access_policy.allows(user, Action.ADD)
        self.year = request.GET.get("year", "") if request is not None else ""

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number

    def render_report_owed(self, record):
        return report_owed(record.registration_level)

    def value_report_owed(self, record):
        return report_owed(record.registration_level)

    def render_report_status(self, record):
        return AnnualReportStatus(record.report_status).label if record.report_status else _("Not started")

    def value_report_status(self, record):
        return str(self.render_report_status(record))


class _ListingTable(BaseTable):
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",), linkify=False)
    reason = tables.Column(verbose_name=pgettext_lazy("listing", "reason"))
    listed_on = tables.DateColumn(verbose_name=_("listed on"))
    listed_by = tables.Column(verbose_name=_("listed by"), accessor="listed_by_display", orderable=False)
    ended_on = tables.DateColumn(verbose_name=_("removed on"))
    end_reason = tables.Column(verbose_name=_("reason for removal"))
    street = StreetColumn()
    actions = ActionsColumn()


class AbnormalListingTable(_ListingTable):
    sortable = ("listed_on", "ended_on")
    report_year = tables.Column(verbose_name=_("report year"))
    removal_proposal = tables.Column(verbose_name=_("removal proposed"))

    class Meta(BaseTable.Meta):
        model = AbnormalListing
        fields = ("organization", "reason", "report_year", "listed_on", "listed_by", "removal_proposal", "ended_on",
                  "end_reason", "street")  # fmt: skip


class SeriousViolationListingTable(_ListingTable):
    sortable = ("listed_on", "ended_on")

    class Meta(BaseTable.Meta):
        model = SeriousViolationListing
        fields = ("organization", "reason", "listed_on", "listed_by", "ended_on", "end_reason", "street")


class RevocationTable(BaseTable):
    sortable = ("decision_number", "decision_date")
    decision_number = tables.Column(verbose_name=_("decision number"), linkify=True)
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    kind = tables.Column(verbose_name=_("kind of decision"))
    decision_date = tables.DateColumn(verbose_name=_("decision date"))
    status = tables.Column(verbose_name=_("status"))
    submitted_by = tables.Column(verbose_name=_("proposed by"))
    reviewed_by = tables.Column(verbose_name=_("decided by"))
    street = StreetColumn()
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Revocation
        fields = ("decision_number", "organization", "kind", "decision_date", "status", "submitted_by",
                  "reviewed_by", "street")  # fmt: skip
