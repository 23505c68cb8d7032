"""Pages of purchased services: a project's contract with its versions and milestones, the
milestones' delivery and acceptance, and the contract file (served only through its scoped view)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.uploads import serve
from core.views.generic import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView

from .. import filtersets, forms, permissions, services, tables, tranches, workflows
from ..models import Contract, Milestone
from ..money import format_yuan
from ..uploads import CONTRACT_UPLOADS
from .projects import ProjectChildAddView


def _say_how_the_amount_compares(request, contract: Contract) -> None:
    """The contract amount may differ from the project's; above it, the user is told at once."""
    project = contract.project
    if contract.amount > project.amount:
        messages.warning(
            request,
            _("The contract amount %(contract)s is above the project amount %(project)s.")
            % {"contract": format_yuan(contract.amount), "project": format_yuan(project.amount)},
        )


class ContractListView(ObjectListView):
    queryset = Contract.objects.select_related("project__organization", "project__funder")
    filterset = filtersets.ContractFilterSet
    table = tables.ContractTable


class ContractDetailView(ObjectDetailView):
    queryset = Contract.objects.select_related("project__organization__region", "project__funder", "created_by")
    template_name = "projects/contract_detail.html"

    def get_extra_context(self):
        contract, user = self.object, self.request.user
        project = contract.project
        panel = tranches.contract_panel(project) if contract.is_current else None
        return {
            "project": project,
            "panel": panel,
            "milestones": None if panel else contract.milestones.select_related("reviewed_by").order_by("sequence"),
            "versions": project.contracts.order_by("-version"),
            "can_amend": contract.is_current and permissions.may_set_up_contract(user, project)[0],
            "above_project": contract.amount > project.amount,
            "is_funder": permissions.is_funder(user, project),
        }


class ContractAddView(ProjectChildAddView):
    queryset = Contract.objects.all()
    form_class = forms.ContractForm
    add_rule = staticmethod(permissions.may_set_up_contract)
    template_name = "projects/contract_edit.html"

    def form_kwargs(self):
        return {"project": self.project}

    def save(self, form, instance):
        contract = services.contract_create(
            project=self.project, by=self.request.user, milestones=form.milestone_specs(), **form.contract_data()
        )
        _say_how_the_amount_compares(self.request, contract)
        return contract

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class ContractAmendView(ObjectEditView):
    """An amendment: the current version's values and milestones, changed into a new version."""

    queryset = Contract.objects.select_related("project__organization__region", "project__funder")
    form_class = forms.ContractForm
    template_name = "projects/contract_edit.html"
    success_message = _("The contract was amended; the earlier version stays readable.")

    def get_object(self):
        contract = super().get_object()
        allowed, reason = permissions.may_set_up_contract(self.request.user, contract.project)
        if not allowed:
            raise PermissionDenied(reason)
        if not contract.is_current:
            raise PermissionDenied(_("Contract: this version has been replaced; amend the current version."))
        return contract

    def get_form(self, instance, data=None, files=None):
        return self.form_class(
            data=data,
            files=files,
            instance=instance,
            user=self.request.user,
            project=instance.project,
            contract=instance,
        )

    def get_extra_context(self):
        return {"project": self.object_project, "amending": True}

    def render(self, form, instance):
        self.object_project = instance.project
        return super().render(form, instance)

    def save(self, form, instance):
        amended = services.contract_amend(
            contract=instance,
            by=self.request.user,
            reason=form.cleaned_data["amendment_reason"],
            milestones=form.milestone_specs(),
            **form.contract_data(),
        )
        _say_how_the_amount_compares(self.request, amended)
        return amended


@login_required
def contract_file(request, pk):
    contract = get_object_or_404(Contract.objects.restrict(request.user), pk=pk)
    filename = contract.file_name or contract.file.name.rsplit("/", 1)[-1]
    return serve(contract.file, filename=filename, policy=CONTRACT_UPLOADS)


# ------------------------------------------------------------------------------------ milestones


class MilestoneListView(ObjectListView):
    queryset = Milestone.objects.select_related("project", "contract")
    filterset = filtersets.MilestoneFilterSet
    table = tables.MilestoneTable


class MilestoneDetailView(ObjectDetailView):
    queryset = Milestone.objects.select_related(
        "project__organization", "project__funder", "contract", "submitted_by", "reviewed_by", "previous__contract"
    )
    template_name = "projects/milestone_detail.html"

    def get_extra_context(self):
        milestone, user = self.object, self.request.user
        current = milestone.contract.is_current
        paid = tranches.paid_on(milestone)
        may_pay = permissions.may_record_payment(user, milestone.project)[0]
        return {
            "project": milestone.project,
            "current": current,
            # The milestone's payments, those made on its earlier copies included.
            "payments": milestone.project.payments.filter(milestone_id__in=tranches.chain_ids(milestone))
            .select_related("reverses")
            .order_by("paid_on", "pk"),
            "paid": paid,
            "balance": milestone.amount - paid,
            "offers": workflows.MILESTONE.offers(milestone, user) if current else [],
            "can_pay": may_pay and current and milestone.status == "accepted" and paid < milestone.amount,
            "can_reverse": may_pay,
            "carried_to": Milestone.objects.filter(previous=milestone).select_related("contract").first(),
        }


class MilestoneActionView(ObjectActionView):
    """Report delivered (the note comes as the step's reason), accept, return."""

    queryset = Milestone.objects.all()
    actions = {
        name: (lambda milestone, user, reason, name=name: services.milestone_transition(
            milestone=milestone, by=user, name=name, reason=reason))
        for name in workflows.MILESTONE.names
    }  # fmt: skip

    def get_success_message(self, name):
        return _("Done: %(action)s.") % {"action": workflows.MILESTONE[name].label}
