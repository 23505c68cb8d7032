"""Registry services: every application transition and every refusal, attachments, numbering."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from accounts.choices import Role
from core.models import AuditRecord
from core.workflows import StaleTransition
from registry import services
from registry.choices import (
    ApplicationAction,
    ApplicationKind,
    ApplicationState,
    AttachmentKind,
    LegalForm,
    OrganizationStatus,
)
from registry.models import Application, Organization, OrganizationMember

from ..accounts.factories import make_user
from .factories import (
    JPG,
    PNG,
    make_application,
    make_org_user,
    make_organization,
    make_uscc,
    office_file,
    upload,
)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def text(error):
    return " ".join(error.messages)


# --- filing: organization → street → bureau -------------------------------------------------


def test_filing_goes_through_street_then_bureau_and_enters_the_register(users, places):
    org_user = users["org_user"]
    application = make_application(org_user, ApplicationKind.FILE)
    assert application.state == ApplicationState.DRAFT
    assert application.number.startswith(f"SQ{places.district.code}")

    application = services.application_submit(application=application, by=org_user)
    assert application.state == ApplicationState.STREET_REVIEW
    application = services.application_approve(application=application, by=users["street_officer"])
    assert application.state == ApplicationState.BUREAU_REVIEW
    application = services.application_approve(application=application, by=users["bureau_staff"])
    assert application.state == ApplicationState.APPROVED
    assert application.reviewed_by == users["bureau_staff"]

    org = application.organization
    assert org.name == application.data["name"]
    assert org.registration_level == "filed"
    assert org.filing_number == f"{places.district.code}-{org.created_at.year}-0001"
    assert org.uscc is None
    assert org.member_count == 12
    assert OrganizationMember.objects.get(user=org_user).organization == org
    assert [s.action for s in application.steps.all()] == [
        ApplicationAction.CREATE,
        ApplicationAction.SUBMIT,
        ApplicationAction.APPROVE,
        ApplicationAction.APPROVE,
    ]
    assert AuditRecord.objects.filter(object_id=str(application.pk), action="transition").count() == 3
    assert AuditRecord.objects.filter(object_id=str(org.pk), action="create").exists()


def test_filing_numbers_are_sequential_per_district(users, places):
    first = make_organization(places.community11, legal_form=LegalForm.COMMUNITY_FILED)
    second = make_organization(places.community21, legal_form=LegalForm.COMMUNITY_FILED)
    elsewhere = make_organization(places.other_community, legal_form=LegalForm.COMMUNITY_FILED)
    assert first.filing_number.endswith("-0001")
    assert second.filing_number.endswith("-0002")
    assert elsewhere.filing_number.endswith("-0001")
    assert elsewhere.filing_number.startswith(places.other_district.code)


def test_bureau_may_file_on_behalf_of_an_organization(users, places):
    staff = users["bureau_staff"]
    application = make_application(staff, ApplicationKind.FILE, region=places.community12)
    services.application_submit(application=application, by=staff)
    services.application_approve(application=application, by=users["street_officer"])
    application = services.application_approve(application=application, by=users["bureau_admin"])
    assert application.organization.region == places.community12
    assert not OrganizationMember.objects.exists()


# --- establishment: straight to the bureau, needs a credit code -------------------------------


def test_establishment_goes_to_the_bureau_and_needs_a_credit_code(users, places):
    org_user = users["org_user"]
    application = make_application(org_user, ApplicationKind.ESTABLISH, legal_form=LegalForm.SOCIAL_SERVICE)
    application = services.application_submit(application=application, by=org_user)
    assert application.state == ApplicationState.BUREAU_REVIEW
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, by=users["bureau_staff"])
    assert "统一社会信用代码" in text(error.value)
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, by=users["bureau_staff"], uscc="51330106MJ0000001X")
    assert "校验码应为T" in text(error.value)
    application.refresh_from_db()
    assert application.state == ApplicationState.BUREAU_REVIEW
    code = make_uscc("2")
    application = services.application_approve(application=application, by=users["bureau_staff"], uscc=code.lower())
    assert application.organization.uscc == code
    assert application.organization.legal_form == LegalForm.SOCIAL_SERVICE
    assert application.organization.filing_number is None


def test_establishment_is_not_for_community_organizations(users):
    with pytest.raises(ValidationError) as error:
        make_application(users["org_user"], ApplicationKind.ESTABLISH, legal_form=LegalForm.COMMUNITY_FILED)
    assert "组织类型" in text(error.value)
    with pytest.raises(ValidationError):
        make_application(users["org_user"], ApplicationKind.FILE, legal_form=LegalForm.SOCIAL_GROUP)


# --- change and deregistration ----------------------------------------------------------------


def test_change_keeps_only_changed_fields_and_applies_them_on_approval(users, places):
    org = make_organization(places.community11, phone="0571-1", member_count=5)
    org_user = make_org_user(org)
    application = make_application(
        org_user,
        ApplicationKind.CHANGE,
        organization=org,
        phone="0571-2",
        member_count="5",
        address=org.address,
        name=f" {org.name}X ",
    )
    assert application.data == {"phone": "0571-2", "name": f"{org.name}X"}
    assert application.current == {"phone": "0571-1", "name": org.name}
    services.application_submit(application=application, by=org_user)
    services.application_approve(application=application, by=users["bureau_staff"])
    org.refresh_from_db()
    assert (org.phone, org.name, org.member_count) == ("0571-2", f"{application.data['name']}", 5)
    record = AuditRecord.objects.filter(object_id=str(org.pk), action="update").get()
    assert {f: (b, a) for f, b, a in record.changes}["phone"] == ("0571-1", "0571-2")


def test_change_with_nothing_new_is_refused(users, places):
    org = make_organization(places.community11, phone="0571-1")
    with pytest.raises(ValidationError) as error:
        make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=org, phone="0571-1")
    assert "没有" in text(error.value) or "至少" in text(error.value)


def test_change_may_not_move_to_another_district(users, places):
    org = make_organization(places.community11)
    with pytest.raises(ValidationError) as error:
        services.application_create(
            by=users["bureau_staff"],
            kind=ApplicationKind.CHANGE,
            organization=org,
            data={"region": places.other_community.pk},
        )
    assert "所属区域" in text(error.value)


def test_deregistration_needs_liquidation_conclusion_and_ends_the_organization(users, places):
    org = make_organization(places.community11)
    staff = users["bureau_staff"]
    bare = services.application_create(by=staff, kind=ApplicationKind.DEREGISTER, organization=org)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=bare, by=staff)
    assert "清算结论" in text(error.value)
    services.application_update(application=bare, by=staff, liquidation_conclusion="清算完毕。")
    services.application_submit(application=bare, by=staff)
    services.application_approve(application=bare, by=users["bureau_admin"])  # not the clerk who filed it
    org.refresh_from_db()
    assert org.status == OrganizationStatus.DEREGISTERED
    assert org.status_changed_on is not None


def test_one_open_application_per_organization(users, places):
    org = make_organization(places.community11)
    make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=org)
    with pytest.raises(PermissionDenied, match="正在办理"):
        make_application(users["bureau_staff"], ApplicationKind.DEREGISTER, organization=org)


def test_no_application_for_an_ended_organization(users, places):
    org = make_organization(places.community11, status=OrganizationStatus.REVOKED)
    with pytest.raises(PermissionDenied):
        make_application(users["bureau_staff"], ApplicationKind.CHANGE, organization=org)


# --- return, resubmit, reject -----------------------------------------------------------------


@pytest.mark.parametrize("action", ["reject", "return"])
@pytest.mark.parametrize("reviewer", ["street_officer", "bureau_staff"])
def test_reject_and_return_need_a_reason(users, action, reviewer):
    org_user = users["org_user"]
    application = services.application_submit(application=make_application(org_user), by=org_user)
    if reviewer == "bureau_staff":
        application = services.application_approve(application=application, by=users["street_officer"])
    call = getattr(services, f"application_{action}")
    with pytest.raises(ValidationError) as error:
        call(application=application, by=users[reviewer], reason="  ")
    assert "原因" in text(error.value)  # the field named as every workflow names it
    application = call(application=application, by=users[reviewer], reason="材料不全")
    expected = ApplicationState.REJECTED if action == "reject" else ApplicationState.RETURNED
    assert application.state == expected
    assert application.steps.last().reason == "材料不全"


def test_returned_application_is_corrected_and_resubmitted_to_the_first_review(users, places):
    org_user = users["org_user"]
    application = services.application_submit(application=make_application(org_user), by=org_user)
    application = services.application_approve(application=application, by=users["street_officer"])
    application = services.application_return(application=application, by=users["bureau_staff"], reason="章程缺页")
    application = services.application_update(
        application=application, by=org_user, data={**application.data, "phone": "13900000000"}
    )
    with pytest.raises(ValidationError):
        services.application_submit(application=application, by=org_user)  # submit is for drafts
    application = services.application_resubmit(application=application, by=org_user)
    assert application.state == ApplicationState.STREET_REVIEW
    assert application.data["phone"] == "13900000000"


def test_rejected_application_is_final(users):
    org_user = users["org_user"]
    application = services.application_submit(application=make_application(org_user), by=org_user)
    application = services.application_reject(application=application, by=users["street_officer"], reason="不符合条件")
    for action in ApplicationAction.values:
        if action == ApplicationAction.CREATE:
            continue
        with pytest.raises(ValidationError):
            services.application_transition(
                application=application, by=users["bureau_admin"], action=action, reason="x"
            )
    assert Organization.objects.count() == 0


# --- refusals by role and jurisdiction --------------------------------------------------------


def test_submit_needs_the_required_attachments(users):
    org_user = users["org_user"]
    application = make_application(org_user, attach=False)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=org_user)
    assert "章程" in text(error.value)
    assert "负责人身份证明" in text(error.value)


def test_submit_refuses_a_name_already_active_in_the_district(users, places):
    make_organization(places.community21, name="同名互助社")
    application = make_application(users["org_user"], name="同名互助社")
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=users["org_user"])
    assert "同名互助社" in text(error.value)


@pytest.mark.parametrize(
    "who",
    [
        "bureau_staff",
        "bureau_admin",
        "org_user",
        "other_street_officer",
        "other_district_admin",
        "community_party",
        "bureau_viewer",
    ],
)
def test_only_the_organizations_street_officer_takes_the_street_step(users, who):
    application = services.application_submit(application=make_application(users["org_user"]), by=users["org_user"])
    with pytest.raises(PermissionDenied):
        services.application_approve(application=application, by=users[who])


@pytest.mark.parametrize(
    "who", ["street_officer", "org_user", "bureau_viewer", "other_district_staff", "community_party", "expert"]
)
def test_only_the_districts_bureau_takes_the_bureau_step(users, who):
    org_user = users["org_user"]
    application = services.application_submit(application=make_application(org_user), by=org_user)
    application = services.application_approve(application=application, by=users["street_officer"])
    # The street officer took its own step already: a second click is told so, not refused as foreign.
    with pytest.raises(StaleTransition if who == "street_officer" else PermissionDenied):
        services.application_approve(application=application, by=users[who])


@pytest.mark.parametrize("who", ["street_officer", "community_party", "bureau_viewer", "expert"])
def test_who_may_not_apply(users, places, who):
    with pytest.raises(PermissionDenied):
        make_application(users[who], ApplicationKind.FILE, region=places.community11)


def test_org_user_applies_only_for_its_own_organization(users, places):
    own, other = make_organization(places.community11), make_organization(places.community11)
    org_user = make_org_user(own)
    with pytest.raises(PermissionDenied, match="自己"):
        make_application(org_user, ApplicationKind.CHANGE, organization=other)
    with pytest.raises(PermissionDenied):
        make_application(org_user, ApplicationKind.FILE)  # already acts for an organization
    make_application(org_user, ApplicationKind.CHANGE, organization=own)


def test_other_district_bureau_may_not_apply_for_our_organization(users, places):
    org = make_organization(places.community11)
    with pytest.raises(PermissionDenied):
        make_application(users["other_district_staff"], ApplicationKind.CHANGE, organization=org)


def test_region_must_be_in_the_applicants_district(users, places):
    with pytest.raises(ValidationError) as error:
        make_application(users["org_user"], ApplicationKind.FILE, region=places.other_community)
    assert "所属区域" in text(error.value)


def test_submitted_application_cannot_be_edited_by_anyone(users):
    org_user = users["org_user"]
    application = services.application_submit(application=make_application(org_user), by=org_user)
    for who in ("org_user", "bureau_staff"):
        with pytest.raises(PermissionDenied):
            services.application_update(application=application, by=users[who], remarks="x")
        with pytest.raises(PermissionDenied):
            services.attachment_add(application=application, by=users[who], kind="other", upload=upload())


def test_double_submission_moves_once_and_tells_the_second(users):
    org_user = users["org_user"]
    application = make_application(org_user)
    services.application_submit(application=application, by=org_user)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=org_user)
    assert "街道初审" in text(error.value)
    assert application.steps.filter(action=ApplicationAction.SUBMIT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_make_one_transition():
    from tests.accounts.factories import Jurisdiction

    places = Jurisdiction()
    staff = make_user(Role.BUREAU_STAFF, places.district)
    application = make_application(staff, ApplicationKind.ESTABLISH, region=places.community11)
    application = services.application_submit(application=application, by=staff)
    reviewer = make_user(Role.BUREAU_STAFF, places.district)  # whoever filed may not decide
    barrier, outcomes = threading.Barrier(2), []

    def approve(code):
        try:
            barrier.wait()
            services.application_approve(application=application, by=reviewer, uscc=code)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(text(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(make_uscc(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "ok"
    assert outcomes.count("ok") == 1
    assert Organization.objects.count() == 1
    assert Application.objects.get().steps.filter(action=ApplicationAction.APPROVE).count() == 1


# --- attachments: judged by content ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("章程.pdf", b"%PDF-1.7 ...", "pdf"),
        ("身份证.JPG", JPG, "jpg"),
        ("场所.png", PNG, "png"),
        ("名册.docx", office_file("word/document.xml"), "docx"),
        ("名册.xlsx", office_file("xl/workbook.xml"), "xlsx"),
        ("看起来是pdf.pdf", office_file("xl/workbook.xml"), "xlsx"),
    ],
)
def test_attachment_type_comes_from_content(users, name, content, extension):
    application = make_application(users["org_user"], attach=False)
    attachment = services.attachment_add(
        application=application, by=users["org_user"], kind=AttachmentKind.OTHER, upload=upload(name, content)
    )
    assert attachment.extension == extension
    assert attachment.size == len(content)
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("病毒.pdf", b"MZ\x90\x00 this is an exe"),
        ("文本.docx", b"just text"),
        ("压缩包.xlsx", office_file("other/thing.xml")),
    ],
)
def test_attachment_refused_when_content_is_not_allowed(users, name, content):
    application = make_application(users["org_user"], attach=False)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            application=application, by=users["org_user"], kind=AttachmentKind.OTHER, upload=upload(name, content)
        )
    assert name in text(error.value)
    assert "PDF" in text(error.value)


def test_attachment_over_10_mb_is_refused(users):
    application = make_application(users["org_user"], attach=False)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            application=application,
            by=users["org_user"],
            kind=AttachmentKind.OTHER,
            upload=upload("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),
        )
    assert "10 MB" in text(error.value)


def test_removed_attachment_no_longer_counts(users):
    org_user = users["org_user"]
    application = make_application(org_user)
    services.attachment_remove(attachment=application.attachments.get(kind=AttachmentKind.ARTICLES), by=org_user)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=org_user)
    assert "章程" in text(error.value)


def test_proposed_values_are_checked_on_entry(users):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        make_application(users["org_user"], name="长" * 201, member_count="很多", established_on="2019-02-30")
    assert set(error.value.error_dict) == {"name", "member_count", "established_on"}
    assert "最多200个字符" in text(error.value)
