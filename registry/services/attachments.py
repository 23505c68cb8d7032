"""Files supporting an application: added and withdrawn while it may be changed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.choices import AuditAction

from .. import permissions
from ..choices import AttachmentKind
from ..models import Application, Attachment
from ..uploads import ATTACHMENT_UPLOADS
from .applications import lock


@transaction.atomic
def attachment_add(*, application: Application, by: User, kind: str, upload) -> Attachment:
    """Attach a file, judged by its content (ATTACHMENT_UPLOADS: pdf, jpg, png, docx or xlsx, at most
    10 MB) and stored under a random name."""
    application = lock(application)
    allowed, reason = permissions.can_edit(by, application)
    if not allowed:
        raise PermissionDenied(reason)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("Kind: choose what the file is.")})
    checked = ATTACHMENT_UPLOADS.check(upload, field="file")
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=checked.name,
        extension=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file = checked.file
    attachment.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=attachment, message=application.number)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> Attachment:
    """Withdraw a file from a draft or returned application (the file itself is kept)."""
    application = lock(attachment.application)
    allowed, reason = permissions.can_edit(by, application)
    if not allowed:
        raise PermissionDenied(reason)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    before = audit.snapshot(attachment)
    attachment.is_removed = True
    attachment.save(update_fields=["is_removed"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=attachment, before=before, message=application.number)
    return attachment
