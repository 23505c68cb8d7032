"""Filters of the projects app; each serves a list page, its API endpoint and its export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filtersets import subtree_filter
from accounts.models import Region
from core import search
from core.choices import Role
from core.filtersets import BaseFilterSet, YearFilter

from . import permissions
from .choices import (
    ENTRY_UNDER_REVIEW,
    QUARTERS,
    BudgetCategory,
    EntryKind,
    EntryStatus,
    FunderKind,
    FundingSource,
    MajorActivityStatus,
    MilestoneStatus,
    ProcurementMethod,
    ProjectStatus,
    ReviewConclusion,
    ReviewStage,
    SubmissionStatus,
    VisitKind,
)
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
from .selectors import rectification_overdue, unreported_major_activity

FUNDER_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.STREET_OFFICER})


class _ScopedChoices:
    """Restricts a filter's choices (projects, funders) to what the requesting user may see."""

    scoped_filters: dict = {}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for name, queryset_for in self.scoped_filters.items():
            queryset = queryset_for(user) if user is not None and user.is_authenticated else Project.objects.none()
            self.filters[name].queryset = queryset
            self.form.fields[name].queryset = queryset


def _projects(user):
    return Project.objects.restrict(user).only("pk", "code", "title").order_by("code")


def _funders(user):
    return Funder.objects.restrict(user).only("pk", "name").order_by("name", "pk")


class ProjectFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("status"))
    funding_source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("funding source"))
    funder = django_filters.ModelChoiceFilter(queryset=Funder.objects.none(), label=_("funder"))
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("year"))
    # The dashboard's links: a node's approved projects running at some time within a period.
    region = subtree_filter("organization__region")
    running_from = django_filters.DateFilter(field_name="end_date", lookup_expr="gte", label=_("running from"))
    running_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("running to"))
    approved = django_filters.BooleanFilter(method="filter_approved", label=_("approved (not merely applied for)"))

    scoped_filters = {"funder": _funders}

    class Meta:
        model = Project
        fields = ["q", "status", "funding_source", "funder", "year", "region", "running_from", "running_to", "approved"]

    def filter_approved(self, queryset, name, value):
        if value is None:
            return queryset
        applied = Q(status=ProjectStatus.APPLIED)
        return queryset.exclude(applied) if value else queryset.filter(applied)

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["title", "organization__name"], codes=["code"])


class LedgerEntryFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("kind"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("date from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("date to"))
    all_versions = django_filters.BooleanFilter(method="versions", label=_("include replaced versions"))
    unreported_major = django_filters.BooleanFilter(
        method="filter_unreported_major", label=_("major activity not reported")
    )
    awaiting_me = django_filters.BooleanFilter(method="filter_awaiting_me", label=_("awaiting my review"))

    scoped_filters = {"project": _projects}

    class Meta:
        model = LedgerEntry
        fields = [
            "q",
            "project",
            "status",
            "kind",
            "date_from",
            "date_to",
            "all_versions",
            "unreported_major",
            "awaiting_me",
        ]

    def filter_awaiting_me(self, queryset, name, value):
        return _awaiting(self.request, queryset, value, ENTRY_UNDER_REVIEW)

    def filter_unreported_major(self, queryset, name, value):
        rule = unreported_major_activity()
        return queryset.filter(rule) if value else queryset.exclude(rule)

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["title"], text=["place", "summary"])

    def versions(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        # Replaced versions are hidden unless asked for, also when no filter is given at all.
        queryset = super().qs
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("all_versions"):
            return queryset
        return queryset.filter(is_current=True)


class ExpenditureFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    category = django_filters.ChoiceFilter(
        field_name="budget_line__category", choices=BudgetCategory.choices, label=_("category")
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("date from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("date to"))

    correction = django_filters.ChoiceFilter(
        method="filter_correction",
        choices=[
            ("reversal", _("Reversals (红冲)")),
            ("reversed", _("Reversed expenditures")),
            ("none", _("Neither reversed nor a reversal")),
        ],
        label=_("reversal"),
    )

    scoped_filters = {"project": _projects}

    class Meta:
        model = Expenditure
        fields = ["q", "project", "category", "date_from", "date_to", "correction"]

    def search(self, queryset, name, value):
        return queryset.filter(search.condition(value, codes=["voucher_number"], text=["payee", "purpose"]))

    def filter_correction(self, queryset, name, value):
        if value == "reversal":
            return queryset.filter(reverses__isnull=False)
        if value == "reversed":
            return queryset.filter(reversal__isnull=False)
        return queryset.filter(reverses__isnull=True, reversal__isnull=True)


class QuarterlySubmissionFilterSet(_ScopedChoices, BaseFilterSet):
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices, label=_("status"))
    year = YearFilter(label=_("year"))
    quarter = django_filters.ChoiceFilter(choices=QUARTERS, label=_("quarter"))
    funder = django_filters.ModelChoiceFilter(
        field_name="project__funder", queryset=Funder.objects.none(), label=_("funder")
    )

    awaiting_me = django_filters.BooleanFilter(method="filter_awaiting_me", label=_("awaiting my review"))

    scoped_filters = {"project": _projects, "funder": _funders}

    class Meta:
        model = QuarterlySubmission
        fields = ["project", "status", "year", "quarter", "funder", "awaiting_me"]

    def filter_awaiting_me(self, queryset, name, value):
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        funders = permissions.funders_acted_for(user, prefix="project__")
        if funders is None:
            return queryset.none()
        return queryset.filter(funders, status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.RESUBMITTED])


class MajorActivityReportFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=MajorActivityStatus.choices, label=_("status"))
    is_late = django_filters.BooleanFilter(label=_("reported late"))
    foreign_involvement = django_filters.BooleanFilter(label=_("foreign involvement"))
    date_from = django_filters.DateFilter(field_name="planned_date", lookup_expr="gte", label=_("date from"))
    date_to = django_filters.DateFilter(field_name="planned_date", lookup_expr="lte", label=_("date to"))
    reported_from = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("reported from"))
    reported_to = django_filters.DateFilter(field_name="reported_on", lookup_expr="lte", label=_("reported to"))
    region = subtree_filter("organization__region")

    class Meta:
        model = MajorActivityReport
        fields = [
            "q",
            "status",
            "is_late",
            "foreign_involvement",
            "date_from",
            "date_to",
            "reported_from",
            "reported_to",
            "region",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(search.condition(value, names=["title", "organization__name"], text=["place"]))


def _awaiting(request, queryset, value, states):
    """The rows in `states` whose project's funder the requesting user acts for (a to-do's filter)."""
    if not value:
        return queryset
    funders = permissions.funders_acted_for(getattr(request, "user", None), prefix="project__")
    if funders is None:
        return queryset.none()
    return queryset.filter(funders, status__in=list(states))


# ------------------------------------------------------------------------------ purchase of services


class FunderFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=FunderKind.choices, label=_("kind"))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label=_("region"))
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = Funder
        fields = ["q", "kind", "region", "is_active"]

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["name"], codes=["uscc"], text=["contact_person"])


class ContractFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    funder = django_filters.ModelChoiceFilter(
        field_name="project__funder", queryset=Funder.objects.none(), label=_("funder")
    )
    procurement_method = django_filters.ChoiceFilter(choices=ProcurementMethod.choices, label=_("procurement method"))
    year = YearFilter(field_name="signed_on", lookup_expr="year", label=_("year signed"))
    all_versions = django_filters.BooleanFilter(method="versions", label=_("include replaced versions"))

    scoped_filters = {"project": _projects, "funder": _funders}

    class Meta:
        model = Contract
        fields = ["q", "project", "funder", "procurement_method", "year", "all_versions"]

    def search(self, queryset, name, value):
        return queryset.filter(search.condition(value, names=["project__title"], codes=["number", "project__code"]))

    def versions(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        # Replaced versions are read from the contract's page, or listed when asked for.
        queryset = super().qs
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("all_versions"):
            return queryset
        return queryset.filter(is_current=True)


class MilestoneFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    status = django_filters.ChoiceFilter(choices=MilestoneStatus.choices, label=_("status"))
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("due from"))
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("due to"))
    awaiting_me = django_filters.BooleanFilter(method="filter_awaiting_me", label=_("awaiting my acceptance"))

    scoped_filters = {"project": _projects}

    class Meta:
        model = Milestone
        fields = ["q", "project", "status", "due_from", "due_to", "awaiting_me"]

    def search(self, queryset, name, value):
        return queryset.filter(
            search.condition(value, codes=["project__code", "contract__number"], text=["deliverable"])
        )

    def filter_awaiting_me(self, queryset, name, value):
        return _awaiting(self.request, queryset, value, {MilestoneStatus.SUBMITTED})

    @property
    def qs(self):
        # The milestones of the current contract versions: the earlier copies are read on their contract.
        return super().qs.filter(contract__is_current=True)


class PaymentFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    funder = django_filters.ModelChoiceFilter(
        field_name="project__funder", queryset=Funder.objects.none(), label=_("funder")
    )
    date_from = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("date from"))
    date_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("date to"))
    reversals = django_filters.BooleanFilter(
        field_name="reverses", lookup_expr="isnull", exclude=True, label=_("reversals")
    )

    scoped_filters = {"project": _projects, "funder": _funders}

    class Meta:
        model = Payment
        fields = ["q", "project", "funder", "date_from", "date_to", "reversals"]

    def search(self, queryset, name, value):
        return search.search(queryset, value, codes=["reference", "project__code"], text=["milestone__deliverable"])


class ProjectReviewFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    stage = django_filters.ChoiceFilter(choices=ReviewStage.choices, label=_("review stage"))
    conclusion = django_filters.ChoiceFilter(choices=ReviewConclusion.choices, label=_("conclusion"))
    date_from = django_filters.DateFilter(field_name="reviewed_on", lookup_expr="gte", label=_("date from"))
    date_to = django_filters.DateFilter(field_name="reviewed_on", lookup_expr="lte", label=_("date to"))

    scoped_filters = {"project": _projects}

    class Meta:
        model = ProjectReview
        fields = ["q", "project", "stage", "conclusion", "date_from", "date_to"]

    def search(self, queryset, name, value):
        return search.search(queryset, value, names=["project__title"], codes=["project__code"], text=["remarks"])


YES_NO = [("1", _("Yes")), ("0", _("No"))]


class SupervisionVisitFilterSet(_ScopedChoices, BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.none(), label=_("project"))
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label=_("kind"))
    overdue = django_filters.ChoiceFilter(method="filter_overdue", choices=YES_NO, label=_("rectification overdue"))
    open_rectification = django_filters.ChoiceFilter(
        method="filter_open", choices=YES_NO, label=_("rectification pending")
    )
    date_from = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("date from"))
    date_to = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("date to"))

    scoped_filters = {"project": _projects}

    class Meta:
        model = SupervisionVisit
        fields = ["q", "project", "kind", "overdue", "open_rectification", "date_from", "date_to"]

    def search(self, queryset, name, value):
        return search.search(
            queryset,
            value,
            names=["project__title", "project__organization__name"],
            codes=["project__code"],
            text=["supervisor", "findings"],
        )

    def filter_overdue(self, queryset, name, value):
        rule = rectification_overdue()
        return queryset.filter(rule) if value == "1" else queryset.exclude(rule)

    def filter_open(self, queryset, name, value):
        pending = Q(rectified_on__isnull=True) & ~Q(rectification="")
        return queryset.filter(pending) if value == "1" else queryset.exclude(pending)
