"""Pages of payments (拨付): the list with its filter and export, a payment, recording one against
an accepted milestone and reversing a wrong one (红冲)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

from .. import filtersets, forms, permissions, services, tables, tranches
from ..models import Milestone, Payment


class PaymentListView(ObjectListView):
    queryset = Payment.objects.select_related("project", "milestone", "reverses")
    filterset = filtersets.PaymentFilterSet
    table = tables.PaymentTable


class PaymentDetailView(ObjectDetailView):
    queryset = Payment.objects.select_related(
        "project__organization", "project__funder", "milestone__contract", "reverses", "created_by"
    )
    template_name = "projects/payment_detail.html"

    def get_extra_context(self):
        payment = self.object
        reversal = Payment.objects.filter(reverses=payment).first()
        return {
            "project": payment.project,
            "reversal": reversal,
            "can_reverse": payment.amount > 0
            and reversal is None
            and permissions.may_record_payment(self.request.user, payment.project)[0],
        }


class PaymentAddView(ObjectEditView):
    """A payment against one milestone (the milestone's page links here once it is accepted)."""

    queryset = Payment.objects.all()
    form_class = forms.PaymentForm

    def _milestone(self) -> Milestone:
        if not hasattr(self, "milestone"):
            self.milestone = get_object_or_404(
                Milestone.objects.restrict(self.request.user, Action.VIEW).select_related(
                    "project__organization", "project__funder", "contract"
                ),
                pk=self.kwargs["milestone_pk"],
            )
        return self.milestone

    def add_permission(self):
        allowed, reason = permissions.may_record_payment(self.request.user, self._milestone().project)
        return super().add_permission() if allowed else (allowed, reason)

    def get_object(self):
        self._milestone()
        return

    def get_form(self, instance, data=None, files=None):
        form = self.form_class(data=data, files=files, instance=instance, user=self.request.user)
        balance = self.milestone.amount - tranches.paid_on(self.milestone)
        form.initial.update(paid_on=timezone.localdate(), amount=max(balance, 0))
        return form

    def get_extra_context(self):
        milestone = self.milestone
        return {"verbose_name": f"{milestone.project.code} · {milestone} · {Payment._meta.verbose_name}"}

    def save(self, form, instance):
        return services.payment_record(milestone=self.milestone, by=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return self.milestone.get_absolute_url()


class PaymentReverseView(ObjectEditView):
    """The counter-entry of a wrong payment: a new, negative payment that names it."""

    queryset = Payment.objects.all()
    form_class = forms.PaymentReverseForm
    success_message = _("The payment was reversed by a counter-entry.")

    def _payment(self) -> Payment:
        if not hasattr(self, "payment"):
            self.payment = get_object_or_404(
                Payment.objects.restrict(self.request.user, Action.VIEW).select_related(
                    "project__organization", "project__funder", "milestone"
                ),
                pk=self.kwargs["payment_pk"],
            )
        return self.payment

    def add_permission(self):
        allowed, reason = permissions.may_record_payment(self.request.user, self._payment().project)
        return super().add_permission() if allowed else (allowed, reason)

    def get_object(self):
        self._payment()
        return

    def get_extra_context(self):
        return {"verbose_name": _("Reversal of %(payment)s") % {"payment": self.payment}}

    def save(self, form, instance):
        return services.payment_reverse(
            payment=self.payment,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            paid_on=form.cleaned_data.get("paid_on"),
        )
