"""The files the registry accepts, one policy per file field (see core.uploads): its models store
with them, its forms, API and services check with them, its views serve with them."""

from django.conf import settings

from core.uploads import UploadPolicy

# Documents, scans and photos supporting an application.
ATTACHMENT_UPLOADS = UploadPolicy(allowed=("pdf", "jpg", "png", "docx", "xlsx"), prefix="registry/applications")

# A roster is a workbook (read by core.spreadsheets); a whole district's roster stays well under this.
ROSTER_UPLOADS = UploadPolicy(
    allowed=("xlsx",),
    max_bytes=getattr(settings, "REGISTRY_ROSTER_IMPORT_MAX_BYTES", 20 * 1024 * 1024),
    prefix="roster_imports",
)
