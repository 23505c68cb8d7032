"""Pages of the oversight of projects: the funder's mid-term and final reviews, and supervision
visits (专业督导/跟踪指导) with the rectifications they ask for. Each is added from the project's
page; the services decide who may write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

from .. import filtersets, forms, permissions, services, tables
from ..models import ProjectReview, SupervisionVisit
from .projects import ProjectChildAddView

# ------------------------------------------------------------------------------------- reviews


class ProjectReviewListView(ObjectListView):
    queryset = ProjectReview.objects.select_related("project__funder", "created_by")
    filterset = filtersets.ProjectReviewFilterSet
    table = tables.ProjectReviewTable


class ProjectReviewDetailView(ObjectDetailView):
    queryset = ProjectReview.objects.select_related("project__organization", "project__funder", "created_by")
    template_name = "projects/projectreview_detail.html"

    def get_extra_context(self):
        review = self.object
        return {"other_reviews": review.project.reviews.exclude(pk=review.pk).order_by("reviewed_on", "pk")}


class ProjectReviewAddView(ProjectChildAddView):
    queryset = ProjectReview.objects.all()
    form_class = forms.ProjectReviewForm
    add_rule = staticmethod(permissions.may_add_review)
    success_message = _("The review has been recorded.")

    def form_kwargs(self):
        return {"project": self.project}

    def save(self, form, instance):
        return services.project_review_record(project=self.project, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return obj.get_absolute_url()


# --------------------------------------------------------------------------- supervision visits


class SupervisionVisitListView(ObjectListView):
    queryset = SupervisionVisit.objects.select_related("project__organization")
    filterset = filtersets.SupervisionVisitFilterSet
    table = tables.SupervisionVisitTable


class SupervisionVisitDetailView(ObjectDetailView):
    queryset = SupervisionVisit.objects.select_related(
        "project__organization__region", "project__funder", "recorded_by"
    )
    template_name = "projects/supervisionvisit_detail.html"

    def get_extra_context(self):
        visit, user = self.object, self.request.user
        return {
            "can_rectify": visit.rectification_open and permissions.may_rectify(user, visit)[0],
            "overdue": visit.rectification_open and visit.rectification_due < timezone.localdate(),
            "rectify_form": forms.RectificationForm(user=user, initial={"rectified_on": timezone.localdate()}),
        }


class SupervisionVisitAddView(ProjectChildAddView):
    queryset = SupervisionVisit.objects.all()
    form_class = forms.SupervisionVisitForm
    add_rule = staticmethod(permissions.may_add_visit)
    success_message = _("The supervision visit has been recorded.")

    def save(self, form, instance):
        return services.supervision_visit_record(project=self.project, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class SupervisionVisitRectifyView(ObjectEditView):
    """The organization reports the rectification done, or a supervisor marks it rectified."""

    queryset = SupervisionVisit.objects.select_related("project__organization__region", "project__funder")
    form_class = forms.RectificationForm
    template_name = "projects/supervisionvisit_rectify.html"
    success_message = _("The rectification has been reported done.")

    def get_object(self):
        visit = super().get_object()
        allowed, reason = permissions.may_rectify(self.request.user, visit)
        if not allowed:
            raise PermissionDenied(reason)
        return visit

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, user=self.request.user, initial={"rectified_on": timezone.localdate()})

    def save(self, form, instance):
        return services.supervision_visit_rectify(
            by=self.request.user,
            visit=instance,
            rectified_on=form.cleaned_data["rectified_on"],
            note=form.cleaned_data["rectification_note"],
        )
