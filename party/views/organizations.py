"""Pages of party organizations and of each organization's coverage by party building (with its
history: a change records a new version in force from a date)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import params
from core.choices import Action, Role
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from registry.models import Organization

from .. import conf, selectors, services
from .. import permissions as rules
from ..filtersets import PartyCoverageFilterSet, PartyOrganizationFilterSet, prepare_coverage
from ..filtersets import as_of as as_of_filter
from ..forms import CoverageForm, PartyOrganizationForm
from ..models import PartyCoverage, PartyOrganization
from ..tables import PartyCoverageTable, PartyOrganizationTable
from ..workflows import PARTY_ORGANIZATION
from .common import LinkedOrganizationMixin, error_text, keeper_permission, with_urls

# Who reads the party lists of a node (an organization's account reads its own coverage only).
AREA_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.BUREAU_VIEWER, Role.STREET_OFFICER,
                        Role.COMMUNITY_PARTY})  # fmt: skip

# ---- party organizations ----


class PartyOrganizationListView(ObjectListView):
    queryset = PartyOrganization.objects.select_related("region__parent")
    filterset = PartyOrganizationFilterSet
    table = PartyOrganizationTable
    add_url_name = "party:partyorganization_create"

    def get_extra_context(self):
        return {"term_warning_days": conf.term_warning_days()}


class PartyOrganizationDetailView(ObjectDetailView):
    queryset = PartyOrganization.objects.select_related("region__parent", "parent", "host_organization")
    template_name = "party/partyorganization_detail.html"

    def get_extra_context(self):
        user, body = self.request.user, self.object
        covered = (
            PartyCoverage.objects.current()
            .filter(party_organization=body)
            .restrict(user)
            .select_related("organization__region")
            .order_by("organization__name")
        )
        can_edit, why_not = rules.may_keep_organization(user, body)
        today = timezone.localdate()
        return {
            "covered": covered,
            "children": body.children.restrict(user).order_by("name"),
            "activities": body.activities.restrict(user)[:10],
            "meetings": body.joint_meetings.restrict(user)[:10],
            "can_edit": can_edit and body.is_active,
            "why_not_edit": why_not if body.is_active else "",
            "offers": with_urls(PARTY_ORGANIZATION.offers(body, user), "party:partyorganization_transition", body),
            "term_due": body.is_active
            and body.term_ends_on is not None
            and (body.term_ends_on - today).days <= conf.term_warning_days(),
        }


class PartyOrganizationEditView(ObjectEditView):
    queryset = PartyOrganization.objects.select_related("region")
    form_class = PartyOrganizationForm
    template_name = "party/edit.html"

    def add_permission(self):
        return keeper_permission(self)

    def get_object(self):
        body = super().get_object()
        if body is not None:
            allowed, reason = rules.may_keep_organization(self.request.user, body)
            if not allowed:
                raise PermissionDenied(reason)
        return body

    def save(self, form, instance):
        values = form.values()
        covered = {"organizations": form.covered(), "covers_from": form.covered_from()}
        if instance is None:
            return services.party_organization_create(self.request.user, **covered, **values)
        return services.party_organization_update(self.request.user, instance, **covered, **values)


@login_required
@require_POST
def party_organization_transition(request, pk, name):
    """The workflow's step (dissolve, with its reason), from the party organization's page."""
    if name not in PARTY_ORGANIZATION.names:
        raise Http404
    body = get_object_or_404(PartyOrganization.objects.restrict(request.user, Action.CHANGE), pk=pk)
    try:
        services.party_organization_dissolve(request.user, body, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The party organization has been dissolved."))
    return redirect(body.get_absolute_url())


# ---- coverage ----


def as_of(request):
    """The day a list of organizations is read as of, for its heading (the filter reads it too; a
    malformed one is the filter form's error, and the heading says today)."""
    try:
        return params.query_date(request, default=None) or timezone.localdate()
    except params.InvalidParameter:
        return timezone.localdate()


class PartyCoverageListView(ObjectListView):
    """One row per organization active on the date: its coverage in force that day."""

    queryset = Organization.objects.select_related("region__parent")
    filterset = PartyCoverageFilterSet
    table = PartyCoverageTable
    template_name = "party/coverage_list.html"
    title = _("Party coverage of organizations")

    def get_queryset(self):
        # Read as of the list's date here too, so that an invalid filter's empty page still sorts.
        return prepare_coverage(super().get_queryset(), as_of(self.request))

    def get_extra_context(self):
        return {"verbose_name_plural": self.title, "as_of": as_of(self.request)}


class UnformedFilterSet(PartyCoverageFilterSet):
    """应建未建: organizations with at least the standalone minimum of full party members among their
    staff and no own party organization, on the date."""

    def filter_queryset(self, queryset):
        day = as_of_filter(self)
        queryset = queryset.filter(pk__in=selectors.should_form_own(day, Organization.objects.all()).values("pk"))
        return super().filter_queryset(queryset)


class UnformedListView(PartyCoverageListView):
    filterset = UnformedFilterSet
    title = _("Organizations that should form their own party organization")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (request.user.is_superuser or request.user.role in AREA_ROLES):
            raise PermissionDenied(_("Your role may not view this page."))
        return super().dispatch(request, *args, **kwargs)

    def get_extra_context(self):
        return {**super().get_extra_context(), "unformed": True,
                "minimum": conf.standalone_minimum_members()}  # fmt: skip


class PartyCoverageDetailView(ObjectDetailView):
    queryset = PartyCoverage.objects.select_related("organization__region__parent", "party_organization")
    template_name = "party/partycoverage_detail.html"

    def get_extra_context(self):
        user, coverage = self.request.user, self.object
        allowed, why_not = rules.may_keep_coverage(user, coverage.organization)
        return {
            "history": PartyCoverage.objects.filter(organization=coverage.organization_id)
            .restrict(user)
            .select_related("party_organization")
            .order_by("-valid_from", "-pk"),
            "can_record": allowed,
            "why_not": why_not,
        }


class PartyCoverageRecordView(LinkedOrganizationMixin, ObjectEditView):
    """A new version of the coverage of the organization the link names (?organization=), starting
    from the version in force."""

    queryset = PartyCoverage.objects.all()
    form_class = CoverageForm
    template_name = "party/edit.html"

    organization_rule = staticmethod(rules.may_keep_coverage)

    def get_form(self, instance, data=None, files=None):
        current = PartyCoverage.objects.filter(organization=self.organization()).current().first()
        initial = {}
        if current is not None:
            initial = {name: getattr(current, name) for name in CoverageForm.Meta.fields if name != "valid_from"}
            initial["party_organization"] = current.party_organization_id
        initial["valid_from"] = timezone.localdate()
        return self.form_class(data=data, files=files, user=self.request.user, initial=initial)

    def get_extra_context(self):
        return {"subject": self.organization(), "title": _("Record the coverage of %(name)s") % {
            "name": self.organization().name}}  # fmt: skip

    def save(self, form, instance):
        values = form.values()
        valid_from = values.pop("valid_from", None)
        return services.coverage_record(self.request.user, self.organization(), valid_from=valid_from, **values)
