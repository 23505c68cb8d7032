"""The one upload policy (core.uploads): files judged by their bytes against their field's policy,
stored under random names that no URL serves, handed back only through scoped views with headers
that keep a browser from running them — through every page and API that takes a file."""

import datetime as dt
import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse
from rest_framework.test import APIClient

from core import uploads
from core.models import AuditRecord
from core.uploads import UploadPolicy, random_upload_to, serve, sniff
from projects.models import Expenditure, LedgerAttachment, LedgerEntry
from registry.models import Attachment

from ..projects.conftest import World
from ..registry.factories import PDF, PNG, make_application

pytestmark = pytest.mark.django_db

JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
SCRIPT = b"<script>fetch('/api/v1/users/me/').then(r => r.text()).then(alert)</script>"
HOSTILE = [
    ("voucher.html", b"<!doctype html><html><body>" + SCRIPT + b"</body></html>"),
    ("voucher.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'),
    ("发票.pdf", b"<html>" + SCRIPT + b"</html>"),
    ("photo.png", b"just some text, not an image"),
]
HOSTILE_IDS = [name for name, _content in HOSTILE]
NOT_ALLOWED = "不是允许的文件类型"


@pytest.fixture
def world(places, users):
    return World(places, users)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def office_file(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


def stored_path(field_file) -> Path:
    return Path(settings.MEDIA_ROOT) / field_file.name


def voucher(world, name="发票.pdf", content=PDF, user=None):
    """An expenditure with a voucher, recorded through the service as the organization would."""
    from projects import services

    return services.expenditure_create(
        project=world.project,
        by=user or world.org_user,
        budget_line=world.project.budget_lines.get(name="活动费"),
        date=dt.date(2026, 2, 1),
        amount="100",
        payee="文具店",
        voucher_number="V-1",
        voucher=SimpleUploadedFile(name, content) if name else None,
    )


# --- the policy itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (JPG, "jpg"),
        (PNG, "png"),
        (office_file("word/document.xml"), "docx"),
        (office_file("xl/workbook.xml"), "xlsx"),
        (office_file("other/part.xml"), None),
        (b"<html></html>", None),
        (b"<svg/>", None),
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_kind_is_judged_by_content(content, kind):
    assert sniff(content) == kind
    assert sniff(io.BytesIO(content)) == kind


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=HOSTILE_IDS)
def test_policy_refuses_by_content_naming_the_field_and_the_file(name, content):
    policy = UploadPolicy(allowed=("pdf", "jpg", "png"), label="凭证")
    with pytest.raises(ValidationError) as error:
        policy.check(SimpleUploadedFile(name, content), field="voucher")
    (message,) = error.value.message_dict["voucher"]
    assert message.startswith(f"凭证：{name} ")
    assert NOT_ALLOWED in message and "PDF, JPG, PNG" in message


def test_policy_size_cap_empty_file_and_missing_file():
    policy = UploadPolicy(allowed=("pdf",), max_bytes=1024 * 1024)
    with pytest.raises(ValidationError) as error:
        policy.check(SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 1024 * 1024), field="file")
    assert error.value.message_dict == {"file": ["文件：大.pdf 超过 1 MB。"]}
    with pytest.raises(ValidationError) as error:
        UploadPolicy(allowed=("pdf",)).check(SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)))
    assert error.value.messages == ["文件：大.pdf 超过 10 MB。"]
    with pytest.raises(ValidationError) as error:
        policy.check(SimpleUploadedFile("空.pdf", b""), field="file")
    assert error.value.message_dict == {"file": ["文件：空.pdf 是空文件。"]}
    with pytest.raises(ValidationError) as error:
        policy.check(None, field="file")
    assert error.value.message_dict == {"file": ["文件：请选择要上传的文件。"]}


def test_stored_name_is_random_and_never_the_users():
    upload_to = random_upload_to("projects/vouchers")
    first, second = upload_to(None, "upload.pdf"), upload_to(None, "upload.pdf")
    assert first != second
    assert first.startswith("projects/vouchers/") and first.endswith(".pdf")
    # A name that got past no policy still cannot choose a type a browser would run.
    assert not upload_to(None, "../../evil.html").endswith(".html")
    assert "evil" not in upload_to(None, "../../evil.html")


# --- every upload path refuses what a browser would run -----------------------------------------


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=HOSTILE_IDS)
def test_voucher_page_refuses_hostile_files(world, name, content):
    line = world.project.budget_lines.get(name="活动费")
    response = login(world.org_user).post(
        reverse("projects:expenditure_add", args=[world.project.pk]),
        {
            "budget_line": line.pk,
            "date": "2026-02-01",
            "amount": "100",
            "payee": "文具店",
            "voucher_number": "V-1",
            "voucher": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"凭证：{name} {NOT_ALLOWED}" in page
    assert not Expenditure.objects.exists()


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=HOSTILE_IDS)
def test_voucher_service_and_api_refuse_hostile_files(world, name, content):
    with pytest.raises(ValidationError) as error:
        voucher(world, name, content)
    assert f"凭证：{name} {NOT_ALLOWED}" in error.value.message_dict["voucher"][0]
    response = api_client(world.org_user).post(
        "/api/v1/expenditures/",
        {
            "project": world.project.pk,
            "budget_line": world.project.budget_lines.get(name="活动费").pk,
            "date": "2026-02-01",
            "amount": "100",
            "payee": "文具店",
            "voucher_number": "V-1",
            "voucher": SimpleUploadedFile(name, content),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert f"凭证：{name} {NOT_ALLOWED}" in response.json()["errors"]["voucher"][0]
    assert not Expenditure.objects.exists()
    assert not AuditRecord.objects.filter(content_type__model="expenditure").exists()


def test_api_takes_a_valid_voucher_and_links_its_scoped_view(world):
    response = api_client(world.org_user).post(
        "/api/v1/expenditures/",
        {
            "project": world.project.pk,
            "budget_line": world.project.budget_lines.get(name="活动费").pk,
            "date": "2026-02-01",
            "amount": "100",
            "payee": "文具店",
            "voucher_number": "V-1",
            "voucher": SimpleUploadedFile("发票.pdf", PDF),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    expenditure = Expenditure.objects.get(pk=body["id"])
    assert body["voucher_name"] == "发票.pdf"
    assert body["voucher_url"] == reverse("projects:expenditure_voucher", args=[expenditure.pk])
    assert stored_path(expenditure.voucher).read_bytes() == PDF


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=HOSTILE_IDS)
@pytest.mark.parametrize("field", ["photos", "sign_in_sheets"])
def test_ledger_photos_and_sign_in_sheets_refuse_hostile_files(world, field, name, content):
    response = login(world.org_user).post(
        reverse("projects:ledgerentry_add", args=[world.project.pk]),
        {
            "date": "2026-03-10",
            "kind": "service_activity",
            "title": "义诊活动",
            "participants": "40",
            "beneficiaries": "35",
            "volunteers": "6",
            "volunteer_hours": "18",
            field: [SimpleUploadedFile(name, content)],
        },
    )
    assert response.status_code == 200
    label = {"photos": "照片", "sign_in_sheets": "签到表"}[field]
    assert f"{label}：{name} {NOT_ALLOWED}" in response.content.decode()
    assert not LedgerEntry.objects.exists()
    assert not LedgerAttachment.objects.exists()


def test_a_photo_must_be_an_image_while_a_sign_in_sheet_may_be_a_pdf(world):
    from projects import services

    entry = services.ledger_entry_create(
        project=world.project,
        by=world.org_user,
        date=dt.date(2026, 3, 10),
        kind="service_activity",
        title="义诊活动",
        attachments=[("sign_in_sheet", SimpleUploadedFile("签到表.pdf", PDF))],
    )
    with pytest.raises(ValidationError) as error:
        services.ledger_attachment_add(
            entry=entry, by=world.org_user, kind="photo", upload=SimpleUploadedFile("照片.pdf", PDF)
        )
    assert error.value.message_dict == {
        "attachments": ["照片：照片.pdf 不是允许的文件类型（JPG, PNG）；文件类型按内容判断，而不是按文件名。"]
    }
    assert [a.kind for a in entry.attachments.all()] == ["sign_in_sheet"]


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=HOSTILE_IDS)
def test_application_attachment_page_and_api_refuse_hostile_files(users, name, content):
    org_user = users["org_user"]
    application = make_application(org_user, attach=False)
    response = login(org_user).post(
        reverse("registry:attachment_upload", args=[application.pk]),
        {"kind": "other", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert f"{name} {NOT_ALLOWED}" in response.content.decode()
    response = api_client(org_user).post(
        reverse("api:application-attachments", args=[application.pk]),
        {"kind": "other", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == 400
    assert f"文件：{name} {NOT_ALLOWED}" in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


# --- serving -------------------------------------------------------------------------------------


def test_valid_pdf_voucher_is_served_inline_with_the_guarding_headers(world):
    expenditure = voucher(world, "发票.pdf", PDF)
    assert expenditure.voucher_name == "发票.pdf"
    # Stored under a random name in MEDIA_ROOT, never the user's.
    assert "发票" not in expenditure.voucher.name and expenditure.voucher.name.endswith(".pdf")
    assert stored_path(expenditure.voucher).read_bytes() == PDF
    response = login(world.street_officer).get(reverse("projects:expenditure_voucher", args=[expenditure.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_type_comes_from_the_bytes_and_the_name_gets_the_true_extension(world):
    expenditure = voucher(world, "扫描件.pdf", PNG)  # a PNG called .pdf: allowed, but it is a PNG
    response = login(world.org_user).get(reverse("projects:expenditure_voucher", args=[expenditure.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert ".pdf.png" in response["Content-Disposition"]


def test_documents_are_downloaded_not_shown(users):
    org_user = users["org_user"]
    application = make_application(org_user, attach=False)
    from registry import services

    attachment = services.attachment_add(
        application=application,
        by=org_user,
        kind="other",
        upload=SimpleUploadedFile("名册.docx", office_file("word/document.xml")),
    )
    response = login(org_user).get(reverse("registry:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == uploads.KINDS["docx"].content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_stored_before_the_policy_goes_out_as_an_opaque_download(world):
    """A voucher.html kept before this policy existed must not run in the reviewer's browser."""
    expenditure = voucher(world, None)
    name = random_upload_to("projects/vouchers")(expenditure, "voucher.html")
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(HOSTILE[0][1])
    Expenditure.objects.filter(pk=expenditure.pk).update(voucher=name, voucher_name="voucher.html")
    response = login(world.street_officer).get(reverse("projects:expenditure_voucher", args=[expenditure.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_missing_voucher_or_missing_file_is_404(world):
    expenditure = voucher(world, None)
    client = login(world.org_user)
    assert client.get(reverse("projects:expenditure_voucher", args=[expenditure.pk])).status_code == 404
    Expenditure.objects.filter(pk=expenditure.pk).update(voucher="projects/vouchers/2026/01/gone.pdf")
    assert client.get(reverse("projects:expenditure_voucher", args=[expenditure.pk])).status_code == 404


def test_serve_without_a_file_is_404():
    from django.http import Http404

    expenditure = Expenditure()
    with pytest.raises(Http404):
        serve(expenditure.voucher, filename="x.pdf", policy=UploadPolicy(allowed=("pdf",)))


# --- no media URL: only the scoped views -------------------------------------------------------


@pytest.fixture
def debug_urlconf():
    """The URLconf as `make run` builds it (DEBUG on), restored afterwards."""
    import config.urls

    with override_settings(DEBUG=True):
        clear_url_caches()
        importlib.reload(config.urls)
        yield
    clear_url_caches()
    importlib.reload(config.urls)


def test_uploaded_files_have_no_url_even_with_debug_on(world, users, debug_urlconf):
    line = world.project.budget_lines.get(name="活动费")
    client = login(world.org_user)
    response = client.post(
        reverse("projects:expenditure_add", args=[world.project.pk]),
        {
            "budget_line": line.pk,
            "date": "2026-02-01",
            "amount": "100",
            "payee": "文具店",
            "voucher_number": "V-1",
            "voucher": SimpleUploadedFile("签到表.pdf", PDF),
        },
    )
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert stored_path(expenditure.voucher).is_file()
    for who in (None, world.org_user, users["bureau_admin"]):
        client = login(who) if who else Client()
        for prefix in ("/media/", "/"):
            assert client.get(f"{prefix}{expenditure.voucher.name}").status_code == 404
    url = reverse("projects:expenditure_voucher", args=[expenditure.pk])
    for who, status in [
        (world.org_user, 200),
        (world.street_officer, 200),
        (users["bureau_staff"], 200),
        (world.other_org_user, 404),
        (users["other_street_officer"], 404),
        (users["other_district_admin"], 404),
    ]:
        assert login(who).get(url).status_code == status, who
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))


def test_ledger_and_application_files_only_through_their_scoped_views(world, users):
    from projects import services as project_services
    from registry import services as registry_services

    entry = project_services.ledger_entry_create(
        project=world.project,
        by=world.org_user,
        date=dt.date(2026, 3, 10),
        kind="service_activity",
        title="义诊活动",
        attachments=[("photo", SimpleUploadedFile("活动.jpg", JPG))],
    )
    photo = entry.attachments.get()
    assert "活动" not in photo.file.name and photo.original_name == "活动.jpg"
    application = make_application(users["org_user"], attach=False)
    document = registry_services.attachment_add(
        application=application, by=users["org_user"], kind="other", upload=SimpleUploadedFile("章程.pdf", PDF)
    )
    assert "章程" not in document.file.name
    cases = [
        (reverse("projects:attachment_download", args=[photo.pk]), world.org_user, "image/jpeg"),
        (reverse("registry:attachment_download", args=[document.pk]), users["org_user"], "application/pdf"),
    ]
    for url, owner, content_type in cases:
        response = login(owner).get(url)
        assert response.status_code == 200 and response["Content-Type"] == content_type
        assert response["Content-Security-Policy"] == "sandbox"
        for stranger in (users["other_street_officer"], users["other_district_admin"]):
            assert login(stranger).get(url).status_code == 404
        assert Client().get(url).status_code == 302


def test_the_admin_never_links_a_stored_file(world, users):
    """The read-only admin page of an expenditure does not point at the stored file's path."""
    expenditure = voucher(world, "发票.pdf", PDF)
    client = login(users["bureau_admin"])
    page = client.get(reverse("admin:projects_expenditure_change", args=[expenditure.pk]))
    assert page.status_code == 200
    assert expenditure.voucher.name not in page.content.decode()


def test_a_staged_workbook_is_used_once_and_deleted_even_when_the_confirm_fails(rf):
    from django.contrib.sessions.backends.cache import SessionStore
    from django.core.files.storage import default_storage

    from core.uploads import StagedUpload

    stage = StagedUpload("test-staged-upload", prefix="projects/uploads")
    request = rf.post("/")
    request.session = SessionStore()
    token = stage.stage(request, SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 workbook"), owner_pk=7)
    path = request.session["test-staged-upload"]["path"]
    assert default_storage.exists(path) and "台账" not in path

    # Posted for another object, or with another token: expired, and the staged file is kept.
    for owner_pk, posted in ((8, token), (7, "other")):
        wrong = rf.post("/", {"token": posted})
        wrong.session = request.session
        with stage.claim(wrong, owner_pk=owner_pk) as handle:
            assert handle is None
    assert default_storage.exists(path)

    confirm = rf.post("/", {"token": token})
    confirm.session = request.session

    def refused_by_the_service():
        with stage.claim(confirm, owner_pk=7) as handle:
            assert handle.read() == b"PK\x03\x04 workbook"
            raise RuntimeError("the service refused the rows")

    with pytest.raises(RuntimeError):
        refused_by_the_service()
    assert not default_storage.exists(path)
    assert "test-staged-upload" not in confirm.session
