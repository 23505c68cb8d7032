"""Security headers on every response: the Content-Security-Policy, caching of signed-in users' responses,
Referrer-Policy and nosniff; and no template relies on inline script or style the policy refuses."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from projects import services as project_services

from ..projects.factories import make_project
from ..registry.factories import PDF, make_org_user, make_organization

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(response):
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    return directives


def assert_not_stored(response):
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, response.headers.get("Cache-Control")
    assert "public" not in directives


def test_policy_on_a_page_the_login_page_and_the_api(client_for):
    staff = client_for("bureau_staff")
    for response in (
        staff.get(reverse("home")),
        client_for(None).get(reverse("accounts:login")),
        staff.get("/api/v1/organizations/"),
        client_for(None).get("/api/v1/organizations/"),
        client_for(None).get(reverse("registry_public:organization_list")),
    ):
        assert response.status_code in (200, 401, 403)
        directives = assert_strict_policy(response)
        assert "'unsafe-inline'" not in directives["style-src"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_api_docs_keep_scripts_self_and_serve_their_start_up_script(client_for):
    client = client_for("bureau_staff")
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    directives = assert_strict_policy(page)
    # Swagger UI's page carries its own <style>; styles are relaxed there only.
    assert "'unsafe-inline'" in directives["style-src"]
    content = page.content.decode()
    assert "<script>" not in content
    script_url = re.search(r'<script src="([^"]+\?[^"]*script=[^"]*)"', content).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_referrer_policy_nosniff_and_framing_on_pages_and_api(client_for):
    staff = client_for("bureau_staff")
    for response in (staff.get(reverse("home")), staff.get("/api/v1/organizations/")):
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
    assert staff.get("/api/v1/organizations/")["Content-Type"] == "application/json"


def test_signed_in_pages_api_and_exports_are_not_stored(client_for):
    staff = client_for("bureau_staff")
    page = staff.get(reverse("registry:organization_list"))
    assert page.status_code == 200
    assert_not_stored(page)
    api = staff.get("/api/v1/organizations/")
    assert api.status_code == 200
    assert_not_stored(api)
    export = staff.get(reverse("registry:organization_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert_not_stored(export)
    template = staff.get(reverse("registry:rosterimport_template"))
    assert template.status_code == 200
    assert_not_stored(template)


def test_a_token_users_api_responses_are_not_stored(users, password):
    client = Client()
    token = client.post(reverse("api:auth-token"), {"username": users["bureau_staff"].username, "password": password})
    assert token.status_code == 200
    assert_not_stored(token)
    response = Client().get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert response.status_code == 200
    assert_not_stored(response)


def test_a_voucher_download_is_not_stored(places, users):
    org = make_organization(places.community11)
    org_user = make_org_user(org)
    project = make_project(org, places.street1)
    expenditure = project_services.expenditure_create(
        project=project,
        by=org_user,
        budget_line=project.budget_lines.first(),
        date=dt.date(2026, 2, 1),
        amount="10",
        payee="店",
        voucher_number="V-1",
        voucher=SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf"),
    )
    client = Client()
    client.force_login(users["street_officer"])
    response = client.get(reverse("projects:expenditure_voucher", args=[expenditure.pk]))
    assert response.status_code == 200
    assert_not_stored(response)
    # The site-wide policy does not replace the one an uploaded file is served with.
    assert response["Content-Security-Policy"] == "sandbox"


def test_public_register_is_cached_publicly_for_anonymous_visitors_only(places, client_for):
    org = make_organization(places.community11, name="公开名录测试社")
    for url in (
        reverse("registry_public:organization_list"),
        reverse("registry_public:organization_detail", args=[org.pk]),
    ):
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 200
        assert "public" in anonymous["Cache-Control"]
        assert "Cookie" in anonymous["Vary"]
        signed_in = client_for("bureau_staff").get(url)
        assert signed_in.status_code == 200
        assert "公开名录测试社" in signed_in.content.decode()
        assert_not_stored(signed_in)


def test_anonymous_responses_without_a_caching_choice_are_not_stored(client_for):
    assert_not_stored(client_for(None).get(reverse("accounts:login")))
    assert_not_stored(client_for(None).get("/api/v1/organizations/"))
    assert_not_stored(client_for(None).get(reverse("registry:organization_list")))  # the redirect to log in


# Markup the policy refuses: inline event handlers, javascript: URLs, inline <script> with code,
# style attributes. Behaviour belongs in static/js/app.js, styles in static/css.
INLINE = [
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"<style", re.IGNORECASE), "<style> element"),
]


def project_templates():
    root = Path(settings.BASE_DIR)
    for directory in [root / "templates", *(root / app / "templates" for app in settings.PROJECT_APPS)]:
        yield from directory.rglob("*.html")


def test_no_template_needs_inline_script_or_style():
    found = []
    for path in project_templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}")
    assert not found, "\n".join(found)
