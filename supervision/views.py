"""Pages of annual reports and of the abnormal-activity and serious-violation lists. Views collect
input and call services; scoping is `restrict(user, action)` through the generic views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import params
from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from registry.models import Organization

from . import permissions as rules
from . import services
from .choices import AnnualReportStatus
from .filtersets import (
    AbnormalListingFilterSet,
    AnnualReportFilterSet,
    OwingReportFilterSet,
    RevocationFilterSet,
    SeriousViolationListingFilterSet,
)
from .forms import (
    AbnormalListingForm,
    AnnualReportForm,
    ConclusionForm,
    DecisionReasonForm,
    ListingKeepForm,
    ListingRemoveForm,
    RevocationForm,
    SeriousListingForm,
)
from .models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing
from .selectors import organizations_owing_report, party_difference
from .services.clock import NOTHING_TO_RECTIFY_MONTHS
from .tables import (
    AbnormalListingTable,
    AnnualReportTable,
    OwingReportTable,
    RevocationTable,
    SeriousViolationListingTable,
)
from .workflows import ANNUAL_REPORT, REVOCATION


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(str(m) for messages_ in error.message_dict.values() for m in messages_)
    return "；".join(error.messages)


def _prefill(request, *names: str) -> dict:
    """Initial values a link carries (?organization=12&year=2025); a malformed one is a 400."""
    readers = {
        "organization": lambda: params.query_id(request, "organization", label=_("Organization")),
        "year": lambda: params.query_year(request),
    }
    initial = {name: readers[name]() for name in names}
    return {name: value for name, value in initial.items() if value is not None}


def _for_organization(view, rule):
    """An add page's permission: for the organization a link names (?organization=, one the user
    can see, else 404), `rule` — the one its service applies; without one, the role's."""
    pk = params.query_id(view.request, "organization", label=_("Organization"))
    if pk is not None:
        organization = get_object_or_404(
            Organization.objects.select_related("region").restrict(view.request.user, Action.VIEW), pk=pk
        )
        allowed, reason = rule(view.request.user, organization)
        if not allowed:
            return allowed, reason
    return ObjectEditView.add_permission(view)


def _scoped(model, request, pk, action=Action.CHANGE, related=("organization__region",)):
    return get_object_or_404(model.objects.select_related(*related).restrict(request.user, action), pk=pk)


# ---- annual reports ----


class AnnualReportListView(ObjectListView):
    queryset = AnnualReport.objects.select_related("organization__region__parent")
    filterset = AnnualReportFilterSet
    table = AnnualReportTable
    add_url_name = "supervision:annualreport_create"


class AnnualReportDetailView(ObjectDetailView):
    queryset = AnnualReport.objects.select_related(
        "organization__region__parent", "submitted_by", "reviewed_by", "created_by"
    )
    template_name = "supervision/annualreport_detail.html"

    def get_extra_context(self):
        user, report = self.request.user, self.object
        can_edit, why_not_edit = rules.can_edit_report(user, report)
        return {
            "can_edit": can_edit,
            "why_not_edit": why_not_edit if report.is_editable else "",
            "offers": ANNUAL_REPORT.offers(report, user),
            "conclusion_form": ConclusionForm(),
            # What the reviewer checks: the party section as submitted against the coverage on record.
            "party_difference": party_difference(report) if report.status != AnnualReportStatus.DRAFT else None,
        }


class AnnualReportEditView(ObjectEditView):
    queryset = AnnualReport.objects.select_related("organization__region")
    form_class = AnnualReportForm

    def add_permission(self):
        return _for_organization(self, rules.can_create_report)

    def get_object(self):
        report = super().get_object()
        if report is not None:
            allowed, reason = rules.can_edit_report(self.request.user, report)
            if not allowed:
                raise PermissionDenied(reason)
        return report

    def get_form(self, instance, data=None, files=None):
        initial = {}
        if instance is None:
            initial = _prefill(self.request, "organization", "year")
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, initial=initial)

    def save(self, form, instance):
        fields = form.report_fields()
        if instance is None:
            return services.annual_report_create(
                organization=form.cleaned_data["organization"], year=form.cleaned_data["year"], by=self.request.user,
                **fields,
            )  # fmt: skip
        return services.annual_report_update(report=instance, by=self.request.user, **fields)


@login_required
@require_POST
def annual_report_transition(request, pk, name):
    """One of the workflow's steps (submit, conclude, return), taken from the detail page."""
    if name not in ANNUAL_REPORT.names:
        raise Http404
    report = _scoped(AnnualReport, request, pk)
    reason = request.POST.get("reason", "")
    try:
        if name == "submit":
            services.annual_report_submit(report=report, by=request.user)
            messages.success(request, _("The annual report has been submitted."))
        elif name == "return":
            services.annual_report_return(report=report, by=request.user, reason=reason)
            messages.success(request, _("The report has been returned for correction."))
        else:
            form = ConclusionForm(request.POST)
            data = form.cleaned_data if form.is_valid() else {"conclusion": "", "remarks": ""}
            services.annual_report_conclude(
                report=report, by=request.user, conclusion=data["conclusion"], remarks=data["remarks"]
            )
            messages.success(request, _("The conclusion has been recorded."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(report.get_absolute_url())


class OwingReportListView(ObjectListView):
    """Organizations whose report on a year (default: last year) has not been submitted."""

    queryset = Organization.objects.select_related("region__parent")
    filterset = OwingReportFilterSet
    table = OwingReportTable

    def report_year(self) -> int:
        return params.query_year(self.request, default=timezone.localdate().year - 1)

    def get_queryset(self):
        return organizations_owing_report(self.report_year(), super().get_queryset())

    def get_extra_context(self):
        year = self.report_year()
        return {
            "verbose_name_plural": _("Organizations owing the %(year)d annual report") % {"year": year},
            "due_on": services.annual_report_due_on(year),
        }


# ---- the lists ----


class AbnormalListingListView(ObjectListView):
    queryset = AbnormalListing.objects.select_related("organization__region__parent", "listed_by")
    filterset = AbnormalListingFilterSet
    table = AbnormalListingTable
    add_url_name = "supervision:abnormallisting_create"


class SeriousViolationListingListView(ObjectListView):
    queryset = SeriousViolationListing.objects.select_related("organization__region__parent", "listed_by")
    filterset = SeriousViolationListingFilterSet
    table = SeriousViolationListingTable
    add_url_name = "supervision:seriousviolationlisting_create"


class _ListingDetailView(ObjectDetailView):
    template_name = "supervision/listing_detail.html"
    remove_url_name = ""

    def get_extra_context(self):
        allowed, reason = rules.can_remove_listing(self.request.user, self.object)
        return {
            "remove_form": ListingRemoveForm(listing=self.object) if allowed else None,
            "remove_url_name": self.remove_url_name,
            "why_not": reason if not allowed and self.object.is_active else "",
        }


class AbnormalListingDetailView(_ListingDetailView):
    queryset = AbnormalListing.objects.select_related(
        "organization__region__parent", "listed_by", "ended_by", "serious_listing", "removal_declined_by"
    )
    remove_url_name = "supervision:abnormallisting_remove"

    def get_extra_context(self):
        context = super().get_extra_context()
        # A proposed removal is decided here: remove (the form above), or keep listed with grounds.
        context["keep_form"] = ListingKeepForm() if context["remove_form"] and self.object.removal_pending else None
        if self.object.is_active:
            context["nothing_to_rectify_from"] = services.months_after(
                services.abnormal_clock_start(self.object), NOTHING_TO_RECTIFY_MONTHS
            )
        return context


class SeriousViolationListingDetailView(_ListingDetailView):
    queryset = SeriousViolationListing.objects.select_related("organization__region__parent", "listed_by", "ended_by")
    remove_url_name = "supervision:seriousviolationlisting_remove"

    def get_extra_context(self):
        context = {**super().get_extra_context(), "moved_from": self.object.abnormal_listings.all()}
        if self.object.is_active:
            # The two-year clock, restarted by any new listing since (services.clock).
            context["removable_from"] = services.serious_removable_from(self.object)
        return context


class _ListingCreateView(ObjectEditView):
    def add_permission(self):
        return _for_organization(self, rules.can_list)

    def get_form(self, instance, data=None, files=None):
        initial = _prefill(self.request, "organization")
        if self.request.GET.get("reason"):
            initial["reason"] = self.request.GET["reason"]
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, initial=initial)


class AbnormalListingCreateView(_ListingCreateView):
    queryset = AbnormalListing.objects.all()
    form_class = AbnormalListingForm

    def save(self, form, instance):
        data = form.cleaned_data
        return services.abnormal_listing_create(
            organization=data["organization"], reason=data["reason"], note=data["listing_note"],
            report_year=data.get("report_year"), by=self.request.user,
        )  # fmt: skip


class SeriousViolationListingCreateView(_ListingCreateView):
    queryset = SeriousViolationListing.objects.all()
    form_class = SeriousListingForm

    def save(self, form, instance):
        data = form.cleaned_data
        return services.serious_listing_create(
            organization=data["organization"], note=data["listing_note"], by=self.request.user
        )


def _remove(model, service):
    @login_required
    @require_POST
    def remove(request, pk):
        listing = _scoped(model, request, pk)
        form = ListingRemoveForm(request.POST, listing=listing)
        if not form.is_valid():
            messages.error(request, _("Choose the reason for removal."))
            return redirect(listing.get_absolute_url())
        try:
            service(listing=listing, by=request.user, end_reason=form.cleaned_data["end_reason"],
                    note=form.cleaned_data["end_note"])  # fmt: skip
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The organization has been removed from the list."))
        return redirect(listing.get_absolute_url())

    return remove


abnormal_listing_remove = _remove(AbnormalListing, services.abnormal_listing_remove)
serious_listing_remove = _remove(SeriousViolationListing, services.serious_listing_remove)


@login_required
@require_POST
def abnormal_listing_keep(request, pk):
    """Decide against a proposed removal: the organization stays listed, with the grounds."""
    listing = _scoped(AbnormalListing, request, pk)
    form = ListingKeepForm(request.POST)
    form.is_valid()
    try:
        services.abnormal_listing_keep(listing=listing, by=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The organization stays listed; the proposal is closed."))
    return redirect(listing.get_absolute_url())


# ---- revocations (撤销登记 / 吊销登记证书) ----


class RevocationListView(ObjectListView):
    queryset = Revocation.objects.select_related("organization__region__parent", "submitted_by", "reviewed_by")
    filterset = RevocationFilterSet
    table = RevocationTable
    add_url_name = "supervision:revocation_create"


class RevocationDetailView(ObjectDetailView):
    queryset = Revocation.objects.select_related(
        "organization__region__parent", "created_by", "submitted_by", "reviewed_by", "serious_listing"
    )
    template_name = "supervision/revocation_detail.html"

    def get_extra_context(self):
        user, revocation = self.request.user, self.object
        can_edit, why_not = rules.can_edit_revocation(user, revocation)
        return {
            "can_edit": can_edit,
            "why_not_edit": why_not if revocation.is_editable else "",
            "offers": REVOCATION.offers(revocation, user),
        }


class RevocationEditView(ObjectEditView):
    queryset = Revocation.objects.select_related("organization__region")
    form_class = RevocationForm

    def add_permission(self):
        return _for_organization(self, rules.can_propose_revocation)

    def get_object(self):
        revocation = super().get_object()
        if revocation is not None:
            allowed, reason = rules.can_edit_revocation(self.request.user, revocation)
            if not allowed:
                raise PermissionDenied(reason)
        return revocation

    def get_form(self, instance, data=None, files=None):
        initial = _prefill(self.request, "organization") if instance is None else {}
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, initial=initial)

    def save(self, form, instance):
        fields = form.revocation_fields()
        if instance is None:
            return services.revocation_create(
                organization=form.cleaned_data["organization"], by=self.request.user, **fields
            )
        return services.revocation_update(revocation=instance, by=self.request.user, **fields)


# What the user is told after each step.
REVOCATION_OUTCOMES = {
    "submit": gettext_lazy("Proposed; another person of the bureau decides."),
    "approve": gettext_lazy("Decided: the organization's status has changed and it is on the serious-violation list."),
    "return": gettext_lazy("Returned to the clerk for correction."),
    "reject": gettext_lazy("The proposal was not approved."),
}


@login_required
@require_POST
def revocation_transition(request, pk, name):
    """One of the revocation's steps (propose, decide, return, reject), from its page."""
    if name not in REVOCATION.names:
        raise Http404
    revocation = _scoped(Revocation, request, pk)
    form = DecisionReasonForm(request.POST)
    form.is_valid()
    try:
        services.revocation_transition(
            revocation=revocation, by=request.user, name=name, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, str(REVOCATION_OUTCOMES[name]))
    return redirect(revocation.get_absolute_url())
