"""The one upload policy: what a file is (judged by its bytes), how large it may be, where it is stored
(a random name under MEDIA_ROOT, which no URL serves) and how it is handed back (only through a
scoped view, with headers that keep a browser from running it).

Each domain app declares, per file field, an `UploadPolicy` and uses that one constant in its model
(`upload_to=POLICY.upload_to`), its form (`UploadFormField(policy=POLICY)`), its API serializer
(`core.api.fields.UploadField(policy=POLICY)`), its service (`POLICY.check(upload, field=...)`) and
its download view (`serve(file, filename=..., policy=POLICY)`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import uuid
import zipfile
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FILE_LABEL = gettext_lazy("File")


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    # Shown in the browser rather than saved: only formats a browser renders without running code.
    inline: bool = False


KINDS: dict[str, FileKind] = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", (".pdf",), inline=True),
        FileKind("jpg", "JPG", "image/jpeg", (".jpg", ".jpeg"), inline=True),
        FileKind("png", "PNG", "image/png", (".png",), inline=True),
        FileKind(
            "docx",
            "Word (docx)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind(
            "xlsx",
            "Excel (xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
    )
}
_EXTENSIONS = {extension: kind.code for kind in KINDS.values() for extension in kind.extensions}
_HEAD_BYTES = 8


def _office_kind(package) -> str | None:
    """docx and xlsx are zip packages; tell them apart by their main part."""
    try:
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(source) -> str | None:
    """The kind (a key of KINDS) the content is, judged by its bytes, or None. `source` is bytes or
    a seekable binary file, which is left at its start."""
    if isinstance(source, bytes | bytearray):
        head, package = bytes(source[:_HEAD_BYTES]), io.BytesIO(source)
    else:
        source.seek(0)
        head, package = source.read(_HEAD_BYTES), source
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpg"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"PK\x03\x04"):
            return _office_kind(package)
        return None
    finally:
        if package is source:
            source.seek(0)


def _size_label(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _clean_name(name: str) -> str:
    """The user's file name as shown and offered on download: no path, no control characters."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]+", "", name).strip()
    return name[-255:] or "file"


@deconstructible
class RandomUploadTo:
    """A FileField's `upload_to`: `<prefix>/<year>/<month>/<uuid>.<ext>`, never the user's name (it
    may be guessed, may collide, may carry a path). The extension is kept only when it is one of
    the known kinds, so nothing is ever stored as .html or .svg."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename or "")[1].lower()
        extension = f".{_EXTENSIONS[extension]}" if extension in _EXTENSIONS else ""
        return f"{self.prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomUploadTo) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


def random_upload_to(prefix: str) -> RandomUploadTo:
    return RandomUploadTo(prefix)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed its policy, read into memory (at most the policy's size)."""

    name: str
    kind: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def content_type(self) -> str:
        return KINDS[self.kind].content_type

    @property
    def file(self) -> ContentFile:
        """The content to assign to a FileField; its `upload_to` chooses the random stored name."""
        return ContentFile(self.content, name=f"upload.{self.kind}")


@dataclass(frozen=True)
class UploadPolicy:
    """What one file field accepts: the kinds (keys of KINDS), the size cap, the field's name in
    messages and the storage prefix of its files."""

    allowed: tuple[str, ...]
    max_bytes: int = DEFAULT_MAX_BYTES
    label: str | Promise = FILE_LABEL
    prefix: str = "uploads"

    def __post_init__(self):
        unknown = set(self.allowed) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")

    @property
    def upload_to(self) -> RandomUploadTo:
        return RandomUploadTo(self.prefix)

    @property
    def accept(self) -> str:
        """The file picker's `accept` attribute (a convenience only; the content decides)."""
        return ",".join(extension for code in self.allowed for extension in KINDS[code].extensions)

    @property
    def kinds_label(self) -> str:
        return ", ".join(KINDS[code].label for code in self.allowed)

    def describe(self) -> str:
        return _("%(kinds)s, at most %(size)s.") % {"kinds": self.kinds_label, "size": _size_label(self.max_bytes)}

    @staticmethod
    def _refuse(message: str, field: str | None, code: str):
        error = ValidationError(message, code=code)
        raise ValidationError({field: error}) if field else error

    def check(self, upload, *, field: str | None = None) -> CheckedUpload:
        """Read and judge an upload. Refusals are ValidationErrors naming the field and the file,
        keyed by `field` when given."""
        label = self.label
        if not upload:
            self._refuse(_("%(field)s: choose a file to upload.") % {"field": label}, field, "required")
        name = _clean_name(getattr(upload, "name", ""))
        too_large = _("%(field)s: %(name)s is larger than %(size)s.") % {
            "field": label,
            "name": name,
            "size": _size_label(self.max_bytes),
        }
        size = getattr(upload, "size", None)
        if size is not None and size > self.max_bytes:
            self._refuse(too_large, field, "too_large")
        upload.seek(0)
        content = upload.read(self.max_bytes + 1)
        upload.seek(0)
        if len(content) > self.max_bytes:
            self._refuse(too_large, field, "too_large")
        if not content:
            self._refuse(_("%(field)s: %(name)s is empty.") % {"field": label, "name": name}, field, "empty")
        kind = sniff(content)
        if kind not in self.allowed:
            self._refuse(
                _(
                    "%(field)s: %(name)s is not an allowed file (%(kinds)s); the type is judged by the "
                    "file's content, not its name."
                )
                % {"field": label, "name": name, "kinds": self.kinds_label},
                field,
                "kind",
            )
        return CheckedUpload(name=name, kind=kind, content=content)


def _download_name(filename: str, kind: FileKind | None) -> str:
    """The user's name, with the extension of what the file really is (a PNG named .pdf would
    otherwise open in the wrong program)."""
    name = _clean_name(filename)
    if kind is not None and os.path.splitext(name)[1].lower() not in kind.extensions:
        name = f"{name}{kind.extensions[0]}"
    return name


def serve(file, *, filename: str, policy: UploadPolicy) -> FileResponse:
    """The one way a stored upload goes back to a browser. The caller has already fetched the
    object through its scoped queryset (404 otherwise).

    The type is sniffed again from the stored bytes, never guessed from a name; a file that is not
    one of the policy's kinds (kept from before the policy) goes out as an opaque download. Only
    PDF and images are shown inline, and even they are sandboxed: no script, no same origin."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    code = sniff(handle)
    kind = KINDS[code] if code in policy.allowed else None
    response = FileResponse(
        handle,
        as_attachment=not (kind and kind.inline),
        filename=_download_name(filename, kind),
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadFormField(forms.FileField):
    """A form's file field judged by its policy as the form is cleaned, so the user sees the
    refusal beside the field; the service checks again. `multiple=True` takes several files."""

    def __init__(self, *, policy: UploadPolicy, multiple: bool = False, **kwargs):
        self.policy, self.multiple = policy, multiple
        widget_class = MultipleFileInput if multiple else forms.ClearableFileInput
        kwargs.setdefault("widget", widget_class(attrs={"accept": policy.accept}))
        kwargs.setdefault("help_text", lazy(policy.describe, str)())
        if multiple:
            kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def _check(self, upload):
        try:
            self.policy.check(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code=error.code) from error
        return upload

    def clean(self, data, initial=None):
        single = super().clean
        if not self.multiple:
            upload = single(data, initial)
            return self._check(upload) if upload else upload
        items = data if isinstance(data, list | tuple) else [data]
        return [self._check(single(item, initial)) for item in items if item]


# ------------------------------------------------------------------- staged uploads (dry run → confirm)


@dataclass(frozen=True)
class StagedUpload:
    """A workbook kept between its dry run and the user's confirmation: stored under a random name,
    remembered in the session with the object it was checked against. The confirming POST names it
    by its token; whatever the outcome, it is used once and then deleted."""

    session_key: str
    prefix: str

    def stage(self, request, upload, *, owner_pk: int) -> str:
        """Keep `upload` for confirmation; returns the token the confirm form posts back."""
        upload.seek(0)
        token = uuid.uuid4().hex
        path = default_storage.save(f"{self.prefix}/{token}.xlsx", upload)
        request.session[self.session_key] = {"token": token, "owner": owner_pk, "path": path}
        return token

    @contextlib.contextmanager
    def claim(self, request, *, owner_pk: int):
        """The staged file named by the POSTed token, opened for reading; None when it has expired
        or was staged for another object (the session's entry is then left alone)."""
        pending = request.session.get(self.session_key) or {}
        if not pending or pending.get("token") != request.POST.get("token") or pending.get("owner") != owner_pk:
            yield None
            return
        request.session.pop(self.session_key, None)
        try:
            with default_storage.open(pending["path"], "rb") as handle:
                yield handle
        finally:
            default_storage.delete(pending["path"])
