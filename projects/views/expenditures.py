"""Pages of one expenditure: its detail (with its reversal, or the expenditure it reverses) and its
reversal (红冲). Expenditures are never edited or deleted; the list and the add page are in
projects.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.views.generic import ObjectDetailView, ObjectEditView

from .. import forms, permissions, services
from ..models import Expenditure
from ..services.expenditures import reversal_refusal

_RELATED = ("project__organization__region", "project__funder", "budget_line", "reverses", "reversal", "created_by")


def reversal_offer(user, expenditure) -> tuple[bool, str]:
    """Whether the user may reverse the expenditure now, or why not (the page shows the reason)."""
    allowed, reason = permissions.may_add_to_ledger(user, expenditure.project)
    if not allowed:
        return allowed, reason
    refusal = reversal_refusal(expenditure)
    return not refusal, refusal


class ExpenditureDetailView(ObjectDetailView):
    queryset = Expenditure.objects.select_related(*_RELATED)
    template_name = "projects/expenditure_detail.html"

    def get_extra_context(self):
        expenditure, user = self.object, self.request.user
        may_reverse, why_not = reversal_offer(user, expenditure)
        return {
            "reversal": getattr(expenditure, "reversal", None),
            "can_reverse": may_reverse,
            # The organization is told why it cannot; to others the button is none of their business.
            "why_not_reverse": why_not if permissions.may_record(user, expenditure.project)[0] else "",
        }


class ExpenditureReverseView(ObjectEditView):
    """The reversal form of one expenditure (reason, optionally the date); the service writes the
    counter-entry (services.expenditure_reverse). Only the organization, while its ledger is open."""

    queryset = Expenditure.objects.select_related(*_RELATED)
    form_class = forms.ExpenditureReverseForm
    template_name = "projects/expenditure_reverse.html"
    success_message = _("The reversal (红冲) has been recorded.")

    def get_object(self):
        expenditure = super().get_object()
        allowed, reason = permissions.may_add_to_ledger(self.request.user, expenditure.project)
        if not allowed:
            raise PermissionDenied(reason)
        return expenditure

    def render(self, form, instance):
        self.refusal = reversal_refusal(instance)
        return super().render(form, instance)

    def get_extra_context(self):
        return {"refusal": self.refusal}

    def save(self, form, instance):
        return services.expenditure_reverse(
            by=self.request.user,
            expenditure=instance,
            reason=form.cleaned_data["reason"],
            date=form.cleaned_data.get("date"),
        )

    def get_success_url(self, obj):
        return obj.reverses.get_absolute_url()
