"""API tokens: they expire, die with the password or the account, can be revoked, and are obtained
under the same lockout as the log-in page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.choices import Role
from core.models import AuditRecord

from .factories import make_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/users/me/"


def obtain(username, password, ip="10.1.1.1"):
    return Client().post(TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def me(token):
    return Client().get(ME_URL, HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def clerk(places):
    return make_user(Role.BUREAU_STAFF, places.district, username="clerk")


def test_token_is_obtained_with_user_name_and_password_and_says_when_it_expires(clerk, password):
    response = obtain("clerk", password)
    assert response.status_code == 200
    body = response.json()
    token = Token.objects.get(user=clerk)
    assert body["token"] == token.key
    assert parse_datetime(body["expires_at"]) == token.created + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert settings.API_TOKEN_TTL_DAYS == 30
    assert me(body["token"]).json()["username"] == "clerk"
    # A second log-in hands back the same living token; JSON bodies work as well as forms.
    again = Client().post(TOKEN_URL, {"username": "clerk", "password": password}, content_type="application/json")
    assert again.json()["token"] == body["token"]


def test_wrong_password_gets_no_token(clerk):
    response = obtain("clerk", "wrong-password")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["无法使用提供的认证信息登录。"]
    assert not Token.objects.exists()


def test_expired_token_answers_401_in_chinese_and_is_deleted(clerk, password):
    key = obtain("clerk", password).json()["token"]
    lifetime = timedelta(days=settings.API_TOKEN_TTL_DAYS)
    Token.objects.filter(key=key).update(created=timezone.now() - lifetime - timedelta(seconds=1))
    response = me(key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "令牌已过期，请用用户名和密码重新获取。"}
    assert not Token.objects.filter(key=key).exists()
    record = AuditRecord.objects.get(object_id=str(clerk.pk), message="API 令牌已过期")
    assert record.actor is None and key not in f"{record.object_repr} {record.before} {record.after}"
    # Gone means gone: the same key is now simply unknown, and a new log-in gives a new token.
    assert me(key).json() == {"detail": "认证令牌无效。"}
    fresh = obtain("clerk", password).json()["token"]
    assert fresh != key and me(fresh).status_code == 200


@override_settings(API_TOKEN_TTL_DAYS=1)
def test_token_lifetime_comes_from_the_setting(clerk, password):
    key = obtain("clerk", password).json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=23))
    assert me(key).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=25))
    assert me(key).status_code == 401


def test_an_expired_token_is_replaced_at_the_next_log_in(clerk, password):
    old = services.api_token_issue(user=clerk)
    Token.objects.filter(key=old.key).update(created=timezone.now() - timedelta(days=40))
    response = obtain("clerk", password)
    assert response.json()["token"] != old.key
    assert Token.objects.filter(user=clerk).count() == 1


def test_unknown_token_answers_401_not_403(clerk):
    response = me("0" * 40)
    assert response.status_code == 401 and response.json() == {"detail": "认证令牌无效。"}


def test_password_change_page_revokes_tokens(clerk, password):
    key = obtain("clerk", password).json()["token"]
    client = Client()
    client.force_login(clerk)
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Another#Pass-2027", "new_password2": "Another#Pass-2027"},
    )
    assert response.status_code == 302
    assert me(key).status_code == 401
    assert not Token.objects.filter(user=clerk).exists()
    record = AuditRecord.objects.get(object_id=str(clerk.pk), message="API 令牌已撤销")
    assert record.actor == clerk and record.request_id == response["X-Request-ID"]
    # The web session that changed the password carries on.
    assert client.get("/").status_code == 200


def test_password_change_in_the_admin_goes_through_the_service(users, places, password):
    clerk = users["bureau_staff"]
    key = obtain(clerk.username, password).json()["token"]
    admin = Client()
    admin.force_login(users["bureau_admin"])
    url = f"/admin/accounts/user/{clerk.pk}/password/"
    weak = admin.post(url, {"password1": "123", "password2": "123", "usable_password": "true"})
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()
    assert me(key).status_code == 200
    response = admin.post(
        url, {"password1": "Admin#Set-2027", "password2": "Admin#Set-2027", "usable_password": "true"}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Admin#Set-2027")
    assert me(key).status_code == 401
    changed = AuditRecord.objects.get(object_id=str(clerk.pk), message="密码已修改")
    assert changed.actor == users["bureau_admin"]
    assert AuditRecord.objects.filter(object_id=str(clerk.pk), message="API 令牌已撤销").exists()


def test_admin_disabling_password_log_in_revokes_tokens(users, password):
    clerk = users["bureau_staff"]
    key = obtain(clerk.username, password).json()["token"]
    admin = Client()
    admin.force_login(users["bureau_admin"])
    url = f"/admin/accounts/user/{clerk.pk}/password/"
    response = admin.post(url, {"usable_password": "false", "unset-password": "1"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.has_usable_password()
    assert me(key).status_code == 401
    assert AuditRecord.objects.filter(object_id=str(clerk.pk), message="已停用密码登录").exists()


def test_admin_of_another_district_cannot_change_the_password(users, password):
    clerk = users["bureau_staff"]
    key = obtain(clerk.username, password).json()["token"]
    intruder = Client()
    intruder.force_login(users["other_district_admin"])
    response = intruder.post(
        f"/admin/accounts/user/{clerk.pk}/password/",
        {"password1": "Admin#Set-2027", "password2": "Admin#Set-2027", "usable_password": "true"},
    )
    assert response.status_code in (302, 403, 404)
    clerk.refresh_from_db()
    assert clerk.check_password(password) and me(key).status_code == 200


def test_service_set_password_revokes_tokens(clerk, password):
    key = services.api_token_issue(user=clerk).key
    services.user_set_password(user=clerk, password="Service#Set-2027", by=None)
    assert me(key).status_code == 401


def test_deactivating_a_user_revokes_tokens(users, password):
    clerk = users["bureau_staff"]
    key = obtain(clerk.username, password).json()["token"]
    services.user_update(user=clerk, by=users["bureau_admin"], full_name="改名")
    assert me(key).status_code == 200  # other changes leave the token alone
    services.user_update(user=clerk, by=users["bureau_admin"], is_active=False)
    assert not Token.objects.filter(user=clerk).exists()
    assert me(key).status_code == 401
    record = AuditRecord.objects.get(object_id=str(clerk.pk), message="API 令牌已撤销")
    assert record.actor == users["bureau_admin"]


def test_user_revokes_their_own_token(clerk, password):
    key = obtain("clerk", password).json()["token"]
    response = Client().delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 204
    assert me(key).status_code == 401
    assert AuditRecord.objects.get(object_id=str(clerk.pk), message="API 令牌已撤销").actor == clerk
    # Revoking again with the dead token is refused; anonymous revocation too.
    assert Client().delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert Client().delete(TOKEN_URL).status_code in (401, 403)


def test_user_revokes_their_token_from_a_web_session(clerk, password):
    key = obtain("clerk", password).json()["token"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    assert client.delete(TOKEN_URL).status_code == 403  # a session needs its CSRF token
    client.get("/")
    response = client.delete(TOKEN_URL, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 204
    assert me(key).status_code == 401


def test_revoking_one_users_token_leaves_others(users, password):
    mine = obtain(users["bureau_staff"].username, password).json()["token"]
    theirs = obtain(users["street_officer"].username, password).json()["token"]
    Client().delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {mine}")
    assert me(theirs).status_code == 200


def test_token_endpoint_shares_the_log_in_lockout(clerk, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        obtain("clerk", "wrong-password")
    response = obtain("clerk", password)
    assert response.status_code == 429
    assert response.json()["detail"] == "该用户名在此地址登录失败次数过多，请稍后再试，或联系区民政局管理员解锁。"
    assert not Token.objects.exists()
    # The lock is for this user name at this address: the user's own address still works.
    assert obtain("clerk", password, ip="10.2.2.2").status_code == 200


def test_schema_documents_obtain_and_revoke(client_for):
    schema = client_for("bureau_staff").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/auth/token/"]
    assert set(operations) >= {"post", "delete"}
    assert {"200", "400", "429"} <= set(operations["post"]["responses"])
    assert "204" in operations["delete"]["responses"]
    assert "expires_at" in schema["components"]["schemas"]["Token"]["properties"]
