"""Login, lockout after repeated failures (by user name and address), logout, session expiry."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.choices import Role

from .factories import make_user

pytestmark = pytest.mark.django_db


def _post_login(client, username, password, ip="10.1.1.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_with_correct_password_reaches_home(places, password):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    response = _post_login(client, "clerk", password)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "区民政局业务人员" in client.get("/").content.decode()


def test_wrong_password_shows_chinese_error_and_logs_nothing_in(places):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    response = _post_login(client, "clerk", "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert client.get("/").status_code == 302


def test_lockout_after_repeated_failures_by_username_and_address(places, password):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "clerk", "wrong-password")
    # Now even the right password is refused from this address, with a clear message.
    response = _post_login(client, "clerk", password)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert Client().get("/").status_code == 302
    # The same user from another address, and another user from this address, are not locked.
    assert _post_login(Client(), "clerk", password, ip="10.2.2.2").status_code == 302
    make_user(Role.BUREAU_STAFF, places.district, username="clerk2")
    assert _post_login(Client(), "clerk2", password).status_code == 302


def test_logout_requires_post_and_ends_session(places, password):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    _post_login(client, "clerk", password)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_session_expires_after_inactivity_and_at_browser_close(places, password):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    _post_login(client, "clerk", password)
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_password_change_is_audited_without_the_hash(places, password):
    from core.models import AuditRecord

    user = make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "Another#Pass-2027",
            "new_password2": "Another#Pass-2027",
        },
    )
    assert response.status_code == 302
    record = AuditRecord.objects.filter(object_id=str(user.pk), message="密码已修改").get()
    assert record.actor == user
    assert record.request_id == response["X-Request-ID"]
    assert "password" not in (record.after or {}) and "password" not in (record.before or {})


def test_password_change_rejects_weak_password_in_chinese(places, password):
    user = make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/", {"old_password": password, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert "新密码确认：密码太短：至少需要 8 个字符。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
