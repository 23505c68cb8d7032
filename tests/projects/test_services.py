"""Services of the projects app: every transition and every refusal, with the Chinese message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import override

from core import calendar
from core.models import AuditRecord, Notification
from projects import services
from projects.choices import (
    AdjustmentStatus,
    EntryStatus,
    IndicatorSource,
    MajorActivityStatus,
    ProjectStatus,
    SubmissionStatus,
)
from projects.models import LedgerEntry, Project, QuarterlySubmission
from projects.selectors import indicator_progress, project_budget_rows

from .factories import entry_data, make_entry, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# ------------------------------------------------------------------------------------------ projects


def test_project_code_is_street_community_year_sequence(world, places):
    street_code, community_part = places.street1.code, places.community11.code[-3:]
    assert world.project.code == f"{street_code}-{community_part}-2026-001"
    assert world.district_project.code == f"{street_code}-{community_part}-2026-002"
    later = make_project(world.org, places.street1, start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    assert later.code == f"{street_code}-{community_part}-2027-001"


def test_project_walks_its_states_and_each_step_is_audited(world, places, users):
    project = make_project(world.org, places.street1, by=users["street_officer"], transitions=())
    assert project.status == ProjectStatus.APPLIED
    for name, state in [
        ("approve", "approved"),
        ("start", "in_progress"),
        ("mid_term_review", "mid_term_review"),
        ("final_review", "final_review"),
        ("close", "closed"),
    ]:
        if name == "close":  # a project closes after the funder's final review
            services.project_review_record(
                by=users["street_officer"], project=project, stage="final", conclusion="good", score="88"
            )
        project = services.project_transition(project=project, by=users["street_officer"], name=name)
        assert project.status == state
    assert (
        AuditRecord.objects.filter(
            object_id=str(project.pk), action="transition", content_type__model="project"
        ).count()
        == 5
    )
    with pytest.raises(ValidationError) as error:
        services.project_transition(project=project, by=users["street_officer"], name="terminate", reason="x")
    assert "当前状态：已结项" in messages(error.value, "status")


def test_terminate_needs_a_reason(world, users):
    with pytest.raises(ValidationError) as error:
        services.project_transition(project=world.project, by=users["street_officer"], name="terminate", reason=" ")
    assert "原因" in messages(error.value, "reason")
    project = services.project_transition(
        project=world.project, by=users["street_officer"], name="terminate", reason="组织无力继续实施"
    )
    assert project.status == ProjectStatus.TERMINATED and project.status_reason == "组织无力继续实施"


def test_approval_needs_budget_lines_summing_exactly_to_the_amount(world, places):
    project = make_project(world.org, places.street1, lines=(("activities", "活动费", "99999.99"),), transitions=())
    with pytest.raises(ValidationError) as error:
        services.project_transition(project=project, by=None, name="approve")
    assert "99,999.99 元" in messages(error.value, "amount") and "100,000.00 元" in messages(error.value, "amount")
    services.budget_line_create(project=project, by=None, category="other", name="其他", amount="0.01")
    assert services.project_transition(project=project, by=None, name="approve").status == ProjectStatus.APPROVED


def test_budget_lines_cannot_exceed_the_amount(world, places):
    project = make_project(world.org, places.street1, lines=(("activities", "活动费", "90000"),), transitions=())
    with pytest.raises(ValidationError) as error:
        services.budget_line_create(project=project, by=None, category="staff", name="人员费", amount="10000.01")
    assert "10,000.00 元" in messages(error.value, "amount")


def test_budget_lines_fixed_after_approval(world):
    with pytest.raises(ValidationError) as error:
        services.budget_line_create(project=world.project, by=None, category="other", name="新增", amount="1")
    assert "预算调整" in messages(error.value, "amount")


def test_who_may_set_up_a_project(world, places, users):
    kwargs = {
        "organization": world.org,
        "title": "新项目",
        "funding_source": "subsidy",
        "amount": "1000",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 6, 30),
    }
    # A street officer funds from their own street only, and only their street's organizations.
    assert services.project_create(by=users["street_officer"], funder=services.office_funder(places.street1), **kwargs)
    with pytest.raises(PermissionDenied):
        services.project_create(by=users["street_officer"], funder=services.office_funder(places.district), **kwargs)
    with pytest.raises(PermissionDenied):
        services.project_create(
            by=users["other_street_officer"], funder=services.office_funder(places.street2), **kwargs
        )
    with pytest.raises(PermissionDenied):
        services.project_create(
            by=users["other_district_admin"], funder=services.office_funder(places.other_district), **kwargs
        )
    with pytest.raises(PermissionDenied):
        services.project_create(by=world.org_user, funder=services.office_funder(places.street1), **kwargs)
    assert services.project_create(by=users["bureau_staff"], funder=services.office_funder(places.district), **kwargs)


def test_project_validation_names_the_fields(world, places):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=None,
            organization=world.org,
            title="x",
            funding_source="lottery",
            funder=services.office_funder(places.other_district),
            amount="1000",
            start_date=dt.date(2026, 6, 1),
            end_date=dt.date(2026, 1, 1),
            target_groups=["aliens"],
            service_communities=[places.other_community],
        )
    errors = error.value.message_dict
    assert set(errors) == {"funding_source", "funder", "end_date", "target_groups", "service_communities"}
    assert "结束日期" in errors["end_date"][0]
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=None,
            organization=world.org,
            title="x",
            funding_source="subsidy",
            funder=services.office_funder(places.street1),
            amount="-1",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 2, 1),
        )
    assert "金额" in messages(error.value, "amount")


def test_amounts_are_never_floats(world, places):
    with pytest.raises(ValidationError):
        services.project_create(
            by=None,
            organization=world.org,
            title="x",
            funding_source="subsidy",
            funder=services.office_funder(places.street1),
            amount=0.1,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 2, 1),
        )


def test_period_and_amount_fixed_after_approval(world, users):
    with pytest.raises(ValidationError) as error:
        services.project_update(project=world.project, by=users["street_officer"], amount="1")
    assert "立项后" in messages(error.value, "amount")
    project = services.project_update(project=world.project, by=users["street_officer"], objectives="新目标")
    assert project.objectives == "新目标"


# ------------------------------------------------------------------------------------ ledger entries


def test_entry_draft_submit_accept(world):
    entry = make_entry(world.project, world.org_user)
    assert entry.status == EntryStatus.DRAFT
    entry = services.ledger_entry_submit(entry=entry, by=world.org_user)
    assert entry.status == EntryStatus.SUBMITTED and entry.submitted_at
    entry = services.ledger_entry_accept(entry=entry, by=world.street_officer)
    assert entry.status == EntryStatus.ACCEPTED and entry.reviewed_by == world.street_officer


def test_returned_entry_is_corrected_by_a_new_version_and_the_old_stays(world):
    entry = make_entry(world.project, world.org_user, submit=True)
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_return(entry=entry, by=world.street_officer, reason="")
    assert "原因" in messages(error.value, "reason")
    entry = services.ledger_entry_return(entry=entry, by=world.street_officer, reason="签到表缺失")
    assert entry.status == EntryStatus.RETURNED and entry.review_reason == "签到表缺失"
    correction = services.ledger_entry_correct(entry=entry, by=world.org_user, participants=28)
    assert correction.version == 2 and correction.status == EntryStatus.DRAFT
    assert correction.previous_version == entry
    correction = services.ledger_entry_submit(entry=correction, by=world.org_user)
    assert correction.status == EntryStatus.RESUBMITTED
    old = LedgerEntry.objects.get(pk=entry.pk)
    assert old.participants == 30 and old.status == EntryStatus.RETURNED and not old.is_current
    # The old version cannot be reviewed any more; the correction can.
    with pytest.raises(ValidationError):
        services.ledger_entry_accept(entry=old, by=world.street_officer)
    assert services.ledger_entry_accept(entry=correction, by=world.street_officer).status == EntryStatus.ACCEPTED


def test_a_submitted_entry_is_never_edited_in_place_or_deleted(world):
    entry = make_entry(world.project, world.org_user, submit=True)
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_update(entry=entry, by=world.org_user, title="改过的标题")
    assert "新版本" in messages(error.value, "status")
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_delete(entry=entry, by=world.org_user)
    assert "不能删除" in messages(error.value, "status")
    entry.refresh_from_db()
    assert entry.title == "重阳节敬老活动"


def test_a_draft_may_be_edited_and_deleted(world):
    entry = make_entry(world.project, world.org_user)
    entry = services.ledger_entry_update(entry=entry, by=world.org_user, title="新标题", participants=40)
    assert entry.title == "新标题" and entry.participants == 40
    services.ledger_entry_delete(entry=entry, by=world.org_user)
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_double_submission_of_an_entry_is_refused(world):
    entry = make_entry(world.project, world.org_user, submit=True)
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_submit(entry=entry, by=world.org_user)
    assert "已经提交" in messages(error.value, "status")


def test_entry_outside_the_project_period_is_refused(world, places):
    project = make_project(world.org, places.street1, start=dt.date(2026, 3, 1), end=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError) as error:
        make_entry(project, world.org_user, date=dt.date(2026, 2, 28))
    assert "超出项目周期" in messages(error.value, "date") and "2026年2月28日" in messages(error.value, "date")
    with pytest.raises(ValidationError):
        make_entry(project, world.org_user, date=dt.date(2026, 7, 1))
    assert make_entry(project, world.org_user, date=dt.date(2026, 3, 1))
    assert make_entry(project, world.org_user, date=dt.date(2026, 6, 30))


def test_entry_in_the_future_is_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if not world.project.covers(tomorrow):
        pytest.skip("the project period no longer covers tomorrow")
    with pytest.raises(ValidationError) as error:
        make_entry(world.project, world.org_user, date=tomorrow)
    assert "将来" in messages(error.value, "date")


@pytest.mark.parametrize("field", ["participants", "beneficiaries", "volunteers", "volunteer_hours"])
def test_negative_counts_are_refused(world, field):
    with pytest.raises(ValidationError) as error:
        make_entry(world.project, world.org_user, **{field: -1})
    assert "不能为负数" in messages(error.value, field)


def test_several_errors_are_reported_together(world):
    with pytest.raises(ValidationError) as error:
        make_entry(world.project, world.org_user, kind="party", title="", participants="abc")
    assert {"kind", "title", "participants"} <= set(error.value.message_dict)


def test_only_the_organization_records_its_ledger(world, users):
    for user in (world.other_org_user, world.street_officer, users["bureau_admin"]):
        with pytest.raises(PermissionDenied):
            make_entry(world.project, user)


def test_acceptance_by_a_non_funder_is_refused(world, users):
    entry = make_entry(world.project, world.org_user, submit=True)
    # Street-funded: neither the bureau, another street nor the organization may accept.
    for user in (
        users["bureau_staff"],
        users["bureau_admin"],
        users["other_street_officer"],
        world.org_user,
        users["other_district_admin"],
    ):
        with pytest.raises(PermissionDenied) as error:
            services.ledger_entry_accept(entry=entry, by=user)
        assert "资助方" in str(error.value)
    # District-funded: the bureau's clerk accepts; the street officer may not.
    entry = make_entry(world.district_project, world.org_user, submit=True)
    with pytest.raises(PermissionDenied):
        services.ledger_entry_accept(entry=entry, by=world.street_officer)
    assert services.ledger_entry_accept(entry=entry, by=users["bureau_staff"]).status == EntryStatus.ACCEPTED


def test_second_review_of_an_entry_tells_who_did_the_first(world, places):
    from tests.accounts.factories import make_user

    colleague = make_user("street_officer", places.street1, full_name="第二位街道干部")
    entry = make_entry(world.project, world.org_user, submit=True)
    services.ledger_entry_accept(entry=entry, by=world.street_officer)
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_return(entry=entry, by=colleague, reason="不对")
    assert "已由" in messages(error.value, "status")


def test_no_entries_while_the_project_is_not_running(world, places):
    project = make_project(world.org, places.street1, transitions=())
    with pytest.raises(ValidationError) as error:
        make_entry(project, world.org_user)
    assert "申报" in messages(error.value, "project")


def test_attachments_only_on_drafts_and_of_allowed_kinds(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entry = make_entry(world.project, world.org_user)
    photo = SimpleUploadedFile("活动照片.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    attachment = services.ledger_attachment_add(entry=entry, by=world.org_user, kind="photo", upload=photo)
    assert attachment.original_name == "活动照片.jpg"
    with pytest.raises(ValidationError) as error:
        services.ledger_attachment_add(
            entry=entry, by=world.org_user, kind="photo", upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert "照片：x.exe 不是允许的文件类型（JPG, PNG）" in messages(error.value, "attachments")
    entry = services.ledger_entry_submit(entry=entry, by=world.org_user)
    with pytest.raises(ValidationError):
        services.ledger_attachment_add(entry=entry, by=world.org_user, kind="photo", upload=photo)
    # A correction carries the attachments of the version it corrects.
    correction = services.ledger_entry_correct(entry=entry, by=world.org_user, title="更正")
    assert [a.original_name for a in correction.attachments.all()] == ["活动照片.jpg"]


# ----------------------------------------------------------------------------- expenditures, budget


def test_expenditure_within_the_line_and_overspend_refused_with_the_balance(world):
    line = world.project.budget_lines.get(name="活动费")
    services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=line,
        date=dt.date(2026, 2, 1),
        amount="59000.50",
        payee="文具店",
        voucher_number="P-001",
    )
    with pytest.raises(ValidationError) as error:
        services.expenditure_create(
            project=world.project,
            by=world.org_user,
            budget_line=line,
            date=dt.date(2026, 2, 2),
            amount="1000.00",
            payee="文具店",
            voucher_number="P-002",
        )
    text = messages(error.value, "amount")
    assert "余额" in text and "999.50 元" in text and "活动费" in text
    # Exactly the balance is fine.
    services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=line,
        date=dt.date(2026, 2, 2),
        amount="999.50",
        payee="文具店",
        voucher_number="P-002",
    )
    assert services.budget_line_balance(line) == Decimal("0.00")


def test_expenditure_refusals(world):
    line = world.project.budget_lines.get(name="活动费")
    other_line = world.other_project.budget_lines.first()
    base = {
        "project": world.project,
        "by": world.org_user,
        "budget_line": line,
        "date": dt.date(2026, 2, 1),
        "amount": "100",
        "payee": "店",
        "voucher_number": "P-1",
    }
    for override_, field in [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"date": dt.date(2025, 12, 31)}, "date"),
        ({"budget_line": other_line}, "budget_line"),
        ({"payee": ""}, "payee"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.expenditure_create(**{**base, **override_})
        assert field in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.expenditure_create(**{**base, "by": world.other_org_user})


def test_budget_adjustment_moves_money_with_the_total_unchanged(world):
    activities = world.project.budget_lines.get(name="活动费")
    staff = world.project.budget_lines.get(name="人员费")
    services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=staff,
        date=dt.date(2026, 2, 1),
        amount="40000",
        payee="社工",
        voucher_number="S-1",
    )
    with pytest.raises(ValidationError):
        services.expenditure_create(
            project=world.project,
            by=world.org_user,
            budget_line=staff,
            date=dt.date(2026, 2, 2),
            amount="5000",
            payee="社工",
            voucher_number="S-2",
        )
    adjustment = services.budget_adjustment_propose(
        project=world.project,
        by=world.org_user,
        from_line=activities,
        to_line=staff,
        amount="5000",
        reason="增加社工服务时数",
    )
    with pytest.raises(PermissionDenied):
        services.budget_adjustment_approve(adjustment=adjustment, by=world.org_user)
    adjustment = services.budget_adjustment_approve(adjustment=adjustment, by=world.street_officer)
    assert adjustment.status == AdjustmentStatus.APPROVED
    activities.refresh_from_db()
    staff.refresh_from_db()
    assert (activities.amount, staff.amount) == (Decimal("55000.00"), Decimal("45000.00"))
    assert activities.amount + staff.amount == world.project.amount
    services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=staff,
        date=dt.date(2026, 2, 2),
        amount="5000",
        payee="社工",
        voucher_number="S-2",
    )
    with pytest.raises(ValidationError) as error:
        services.budget_adjustment_approve(adjustment=adjustment, by=world.street_officer)
    assert "已" in messages(error.value, "status")


def test_budget_adjustment_cannot_move_more_than_the_balance(world):
    activities = world.project.budget_lines.get(name="活动费")
    staff = world.project.budget_lines.get(name="人员费")
    with pytest.raises(ValidationError) as error:
        services.budget_adjustment_propose(
            project=world.project, by=world.org_user, from_line=activities, to_line=staff, amount="60000.01", reason="x"
        )
    assert "60,000.00 元" in messages(error.value, "amount")
    with pytest.raises(ValidationError):
        services.budget_adjustment_propose(
            project=world.project, by=world.org_user, from_line=staff, to_line=staff, amount="1", reason="x"
        )
    adjustment = services.budget_adjustment_propose(
        project=world.project, by=world.org_user, from_line=staff, to_line=activities, amount="1", reason="x"
    )
    with pytest.raises(ValidationError):
        services.budget_adjustment_reject(adjustment=adjustment, by=world.street_officer, reason="")
    rejected = services.budget_adjustment_reject(adjustment=adjustment, by=world.street_officer, reason="不同意")
    assert rejected.status == AdjustmentStatus.REJECTED


# ---------------------------------------------------------------------------- quarterly submissions


def submit_q1(world, narrative="第一季度开展活动三场。"):
    return services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=1, narrative=narrative
    )


def test_quarter_submission_submits_drafts_and_acceptance_locks_the_quarter(world):
    draft = make_entry(world.project, world.org_user)
    submitted = make_entry(world.project, world.org_user, submit=True, date=dt.date(2026, 2, 1))
    q2 = make_entry(world.project, world.org_user, date=dt.date(2026, 4, 2))
    submission = submit_q1(world)
    assert submission.status == SubmissionStatus.SUBMITTED
    draft.refresh_from_db()
    q2.refresh_from_db()
    assert draft.status == EntryStatus.SUBMITTED and q2.status == EntryStatus.DRAFT
    submission = services.quarterly_submission_accept(submission=submission, by=world.street_officer)
    assert submission.status == SubmissionStatus.ACCEPTED
    assert set(LedgerEntry.objects.filter(pk__in=[draft.pk, submitted.pk]).values_list("status", flat=True)) == {
        EntryStatus.ACCEPTED
    }
    # The quarter is locked: no new entries, no corrections, no expenditures dated in it.
    with pytest.raises(ValidationError) as error:
        make_entry(world.project, world.org_user, date=dt.date(2026, 3, 20))
    assert "2026年第一季度" in messages(error.value, "date") and "锁定" in messages(error.value, "date")
    with pytest.raises(ValidationError):
        services.ledger_entry_correct(entry=draft, by=world.org_user, title="x")
    with pytest.raises(ValidationError):
        services.expenditure_create(
            project=world.project,
            by=world.org_user,
            budget_line=world.project.budget_lines.first(),
            date=dt.date(2026, 3, 1),
            amount="1",
            payee="x",
            voucher_number="1",
        )


def test_quarter_submitted_twice_is_refused(world):
    submit_q1(world)
    with pytest.raises(ValidationError) as error:
        submit_q1(world)
    assert "不能重复提交" in messages(error.value, "quarter")
    assert QuarterlySubmission.objects.filter(project=world.project).count() == 1


def test_returned_quarter_is_resubmitted_and_keeps_its_first_submission_time(world):
    submission = submit_q1(world)
    first = submission.first_submitted_at
    with pytest.raises(PermissionDenied):
        services.quarterly_submission_return(submission=submission, by=world.other_org_user, reason="x")
    submission = services.quarterly_submission_return(
        submission=submission, by=world.street_officer, reason="叙述过于简略"
    )
    assert submission.status == SubmissionStatus.RETURNED
    with pytest.raises(ValidationError):
        services.quarterly_submission_accept(submission=submission, by=world.street_officer)
    submission = submit_q1(world, narrative="补充：三场活动共服务90人次。")
    assert submission.status == SubmissionStatus.RESUBMITTED and submission.first_submitted_at == first
    assert services.quarterly_submission_accept(submission=submission, by=world.street_officer).status == "accepted"


def test_quarter_refusals(world):
    with pytest.raises(ValidationError) as error:
        services.quarterly_submission_submit(
            project=world.project, by=world.org_user, year=2027, quarter=1, narrative="x"
        )
    assert "项目周期" in messages(error.value, "quarter")
    with pytest.raises(ValidationError) as error:
        submit_q1(world, narrative="")
    assert "情况说明" in messages(error.value, "narrative")
    with pytest.raises(PermissionDenied):
        services.quarterly_submission_submit(
            project=world.project, by=world.other_org_user, year=2026, quarter=1, narrative="x"
        )
    submission = submit_q1(world)
    with pytest.raises(PermissionDenied):
        services.quarterly_submission_accept(submission=submission, by=world.users["bureau_staff"])


# -------------------------------------------------------------------------------------- progress


def test_indicator_progress_counts_accepted_current_entries_only(world):
    accepted = make_entry(world.project, world.org_user, submit=True, participants=30, volunteer_hours="10")
    services.ledger_entry_accept(entry=accepted, by=world.street_officer)
    make_entry(world.project, world.org_user, submit=True, participants=100)  # submitted, not accepted
    make_entry(world.project, world.org_user, participants=100)  # draft
    entered = services.indicator_create(
        project=world.project, by=None, name="居民议事参与率", unit="%", target="90", source=IndicatorSource.ENTERED
    )
    services.indicator_enter_value(indicator=entered, by=world.org_user, value="45")
    rows = {row["indicator"].name: row for row in indicator_progress(world.project)}
    assert rows["服务活动场次"]["actual"] == 1 and rows["服务活动场次"]["percent"] == 4
    assert rows["服务人次"]["actual"] == 30 and rows["服务人次"]["percent"] == 5
    assert rows["志愿服务时长"]["actual"] == Decimal("10.0")
    assert rows["居民议事参与率"]["actual"] == Decimal("45") and rows["居民议事参与率"]["percent"] == 50
    with pytest.raises(ValidationError):
        services.indicator_enter_value(
            indicator=world.project.indicators.get(name="服务人次"), by=world.org_user, value="1"
        )
    with pytest.raises(PermissionDenied):
        services.indicator_enter_value(indicator=entered, by=world.other_org_user, value="1")


def test_budget_rows_show_spent_and_balance_per_line(world):
    line = world.project.budget_lines.get(name="活动费")
    services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=line,
        date=dt.date(2026, 2, 1),
        amount="1500.25",
        payee="店",
        voucher_number="1",
    )
    rows = {row["line"].name: row for row in project_budget_rows(world.project)}
    assert rows["活动费"]["spent"] == Decimal("1500.25") and rows["活动费"]["balance"] == Decimal("58499.75")
    assert rows["人员费"]["spent"] == Decimal("0.00")


# ------------------------------------------------------------------------------ major activities


def major_kwargs(world, **overrides):
    data = {
        "by": world.org_user,
        "organization": world.org,
        "title": "社区邻里节",
        "place": "社区广场",
        "planned_date": timezone.localdate() + dt.timedelta(days=30),
        "expected_participants": 300,
        "content": "邻里节游园活动",
    }
    data.update(overrides)
    return data


def test_major_activity_report_on_time_and_late(world):
    on_time = services.major_activity_report_create(**major_kwargs(world))
    assert not on_time.is_late and on_time.status == MajorActivityStatus.SUBMITTED
    late = services.major_activity_report_create(
        **major_kwargs(world, planned_date=timezone.localdate() + dt.timedelta(days=9))
    )
    assert late.is_late
    # Exactly ten days ahead is on time on a working day; on a day off the deadline was the working
    # day before it (projects.periods.major_activity_report_by).
    today = timezone.localdate()
    exactly = services.major_activity_report_create(**major_kwargs(world, planned_date=today + dt.timedelta(days=10)))
    assert exactly.is_late is (not calendar.is_working_day(today))


@override_settings(PROJECTS_MAJOR_ACTIVITY_NOTICE_DAYS=20)
def test_major_activity_notice_is_configurable(world):
    report = services.major_activity_report_create(
        **major_kwargs(world, planned_date=timezone.localdate() + dt.timedelta(days=15))
    )
    assert report.is_late


def test_major_activity_review(world, users):
    report = services.major_activity_report_create(
        **major_kwargs(world, foreign_involvement=True, foreign_details="两名外籍志愿者")
    )
    for user in (world.street_officer, world.org_user, users["other_district_staff"], users["bureau_viewer"]):
        with pytest.raises(PermissionDenied):
            services.major_activity_acknowledge(report=report, by=user)
    with pytest.raises(ValidationError):
        services.major_activity_object(report=report, by=users["bureau_staff"], reason="")
    report = services.major_activity_object(report=report, by=users["bureau_staff"], reason="场地安全预案不足")
    assert report.status == MajorActivityStatus.OBJECTED
    with pytest.raises(ValidationError):
        services.major_activity_acknowledge(report=report, by=users["bureau_admin"])


def test_major_activity_refusals(world):
    with pytest.raises(ValidationError) as error:
        services.major_activity_report_create(
            **major_kwargs(world, foreign_involvement=True, expected_participants=-3, project=world.other_project)
        )
    assert {"foreign_details", "expected_participants", "project"} <= set(error.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.major_activity_report_create(**major_kwargs(world, by=world.other_org_user))


# ------------------------------------------------------------------------------------- reminders


def test_reminders_due_soon_and_overdue_sent_once_per_day(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    # 6 April 2026: Q1 is due on Friday 10 April (within 5 days). E-mail leaves after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(today=dt.date(2026, 4, 6))
    assert sent >= 1
    notes = Notification.objects.filter(recipient=world.org_user)
    assert notes.filter(item_key=f"quarter:{world.project.pk}:2026Q1").count() == 1
    assert "即将到期" in notes.first().title
    mine = [m for m in mail.outbox if m.to == ["org@example.cn"]]
    assert len(mine) == 2  # two projects of the organization
    # Again the same day: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=dt.date(2026, 4, 6))
    assert len([m for m in mail.outbox if m.to == ["org@example.cn"]]) == 2
    # The next day: reminded again.
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=dt.date(2026, 4, 7))
    assert len([m for m in mail.outbox if m.to == ["org@example.cn"]]) == 4


def test_reminders_stop_once_submitted_and_say_overdue(world):
    mail.outbox.clear()
    services.quarterly_submission_submit(project=world.project, by=world.org_user, year=2026, quarter=1, narrative="x")
    services.reminders_send(today=dt.date(2026, 4, 20))
    keys = set(Notification.objects.filter(recipient=world.org_user).values_list("item_key", flat=True))
    assert f"quarter:{world.project.pk}:2026Q1" not in keys
    assert f"quarter:{world.district_project.pk}:2026Q1" in keys
    assert "逾期" in Notification.objects.get(item_key=f"quarter:{world.district_project.pk}:2026Q1").title


def test_no_reminder_long_before_the_deadline(world):
    assert services.reminders_send(today=dt.date(2026, 4, 4)) == 0


def test_audit_records_are_written(world):
    entry = make_entry(world.project, world.org_user, submit=True)
    records = AuditRecord.objects.filter(content_type__model="ledgerentry", object_id=str(entry.pk))
    assert list(records.values_list("action", flat=True)) == ["transition", "create"]
    assert records.first().region_path == world.org.region.path


def test_project_queryset_scoping(world, users):
    def visible(user):
        return set(Project.objects.restrict(user).values_list("pk", flat=True))

    mine = {world.project.pk, world.district_project.pk}
    assert visible(world.org_user) == mine
    assert visible(world.other_org_user) == {world.other_project.pk}
    assert visible(users["street_officer"]) == mine
    assert visible(users["bureau_viewer"]) == mine | {world.other_project.pk}
    assert visible(users["other_district_admin"]) == set()
    assert visible(users["expert"]) == set()
    assert visible(users["org_user"]) == set()  # an org_user without an organization
    _ = entry_data


def test_a_correction_of_an_entry_accepted_meanwhile_cannot_be_submitted(world):
    entry = make_entry(world.project, world.org_user, submit=True)
    correction = services.ledger_entry_correct(entry=entry, by=world.org_user, participants=31)
    services.ledger_entry_accept(entry=entry, by=world.street_officer)
    with pytest.raises(ValidationError) as error:
        services.ledger_entry_submit(entry=correction, by=world.org_user)
    assert "在此期间受理" in messages(error.value, "status")
    entry.refresh_from_db()
    assert entry.is_current and entry.status == EntryStatus.ACCEPTED


def test_no_new_project_for_an_organization_that_is_not_active(places):
    from ..registry.factories import make_organization

    revoked = make_organization(places.community12, status="revoked")
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=None,
            organization=revoked,
            title="x",
            funding_source="subsidy",
            funder=services.office_funder(places.street1),
            amount="1000",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 6, 30),
        )
    assert "撤销" in messages(error.value, "organization")
