"""Per-request overhead: a signed-in request does not rewrite its session (core.sessions +
core.middleware.SessionRefreshMiddleware) and reuses its database connection (CONN_MAX_AGE)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

LIST = reverse("registry:organization_list")
LOGIN = reverse("accounts:login")


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def set_expiry(client, expire_date: dt.datetime) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=expire_date)


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


@pytest.fixture
def staff(client_for):
    return client_for("bureau_staff")


def test_settings_keep_connections_and_do_not_save_every_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_a_signed_in_list_page_reads_its_session_and_writes_none(staff):
    staff.get(LIST)  # the first request may save a fresh login's session; this test is about the next
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(LIST)
    assert response.status_code == 200
    session_queries = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(session_queries) == 1, session_queries
    assert session_queries[0].lstrip().upper().startswith("SELECT")
    assert session_writes(queries.captured_queries) == []


@pytest.mark.django_db
def test_a_request_after_the_refresh_interval_extends_the_expiry_once(staff):
    staff.get(LIST)
    age, refresh = settings.SESSION_COOKIE_AGE, settings.SESSION_REFRESH_SECONDS
    # As if the session was last saved a little more than the refresh interval ago.
    stale = timezone.now() + dt.timedelta(seconds=age - refresh - 60)
    set_expiry(staff, stale)
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(LIST).status_code == 200
    assert len(session_writes(queries.captured_queries)) == 1
    extended = session_row(staff).expire_date
    assert extended > stale + dt.timedelta(seconds=refresh)
    assert abs((extended - timezone.now()).total_seconds() - age) < 60
    # The next request, within the interval, does not write again.
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(LIST).status_code == 200
    assert session_writes(queries.captured_queries) == []
    assert session_row(staff).expire_date == extended


@pytest.mark.django_db
def test_within_the_interval_the_expiry_is_not_moved(staff):
    staff.get(LIST)
    age, refresh = settings.SESSION_COOKIE_AGE, settings.SESSION_REFRESH_SECONDS
    recent = timezone.now() + dt.timedelta(seconds=age - refresh + 60)
    set_expiry(staff, recent)
    assert staff.get(LIST).status_code == 200
    assert session_row(staff).expire_date == recent


@pytest.mark.django_db
def test_a_user_idle_beyond_the_session_age_is_sent_to_login(staff):
    staff.get(LIST)
    # Two hours and a second after the last save, the row has expired.
    set_expiry(staff, timezone.now() - dt.timedelta(seconds=1))
    response = staff.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_signing_in_and_out_still_change_the_session(client, users, password):
    response = client.post(LOGIN, {"username": users["bureau_staff"].username, "password": password})
    assert response.status_code == 302
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(LIST).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def serve(path: str, cookies: str) -> int:
    """One request through Django's WSGI handler as a web server runs it (the test client turns off
    the closing of connections at the end of a request; this does not), on this thread; its status."""
    environ = RequestFactory().get(path, HTTP_COOKIE=cookies).environ
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()  # request_finished: where a connection past CONN_MAX_AGE is closed
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_the_database_connection_is_kept_across_requests(client_for):
    staff = client_for("bureau_staff")
    cookies = f"{settings.SESSION_COOKIE_NAME}={staff.session.session_key}"
    assert serve(LIST, cookies) == 200
    first = backend_pid()
    assert serve(LIST, cookies) == 200
    assert connection.connection is not None
    assert serve(LIST, cookies) == 200
    assert backend_pid() == first
