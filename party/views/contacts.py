"""Pages of the regular contacts (定期联系制度): the contact records, their attachments (handed out
only through the scoped download), and the organizations overdue for a contact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.choices import Action
from core.uploads import serve
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView
from registry.models import Organization

from .. import conf, periods, services
from .. import permissions as rules
from ..filtersets import ContactRecordFilterSet, OverdueFilterSet, prepare_overdue
from ..forms import AttachmentForm, ContactRecordForm
from ..models import ContactAttachment, ContactRecord
from ..tables import ContactRecordTable, OverdueTable
from ..uploads import CONTACT_ATTACHMENT_UPLOADS
from .common import at_own_node, error_text, linked_organization
from .organizations import AREA_ROLES, as_of


class ContactRecordListView(ObjectListView):
    queryset = ContactRecord.objects.select_related("organization__region__parent", "party_organization",
                                                    "recorded_by")  # fmt: skip
    filterset = ContactRecordFilterSet
    table = ContactRecordTable
    add_url_name = "party:contactrecord_create"


class ContactRecordDetailView(ObjectDetailView):
    queryset = ContactRecord.objects.select_related("organization__region__parent", "party_organization", "recorded_by")
    template_name = "party/contactrecord_detail.html"

    def get_extra_context(self):
        allowed, _reason = rules.may_edit_contact(self.request.user, self.object)
        return {
            "attachments": self.object.attachments.all(),
            "can_edit": allowed,
            "attachment_form": AttachmentForm() if allowed else None,
        }


class ContactRecordEditView(ObjectEditView):
    queryset = ContactRecord.objects.select_related("organization__region")
    form_class = ContactRecordForm
    template_name = "party/edit.html"
    success_message = _("The contact has been recorded.")

    def add_permission(self):
        """Those who record contacts; for the organization a link names, its responsible ones."""
        allowed, reason = ObjectEditView.add_permission(self)
        if not allowed:
            return allowed, reason
        user = self.request.user
        organization = linked_organization(self.request)
        return rules.may_record_contact(user, organization if organization is not None else at_own_node(user))

    def get_object(self):
        contact = super().get_object()
        if contact is not None:
            allowed, reason = rules.may_edit_contact(self.request.user, contact)
            if not allowed:
                raise PermissionDenied(reason)
        return contact

    def get_form(self, instance, data=None, files=None):
        initial = {}
        if instance is None:
            organization = linked_organization(self.request)
            if organization is not None:
                initial["organization"] = organization.pk
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user, initial=initial)

    def get_extra_context(self):
        # Back to where the contact was recorded from (the overdue list), when it says so.
        return {"title": _("Record a contact") if self.kwargs.get("pk") is None else None}

    def save(self, form, instance):
        values = form.values()
        user = self.request.user
        if instance is None:
            return services.contact_record(
                user, form.cleaned_data["organization"], attachments=form.cleaned_data.get("attachments") or (),
                **values,
            )  # fmt: skip
        return services.contact_update(user, instance, **values)

    def get_success_url(self, obj):
        back = self.request.GET.get("next", "")
        # Only a page of this site, never another.
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):
            return back
        return obj.get_absolute_url()


@login_required
@require_POST
def contact_attach(request, pk):
    """One more attachment to a contact, from its page."""
    contact = get_object_or_404(
        ContactRecord.objects.select_related("organization__region").restrict(request.user, Action.CHANGE), pk=pk
    )
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{form.fields['file'].label}：{error}")
        return redirect(contact.get_absolute_url())
    try:
        services.contact_attach(request.user, contact, form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The attachment has been added."))
    return redirect(contact.get_absolute_url())


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(ContactAttachment.objects.restrict(request.user), pk=pk)
    return serve(attachment.file, filename=attachment.original_name, policy=CONTACT_ATTACHMENT_UPLOADS)


class OverdueListView(ObjectListView):
    """Organizations overdue for a contact on a date (default today), by community and street, with
    their last contact and the party body responsible for them."""

    queryset = Organization.objects.select_related("region__parent")
    filterset = OverdueFilterSet
    table = OverdueTable
    template_name = "party/overdue_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (request.user.is_superuser or request.user.role in AREA_ROLES):
            raise PermissionDenied(_("Your role may not view this page."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Read as of the list's date here too, so that an invalid filter's empty page still sorts.
        return prepare_overdue(super().get_queryset(), as_of(self.request))

    def get_extra_context(self):
        day = as_of(self.request)
        return {
            "verbose_name_plural": _("Organizations overdue for a contact"),
            "as_of": day,
            "overdue_before": periods.overdue_before(day),
            "interval": conf.contact_interval_months(),
        }
