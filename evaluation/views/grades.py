"""Pages of organization grades (社会组织评估等级 1A–5A): the list (grade, street, those expiring
soon flagged), recording a grade for a registered organization (a filed one is refused, and the page
says why), a grade's page with its validity and the revocation with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from party.views.common import LinkedOrganizationMixin

from .. import conf
from .. import permissions as rules
from ..filtersets.grades import OrgGradeFilterSet
from ..forms.grades import OrgGradeForm, RevokeForm
from ..models import OrgGrade
from ..services import grades as services
from ..tables.grades import OrgGradeTable, grade_state

FILED_REFUSAL = gettext_lazy(
    "Grades (1A–5A) are awarded to registered social organizations only. %(name)s is a filed community "
    "organization: it takes part in the street's annual review (评估评议) instead."
)


class OrgGradeListView(ObjectListView):
    queryset = OrgGrade.objects.select_related("organization__region__parent")
    filterset = OrgGradeFilterSet
    table = OrgGradeTable

    def get_extra_context(self):
        return {"warning_days": conf.grade_warning_days()}


class OrgGradeCreateView(LinkedOrganizationMixin, ObjectEditView):
    """A grade for the organization the link names (?organization=)."""

    queryset = OrgGrade.objects.all()
    form_class = OrgGradeForm
    template_name = "evaluation/grades/orggrade_create.html"
    success_message = gettext_lazy("The grade has been recorded.")

    organization_rule = staticmethod(rules.may_award_grade)

    def get_extra_context(self):
        organization = self.organization()
        refusal = FILED_REFUSAL % {"name": organization.name} if organization.is_filed else ""
        return {
            "subject": organization,
            "refusal": refusal,
            "title": _("Record the grade of %(name)s") % {"name": organization.name},
        }

    def save(self, form, instance):
        return services.grade_award(self.organization(), by=self.request.user, **form.values())


class OrgGradeDetailView(ObjectDetailView):
    queryset = OrgGrade.objects.select_related("organization__region__parent", "created_by")
    template_name = "evaluation/grades/orggrade_detail.html"

    def get_extra_context(self):
        grade, user = self.object, self.request.user
        can_revoke, why_not = rules.may_award_grade(user, grade.organization)
        return {
            "state": grade_state(grade.revoked_on, grade.valid_from, grade.valid_until),
            "history": OrgGrade.objects.restrict(user)
            .filter(organization=grade.organization_id)
            .order_by("-awarded_on", "-pk"),
            "revoke_form": RevokeForm() if can_revoke and grade.revoked_on is None else None,
            "why_not": why_not,
            "today": timezone.localdate(),
        }


@login_required
@require_POST
def orggrade_revoke(request, pk):
    grade = get_object_or_404(
        OrgGrade.objects.select_related("organization__region").restrict(request.user, Action.VIEW), pk=pk
    )
    allowed, reason = rules.may_award_grade(request.user, grade.organization)
    if not allowed:
        raise PermissionDenied(reason)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []):
            messages.error(request, f"{form.fields['reason'].label}：{error}")
        return redirect(grade.get_absolute_url())
    try:
        services.grade_revoke(grade, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The grade has been revoked."))
    return redirect(grade.get_absolute_url())


urlpatterns = [
    path("grades/", OrgGradeListView.as_view(), name="orggrade_list"),
    path("grades/new/", OrgGradeCreateView.as_view(), name="orggrade_create"),
    path("grades/<int:pk>/", OrgGradeDetailView.as_view(), name="orggrade_detail"),
    path("grades/<int:pk>/revoke/", orggrade_revoke, name="orggrade_revoke"),
]
