"""The expert pool: creating experts (with their account), linking accounts, and the conflict rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from core.models import AuditRecord
from evaluation.choices import AffiliationKind, Dimension
from evaluation.selectors import conflicts
from evaluation.services.experts import expert_create, expert_link_user, expert_update
from projects.services import office_funder

from ..accounts.factories import make_user
from ..projects.factories import make_project
from ..registry.factories import make_organization
from .factories import ExpertFactory, make_expert_user


def create(users, places, **overrides):
    values = {
        "by": users["bureau_staff"],
        "region": places.district,
        "name": "王专家",
        "dimension": Dimension.TECHNICAL,
        "affiliation_kind": AffiliationKind.OTHER,
        "affiliation": "某大学社会工作系",
    }
    values.update(overrides)
    return expert_create(**values)


def test_staff_add_an_expert_with_an_audit_record(users, places):
    expert = create(users, places, title="副教授", phone="13800000000")
    assert (expert.region, expert.dimension, expert.is_active, expert.user) == (
        places.district,
        "technical",
        True,
        None,
    )
    assert AuditRecord.objects.filter(object_id=str(expert.pk), action="create").exists()


def test_with_a_username_the_expert_gets_an_account_without_a_usable_password(users, places):
    expert = create(users, places, by=users["bureau_admin"], username="wang.expert", email="wang@example.cn")
    user = expert.user
    assert (user.username, user.role, user.region) == ("wang.expert", Role.EXPERT, places.district)
    assert not user.has_usable_password()
    assert user.email == "wang@example.cn"
    with pytest.raises(ValidationError) as excinfo:  # the user name is taken: nothing is kept
        create(users, places, by=users["bureau_admin"], name="李专家", username="wang.expert")
    assert "username" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"dimension": "astrology"}, "dimension"),
        ({"affiliation_kind": AffiliationKind.ORGANIZATION}, "organization"),
        ({"affiliation_kind": AffiliationKind.FUNDER}, "funder"),
        ({"affiliation_kind": AffiliationKind.DEPARTMENT, "affiliation": ""}, "affiliation"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_input_names_the_field(users, places, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        create(users, places, **overrides)
    assert field in excinfo.value.message_dict


def test_an_organization_of_another_district_is_refused(users, places):
    theirs = make_organization(places.other_community)
    with pytest.raises(ValidationError) as excinfo:
        create(users, places, affiliation_kind=AffiliationKind.ORGANIZATION, organization=theirs)
    assert "甲区" in " ".join(excinfo.value.message_dict["organization"])


@pytest.mark.parametrize("who", ["bureau_viewer", "street_officer", "org_user", "expert", "other_district_staff"])
def test_only_the_districts_staff_keep_the_pool(users, places, who):
    with pytest.raises(PermissionDenied):
        create(users, places, by=users[who])


def test_update_and_deactivate(users, places):
    expert = create(users, places)
    expert = expert_update(expert, by=users["bureau_admin"], is_active=False, specialty="社区治理")
    assert (expert.is_active, expert.specialty) == (False, "社区治理")
    with pytest.raises(ValidationError):
        expert_update(expert, by=users["bureau_admin"], name="")
    with pytest.raises(PermissionDenied):
        expert_update(expert, by=users["other_district_staff"], name="外区改名")


def test_linking_an_account(users, places):
    expert = create(users, places)
    with pytest.raises(ValidationError) as excinfo:  # not an expert account
        expert_link_user(expert, by=users["bureau_staff"], user=users["bureau_viewer"])
    assert "user" in excinfo.value.message_dict
    with pytest.raises(ValidationError):  # another district's expert account
        expert_link_user(expert, by=users["bureau_staff"], user=make_user(Role.EXPERT, places.other_district))
    account = make_expert_user(places.district)
    expert = expert_link_user(expert, by=users["bureau_staff"], user=account)
    assert expert.user == account
    other = create(users, places, name="李专家")
    with pytest.raises(ValidationError):  # already another expert's
        expert_link_user(other, by=users["bureau_staff"], user=account)


def test_conflicts_with_the_projects_organization_and_funder(users, places):
    organization = make_organization(places.community11, name="一社区为老服务社")
    project = make_project(organization, places.street1, title="银龄互助项目")
    funder = office_funder(places.street1)
    neutral = ExpertFactory(places.district)
    insider = ExpertFactory(
        places.district, name="赵会长", affiliation_kind=AffiliationKind.ORGANIZATION, organization=organization
    )
    payer = ExpertFactory(places.district, name="钱科长", affiliation_kind=AffiliationKind.FUNDER, funder=funder)
    both = ExpertFactory(places.district, name="孙某", organization=organization, funder=funder)
    assert conflicts(neutral, project) == []
    (reason,) = conflicts(insider, project)
    assert "赵会长" in reason and "一社区为老服务社" in reason
    (reason,) = conflicts(payer, project)
    assert "钱科长" in reason and funder.name in reason
    assert len(conflicts(both, project)) == 2
    other_project = make_project(make_organization(places.community21), places.street2)
    assert conflicts(insider, other_project) == []
    assert conflicts(payer, other_project) == []
