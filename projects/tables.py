"""List columns of the projects app; the same columns are exported."""

import django_tables2 as tables
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, AmountColumn, BaseTable, FromQuery

from .choices import ReviewConclusion
from .models import (
    Contract,
    Expenditure,
    Funder,
    LedgerEntry,
    MajorActivityReport,
    Milestone,
    Payment,
    Project,
    ProjectReview,
    QuarterlySubmission,
    SupervisionVisit,
)
from .money import ZERO


class ReviewConclusionColumn(tables.Column):
    """The funder's conclusion of one review stage, read from an annotation of the project list
    (projects.selectors.with_review_conclusions): its label on the page and in the export."""

    LABELS = dict(ReviewConclusion.choices)

    def render(self, value):
        return self.LABELS.get(value, value)

    def from_query(self, bound):
        return FromQuery(str(bound.accessor), function=lambda value: str(self.LABELS.get(value, value or "")))


class ProjectTable(BaseTable):
    sortable = ("code", "title", "amount", "start_date", "end_date")
    code = tables.Column(verbose_name=_("project code"), linkify=True)
    title = tables.Column(verbose_name=_("title"), linkify=True)
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    funding_source = tables.Column(verbose_name=_("funding source"))
    funder = tables.Column(verbose_name=_("funder"), order_by=("funder__name", "pk"))
    amount = AmountColumn(verbose_name=_("amount (yuan)"))
    start_date = tables.DateColumn(verbose_name=_("start date"))
    end_date = tables.DateColumn(verbose_name=_("end date"))
    status = tables.Column(verbose_name=_("status"))
    mid_term_conclusion = ReviewConclusionColumn(verbose_name=_("mid-term review conclusion"))
    final_conclusion = ReviewConclusionColumn(verbose_name=_("final review conclusion"))
    # Planned vs received (projects.tranches.with_contract_totals): in the export, not on the page.
    contract_number = tables.Column(verbose_name=_("contract number"), visible=False)
    contract_amount = AmountColumn(verbose_name=_("contract amount (yuan)"), visible=False)
    paid = AmountColumn(verbose_name=_("paid (yuan)"), visible=False)
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Project
        fields = (
            "code",
            "title",
            "organization",
            "funding_source",
            "funder",
            "amount",
            "start_date",
            "end_date",
            "status",
            "mid_term_conclusion",
            "final_conclusion",
            "contract_number",
            "contract_amount",
            "paid",
        )
        order_by = ("-start_date", "code")


NOWRAP = {"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}}


class LedgerEntryTable(BaseTable):
    sortable = ("date",)
    date = tables.DateColumn(verbose_name=_("date"), linkify=True, attrs=NOWRAP)
    project = tables.Column(
        verbose_name=_("project"), accessor="project__code", order_by=("project__code",), attrs=NOWRAP
    )
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"), attrs=NOWRAP)
    place = tables.Column(verbose_name=_("place"))
    participants = tables.Column(verbose_name=_("participants"), attrs=NOWRAP)
    beneficiaries = tables.Column(verbose_name=_("beneficiaries"), attrs=NOWRAP)
    volunteers = tables.Column(verbose_name=_("volunteers"), attrs=NOWRAP)
    volunteer_hours = tables.Column(verbose_name=_("Volunteer hours"), attrs=NOWRAP)
    status = tables.Column(verbose_name=_("status"), attrs=NOWRAP)
    version = tables.Column(verbose_name=_("version"), attrs=NOWRAP)

    class Meta(BaseTable.Meta):
        model = LedgerEntry
        fields = (
            "date",
            "project",
            "title",
            "kind",
            "place",
            "participants",
            "beneficiaries",
            "volunteers",
            "volunteer_hours",
            "status",
            "version",
        )
        order_by = ("-date",)


def _expenditure_url(pk) -> str:
    return reverse("projects:expenditure_detail", args=[pk])


def _expenditure_name(day, voucher_number) -> str | None:
    """How an export names another expenditure: its date and voucher number."""
    return f"{day:%Y-%m-%d} {voucher_number}" if day else None


def _net_total(table) -> str:
    """The total of the listed expenditures, reversals (negative) included: what was really spent."""
    total = table.data.data.aggregate(total=Sum("amount"))["total"] if hasattr(table.data, "data") else None
    return f"{total or ZERO:,.2f}"


class ExpenditureTable(BaseTable):
    sortable = ("date", "amount")
    date = tables.DateColumn(
        verbose_name=_("date"), linkify=lambda record: _expenditure_url(record.pk), footer=_("Total")
    )
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
    )
    budget_line = tables.Column(verbose_name=_("budget line"), accessor="budget_line__name")
    amount = AmountColumn(verbose_name=_("amount (yuan)"), footer=_net_total)
    payee = tables.Column(verbose_name=_("payee"))
    purpose = tables.Column(verbose_name=_("purpose"))
    voucher_number = tables.Column(
        verbose_name=_("voucher number"),
        linkify=lambda record: reverse("projects:expenditure_voucher", args=[record.pk]) if record.voucher else None,
    )
    # A reversal (红冲) names the expenditure it cancels; a reversed expenditure names its reversal.
    reverses = tables.Column(verbose_name=_("reverses"), orderable=False)
    reversal = tables.Column(verbose_name=_("reversed by"), orderable=False)
    reversal_reason = tables.Column(verbose_name=_("reversal reason"))

    export_from_query = {
        "reverses": FromQuery("reverses__date", "reverses__voucher_number", function=_expenditure_name),
        "reversal": FromQuery("reversal__date", "reversal__voucher_number", function=_expenditure_name),
    }

    class Meta(BaseTable.Meta):
        model = Expenditure
        fields = (
            "date",
            "project",
            "budget_line",
            "amount",
            "payee",
            "purpose",
            "voucher_number",
            "reverses",
            "reversal",
            "reversal_reason",
        )
        order_by = ("-date",)

    def render_reverses(self, value):
        return format_html(
            '<span class="badge text-bg-danger">{}</span> <a href="{}" class="reverses-link">{}</a>',
            _("Reversal"),
            _expenditure_url(value.pk),
            _expenditure_name(value.date, value.voucher_number),
        )

    def render_reversal(self, value):
        return format_html(
            '<span class="badge text-bg-secondary">{}</span> <a href="{}" class="reversal-link">{}</a>',
            _("Reversed"),
            _expenditure_url(value.pk),
            _expenditure_name(value.date, value.voucher_number),
        )


class QuarterlySubmissionTable(BaseTable):
    sortable = ("quarter_label", "first_submitted_at")
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.get_absolute_url(),
    )
    organization = tables.Column(verbose_name=_("organization"), accessor="project__organization__name")
    quarter_label = tables.Column(verbose_name=_("quarter"), order_by=("year", "quarter", "project_id"))
    status = tables.Column(verbose_name=_("status"))
    first_submitted_at = tables.DateTimeColumn(verbose_name=_("first submitted at"))
    due_date = tables.DateColumn(verbose_name=_("due date"), orderable=False)
    timeliness = tables.Column(verbose_name=_("timeliness"), accessor="get_timeliness_display", orderable=False)
    reviewed_by = tables.Column(verbose_name=_("reviewed by"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = QuarterlySubmission
        fields = (
            "project",
            "organization",
            "quarter_label",
            "status",
            "first_submitted_at",
            "due_date",
            "timeliness",
            "reviewed_by",
        )
        order_by = ("-quarter_label",)


class MajorActivityReportTable(BaseTable):
    sortable = ("planned_date", "reported_on")
    planned_date = tables.DateColumn(verbose_name=_("planned date"))
    title = tables.Column(verbose_name=_("title"), linkify=True)
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    place = tables.Column(verbose_name=_("place"))
    expected_participants = tables.Column(verbose_name=_("expected participants"))
    foreign_involvement = tables.BooleanColumn(verbose_name=_("foreign involvement"))
    reported_on = tables.DateColumn(verbose_name=_("reported on"))
    is_late = tables.BooleanColumn(verbose_name=_("reported late"))
    status = tables.Column(verbose_name=_("status"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = MajorActivityReport
        fields = (
            "planned_date",
            "title",
            "organization",
            "place",
            "expected_participants",
            "foreign_involvement",
            "reported_on",
            "is_late",
            "status",
        )
        order_by = ("-planned_date",)


class ProjectReviewTable(BaseTable):
    sortable = ("reviewed_on", "score")
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
    )
    title = tables.Column(verbose_name=_("title"), accessor="project__title", order_by=("project__title",))
    stage = tables.Column(verbose_name=_("review stage"), linkify=True)
    conclusion = tables.Column(verbose_name=_("conclusion"))
    score = tables.Column(verbose_name=_("score"), attrs={"td": {"class": "text-end"}})
    reviewed_on = tables.DateColumn(verbose_name=_("reviewed on"))
    funder = tables.Column(
        verbose_name=_("funder"), accessor="project__funder__name", order_by=("project__funder__name",)
    )
    remarks = tables.Column(verbose_name=_("remarks"))

    class Meta(BaseTable.Meta):
        model = ProjectReview
        fields = ("project", "title", "stage", "conclusion", "score", "reviewed_on", "funder", "remarks")
        order_by = ("-reviewed_on",)


class SupervisionVisitTable(BaseTable):
    sortable = ("visited_on", "rectification_due", "rectified_on")
    visited_on = tables.DateColumn(verbose_name=_("visited on"), linkify=True)
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
    )
    organization = tables.Column(
        verbose_name=_("organization"),
        accessor="project__organization__name",
        order_by=("project__organization__name",),
    )
    kind = tables.Column(verbose_name=_("kind"))
    supervisor = tables.Column(verbose_name=_("supervisor"))
    findings = tables.Column(verbose_name=_("findings"))
    rectification = tables.Column(verbose_name=_("rectification asked"))
    rectification_due = tables.DateColumn(verbose_name=_("rectify by"))
    rectified_on = tables.DateColumn(verbose_name=_("rectified on"))

    class Meta(BaseTable.Meta):
        model = SupervisionVisit
        fields = (
            "visited_on",
            "project",
            "organization",
            "kind",
            "supervisor",
            "findings",
            "rectification",
            "rectification_due",
            "rectified_on",
        )
        order_by = ("-visited_on",)


# ------------------------------------------------------------------------------ purchase of services


class FunderTable(BaseTable):
    sortable = ("name",)
    name = tables.Column(verbose_name=_("name"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"))
    region = tables.Column(verbose_name=_("region"), order_by=("region__path",))
    contact_person = tables.Column(verbose_name=_("contact person"))
    contact_phone = tables.Column(verbose_name=_("contact phone"))
    is_active = tables.BooleanColumn(verbose_name=_("active"))

    class Meta(BaseTable.Meta):
        model = Funder
        fields = ("name", "kind", "region", "contact_person", "contact_phone", "is_active")
        order_by = ("name",)


class ContractTable(BaseTable):
    sortable = ("number", "signed_on", "amount")
    number = tables.Column(verbose_name=_("contract number"), linkify=True, attrs=NOWRAP)
    version = tables.Column(verbose_name=_("version"), attrs=NOWRAP)
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
        attrs=NOWRAP,
    )
    organization = tables.Column(verbose_name=_("organization"), accessor="project__organization__name")
    funder = tables.Column(verbose_name=_("funder"), accessor="project__funder__name")
    procurement_method = tables.Column(verbose_name=_("procurement method"))
    signed_on = tables.DateColumn(verbose_name=_("signed on"), attrs=NOWRAP)
    amount = AmountColumn(verbose_name=_("contract amount (yuan)"))
    start_date = tables.DateColumn(verbose_name=_("start date"), attrs=NOWRAP)
    end_date = tables.DateColumn(verbose_name=_("end date"), attrs=NOWRAP)

    class Meta(BaseTable.Meta):
        model = Contract
        fields = (
            "number",
            "version",
            "project",
            "organization",
            "funder",
            "procurement_method",
            "signed_on",
            "amount",
            "start_date",
            "end_date",
        )
        order_by = ("-signed_on",)


class MilestoneTable(BaseTable):
    sortable = ("due_date",)
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
        attrs=NOWRAP,
    )
    contract = tables.Column(verbose_name=_("contract number"), accessor="contract__number", attrs=NOWRAP)
    sequence = tables.Column(verbose_name=_("sequence"), attrs=NOWRAP)
    deliverable = tables.Column(verbose_name=_("deliverable"), linkify=True)
    due_date = tables.DateColumn(verbose_name=_("due date"), attrs=NOWRAP)
    share = tables.Column(verbose_name=_("share of the amount (%)"), attrs=NOWRAP)
    amount = AmountColumn(verbose_name=_("tranche amount (yuan)"))
    status = tables.Column(verbose_name=_("status"), attrs=NOWRAP)
    submitted_at = tables.DateTimeColumn(verbose_name=_("delivered at"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Milestone
        fields = (
            "project",
            "contract",
            "sequence",
            "deliverable",
            "due_date",
            "share",
            "amount",
            "status",
            "submitted_at",
        )
        order_by = ("due_date",)


class PaymentTable(BaseTable):
    sortable = ("paid_on", "amount")
    paid_on = tables.DateColumn(verbose_name=_("paid on"), linkify=True, attrs=NOWRAP)
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
        attrs=NOWRAP,
    )
    milestone = tables.Column(verbose_name=_("milestone"), accessor="milestone__deliverable")
    amount = AmountColumn(verbose_name=_("amount (yuan)"))
    reference = tables.Column(verbose_name=_("payment reference"), attrs=NOWRAP)
    remarks = tables.Column(verbose_name=_("remarks"))
    reverses = tables.Column(verbose_name=_("reverses"), accessor="reverses__reference", orderable=False)

    class Meta(BaseTable.Meta):
        model = Payment
        fields = ("paid_on", "project", "milestone", "amount", "reference", "remarks", "reverses")
        order_by = ("-paid_on",)
