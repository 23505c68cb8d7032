"""Real concurrent transactions: two reviewers accepting at once, an organization submitting twice.
Exactly one transition and one audit record; the loser gets a clear Chinese message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditRecord
from core.testing import run_concurrently, split_outcomes
from core.workflows import StaleTransition
from projects import services
from projects.models import LedgerEntry, QuarterlySubmission

from ..accounts.factories import make_user
from .factories import make_entry

pytestmark = pytest.mark.django_db(transaction=True)


def transitions_of(obj):
    return AuditRecord.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk), action="transition"
    )


def test_two_funders_accept_the_same_submission_at_once(world, places):
    second_officer = make_user("street_officer", places.street1, full_name="街道干部乙")
    make_entry(world.project, world.org_user, submit=True)
    submission = services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=1, narrative="第一季度工作情况"
    )
    results = run_concurrently(
        lambda: services.quarterly_submission_accept(submission=submission, by=world.street_officer),
        lambda: services.quarterly_submission_accept(submission=submission, by=second_officer),
    )
    winners, losers = split_outcomes(results)
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], ValidationError)
    assert isinstance(losers[0], StaleTransition)
    assert losers[0].messages[0].startswith("已由他人处理，当前状态：已受理（")
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert transitions_of(submission).count() == 1
    assert LedgerEntry.objects.get(project=world.project).status == "accepted"


def test_an_organization_submits_its_quarter_twice_at_once(world):
    make_entry(world.project, world.org_user, date=dt.date(2026, 2, 3))

    def submit():
        return services.quarterly_submission_submit(
            project=world.project, by=world.org_user, year=2026, quarter=1, narrative="双击提交"
        )

    winners, losers = split_outcomes(run_concurrently(submit, submit))
    assert len(winners) == 1 and len(losers) == 1
    assert "不能重复提交" in " ".join(losers[0].messages)
    assert QuarterlySubmission.objects.filter(project=world.project).count() == 1
    submission = QuarterlySubmission.objects.get(project=world.project)
    assert (
        AuditRecord.objects.filter(content_type__model="quarterlysubmission", object_id=str(submission.pk)).count() == 1
    )
    entry = LedgerEntry.objects.get(project=world.project)
    assert entry.status == "submitted" and transitions_of(entry).count() == 1


def test_an_entry_submitted_twice_at_once(world):
    entry = make_entry(world.project, world.org_user)
    winners, losers = split_outcomes(
        run_concurrently(*[lambda: services.ledger_entry_submit(entry=entry, by=world.org_user)] * 2)
    )
    assert len(winners) == 1 and "已经提交" in " ".join(losers[0].messages)
    assert transitions_of(entry).count() == 1


def test_two_expenditures_racing_for_the_last_of_a_budget_line(world):
    line = world.project.budget_lines.get(name="人员费")  # 40,000.00

    def spend():
        return services.expenditure_create(
            project=world.project,
            by=world.org_user,
            budget_line=line,
            date=dt.date(2026, 2, 1),
            amount="30000",
            payee="社工",
            voucher_number="V",
        )

    winners, losers = split_outcomes(run_concurrently(spend, spend))
    assert len(winners) == 1
    assert "10,000.00 元" in " ".join(losers[0].messages)
    assert services.budget_line_balance(line) == 10000
