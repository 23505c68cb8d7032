"""The files the projects app accepts, one policy per file field (see core.uploads): its models
store with them, its forms, API and services check with them, its views serve with them."""

from django.utils.translation import gettext_lazy as _

from core.uploads import StagedUpload, UploadPolicy

from .choices import AttachmentKind

# Ledger attachments by kind: activity photos are images; a sign-in sheet may also be a scanned PDF.
LEDGER_ATTACHMENT_UPLOADS = {
    AttachmentKind.PHOTO: UploadPolicy(allowed=("jpg", "png"), label=_("Photos"), prefix="projects/ledger"),
    AttachmentKind.SIGN_IN_SHEET: UploadPolicy(
        allowed=("pdf", "jpg", "png"), label=_("Sign-in sheets"), prefix="projects/ledger"
    ),
    AttachmentKind.OTHER: UploadPolicy(allowed=("pdf", "jpg", "png"), label=_("Attachments"), prefix="projects/ledger"),
}
# One storage for every kind (a correction shares its files with the version it corrects).
LEDGER_ATTACHMENT_STORAGE = LEDGER_ATTACHMENT_UPLOADS[AttachmentKind.OTHER].upload_to

VOUCHER_UPLOADS = UploadPolicy(allowed=("pdf", "jpg", "png"), label=_("Voucher"), prefix="projects/vouchers")

# The ledger workbook an organization fills and uploads (read by core.spreadsheets), and the ledger
# and expenditure workbooks kept between their dry run and the confirmation.
LEDGER_WORKBOOK_UPLOADS = UploadPolicy(allowed=("xlsx",), prefix="projects/uploads")
LEDGER_WORKBOOK_STAGE = StagedUpload("projects-ledger-upload", prefix="projects/uploads")
EXPENDITURE_WORKBOOK_STAGE = StagedUpload("projects-expenditure-upload", prefix="projects/uploads")

# The signed contract (a scan or the PDF the parties signed), one per contract version.
CONTRACT_UPLOADS = UploadPolicy(allowed=("pdf", "jpg", "png"), label=_("Contract file"), prefix="projects/contracts")
