"""Regular contacts (定期联系制度): the responsible party secretary records each contact with an
organization; the responsible party body of the day is stamped on the record. Records are never
deleted: a correction is an audited edit. The organization's row lock makes a double submission of
the same form one record: the second finds the first and is refused with its date."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction

from .. import permissions as rules
from .. import selectors
from ..models import ContactAttachment, ContactRecord
from ..uploads import CONTACT_ATTACHMENT_UPLOADS
from .common import assign, locked_organization, not_in_future, raise_errors, require, user_or_none

CONTACT_FIELDS = ("contacted_on", "form", "topics", "issues", "follow_up")
REQUIRED = ("contacted_on", "form", "topics")


def _check_uploads(attachments, errors: dict) -> list:
    checked = []
    for upload in attachments or ():
        try:
            checked.append(CONTACT_ATTACHMENT_UPLOADS.check(upload, field="attachments"))
        except ValidationError as error:
            errors["attachments"] = " ".join(error.messages)
            break
    return checked


def _attach(user, contact: ContactRecord, checked) -> ContactAttachment:
    attachment = ContactAttachment(
        contact=contact, file=checked.file, original_name=checked.name[:200], created_by=user_or_none(user)
    )
    attachment.save()
    audit.record(actor=user, action=AuditAction.CREATE, obj=attachment)
    return attachment


@transaction.atomic
def contact_record(
    user, organization, *, contacted_on, form, topics, issues="", follow_up="", attachments=()
) -> ContactRecord:
    """Record a contact with `organization` (refused outside the secretary's subtree)."""
    organization = locked_organization(organization)
    require(rules.may_record_contact(user, organization))
    errors: dict = {}
    contact = ContactRecord(organization=organization, recorded_by=user_or_none(user), created_by=user_or_none(user))
    values = {"contacted_on": contacted_on, "form": form, "topics": topics, "issues": issues, "follow_up": follow_up}
    assign(contact, values, CONTACT_FIELDS, errors, required=REQUIRED)
    not_in_future(contact, "contacted_on", errors)
    checked = _check_uploads(attachments, errors)
    raise_errors(errors)
    earlier = ContactRecord.objects.filter(
        organization=organization,
        contacted_on=contact.contacted_on,
        form=contact.form,
        topics=contact.topics,
        recorded_by=contact.recorded_by,
    ).first()
    if earlier is not None:
        raise_errors(
            {
                "contacted_on": _(
                    "Contacted on: this contact with %(name)s on %(date)s is already recorded; it is recorded once."
                )
                % {"name": organization.name, "date": formats.date_format(earlier.contacted_on, "DATE_FORMAT")}
            }
        )
    contact.party_organization = selectors.responsible_body(organization)
    contact.save()
    audit.record(actor=user, action=AuditAction.CREATE, obj=contact)
    for item in checked:
        _attach(user, contact, item)
    return contact


@transaction.atomic
def contact_update(user, contact, **values) -> ContactRecord:
    """Correct a contact record (audited)."""
    locked_organization(contact.organization)
    contact = (
        ContactRecord.objects.select_for_update(of=("self",)).select_related("organization__region").get(pk=contact.pk)
    )
    require(rules.may_edit_contact(user, contact))
    before = audit.snapshot(contact)
    errors: dict = {}
    assign(contact, values, CONTACT_FIELDS, errors, required=REQUIRED)
    not_in_future(contact, "contacted_on", errors)
    raise_errors(errors)
    contact.save()
    audit.record(actor=user, action=AuditAction.UPDATE, obj=contact, before=before)
    return contact


@transaction.atomic
def contact_attach(user, contact, upload) -> ContactAttachment:
    """Add a file to a contact record, judged by party.uploads.CONTACT_ATTACHMENT_UPLOADS."""
    contact = (
        ContactRecord.objects.select_for_update(of=("self",)).select_related("organization__region").get(pk=contact.pk)
    )
    require(rules.may_edit_contact(user, contact))
    errors: dict = {}
    checked = _check_uploads([upload] if upload else [None], errors)
    raise_errors(errors)
    return _attach(user, contact, checked[0])
