"""Objections: lodged during publicity only, by the project's organization or the public, not twice;
answered by the bureau (never by whoever lodged it) with an outcome; the round closes only when
every objection is answered."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditRecord
from evaluation.choices import ObjectionOutcome, ObjectionStatus, RoundStatus
from evaluation.models import Objection, Round
from evaluation.services.objections import objection_answer, objection_lodge
from evaluation.services.rounds import round_close

from ..projects.factories import make_project
from ..registry.factories import make_org_user, make_organization
from .factories import RoundFactory, RoundProjectFactory, published_entry


@pytest.fixture
def organization(places):
    return make_organization(places.community11, name="一社区为老服务社")


@pytest.fixture
def org_user(organization):
    return make_org_user(organization, full_name="周干事", phone="13811112222")


@pytest.fixture
def entry(places, organization):
    return published_entry(places.district, make_project(organization, places.street1, title="银龄互助项目"))


def test_the_organization_lodges_with_its_accounts_name_and_contact(entry, org_user):
    objection = objection_lodge(entry, by=org_user, content="满意度样本过少，请复核。")
    assert (objection.lodged_by, objection.name, objection.contact, objection.status) == (
        org_user,
        "周干事",
        "13811112222",
        ObjectionStatus.OPEN,
    )
    assert AuditRecord.objects.filter(object_id=str(objection.pk), action="create").exists()


def test_the_public_lodges_naming_themself(entry):
    objection = objection_lodge(entry, name="李居民", contact="13900001111", content="活动并未在本小区开展。")
    assert (objection.lodged_by, objection.name) == (None, "李居民")
    with pytest.raises(ValidationError) as excinfo:
        objection_lodge(entry, name="", contact="", content="")
    assert set(excinfo.value.message_dict) == {"name", "contact", "content"}
    assert excinfo.value.message_dict["content"][0].startswith("异议")


def test_the_same_objection_twice_is_refused(entry):
    objection_lodge(entry, name="李居民", contact="13900001111", content="活动并未在本小区开展。")
    with pytest.raises(ValidationError) as excinfo:
        objection_lodge(entry, name="李居民", contact="13900001111", content="活动并未在本小区开展。")
    assert "已提交过相同的异议" in excinfo.value.message_dict["content"][0]
    objection_lodge(entry, name="李居民", contact="13900001111", content="另一件事。")
    Objection.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    objection_lodge(entry, name="李居民", contact="13900001111", content="活动并未在本小区开展。")
    assert Objection.objects.count() == 3


def test_outside_publicity_nobody_lodges(places, organization, org_user):
    draft = RoundProjectFactory(RoundFactory(places.district), make_project(organization, places.street1))
    with pytest.raises(PermissionDenied) as excinfo:
        objection_lodge(draft, by=org_user, content="异议")
    assert "公示" in str(excinfo.value)
    with pytest.raises(PermissionDenied):
        objection_lodge(draft, name="李居民", contact="139", content="异议")
    Round.objects.filter(pk=draft.round_id).update(status=RoundStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        objection_lodge(draft, name="李居民", contact="139", content="异议")


@pytest.mark.parametrize("who", ["bureau_staff", "street_officer", "expert"])
def test_other_accounts_do_not_lodge_here(entry, users, who):
    with pytest.raises(PermissionDenied):
        objection_lodge(entry, by=users[who], content="异议")


def test_another_organizations_user_is_refused(entry, places):
    other_user = make_org_user(make_organization(places.community21))
    with pytest.raises(PermissionDenied):
        objection_lodge(entry, by=other_user, content="异议")
    assert not Objection.objects.exists()


def test_staff_answer_with_an_outcome(entry, org_user, users):
    objection = objection_lodge(entry, by=org_user, content="满意度样本过少，请复核。")
    with pytest.raises(ValidationError) as excinfo:
        objection_answer(objection, by=users["bureau_staff"], answer="经复核维持。", outcome="maybe")
    assert "outcome" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        objection_answer(objection, by=users["bureau_staff"], answer="  ", outcome=ObjectionOutcome.MAINTAINED)
    assert "reason" in excinfo.value.message_dict
    for who in ("bureau_viewer", "street_officer", "expert", "other_district_staff"):
        with pytest.raises(PermissionDenied):
            objection_answer(objection, by=users[who], answer="答复", outcome=ObjectionOutcome.MAINTAINED)
    with pytest.raises(PermissionDenied):
        objection_answer(objection, by=org_user, answer="自己答复", outcome=ObjectionOutcome.MAINTAINED)
    objection = objection_answer(
        objection,
        by=users["bureau_staff"],
        answer="经复核，样本符合要求，维持结果。",
        outcome=ObjectionOutcome.MAINTAINED,
    )
    assert (objection.status, objection.outcome, objection.answer, objection.reviewed_by) == (
        ObjectionStatus.ANSWERED,
        ObjectionOutcome.MAINTAINED,
        "经复核，样本符合要求，维持结果。",
        users["bureau_staff"],
    )
    with pytest.raises(ValidationError):  # answered twice
        objection_answer(objection, by=users["bureau_admin"], answer="再答", outcome=ObjectionOutcome.REVISED)


def test_whoever_lodged_does_not_answer(entry, users):
    objection = Objection.objects.create(
        round_project=entry, lodged_by=users["bureau_staff"], name="某", contact="139", content="异议"
    )
    with pytest.raises(PermissionDenied) as excinfo:
        objection_answer(objection, by=users["bureau_staff"], answer="答复", outcome=ObjectionOutcome.MAINTAINED)
    assert "异议" in str(excinfo.value)
    objection_answer(objection, by=users["bureau_admin"], answer="答复", outcome=ObjectionOutcome.REVISED)


def test_the_round_closes_once_every_objection_is_answered(entry, org_user, users):
    objection = objection_lodge(entry, by=org_user, content="请复核。")
    Round.objects.filter(pk=entry.round_id).update(publicity_ends_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        round_close(entry.round, by=users["bureau_staff"])
    objection_answer(objection, by=users["bureau_staff"], answer="维持。", outcome=ObjectionOutcome.MAINTAINED)
    assert round_close(entry.round, by=users["bureau_staff"]).status == RoundStatus.CLOSED
    with pytest.raises(PermissionDenied):  # closed: no more objections
        objection_lodge(entry, by=org_user, content="再提一次。")
