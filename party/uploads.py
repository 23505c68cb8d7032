"""The files the party app accepts (see core.uploads): a contact record's attachments and a joint
meeting's minutes."""

from django.utils.translation import gettext_lazy as _

from core.uploads import UploadPolicy

CONTACT_ATTACHMENT_UPLOADS = UploadPolicy(
    allowed=("pdf", "jpg", "png"), label=_("Attachments"), prefix="party/contacts"
)
MEETING_MINUTES_UPLOADS = UploadPolicy(allowed=("pdf", "jpg", "png"), label=_("Minutes"), prefix="party/meetings")
