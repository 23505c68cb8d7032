"""Pages of the expert pool (专家库): the list (by dimension, affiliation kind, active), an expert with
their assignments, and the form (a new expert may get an account at once)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path

from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

from .. import permissions
from ..filtersets.experts import ExpertFilterSet
from ..forms.experts import ExpertForm
from ..forms.schemes import own_district
from ..models import Assignment, Expert
from ..services import experts as services
from ..tables.experts import ExpertTable


class ExpertListView(ObjectListView):
    queryset = Expert.objects.select_related("organization", "funder", "user")
    filterset = ExpertFilterSet
    table = ExpertTable
    add_url_name = "evaluation:expert_create"


class ExpertDetailView(ObjectDetailView):
    queryset = Expert.objects.select_related("region", "organization", "funder", "user")
    template_name = "evaluation/expert_detail.html"

    def get_extra_context(self):
        expert, user = self.object, self.request.user
        can_edit, _reason = permissions.may_keep_expert(user, expert.region)
        return {
            "assignments": Assignment.objects.restrict(user)
            .filter(expert=expert)
            .select_related("round", "round_project__project__organization")
            .order_by("-round__year", "-round__pk", "round_project__project__code"),
            "can_edit": can_edit,
        }


class ExpertEditView(ObjectEditView):
    queryset = Expert.objects.select_related("region", "user")
    form_class = ExpertForm
    template_name = "evaluation/edit.html"

    def add_permission(self):
        allowed, reason = ObjectEditView.add_permission(self)
        if not allowed:
            return allowed, reason
        user = self.request.user
        return permissions.may_keep_expert(user, own_district(user))

    def get_object(self):
        expert = super().get_object()
        if expert is not None:
            allowed, reason = permissions.may_keep_expert(self.request.user, expert.region)
            if not allowed:
                raise PermissionDenied(reason)
        return expert

    def save(self, form, instance):
        values = form.values()
        username = form.cleaned_data.get("username") or ""
        if instance is None:
            try:
                return services.expert_create(
                    by=self.request.user, region=form.cleaned_data["region"], username=username, **values
                )
            except PermissionDenied as refusal:  # the account's part (nothing is saved)
                raise ValidationError({"username": str(refusal)}) from refusal
        return services.expert_update(instance, by=self.request.user, **values)


urlpatterns = [
    path("experts/", ExpertListView.as_view(), name="expert_list"),
    path("experts/new/", ExpertEditView.as_view(), name="expert_create"),
    path("experts/<int:pk>/", ExpertDetailView.as_view(), name="expert_detail"),
    path("experts/<int:pk>/edit/", ExpertEditView.as_view(), name="expert_update"),
]
