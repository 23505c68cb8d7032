"""Pages of results (one per project in a round): the list (by round, stars, street) and a result
with every number's computation — per indicator its rule, the scores per dimension with those
dropped by the trimmed mean struck through, the means, weights and weighted contribution — and the
final score with the stars the thresholds give."""

from __future__ import annotations

from django.urls import path

from core.views.generic import ObjectDetailView, ObjectListView

from ..choices import RoundStatus
from ..filtersets.results import ResultFilterSet
from ..models import RoundProject
from ..tables.results import ResultTable


def marked(indicator: dict) -> dict:
    """An indicator's computation with each dimension's scores as (score, dropped) pairs: the scores
    are sorted, so a trimmed mean dropped the first and the last."""
    for row in indicator.get("detail", {}).get("dimensions", []) or []:
        scores = row.get("scores") or []
        trimmed = bool(row.get("trimmed")) and len(scores) >= 2
        row["marked"] = [(value, trimmed and index in (0, len(scores) - 1)) for index, value in enumerate(scores)]
    return indicator


class ResultListView(ObjectListView):
    queryset = RoundProject.objects.select_related("round", "project__organization__region__parent")
    filterset = ResultFilterSet
    table = ResultTable


class ResultDetailView(ObjectDetailView):
    queryset = RoundProject.objects.select_related(
        "round__scheme", "project__organization__region__parent", "project__funder"
    )
    template_name = "evaluation/result_detail.html"

    def get_extra_context(self):
        result, user = self.object, self.request.user
        computation = result.computation or {}
        published = result.round.status in (RoundStatus.PUBLICITY, RoundStatus.CLOSED)
        return {
            "computation": computation,
            "indicators": [marked(row) for row in computation.get("indicators", [])],
            "warnings": computation.get("warnings", []),
            "thresholds": result.round.scheme.thresholds,
            "computed": result.computed_at is not None,
            "may_object": published and result.round.status == RoundStatus.PUBLICITY,
            "objections": result.objections.restrict(user).order_by("-created_at", "-pk"),
        }


urlpatterns = [
    path("results/", ResultListView.as_view(), name="result_list"),
    path("results/<int:pk>/", ResultDetailView.as_view(), name="result_detail"),
]
