"""Login, lockout after repeated failures (by user name and address, and by address across user
names), logout, session expiry."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

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
    # Inactivity: the session is extended while in use (core.middleware.SessionRefreshMiddleware;
    # tests/core/test_requests.py), not rewritten on every request.
    assert "core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE


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


def test_an_address_failing_across_user_names_is_throttled_but_the_users_are_not(places, password):
    """One address guessing passwords for user name after user name stays under each user name's
    lock; the throttle per address stops it, while the users log in from their own addresses."""
    victim = make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    make_user(Role.BUREAU_STAFF, places.district, username="clerk2")
    attacker = "10.6.6.6"
    names = ["clerk", "clerk2", "admin", "staff", "nobody", "org"]
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        assert _post_login(Client(), names[i % len(names)], "wrong-password", ip=attacker).status_code == 200
    # No user name reached its own lock: without the throttle the guessing could go on.
    assert -(-(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1) // len(names)) < settings.AXES_FAILURE_LIMIT
    # The guess that reaches the address's limit is refused, and from then on every user name is,
    # even one nobody guessed at, even with its right password.
    locked = _post_login(Client(), "newcomer", "wrong-password", ip=attacker)
    assert locked.status_code == 429
    assert "此地址登录失败次数过多，请稍后再试。" in locked.content.decode()
    assert "登录被拒绝" in locked.content.decode()
    refused = Client()
    response = _post_login(refused, "clerk2", password, ip=attacker)
    assert response.status_code == 429 and "此地址登录失败次数过多" in response.content.decode()
    assert refused.get("/").status_code == 302
    # The API token endpoint is the same door.
    token = Client().post("/api/v1/auth/token/", {"username": "clerk2", "password": password}, REMOTE_ADDR=attacker)
    assert token.status_code == 429 and token.json() == {"detail": "此地址登录失败次数过多，请稍后再试。"}
    # The users themselves, from their own addresses, are not locked out.
    own = Client()
    assert _post_login(own, victim.username, password, ip="10.1.1.1").status_code == 302
    assert own.get("/").status_code == 200
    assert _post_login(Client(), "clerk2", password, ip="10.2.2.2").status_code == 302


def test_address_throttle_counts_failures_only_within_the_cool_off(places, password):
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    attacker = "10.6.6.7"
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _post_login(Client(), f"guess{i}", "wrong-password", ip=attacker)
    assert _post_login(Client(), "clerk", password, ip=attacker).status_code == 429
    AccessAttempt.objects.filter(ip_address=attacker).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _post_login(Client(), "clerk", password, ip=attacker).status_code == 302


def test_a_users_own_mistakes_do_not_count_against_the_address_once_they_log_in(places, password):
    """Colleagues behind one office address: each one's failed attempts are cleared by their
    successful log-in, so an office is not throttled by a morning of typos."""
    names = [f"colleague{i}" for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT // 2 + 1)]
    for name in names:
        make_user(Role.BUREAU_STAFF, places.district, username=name)
    for name in names:
        _post_login(Client(), name, "typo", ip="10.3.3.3")
        _post_login(Client(), name, "typo again", ip="10.3.3.3")
        assert _post_login(Client(), name, password, ip="10.3.3.3").status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(places, password):
    """A client cannot dodge the lock by writing its own X-Forwarded-For."""
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/accounts/login/",
            {"username": "clerk", "password": "wrong"},
            REMOTE_ADDR="10.6.6.8",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    response = Client().post(
        "/accounts/login/",
        {"username": "clerk", "password": password},
        REMOTE_ADDR="10.6.6.8",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_keeps_its_own_address(places, password):
    """Behind a reverse proxy every request comes from the proxy: the client is the address the
    proxy appended, so an attacker locks only their own address, not everyone's."""
    make_user(Role.BUREAU_STAFF, places.district, username="clerk")
    proxy = "172.18.0.1"
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        Client().post(
            "/accounts/login/",
            {"username": "clerk" if i % 2 else f"guess{i}", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.5",  # whatever the client sent, then the proxy's entry
        )
    attacker = Client().post(
        "/accounts/login/",
        {"username": "clerk", "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert attacker.status_code == 429
    victim = Client().post(
        "/accounts/login/",
        {"username": "clerk", "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert victim.status_code == 302
