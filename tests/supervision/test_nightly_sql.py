"""The beat jobs are set-based: the nightly listing job's statements exclude with anti-joins (NOT
EXISTS), never `NOT IN (SELECT …)` — which PostgreSQL cannot turn into an anti-join and, once the
subquery's rows outgrow work_mem, runs as a rescan of a materialized subquery per organization (the
national-scale run that did not finish). Every step does something here, so every statement runs,
and what the job does is asserted alongside."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from core import periodic
from core.models import Notification
from registry.choices import LegalForm
from registry.models import Organization
from supervision import services
from supervision.choices import ListingReason, RemovalProposal
from supervision.models import AbnormalListing, SeriousViolationListing
from supervision.selectors import organizations_owing_report, registered_owing_work_report
from supervision.services.nightly import organizations_missing_report

from ..registry.factories import make_org_user, make_organization
from .factories import make_listing, make_submitted_report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 2)  # the day after the 2025 reports were due
NOT_IN_SUBQUERY = re.compile(r"NOT\s*\(?[^()]*\bIN\s*\(\s*SELECT", re.IGNORECASE)


def not_in_subqueries(queries) -> list[str]:
    return [q["sql"] for q in queries if NOT_IN_SUBQUERY.search(q["sql"])]


def test_the_pattern_catches_what_django_writes_for_an_exclude_in():
    excluded = Organization.objects.exclude(pk__in=Organization.objects.filter(name="x").values("pk"))
    assert not_in_subqueries([{"sql": str(excluded.query)}])


@pytest.fixture
def scene(places, users):
    staff = users["bureau_staff"]
    org = lambda name, **kw: make_organization(places.community11, name=name, established_on=dt.date(2019, 1, 1), **kw)  # noqa: E731
    owing = org("未报协会")  # registered, no 2025 report: listed
    filed = org("备案服务队", legal_form=LegalForm.COMMUNITY_FILED)  # filed, no report: its account reminded
    account = make_org_user(filed)
    long_listed = org("久列协会")  # listed for two years: moved to the serious list
    make_submitted_report(long_listed, 2025)
    old = make_listing(long_listed, ListingReason.UNREACHABLE, by=staff)
    AbnormalListing.objects.filter(pk=old.pk).update(listed_on=dt.date(2024, 5, 1))
    refiled = org("补报协会")  # listed for the 2025 report it had filed: removal proposed by the job
    make_submitted_report(refiled, 2025)
    make_listing(refiled, ListingReason.NO_ANNUAL_REPORT, by=staff, report_year=2025)
    warned = org("警告协会")  # warned over six months ago, nothing since: removal proposed
    make_submitted_report(warned, 2025)
    make_listing(warned, ListingReason.WARNED_OR_FINED, by=staff, listed_on=dt.date(2025, 11, 1), note="警告")
    for n in range(3):  # filed their reports: nothing happens to them
        make_submitted_report(org(f"按时协会{n}"), 2025)
    return {"owing": owing, "filed": filed, "account": account, "long_listed": long_listed, "refiled": refiled,
            "warned": warned}  # fmt: skip


def test_the_nightly_job_runs_no_not_in_and_does_what_it_did(scene):
    with CaptureQueriesContext(connection) as queries:
        result = services.listings_daily_run(today=TODAY)
    assert result == {"listed": 1, "reminded": 1, "moved": 1, "proposed": 2}
    assert not_in_subqueries(queries.captured_queries) == []
    assert any("NOT EXISTS" in q["sql"] for q in queries.captured_queries)
    listed = AbnormalListing.objects.filter(reason=ListingReason.NO_ANNUAL_REPORT, report_year=2025, listed_on=TODAY)
    assert list(listed.values_list("organization__name", flat=True)) == ["未报协会"]
    assert list(SeriousViolationListing.objects.values_list("organization__name", flat=True)) == ["久列协会"]
    proposals = dict(
        AbnormalListing.objects.exclude(removal_proposal="").values_list("organization__name", "removal_proposal")
    )
    assert proposals == {"补报协会": RemovalProposal.REPORT_FILED, "警告协会": RemovalProposal.NOTHING_TO_RECTIFY}
    assert Notification.objects.filter(recipient=scene["account"], sent_on=TODAY).count() == 1
    # A second run the same day changes nothing, and still runs no NOT IN.
    with CaptureQueriesContext(connection) as again:
        assert services.listings_daily_run(today=TODAY) == {"listed": 0, "reminded": 0, "moved": 0, "proposed": 0}
    assert not_in_subqueries(again.captured_queries) == []


def test_the_selections_are_anti_joins(scene):
    for queryset in (
        organizations_missing_report(2025),
        registered_owing_work_report(2025),
        organizations_owing_report(2025),
    ):
        sql = str(queryset.query)
        assert "NOT EXISTS" in sql and not NOT_IN_SUBQUERY.search(sql), sql
    assert {o.name for o in organizations_owing_report(2025)} == {"未报协会", "备案服务队"}


def test_no_periodic_job_runs_a_not_in_subquery(scene, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    seen = []
    for job in periodic.jobs():
        task = import_string(job.task)
        with CaptureQueriesContext(connection) as queries:
            task.run()
        assert not_in_subqueries(queries.captured_queries) == [], job.key
        seen.append(job.key)
    assert "supervision-listings-daily" in seen and len(seen) >= 10
