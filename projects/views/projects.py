"""Pages of the projects app: configuration of the generic views, and thin views that call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from core import exports, params
from core.choices import Action, Role
from core.uploads import serve
from core.views.generic import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
    flash_errors,
)
from core.xlsx import Sheet, export_filename, xlsx_response

from .. import filtersets, forms, periods, permissions, selectors, services, tables, tranches, workflows
from ..choices import Timeliness
from ..conf import major_activity_participants, major_activity_window_days, quarter_due_days
from ..models import (
    BudgetAdjustment,
    BudgetLine,
    Expenditure,
    Indicator,
    LedgerAttachment,
    LedgerEntry,
    MajorActivityReport,
    Project,
    QuarterlySubmission,
)
from ..uploads import LEDGER_ATTACHMENT_UPLOADS, VOUCHER_UPLOADS


def _project(request, pk) -> Project:
    return get_object_or_404(
        Project.objects.restrict(request.user, Action.VIEW).select_related("organization__region", "funder"), pk=pk
    )


# ------------------------------------------------------------------------------------------ projects


class ProjectListView(ObjectListView):
    queryset = selectors.with_review_conclusions(
        tranches.with_contract_totals(Project.objects.select_related("organization", "funder"))
    )
    filterset = filtersets.ProjectFilterSet
    table = tables.ProjectTable
    add_url_name = "projects:project_add"


class ProjectDetailView(ObjectDetailView):
    queryset = Project.objects.select_related("organization__region", "funder")
    template_name = "projects/project_detail.html"

    def get_extra_context(self):
        project, user = self.object, self.request.user
        budget = selectors.project_budget_rows(project)
        return {
            "indicators": selectors.indicator_progress(project),
            "budget": budget,
            "budget_total": selectors.budget_totals(budget),
            "quarters": selectors.quarter_grid(project),
            "recent_entries": project.ledger_entries.filter(is_current=True).order_by("-date", "-pk")[:10],
            "adjustments": [
                (adjustment, workflows.BUDGET_ADJUSTMENT.offers(adjustment, user))
                for adjustment in project.budget_adjustments.select_related("from_line", "to_line").order_by(
                    "-created_at", "-pk"
                )
            ],
            "service_communities": project.service_communities.all(),
            "can_record": permissions.may_add_to_ledger(user, project)[0],
            "can_propose_adjustment": permissions.may_propose_adjustment(user, project)[0],
            "can_add_indicator": permissions.may_add_indicator(user, project)[0],
            "can_add_budget_line": permissions.may_add_budget_line(user, project)[0],
            "can_review": permissions.is_funder(user, project),
            "can_manage": permissions.may_manage_project(user, project.organization, project.funder)[0],
            "offers": workflows.PROJECT.offers(project, user),
            **selectors.project_oversight(project, user),
            "is_applied": project.status == "applied",
        }


class ProjectEditView(ObjectEditView):
    queryset = Project.objects.select_related("organization__region", "funder")
    form_class = forms.ProjectForm

    def save(self, form, instance):
        data = dict(form.cleaned_data)
        if instance is None:
            return services.project_create(by=self.request.user, **data)
        return services.project_update(project=instance, by=self.request.user, **data)


class ProjectTransitionView(ObjectActionView):
    queryset = Project.objects.all()
    actions = {
        name: (lambda project, user, reason, name=name: services.project_transition(
            project=project, by=user, name=name, reason=reason))
        for name in workflows.PROJECT.names
    }  # fmt: skip

    def get_success_message(self, name):
        return _("Done: %(action)s.") % {"action": workflows.PROJECT[name].label}


class ProjectChildAddView(ObjectEditView):
    """Adds a record to a project (budget line, indicator, ledger entry, expenditure, adjustment).

    `add_rule` is the projects.permissions rule (user, project) the page enforces and the project's
    page asks for its link."""

    add_rule = None

    def add_permission(self):
        self.project = _project(self.request, self.kwargs["project_pk"])
        allowed, reason = self.add_rule(self.request.user, self.project)
        return super().add_permission() if allowed else (allowed, reason)

    def get_object(self):
        if not hasattr(self, "project"):  # add_permission has fetched it already
            self.project = _project(self.request, self.kwargs["project_pk"])
        return

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, **self.form_kwargs())

    def form_kwargs(self):
        return {}

    def get_extra_context(self):
        return {"project": self.project, "verbose_name": f"{self.project.code} · {self.model._meta.verbose_name}"}

    def get_success_url(self, obj):
        return self.project.get_absolute_url()


class BudgetLineAddView(ProjectChildAddView):
    queryset = BudgetLine.objects.all()
    form_class = forms.BudgetLineForm
    add_rule = staticmethod(permissions.may_add_budget_line)

    def save(self, form, instance):
        return services.budget_line_create(project=self.project, by=self.request.user, **form.cleaned_data)


@login_required
@require_POST
def budget_line_delete(request, pk):
    """Only while the project is applied: afterwards the budget moves through adjustments."""
    line = get_object_or_404(BudgetLine.objects.restrict(request.user, Action.CHANGE).select_related("project"), pk=pk)
    try:
        services.budget_line_delete(line=line, by=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect(line.project)


class IndicatorAddView(ProjectChildAddView):
    queryset = Indicator.objects.all()
    form_class = forms.IndicatorForm
    add_rule = staticmethod(permissions.may_add_indicator)

    def save(self, form, instance):
        return services.indicator_create(project=self.project, by=self.request.user, **form.cleaned_data)


@login_required
@require_POST
def indicator_value(request, pk):
    indicator = get_object_or_404(Indicator.objects.restrict(request.user).select_related("project"), pk=pk)
    form = forms.IndicatorValueForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Entered value: enter a number that is not negative."))
    else:
        try:
            services.indicator_enter_value(indicator=indicator, by=request.user, value=form.cleaned_data["value"])
        except ValidationError as error:
            flash_errors(request, error)
        except PermissionDenied as error:  # e.g. the organization and an indicator from beneficiary feedback
            messages.error(request, str(error))
    return redirect(indicator.project)


# ------------------------------------------------------------------------------------ ledger entries


class LedgerEntryListView(ObjectListView):
    queryset = LedgerEntry.objects.select_related("project")
    filterset = filtersets.LedgerEntryFilterSet
    table = tables.LedgerEntryTable


class LedgerEntryDetailView(ObjectDetailView):
    queryset = LedgerEntry.objects.select_related(
        "project__organization", "project__funder", "previous_version", "reviewed_by"
    )
    template_name = "projects/ledgerentry_detail.html"

    def get_extra_context(self):
        entry, user = self.object, self.request.user
        versions, node = [], entry
        while node.previous_version_id:
            node = node.previous_version
            versions.append(node)
        next_version = LedgerEntry.objects.filter(previous_version=entry).first()
        may_record = permissions.may_record(user, entry.project)[0]
        return {
            "attachments": entry.attachments.all(),
            "older_versions": versions,
            "next_version": next_version,
            "can_edit": may_record and entry.status == "draft",
            "can_correct": may_record
            and entry.is_current
            and entry.status in workflows.ENTRY_CORRECTABLE
            and next_version is None,
            # A replaced version is read, not decided: its correction is reviewed instead.
            "offers": workflows.LEDGER_ENTRY.offers(entry, user) if entry.is_current else [],
            "unreported_major": selectors.is_unreported_major_activity(entry)
            and {"participants": major_activity_participants(), "window": major_activity_window_days()},
        }


class LedgerEntryAddView(ProjectChildAddView):
    queryset = LedgerEntry.objects.all()
    form_class = forms.LedgerEntryForm
    add_rule = staticmethod(permissions.may_add_to_ledger)
    template_name = "projects/ledgerentry_edit.html"

    def save(self, form, instance):
        entry = services.ledger_entry_create(
            project=self.project, by=self.request.user, attachments=form.attachments(), **form.entry_data()
        )
        if "submit" in self.request.POST:
            entry = services.ledger_entry_submit(entry=entry, by=self.request.user)
        _warn_if_quarter_under_review(self.request, entry)
        return entry

    def get_success_url(self, obj):
        return obj.get_absolute_url()


def _warn_if_quarter_under_review(request, entry) -> None:
    """An entry dated in a quarter the funder is reviewing is not part of that review: say so."""
    submission = selectors.quarter_under_review(entry.project_id, entry.date)
    if submission is not None:
        messages.warning(
            request,
            _(
                "%(quarter)s has been submitted and awaits review; this entry is not part of that submission. "
                "Ask the reviewer to return the quarter if it should be included."
            )
            % {"quarter": periods.quarter_label(submission.year, submission.quarter)},
        )


class LedgerEntryEditView(ObjectEditView):
    """Edit a draft in place, or (`correct=True`) make a correction of a submitted entry."""

    queryset = LedgerEntry.objects.select_related("project__organization", "project__funder")
    form_class = forms.LedgerEntryForm
    template_name = "projects/ledgerentry_edit.html"
    correct = False

    def save(self, form, instance):
        user = self.request.user
        if self.correct:
            entry = services.ledger_entry_correct(entry=instance, by=user, **form.entry_data())
        else:
            entry = services.ledger_entry_update(entry=instance, by=user, **form.entry_data())
        for kind, upload in form.attachments():
            services.ledger_attachment_add(entry=entry, by=user, kind=kind, upload=upload)
        if "submit" in self.request.POST:
            entry = services.ledger_entry_submit(entry=entry, by=user)
        _warn_if_quarter_under_review(self.request, entry)
        return entry

    def get_extra_context(self):
        return {"project": self.object_project(), "correct": self.correct}

    def object_project(self):
        instance = LedgerEntry.objects.filter(pk=self.kwargs["pk"]).select_related("project").first()
        return instance.project if instance else None


ENTRY_ACTIONS = {
    "submit": lambda entry, user, reason: services.ledger_entry_submit(entry=entry, by=user),
    "accept": lambda entry, user, reason: services.ledger_entry_accept(entry=entry, by=user),
    "return": lambda entry, user, reason: services.ledger_entry_return(entry=entry, by=user, reason=reason),
    "delete": lambda entry, user, reason: services.ledger_entry_delete(entry=entry, by=user),
}


class LedgerEntryActionView(ObjectActionView):
    queryset = LedgerEntry.objects.select_related("project")
    actions = ENTRY_ACTIONS

    def get_success_message(self, name):
        return _("The draft was deleted.") if name == "delete" else _("Done.")

    def get_success_url(self, entry, name):
        return entry.project.get_absolute_url() if name == "delete" else entry.get_absolute_url()


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(LedgerAttachment.objects.restrict(request.user), pk=pk)
    policy = LEDGER_ATTACHMENT_UPLOADS[attachment.kind]
    return serve(attachment.file, filename=attachment.original_name, policy=policy)


@login_required
def expenditure_voucher(request, pk):
    expenditure = get_object_or_404(Expenditure.objects.restrict(request.user), pk=pk)
    # Vouchers kept before their names were recorded are offered under their stored name.
    filename = expenditure.voucher_name or expenditure.voucher.name.rsplit("/", 1)[-1]
    return serve(expenditure.voucher, filename=filename, policy=VOUCHER_UPLOADS)


# --------------------------------------------------------------------------- expenditures and budget


class ExpenditureListView(ObjectListView):
    queryset = Expenditure.objects.select_related("project", "budget_line", "reverses", "reversal")
    filterset = filtersets.ExpenditureFilterSet
    table = tables.ExpenditureTable


class ExpenditureAddView(ProjectChildAddView):
    queryset = Expenditure.objects.all()
    form_class = forms.ExpenditureForm
    add_rule = staticmethod(permissions.may_add_to_ledger)

    def form_kwargs(self):
        return {"project": self.project}

    def save(self, form, instance):
        return services.expenditure_create(project=self.project, by=self.request.user, **form.cleaned_data)


class BudgetAdjustmentAddView(ProjectChildAddView):
    queryset = BudgetAdjustment.objects.all()
    form_class = forms.BudgetAdjustmentForm
    add_rule = staticmethod(permissions.may_propose_adjustment)

    def form_kwargs(self):
        return {"project": self.project}

    def save(self, form, instance):
        return services.budget_adjustment_propose(project=self.project, by=self.request.user, **form.cleaned_data)


class BudgetAdjustmentDecideView(ObjectActionView):
    queryset = BudgetAdjustment.objects.all()
    url_kwarg = "decision"
    actions = {
        "approve": lambda adjustment, user, reason: services.budget_adjustment_approve(adjustment=adjustment, by=user),
        "reject": lambda adjustment, user, reason: services.budget_adjustment_reject(
            adjustment=adjustment, by=user, reason=reason
        ),
    }


# ---------------------------------------------------------------------------- quarterly submissions


class QuarterlySubmissionListView(ObjectListView):
    queryset = QuarterlySubmission.objects.select_related("project__organization", "reviewed_by")
    filterset = filtersets.QuarterlySubmissionFilterSet
    table = tables.QuarterlySubmissionTable


class QuarterlySubmissionDetailView(ObjectDetailView):
    queryset = QuarterlySubmission.objects.select_related(
        "project__organization", "project__funder", "submitted_by", "reviewed_by"
    )
    template_name = "projects/quarterlysubmission_detail.html"

    def get_extra_context(self):
        submission, user = self.object, self.request.user
        entries = services.quarter_entries(submission.project_id, submission.year, submission.quarter).order_by("date")
        return {
            "entries": entries,
            "expenditures": submission.project.expenditures.filter(
                date__gte=periods.quarter_start(submission.year, submission.quarter),
                date__lte=periods.quarter_end(submission.year, submission.quarter),
            ).select_related("budget_line"),
            # Resubmitting needs a new narrative: it is the submission page's form, linked below.
            "offers": [o for o in workflows.QUARTERLY_SUBMISSION.offers(submission, user) if o.name != "resubmit"],
            "can_resubmit": permissions.may_record(user, submission.project)[0] and submission.status == "returned",
        }


class QuarterlySubmissionSubmitView(LoginRequiredMixin, View):
    template_name = "projects/quarterlysubmission_submit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = _project(request, kwargs["pk"])
            self.year, self.quarter = params.path_year(kwargs["year"]), params.path_quarter(kwargs["quarter"])
        return super().dispatch(request, *args, **kwargs)

    def render(self, form):
        existing = self.project.quarterly_submissions.filter(year=self.year, quarter=self.quarter).first()
        entries = services.quarter_entries(self.project.pk, self.year, self.quarter).order_by("date")
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "project": self.project,
                "form": form,
                "label": periods.quarter_label(self.year, self.quarter),
                "due": periods.due_date(self.year, self.quarter),
                "entries": entries,
                "existing": existing,
            },
        )

    def get(self, request, *args, **kwargs):
        existing = self.project.quarterly_submissions.filter(year=self.year, quarter=self.quarter).first()
        initial = {"narrative": existing.narrative} if existing else {}
        return self.render(forms.QuarterlySubmissionForm(user=request.user, initial=initial))

    def post(self, request, *args, **kwargs):
        form = forms.QuarterlySubmissionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                submission = services.quarterly_submission_submit(
                    project=self.project,
                    by=request.user,
                    year=self.year,
                    quarter=self.quarter,
                    narrative=form.cleaned_data["narrative"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("The quarter %(quarter)s has been submitted.") % {"quarter": submission.quarter_label}
                )
                return redirect(self.project)
        return self.render(form)


class QuarterlySubmissionActionView(ObjectActionView):
    queryset = QuarterlySubmission.objects.all()
    actions = {
        "accept": lambda submission, user, reason: services.quarterly_submission_accept(submission=submission, by=user),
        "return": lambda submission, user, reason: services.quarterly_submission_return(
            submission=submission, by=user, reason=reason
        ),
    }


# ----------------------------------------------------------------------------------------- timeliness

TIMELINESS_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BUREAU_VIEWER, Role.STREET_OFFICER})


@login_required
def timeliness(request):
    """Reporting-rate table of quarterly submissions by street or by organization."""
    if not (request.user.is_superuser or request.user.role in TIMELINESS_ROLES):
        raise PermissionDenied(_("Your role may not view this page."))
    by = "organization" if request.GET.get("by") == "organization" else "street"
    year, quarter = params.query_year(request), params.query_quarter(request)
    rows = selectors.timeliness_rows(request.user, by=by, year=year, quarter=quarter)
    group_label = _("Organization") if by == "organization" else _("Street")
    columns = [
        (group_label, "label"),
        (_("Expected"), "expected"),
        (_("On time"), Timeliness.ON_TIME),
        (_("Late"), Timeliness.LATE),
        (_("Missing"), Timeliness.MISSING),
        (_("Not yet due"), Timeliness.NOT_DUE),
        (_("On-time rate (%)"), "on_time_rate"),
        (_("Submission rate (%)"), "submission_rate"),
    ]
    if request.GET.get("export") == "xlsx":
        title = str(_("Ledger timeliness"))
        sheet = Sheet(
            title, [label for label, _key in columns], ([row[key] for _label, key in columns] for row in rows)
        )
        chosen = [(_("Group by"), group_label), (_("year"), year), (_("quarter"), f"Q{quarter}" if quarter else None)]
        note = exports.note(title=title, filters=[(k, str(v)) for k, v in chosen if v], user=request.user)
        return xlsx_response([sheet], export_filename(title), note)
    return TemplateResponse(
        request,
        "projects/timeliness.html",
        {
            "rows": rows,
            "columns": columns,
            "by": by,
            "year": year or "",
            "quarter": quarter or "",
            "years": range(timezone.localdate().year - 3, timezone.localdate().year + 1),
            "due_days": quarter_due_days(),
        },
    )


# ------------------------------------------------------------------------------ major activities


class MajorActivityReportListView(ObjectListView):
    queryset = MajorActivityReport.objects.select_related("organization")
    filterset = filtersets.MajorActivityReportFilterSet
    table = tables.MajorActivityReportTable
    add_url_name = "projects:majoractivity_add"


class MajorActivityReportDetailView(ObjectDetailView):
    queryset = MajorActivityReport.objects.select_related("organization__region", "project", "reviewed_by")
    template_name = "projects/majoractivity_detail.html"

    def get_extra_context(self):
        return {
            "offers": workflows.MAJOR_ACTIVITY.offers(self.object, self.request.user),
            "report_by": periods.major_activity_report_by(self.object.planned_date),
        }


class MajorActivityReportAddView(ObjectEditView):
    queryset = MajorActivityReport.objects.all()
    form_class = forms.MajorActivityReportForm

    def add_permission(self):
        allowed, reason = permissions.may_report_major_activity(self.request.user)
        return super().add_permission() if allowed else (allowed, reason)

    def save(self, form, instance):
        from registry.models import Organization

        organization = Organization.objects.get(pk=self.request.user.organization_id)
        return services.major_activity_report_create(
            by=self.request.user, organization=organization, **form.cleaned_data
        )


class MajorActivityActionView(ObjectActionView):
    queryset = MajorActivityReport.objects.all()
    actions = {
        "acknowledge": lambda report, user, reason: services.major_activity_acknowledge(report=report, by=user),
        "object": lambda report, user, reason: services.major_activity_object(report=report, by=user, reason=reason),
    }
