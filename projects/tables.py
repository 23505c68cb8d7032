"""List columns of the projects app; the same columns are exported."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, AmountColumn, BaseTable

from .models import Expenditure, LedgerEntry, MajorActivityReport, Project, QuarterlySubmission


class ProjectTable(BaseTable):
    code = tables.Column(verbose_name=_("project code"), linkify=True)
    title = tables.Column(verbose_name=_("title"), linkify=True)
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    funding_source = tables.Column(verbose_name=_("funding source"))
    funder = tables.Column(verbose_name=_("funder"), order_by=("funder__name", "pk"))
    amount = AmountColumn(verbose_name=_("amount (yuan)"))
    start_date = tables.DateColumn(verbose_name=_("start date"))
    end_date = tables.DateColumn(verbose_name=_("end date"))
    status = tables.Column(verbose_name=_("status"))
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
        )
        order_by = ("-start_date", "code")


NOWRAP = {"td": {"class": "text-nowrap"}, "th": {"class": "text-nowrap"}}


class LedgerEntryTable(BaseTable):
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


class ExpenditureTable(BaseTable):
    date = tables.DateColumn(verbose_name=_("date"))
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.project.get_absolute_url(),
    )
    budget_line = tables.Column(verbose_name=_("budget line"), accessor="budget_line__name")
    amount = AmountColumn(verbose_name=_("amount (yuan)"))
    payee = tables.Column(verbose_name=_("payee"))
    purpose = tables.Column(verbose_name=_("purpose"))
    voucher_number = tables.Column(
        verbose_name=_("voucher number"),
        linkify=lambda record: reverse("projects:expenditure_voucher", args=[record.pk]) if record.voucher else None,
    )

    class Meta(BaseTable.Meta):
        model = Expenditure
        fields = ("date", "project", "budget_line", "amount", "payee", "purpose", "voucher_number")
        order_by = ("-date",)


class QuarterlySubmissionTable(BaseTable):
    project = tables.Column(
        verbose_name=_("project"),
        accessor="project__code",
        order_by=("project__code",),
        linkify=lambda record: record.get_absolute_url(),
    )
    organization = tables.Column(verbose_name=_("organization"), accessor="project__organization__name")
    quarter_label = tables.Column(verbose_name=_("quarter"), order_by=("year", "quarter"))
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
