"""What kind of file an upload really is, judged by its bytes, never by its name."""

from __future__ import annotations

import io
import zipfile

MAX_SIZE = 10 * 1024 * 1024
ALLOWED = ("pdf", "jpg", "png", "docx", "xlsx")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _office_kind(content: bytes) -> str | None:
    """docx and xlsx are zip packages; tell them apart by their main part."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(content: bytes) -> str | None:
    """The file type (one of ALLOWED) the content is, or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return None
