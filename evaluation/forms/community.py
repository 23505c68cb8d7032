"""The form of a filed community organization's annual review (评估评议): four parts of 25 points
and the street's opinion; the service (evaluation.services.community) checks and writes."""

from __future__ import annotations

from django import forms

from ..models import CommunityReview
from .grades import ServiceForm, style

PARTS = ("governance", "activities", "contribution", "residents_view")


class CommunityReviewForm(ServiceForm):
    class Meta:
        model = CommunityReview
        fields = ("year", *PARTS, "street_opinion")
        widgets = {"street_opinion": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None:
            # The year of a review does not change.
            del self.fields["year"]
        for name in PARTS:
            self.fields[name].widget.attrs.update({"min": 0, "max": 25})
        style(self)
