"""Pages of party building: who sees what (each role and node: a street-level secretary sees their
street's communities, a community secretary only theirs, an organization its own coverage and
contacts, another district nothing), the forms (bad input: a Chinese message naming the field and
nothing changed), coverage history, the overdue list, decisions' follow-up, exports and to-dos."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditRecord
from core.testing import assert_role_matrix
from party.models import ContactAttachment, ContactRecord, MeetingDecision, PartyCoverage, PartyOrganization

from ..registry.factories import PDF, make_org_user, make_organization, upload
from .factories import (
    make_activity,
    make_area_body,
    make_contact,
    make_coverage,
    make_meeting,
    make_party_organization,
    make_secretary,
)

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2018, 3, 1)


class World:
    """District A: org11 (community 1-1, standalone party organization, contacted today), org12
    (community 1-2, no party building, never contacted: overdue), org21 (street 2, overdue); another
    district's organization (overdue). Area bodies for community 1-1 and street 1."""

    def __init__(self, places, users):
        self.places = places
        self.org11 = make_organization(places.community11, name="一社区夕阳红服务队", established_on=LONG_AGO)
        self.org12 = make_organization(places.community12, name="二社区邻里互助会", established_on=LONG_AGO)
        self.org21 = make_organization(places.community21, name="二街道文体协会", established_on=LONG_AGO)
        self.other = make_organization(places.other_community, name="乙区志愿者协会", established_on=LONG_AGO)
        self.body11 = make_area_body(places.community11, name="一社区党委")
        self.street_body = make_area_body(places.street1, name="一街道党工委")
        self.other_body = make_area_body(places.other_community, name="乙社区党委")
        self.branch = make_party_organization(
            places.community11, organizations=[self.org11], name="夕阳红服务队党支部", full_member_count=4
        )
        make_coverage(self.org12, form="none", no_party_reason="党员人数不足", full_party_members=1)
        make_coverage(self.other, form="instructor", instructor="乙区指导员")
        self.contact = make_contact(self.org11, by=users["community_party"], topics="了解换届准备情况")
        self.other_contact = make_contact(self.other, topics="乙区联系记录")
        self.street_secretary = make_secretary(places.street1, username="street_party", full_name="一街道书记")
        self.org_user = make_org_user(self.org11)


@pytest.fixture
def world(places, users):
    return World(places, users)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


LISTS = ("partyorganization_list", "partycoverage_list", "contactrecord_list", "partyactivity_list",
         "jointmeeting_list")  # fmt: skip


def test_list_pages_by_role(world, client_for):
    for name in LISTS:
        assert_role_matrix(client_for, "get", reverse(f"party:{name}"), {
            "bureau_admin": 200, "bureau_staff": 200, "bureau_viewer": 200, "street_officer": 200,
            "community_party": 200, "other_district_admin": 200, "expert": 403, None: 302,
        })  # fmt: skip
    for name in ("overdue_list", "unformed_list"):
        assert_role_matrix(client_for, "get", reverse(f"party:{name}"), {
            "bureau_admin": 200, "bureau_viewer": 200, "street_officer": 200, "community_party": 200,
            "org_user": 403, "expert": 403, None: 302,
        })  # fmt: skip


def test_overdue_list_by_node(world, client_for):
    url = reverse("party:overdue_list")
    street = text(client_of(world.street_secretary).get(url))
    # The street-level secretary: both communities of street 1 (org12 overdue; org11 contacted today).
    assert "二社区邻里互助会" in street and "一社区夕阳红服务队" not in street
    assert "二街道文体协会" not in street and "乙区志愿者协会" not in street
    # The responsible party body: community 1-2 has none, so the street's working committee.
    assert "一街道党工委" in street
    community = text(client_for("community_party").get(url))
    assert "二社区邻里互助会" not in community and "一社区夕阳红服务队" not in community
    district = text(client_for("bureau_admin").get(url))
    assert "二社区邻里互助会" in district and "二街道文体协会" in district and "乙区志愿者协会" not in district
    assert "二社区邻里互助会" not in text(client_for("other_district_admin").get(url))
    # Filtered by a community; the date: before the contact, org11 was overdue too.
    filtered = text(client_for("bureau_admin").get(url, {"region": world.places.community12.pk}))
    assert "二社区邻里互助会" in filtered and "二街道文体协会" not in filtered
    before = timezone.localdate() - dt.timedelta(days=1)
    earlier = text(client_of(world.street_secretary).get(url, {"date": before.isoformat()}))
    assert "一社区夕阳红服务队" in earlier
    # Another district's node is not a choice: the filter is invalid and lists nothing.
    foreign = client_for("bureau_admin").get(url, {"region": world.places.other_community.pk})
    assert foreign.status_code == 200 and "乙区志愿者协会" not in text(foreign)
    assert client_for("bureau_admin").get(url, {"date": "2026-02-30"}).status_code == 200


def test_coverage_list_as_of_date_and_filters(world, client_for):
    url = reverse("party:partycoverage_list")
    page = text(client_for("bureau_admin").get(url))
    assert "夕阳红服务队党支部" in page and "二社区邻里互助会" in page and "乙区志愿者协会" not in page
    owned = text(client_for("bureau_admin").get(url, {"has_party_organization": "true"}))
    assert "一社区夕阳红服务队" in owned and "二社区邻里互助会" not in owned
    none = text(client_for("bureau_admin").get(url, {"form": "none"}))
    assert "二社区邻里互助会" in none and "一社区夕阳红服务队" not in none
    # A community secretary: their community only; the organization: its own coverage only.
    community = text(client_for("community_party").get(url))
    assert "一社区夕阳红服务队" in community and "二社区邻里互助会" not in community
    own = text(client_of(world.org_user).get(url))
    assert "一社区夕阳红服务队" in own and "二社区邻里互助会" not in own and "二街道文体协会" not in own


def test_unformed_list(world, client_for):
    make_coverage(world.org21, form="instructor", full_party_members=3, instructor="王指导员")
    page = text(client_for("bureau_admin").get(reverse("party:unformed_list")))
    assert "二街道文体协会" in page
    assert "二社区邻里互助会" not in page and "一社区夕阳红服务队" not in page


def test_contacts_by_role(world, client_for):
    url = reverse("party:contactrecord_list")
    assert "了解换届准备情况" in text(client_for("community_party").get(url))
    assert "了解换届准备情况" in text(client_of(world.org_user).get(url))
    assert "了解换届准备情况" not in text(client_for("other_district_admin").get(url))
    assert "乙区联系记录" not in text(client_for("bureau_admin").get(url))
    detail = world.contact.get_absolute_url()
    assert_role_matrix(client_for, "get", detail, {
        "bureau_admin": 200, "street_officer": 200, "community_party": 200, "other_street_officer": 404,
        "other_district_admin": 404, "expert": 403, None: 302,
    })  # fmt: skip
    assert client_of(world.org_user).get(detail).status_code == 200
    assert client_of(world.org_user).get(world.other_contact.get_absolute_url()).status_code == 404
    other_org_user = make_org_user(world.org12)
    assert client_of(other_org_user).get(detail).status_code == 404


def test_detail_pages_other_district_404(world, client_for):
    coverage = PartyCoverage.objects.current().get(organization=world.org11)
    activity = make_activity(world.branch, organizations=[world.org11], topic="七一专题党课")
    meeting = make_meeting(world.body11, organizations=[world.org11], decisions=[{"content": "共建活动室"}])
    for url in (world.branch.get_absolute_url(), coverage.get_absolute_url(), activity.get_absolute_url(),
                meeting.get_absolute_url()):  # fmt: skip
        assert client_for("bureau_admin").get(url).status_code == 200
        assert client_for("community_party").get(url).status_code == 200
        assert client_for("other_district_admin").get(url).status_code == 404
        assert client_for("other_street_officer").get(url).status_code == 404
    assert client_of(world.org_user).get(coverage.get_absolute_url()).status_code == 200
    assert client_of(world.org_user).get(world.branch.get_absolute_url()).status_code == 403


def test_secretary_records_a_contact_from_the_overdue_list(world, client_for):
    secretary = client_of(world.street_secretary)
    overdue = reverse("party:overdue_list")
    assert "二社区邻里互助会" in text(secretary.get(overdue))
    create = reverse("party:contactrecord_create")
    form = secretary.get(create, {"organization": world.org12.pk, "next": overdue})
    assert form.status_code == 200
    response = secretary.post(f"{create}?organization={world.org12.pk}&next={overdue}", {
        "organization": world.org12.pk, "contacted_on": timezone.localdate().isoformat(), "form": "visit",
        "topics": "走访了解党员情况", "issues": "", "follow_up": "",
        "attachments": upload("走访照片.pdf", PDF),
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == overdue
    contact = ContactRecord.objects.get(organization=world.org12)
    assert contact.party_organization == world.street_body  # community 1-2 has no body of its own
    assert contact.attachments.count() == 1
    assert "二社区邻里互助会" not in text(secretary.get(overdue))
    # The attachment goes out through the scoped download only.
    attachment = contact.attachments.get()
    download = reverse("party:contactattachment_download", args=[attachment.pk])
    assert secretary.get(download).status_code == 200
    assert client_for("other_district_admin").get(download).status_code == 404
    assert client_for("community_party").get(download).status_code == 404  # community 1-1's secretary
    # A redirect elsewhere is not followed.
    response = secretary.post(f"{create}?next=//evil.example/", {
        "organization": world.org12.pk, "contacted_on": timezone.localdate().isoformat(), "form": "phone",
        "topics": "电话回访"})  # fmt: skip
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_contact_form_bad_input_shows_chinese_field_errors_and_changes_nothing(world, client_for):
    count, audit = ContactRecord.objects.count(), AuditRecord.objects.count()
    secretary = client_for("community_party")
    create = reverse("party:contactrecord_create")
    response = secretary.post(create, {"organization": world.org11.pk, "contacted_on": "2026-13-45",
                                       "form": "carrier-pigeon", "topics": ""})  # fmt: skip
    page = text(response)
    assert response.status_code == 200
    assert "联系日期：输入一个有效的日期。" in page and "联系内容：该字段是必填项。" in page
    assert "联系方式：选择一个有效的选项。" in page
    # A date in the future: the service refuses, naming the field.
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = secretary.post(create, {"organization": world.org11.pk, "contacted_on": future, "form": "visit",
                                       "topics": "未来的联系"})  # fmt: skip
    assert response.status_code == 200 and "联系日期" in text(response)
    # An organization outside the secretary's community: not a choice.
    response = secretary.post(create, {"organization": world.org12.pk, "contacted_on": "2026-01-05", "form": "visit",
                                       "topics": "越权联系"})  # fmt: skip
    assert response.status_code == 200 and "组织" in text(response)
    # A file that is not what it says.
    fake = upload("假照片.pdf", b"MZ\x90\x00")
    response = secretary.post(create, {"organization": world.org11.pk, "contacted_on": "2026-01-05", "form": "visit",
                                       "topics": "带附件", "attachments": fake})  # fmt: skip
    assert response.status_code == 200
    assert ContactRecord.objects.count() == count and AuditRecord.objects.count() == audit
    # A link naming an organization not in the secretary's subtree: refused.
    assert secretary.get(create, {"organization": world.org12.pk}).status_code == 404
    assert secretary.get(create, {"organization": "abc"}).status_code == 400
    # Who may record: the secretaries and the bureau administrator, not its clerks or the street officer.
    assert_role_matrix(client_for, "get", create, {
        "bureau_admin": 200, "community_party": 200, "bureau_staff": 403, "bureau_viewer": 403,
        "street_officer": 403, "expert": 403,
    })  # fmt: skip
    assert client_of(world.org_user).get(create).status_code == 403


def test_party_organization_form(world, client_for):
    staff = client_for("bureau_staff")
    create = reverse("party:partyorganization_create")
    count, audit = PartyOrganization.objects.count(), AuditRecord.objects.count()
    base = {"name": "邻里互助会党支部", "level": "branch", "formation": "standalone",
            "region": world.places.community12.pk, "established_on": "2024-07-01", "full_member_count": "2",
            "probationary_member_count": "0", "organizations": [world.org12.pk]}  # fmt: skip
    response = staff.post(create, base)
    assert response.status_code == 200
    assert "正式党员" in text(response)  # fewer than 3 full members for a standalone one
    response = staff.post(create, {**base, "full_member_count": "5", "organizations": [world.org12.pk, world.org21.pk]})
    assert response.status_code == 200 and "覆盖" in text(response)
    response = staff.post(create, {**base, "established_on": "not a date", "level": ""})
    assert response.status_code == 200 and "层级" in text(response)
    assert PartyOrganization.objects.count() == count and AuditRecord.objects.count() == audit
    response = staff.post(create, {**base, "full_member_count": "3"})
    body = PartyOrganization.objects.get(name="邻里互助会党支部")
    assert response["Location"] == body.get_absolute_url()
    assert PartyCoverage.objects.current().get(organization=world.org12).party_organization == body
    page = text(staff.get(body.get_absolute_url()))
    assert "二社区邻里互助会" in page
    # Outside the secretary of community 1-1's subtree, and another district's: not found; the street
    # officer reads it but may not change it.
    edit = reverse("party:partyorganization_edit", args=[body.pk])
    assert client_for("community_party").get(edit).status_code == 404
    assert client_for("street_officer").get(body.get_absolute_url()).status_code == 200
    assert client_for("street_officer").get(edit).status_code == 403
    assert client_for("other_district_admin").get(edit).status_code == 404
    assert client_for("bureau_viewer").get(create).status_code == 403


def test_coverage_record_keeps_history(world, client_for):
    secretary = client_for("community_party")
    create = reverse("party:partycoverage_create")
    current = PartyCoverage.objects.current().get(organization=world.org11)
    form = secretary.get(create, {"organization": world.org11.pk})
    assert form.status_code == 200 and "夕阳红服务队党支部" in text(form)
    day = timezone.localdate()
    response = secretary.post(f"{create}?organization={world.org11.pk}", {
        "valid_from": day.isoformat(), "form": "standalone", "party_organization": world.branch.pk,
        "full_party_members": "6", "probationary_party_members": "1", "head_is_party_member": "on",
        "trade_union_on": "2022-05-01", "management_on_committee": "张三、李四",
    })  # fmt: skip
    new = PartyCoverage.objects.current().get(organization=world.org11)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.pk != current.pk and new.full_party_members == 6
    current.refresh_from_db()
    assert current.valid_to == day
    page = text(secretary.get(new.get_absolute_url()))
    assert current.get_absolute_url() in page and "张三、李四" in page
    # Bad input: negative members, a form needing a party organization without one.
    count = PartyCoverage.objects.count()
    response = secretary.post(f"{create}?organization={world.org11.pk}", {
        "valid_from": day.isoformat(), "form": "joint", "full_party_members": "-1"})  # fmt: skip
    assert response.status_code == 200 and "正式党员" in text(response)
    assert PartyCoverage.objects.count() == count
    # Not the secretary's community; another district; no organization named.
    assert secretary.get(create, {"organization": world.org12.pk}).status_code == 404
    assert secretary.get(create, {"organization": world.other.pk}).status_code == 404
    assert client_for("street_officer").get(create, {"organization": world.org11.pk}).status_code == 403
    assert secretary.get(create).status_code == 404
    assert client_of(world.org_user).get(create, {"organization": world.org11.pk}).status_code == 403


def test_meeting_decision_follow_up(world, client_for):
    meeting = make_meeting(world.body11, organizations=[world.org11], decisions=[{"content": "共建党员活动室"}])
    decision = meeting.decisions.get()
    secretary = client_for("community_party")
    page = text(secretary.get(meeting.get_absolute_url()))
    assert f'id="transition-complete-{decision.pk}"' in page
    url = reverse("party:meetingdecision_transition", args=[decision.pk, "complete"])
    assert client_for("bureau_viewer").post(url, {"reason": "已完成"}).status_code == 404
    assert client_for("other_district_admin").post(url, {"reason": "已完成"}).status_code == 404
    response = secretary.post(url, {"reason": ""}, follow=True)
    decision.refresh_from_db()
    assert decision.status == "open"
    response = secretary.post(url, {"reason": "活动室已于月底启用"}, follow=True)
    decision.refresh_from_db()
    assert decision.status == "done" and decision.follow_up == "活动室已于月底启用"
    assert "活动室已于月底启用" in text(response)
    # A second click: told it was handled, nothing changes.
    response = secretary.post(url, {"reason": "再次提交"}, follow=True)
    decision.refresh_from_db()
    assert decision.follow_up == "活动室已于月底启用"
    # Adding a decision from the page; bad input names the field.
    add = reverse("party:jointmeeting_decision_add", args=[meeting.pk])
    response = secretary.post(add, {"decision-content": "", "decision-due_on": "x"}, follow=True)
    assert "决定事项" in text(response) and MeetingDecision.objects.filter(meeting=meeting).count() == 1
    secretary.post(add, {"decision-content": "下季度联合开展志愿服务", "decision-responsible": "李书记"})
    assert MeetingDecision.objects.filter(meeting=meeting).count() == 2


def test_organization_page_panel_and_button(world, client_for):
    url = world.org11.get_absolute_url()
    page = text(client_for("community_party").get(url))
    assert 'id="org-party"' in page and "夕阳红服务队党支部" in page and 'id="record-contact"' in page
    assert "了解换届准备情况" in page
    # The street officer reads it but does not record contacts.
    page = text(client_for("street_officer").get(url))
    assert 'id="org-party"' in page and 'id="record-contact"' not in page
    own = text(client_of(world.org_user).get(url))
    assert 'id="org-party"' in own and 'id="record-contact"' not in own


def test_exports_hold_the_list_columns(world, client_for):
    response = client_for("bureau_admin").get(reverse("party:partycoverage_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    flat = [str(c) for row in rows for c in row if c is not None]
    assert "一社区夕阳红服务队" in flat and "夕阳红服务队党支部" in flat and "单独建立党组织" in flat
    assert "乙区志愿者协会" not in flat
    response = client_for("bureau_admin").get(reverse("party:overdue_list"), {"export": "xlsx"})
    assert response.status_code == 200
    flat = [str(c) for row in load_workbook(io.BytesIO(body(response))).active.iter_rows(values_only=True)
            for c in row if c is not None]  # fmt: skip
    assert "二社区邻里互助会" in flat and "一街道党工委" in flat
    for name in ("partyorganization_list", "contactrecord_list", "partyactivity_list", "jointmeeting_list"):
        assert client_for("bureau_admin").get(reverse(f"party:{name}"), {"export": "xlsx"}).status_code == 200


def test_todos_for_the_secretary(world, client_for):
    soon = timezone.localdate() + dt.timedelta(days=30)
    make_party_organization(world.places.street1, name="一街道联合党支部", term_ends_on=soon,
                            organizations=[world.org12, make_organization(world.places.community12)])  # fmt: skip
    page = text(client_of(world.street_secretary).get("/"))
    assert "逾期未联系的社会组织" in page and "90天内届满的党组织" in page
    assert "party/organizations/?term_due=true" in page
    due = text(client_of(world.street_secretary).get(reverse("party:partyorganization_list"), {"term_due": "true"}))
    assert "一街道联合党支部" in due and "夕阳红服务队党支部" not in due


def test_attachment_added_on_the_contact_page(world, client_for):
    secretary = client_for("community_party")
    url = reverse("party:contactrecord_attach", args=[world.contact.pk])
    secretary.post(url, {"file": upload("签到表.pdf", PDF)})
    assert ContactAttachment.objects.filter(contact=world.contact).count() == 1
    response = secretary.post(url, {"file": upload("坏文件.pdf", b"not a pdf")}, follow=True)
    assert ContactAttachment.objects.filter(contact=world.contact).count() == 1
    assert "附件" in text(response)
    assert client_for("street_officer").post(url, {"file": upload("x.pdf", PDF)}).status_code == 404


def test_overdue_list_puts_the_never_contacted_first(world, client_for):
    """The longest overdue lead: never contacted, then the oldest last contact (PostgreSQL sorts an
    empty date last unless told)."""
    make_contact(world.org21, contacted_on=LONG_AGO + dt.timedelta(days=30))
    page = client_for("bureau_admin").get(reverse("party:overdue_list"))
    names = [row.record.name for row in page.context["table"].page.object_list]
    assert names == ["二社区邻里互助会", "二街道文体协会"]
    reverse_order = client_for("bureau_admin").get(reverse("party:overdue_list"), {"sort": "-last_contact_on"})
    assert [row.record.name for row in reverse_order.context["table"].page.object_list] == names[::-1]
