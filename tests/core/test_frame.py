"""The frame's promises: local assets only, a UTF-8 database for Chinese trigram search, complete
catalogues, idempotent demo data, request ids, API docs served locally."""

import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def test_no_external_assets_in_templates_or_static():
    found = subprocess.run(
        ["grep", "-rIl", "https://", "templates", "static", *(str(p) for p in ROOT.glob("*/templates"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/bootstrap/js/bootstrap.bundle.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/echarts/echarts.min.js",
        "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
        "/static/css/app.css",
    ],
)
def test_front_end_packages_are_served_by_the_app(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_api_docs_are_served_without_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "https://" not in page and "/static/drf_spectacular_sidecar/" in page
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/regions/" in schema["paths"] and "/api/v1/users/me/" in schema["paths"]


@pytest.mark.django_db
def test_database_has_utf8_ctype_and_trigram_search_understands_chinese():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
        )
        ctype, encoding = cursor.fetchone()
        assert encoding == "UTF8" and ctype.upper() not in ("C", "POSIX")
        cursor.execute(
            "SELECT similarity('西湖区社区组织', '社区组织') > 0.2, cardinality(show_trgm('社区社会组织')) > 0"
        )
        assert cursor.fetchone() == (True, True)


@pytest.mark.parametrize(
    "po_path",
    sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
    + sorted(ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")),
    ids=str,
)
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    pending = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert pending == [], f"untranslated or fuzzy in {po_path}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in mo}
    stale = [
        e.msgid
        for e in po
        if not e.obsolete and compiled.get((e.msgctxt, e.msgid)) != (e.msgstr or e.msgstr_plural.get(0))
    ]
    assert stale == [], f"{po_path.with_suffix('.mo')} is not compiled from the .po (run make messages)"


def test_seed_demo_is_idempotent(seeded_demo):
    """A second `seed_demo` on the demo changes nothing, in any table of any app: the apps' demo tests
    read the one demo that `seeded_demo` seeds per process and rely on this test for their idempotence."""
    from accounts.models import Region, User
    from core.models import AuditRecord

    from ..demo_fixture import take_snapshot

    counts = (Region.objects.count(), User.objects.count(), AuditRecord.objects.count())
    # 杭州市; 西湖区 with 3 streets and 8 communities; 滨江区 with 2 streets and 3 communities
    assert counts[0] == 19
    assert set(User.objects.values_list("role", flat=True)) >= {
        "bureau_admin",
        "bureau_staff",
        "bureau_viewer",
        "street_officer",
        "community_party",
        "org_user",
        "expert",
    }
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Region.objects.count(), User.objects.count(), AuditRecord.objects.count()) == counts
    # Every row of every table as it was (a row rewritten with the same values may move: order aside).
    before, after = seeded_demo.tables, take_snapshot().tables
    changed = {
        table: (before[table].count(b"\n"), rows.count(b"\n"))
        for table, rows in after.items()
        if sorted(rows.splitlines()) != sorted(before[table].splitlines())
    }
    assert changed == {}, "tables that a second seed_demo changed: (rows before, rows after)"


@pytest.mark.django_db
def test_request_id_is_echoed_and_generated(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-trace").headers["X-Request-ID"] == "abc12345-trace"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces").headers["X-Request-ID"]
    assert len(generated) == 32 and " " not in generated


@pytest.mark.django_db
def test_english_is_switchable(client, users, client_for):
    client = client_for("bureau_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Welcome" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "欢迎" in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_are_chinese_whatever_the_browser_asks_until_english_is_chosen(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_api_clients_may_ask_for_english(client_for):
    response = client_for("org_user").get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "permission" in response.json()["detail"]
    response = client_for("org_user").get("/api/v1/regions/")
    assert "权限" in response.json()["detail"]
