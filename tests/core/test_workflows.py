"""The one workflow engine (core.workflows): what `Workflow.apply` guarantees to every app — the
state checked under a row lock, the stale case told apart from the forbidden and the malformed
one, the reason required, the review fields set, one audit record, the notice to the audience and
not to the actor, and nothing at all when anything refuses."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.models import AuditRecord, Notification
from core.workflows import Transition, Workflow
from projects.choices import EntryStatus
from projects.models import LedgerEntry

from ..projects.factories import make_entry, make_project
from ..registry.factories import make_org_user, make_organization

pytestmark = pytest.mark.django_db

E = EntryStatus


def decisions(item):
    """The transition records of the entry after its submission."""
    return AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(LedgerEntry), object_id=str(item.pk), action="transition"
    ).exclude(message="提交")


def reviewers_only(user, entry):
    if user is not None and user.role == "bureau_staff":
        return True, ""
    return False, "只有区民政局经办人可以审核"


FLOW = Workflow(
    LedgerEntry,
    (
        Transition("accept", {E.SUBMITTED, E.RESUBMITTED}, E.ACCEPTED, "通过", decides=True, permission=reviewers_only),
        Transition(
            "return",
            {E.SUBMITTED, E.RESUBMITTED},
            E.RETURNED,
            "退回",
            button="warning",
            needs_reason=True,
            decides=True,
            permission=reviewers_only,
        ),
    ),
    kind="test.entry",
    audience=lambda entry: [m.user for m in entry.project.organization.members.select_related("user")],
)


@pytest.fixture
def entry(places, users):
    org = make_organization(places.community11, name="工作流测试社")
    org_user = make_org_user(org, email="flow@example.cn")
    project = make_project(org, places.district, title="工作流项目")
    return make_entry(project, org_user, submit=True), org_user


def test_a_decision_sets_the_review_fields_audits_once_and_tells_the_organization(entry, users):
    item, org_user = entry
    staff = users["bureau_staff"]
    moved = FLOW.apply(item, "return", by=staff, reason="  签到表缺失 ")
    item.refresh_from_db()
    assert (item.status, item.review_reason, item.reviewed_by) == (E.RETURNED, "签到表缺失", staff)
    assert item.reviewed_at is not None and moved.status == E.RETURNED
    assert [r.message for r in decisions(item)] == ["退回：签到表缺失"]
    notes = Notification.objects.filter(kind="test.entry")
    assert [n.recipient for n in notes] == [org_user]
    assert "签到表缺失" in notes[0].title and notes[0].url == item.get_absolute_url()


def test_the_second_click_is_told_who_handled_it(entry, users):
    item, _org_user = entry
    staff = users["bureau_staff"]
    FLOW.apply(item, "accept", by=staff)
    with pytest.raises(ValidationError) as error:
        FLOW.apply(item, "return", by=staff, reason="晚了一步")
    assert type(error.value).__name__ == "StaleTransition"
    assert "已由他人处理" in str(error.value) and str(staff) in str(error.value)
    assert decisions(item).count() == 1


def test_refusals_change_nothing_and_say_why(entry, users):
    item, org_user = entry
    with pytest.raises(PermissionDenied, match="只有区民政局经办人"):
        FLOW.apply(item, "accept", by=org_user)
    with pytest.raises(ValidationError) as error:
        FLOW.apply(item, "return", by=users["bureau_staff"], reason="   ")
    assert list(error.value.message_dict) == ["reason"] and "原因" in error.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as error:
        FLOW.apply(item, "publish", by=users["bureau_staff"])
    assert list(error.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as error:
        FLOW.apply(item, "return", by=users["bureau_staff"], reason="长" * 2001)
    assert list(error.value.message_dict) == ["reason"]
    item.refresh_from_db()
    assert item.status == E.SUBMITTED and item.reviewed_at is None
    assert not decisions(item).exists()
    assert not Notification.objects.filter(kind=FLOW.kind).exists()


def test_a_step_from_a_state_it_never_leaves_is_not_called_stale(entry, users):
    item, _org_user = entry
    LedgerEntry.objects.filter(pk=item.pk).update(status=E.DRAFT)
    with pytest.raises(ValidationError) as error:
        FLOW.apply(item, "accept", by=users["bureau_staff"])
    assert type(error.value).__name__ == "ValidationError"
    assert "不能" in str(error.value) or "无法" in str(error.value) or "状态" in str(error.value)


def test_an_effect_that_refuses_rolls_back_the_notice_and_the_audit(entry, users):
    item, _org_user = entry

    def refuse(obj, transition):
        raise ValidationError({"date": "日期：不在项目期内。"})

    with pytest.raises(ValidationError):
        FLOW.apply(item, "accept", by=users["bureau_staff"], effect=refuse)
    item.refresh_from_db()
    assert item.status == E.SUBMITTED
    assert not Notification.objects.filter(kind=FLOW.kind).exists()


def test_a_rolled_back_transaction_leaves_no_notice(entry, users):
    item, _org_user = entry

    def accept_then_fail():
        with transaction.atomic():
            FLOW.apply(item, "accept", by=users["bureau_staff"])
            raise RuntimeError("later step failed")

    with pytest.raises(RuntimeError):
        accept_then_fail()
    assert not Notification.objects.filter(kind=FLOW.kind).exists()
    item.refresh_from_db()
    assert item.status == E.SUBMITTED


def test_offers_say_why_a_button_is_absent(entry, users):
    item, org_user = entry
    offers = {o.name: o for o in FLOW.offers(item, org_user)}
    assert set(offers) == {"accept", "return"}
    assert not offers["accept"].allowed and offers["accept"].reason == "只有区民政局经办人可以审核"
    assert [t.name for t in FLOW.available(item, users["bureau_staff"])] == ["accept", "return"]


def test_a_declaration_with_an_unknown_state_is_refused_at_import():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(LedgerEntry, (Transition("x", {"nonsense"}, E.ACCEPTED, "x"),))
