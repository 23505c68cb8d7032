"""Pages of the annual review of filed community organizations (评估评议): the list (year,
conclusion, street, status), the street's scoring form (and its correction while awaiting the
opinion), and the review's page where the community party secretary gives the party organization's
opinion, which makes it final."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from party.views.common import LinkedOrganizationMixin

from .. import permissions as rules
from ..choices import CommunityReviewStatus
from ..filtersets.community import CommunityReviewFilterSet
from ..forms.community import CommunityReviewForm
from ..models import CommunityReview
from ..services import community as services
from ..tables.grades import CommunityReviewTable
from ..workflows import COMMUNITY_REVIEW

REGISTERED_REFUSAL = gettext_lazy(
    "The annual review is for filed community organizations. %(name)s is registered: it is graded (1A–5A) "
    "by the bureau instead."
)


class CommunityReviewListView(ObjectListView):
    queryset = CommunityReview.objects.select_related("organization__region__parent", "scored_by")
    filterset = CommunityReviewFilterSet
    table = CommunityReviewTable


class CommunityReviewEditView(LinkedOrganizationMixin, ObjectEditView):
    """The street scores a review for the organization the link names (?organization=), or corrects
    its review while it awaits the party organization's opinion."""

    queryset = CommunityReview.objects.select_related("organization__region")
    form_class = CommunityReviewForm
    template_name = "evaluation/community/communityreview_edit.html"
    success_message = gettext_lazy("The review has been saved.")

    organization_rule = staticmethod(rules.may_score_community_review)

    def get_object(self):
        review = super().get_object()
        if review is not None:
            allowed, reason = rules.may_score_community_review(self.request.user, review.organization)
            if not allowed:
                raise PermissionDenied(reason)
            if review.status != CommunityReviewStatus.SCORED:
                raise PermissionDenied(_("The review is final; it no longer changes."))
        return review

    def get_extra_context(self):
        if self.kwargs.get("pk") is not None:
            return {}
        organization = self.organization()
        return {
            "subject": organization,
            "refusal": "" if organization.is_filed else REGISTERED_REFUSAL % {"name": organization.name},
            "title": _("Annual review of %(name)s") % {"name": organization.name},
        }

    def save(self, form, instance):
        values = form.values()
        if instance is None:
            return services.community_review_score(self.organization(), by=self.request.user, **values)
        return services.community_review_update(instance, by=self.request.user, **values)


class CommunityReviewDetailView(ObjectDetailView):
    queryset = CommunityReview.objects.select_related("organization__region__parent", "scored_by",
                                                      "party_opinion_by")  # fmt: skip
    template_name = "evaluation/community/communityreview_detail.html"

    def get_extra_context(self):
        review, user = self.object, self.request.user
        can_edit = (
            review.status == CommunityReviewStatus.SCORED
            and rules.may_score_community_review(user, review.organization)[0]
        )
        return {"offers": COMMUNITY_REVIEW.offers(review, user), "can_edit": can_edit}


@login_required
@require_POST
def communityreview_transition(request, pk, name):
    """The party organization's opinion (give_opinion, the opinion as its reason)."""
    if name not in COMMUNITY_REVIEW.names:
        raise Http404
    review = get_object_or_404(
        CommunityReview.objects.select_related("organization__region").restrict(request.user, Action.VIEW), pk=pk
    )
    try:
        services.community_review_opinion(review, by=request.user, opinion=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The party organization's opinion has been recorded."))
    return redirect(review.get_absolute_url())


urlpatterns = [
    path("community-reviews/", CommunityReviewListView.as_view(), name="communityreview_list"),
    path("community-reviews/new/", CommunityReviewEditView.as_view(), name="communityreview_create"),
    path("community-reviews/<int:pk>/", CommunityReviewDetailView.as_view(), name="communityreview_detail"),
    path("community-reviews/<int:pk>/edit/", CommunityReviewEditView.as_view(), name="communityreview_update"),
    path("community-reviews/<int:pk>/<str:name>/", communityreview_transition, name="communityreview_transition"),
]
