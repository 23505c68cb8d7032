"""Pages of the registry: organizations, applications and their review, receipts. Views only
collect input and call services; scoping is `restrict(user, action)` via the generic views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import params
from core.choices import Action
from core.uploads import serve
from core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    flash_errors,
    form_error_messages,
)

from . import extensions, filtersets, permissions, selectors, services, tables, workflows
from .choices import ApplicationKind, ApplicationState
from .forms import ApplicationForm, AttachmentForm, DecisionForm
from .models import Application, Attachment, Organization
from .uploads import ATTACHMENT_UPLOADS


class OrganizationListView(ObjectListView):
    queryset = selectors.organizations()
    filterset = filtersets.OrganizationFilterSet
    table = tables.OrganizationTable
    template_name = "registry/organization_list.html"

    def get_extra_context(self):
        user = self.request.user
        return {
            "can_establish": permissions.can_apply(user, ApplicationKind.ESTABLISH)[0],
            "can_file": permissions.can_apply(user, ApplicationKind.FILE)[0],
        }


class OrganizationDetailView(ObjectDetailView):
    queryset = selectors.organizations()
    template_name = "registry/organization_detail.html"

    def get_extra_context(self):
        org, user = self.object, self.request.user
        change = permissions.can_apply(user, ApplicationKind.CHANGE, org)
        deregister = permissions.can_apply(user, ApplicationKind.DEREGISTER, org)
        return {
            # What other apps show here (annual reports, list entries): registry.extensions.
            "overlays": extensions.overlays_of(org),
            "extension_actions": extensions.actions_for(user, org),
            "panels": extensions.panels_for(user, org),
            "applications": selectors.applications().filter(organization=org)[:50],
            "can_change": change[0],
            "can_deregister": deregister[0],
            # Say why a change cannot be applied for only to those who could otherwise apply.
            "why_not_apply": change[1]
            if not change[0] and (user.role in permissions.APPLYING_ROLES or user.is_superuser)
            else "",
            "street": selectors.street_of(org.region),
            "community": selectors.community_of(org.region),
        }


class ApplicationListView(ObjectListView):
    queryset = selectors.applications()
    filterset = filtersets.ApplicationFilterSet
    table = tables.ApplicationTable
    template_name = "registry/application_list.html"

    def get_extra_context(self):
        user = self.request.user
        return {
            "can_establish": permissions.can_apply(user, ApplicationKind.ESTABLISH)[0],
            "can_file": permissions.can_apply(user, ApplicationKind.FILE)[0],
        }


class ApplicationDetailView(ObjectDetailView):
    queryset = selectors.applications()
    template_name = "registry/application_detail.html"

    def get_extra_context(self):
        application, user = self.object, self.request.user
        offers = workflows.APPLICATION.offers(application, user)
        can_edit = permissions.can_edit(user, application)
        steps = list(application.steps.select_related("actor"))
        for step in steps:
            step.label = workflows.step_label(step)
        return {
            "rows": selectors.application_rows(application),
            "steps": steps,
            "attachment_list": application.attachments.filter(is_removed=False).select_related("uploaded_by"),
            "founders": list(application.founders.select_related("community"))
            if application.kind == ApplicationKind.ESTABLISH
            else None,
            "required_attachments": workflows.REQUIRED_ATTACHMENTS[application.kind],
            # The buttons (core/includes/transitions.html) and, where a step is not the user's, why.
            "offers": offers,
            "applicant_step": any(o.allowed and o.name in workflows.APPLICANT_STEPS for o in offers),
            "can_edit": can_edit[0],
            "attachment_form": AttachmentForm() if can_edit[0] else None,
            "needs_uscc": application.kind == ApplicationKind.ESTABLISH
            and application.state == ApplicationState.BUREAU_REVIEW,
            "can_print": permissions.can_print_receipt(user, application)[0]
            and application.kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE),
        }


class ApplicationEditView(ObjectEditView):
    """Start (kind in the URL, organization in ?organization=) or correct an application."""

    queryset = Application.objects.select_related("organization", "region")
    template_name = "registry/application_form.html"
    success_message = _("The application has been saved. Submit it when it is complete.")

    def dispatch(self, request, *args, **kwargs):
        if "pk" not in kwargs and kwargs.get("kind") not in ApplicationKind.values:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_organization(self):
        if not hasattr(self, "_organization"):
            raw = self.request.GET.get("organization") or self.request.POST.get("organization")
            pk = params.require_id(raw, "organization", label=_("Organization"))
            self._organization = None
            if pk is not None:
                self._organization = get_object_or_404(
                    Organization.objects.restrict(self.request.user, Action.VIEW), pk=pk
                )
        return self._organization

    def get_object(self):
        instance = super().get_object()
        user = self.request.user
        if instance is None:
            allowed, reason = permissions.can_apply(user, self.kwargs["kind"], self.get_organization())
        else:
            allowed, reason = permissions.can_edit(user, instance)
        if not allowed:
            raise PermissionDenied(reason)
        return instance

    def get_form(self, instance, data=None, files=None):
        kind = instance.kind if instance else self.kwargs["kind"]
        return ApplicationForm(
            data=data,
            files=files,
            kind=kind,
            user=self.request.user,
            instance=instance,
            organization=None if instance else self.get_organization(),
        )

    def get_extra_context(self):
        kind = self.object.kind if getattr(self, "object", None) else self.kwargs.get("kind")
        return {"kind_label": ApplicationKind(kind).label if kind else "", "organization": self.get_organization()}

    def render(self, form, instance):
        self.object = instance
        return super().render(form, instance)

    def save(self, form, instance):
        user, data = self.request.user, form.cleaned_data
        proposed = form.proposed_data()
        if instance is None:
            return services.application_create(
                by=user,
                kind=form.kind,
                organization=form.organization,
                data=proposed if form.kind != ApplicationKind.DEREGISTER else None,
                liquidation_conclusion=data.get("liquidation_conclusion", ""),
                remarks=data.get("remarks", ""),
                founders=form.founder_rows(),
            )
        return services.application_update(
            application=instance,
            by=user,
            data=proposed if instance.kind != ApplicationKind.DEREGISTER else None,
            liquidation_conclusion=data.get("liquidation_conclusion"),
            remarks=data.get("remarks", ""),
            founders=form.founder_rows(),
        )


def _scoped_application(request, pk, action=Action.VIEW):
    return get_object_or_404(Application.objects.restrict(request.user, action), pk=pk)


@login_required
@require_POST
def application_transition(request, pk: int, action: str):
    """Take one workflow decision; a refused one says why, a stale one says it was handled."""
    if action not in workflows.ACTIONS:
        raise Http404
    application = _scoped_application(request, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        moved = services.application_transition(
            application=application,
            by=request.user,
            action=action,
            reason=data.get("reason", ""),
            uscc=data.get("uscc") or None,
            uscc_override_reason=data.get("uscc_override_reason", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, str(OUTCOMES[moved.state]))
    return redirect(application.get_absolute_url())


# What the user is told after a step: where the application went, in the words of the step.
OUTCOMES = {
    ApplicationState.STREET_REVIEW: gettext_lazy("Submitted; the street office reviews it next."),
    ApplicationState.BUREAU_REVIEW: gettext_lazy("Passed on to the district civil-affairs bureau for review."),
    ApplicationState.RETURNED: gettext_lazy("Returned to the applicant for correction."),
    ApplicationState.APPROVED: gettext_lazy("Approved; the register has been updated."),
    ApplicationState.REJECTED: gettext_lazy("Rejected; the reason is recorded on the application."),
    ApplicationState.DRAFT: gettext_lazy("Saved as a draft."),
}


@login_required
@require_POST
def attachment_upload(request, pk: int):
    application = _scoped_application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for message in form_error_messages(form):
            messages.error(request, message)
        return redirect(application.get_absolute_url())
    try:
        services.attachment_add(
            application=application, by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The file has been attached."))
    return redirect(application.get_absolute_url())


def _scoped_attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    _scoped_application(request, attachment.application_id)
    return attachment


@login_required
def attachment_download(request, pk: int):
    attachment = _scoped_attachment(request, pk)
    return serve(attachment.file, filename=attachment.original_name, policy=ATTACHMENT_UPLOADS)


@login_required
@require_POST
def attachment_remove(request, pk: int):
    attachment = _scoped_attachment(request, pk)
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, _("The file has been withdrawn from the application."))
    return redirect(reverse("registry:application_detail", args=[attachment.application_id]))


@login_required
def application_receipt(request, pk: int):
    """The printable A4 receipt (备案证明 / 登记回执) of an approved filing or registration."""
    application = _scoped_application(request, pk)
    allowed, reason = permissions.can_print_receipt(request.user, application)
    if not allowed or application.kind not in (ApplicationKind.ESTABLISH, ApplicationKind.FILE):
        raise Http404(reason)
    org = application.organization
    return TemplateResponse(
        request,
        "registry/receipt.html",
        {
            "application": application,
            "organization": org,
            "street": selectors.street_of(org.region),
            "approved_step": application.steps.filter(to_state=ApplicationState.APPROVED)
            .select_related("actor")
            .last(),
        },
    )
