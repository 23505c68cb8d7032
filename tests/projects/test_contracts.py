"""Contracts of purchased services: set-up with milestones, the tranche arithmetic, amendments as
versions, the milestones' delivery and acceptance, and the pages that show them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override

from core.models import AuditRecord, Notification
from core.workflows import StaleTransition
from projects import services
from projects.choices import MilestoneStatus
from projects.models import Contract, Milestone
from projects.tranches import allocate

from ..registry.factories import JPG, PDF, upload
from .purchase import accept, deliver, make_contract, make_funder, make_funder_user, milestone_specs, pay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def contract_data(project, **overrides):
    data = {
        "number": "XH-GM-2026-017",
        "procurement_method": "competitive_consultation",
        "signed_on": dt.date(2026, 1, 5),
        "amount": "100000.00",
        "start_date": project.start_date,
        "end_date": project.end_date,
        "milestones": milestone_specs(),
    }
    data.update(overrides)
    return data


def refusal(error, field="milestones") -> str:
    return " ".join(error.value.message_dict[field])


# ------------------------------------------------------------------------------- the arithmetic


def test_tranches_take_their_share_and_the_last_takes_the_remainder():
    shares = [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    amounts = allocate(Decimal("100001.00"), shares)
    assert amounts == [Decimal("33330.33"), Decimal("33330.33"), Decimal("33340.34")]
    assert sum(amounts) == Decimal("100001.00")
    # An accepted tranche keeps its amount; the remainder goes to the last open one.
    assert allocate(Decimal("120000.00"), [Decimal("25"), Decimal("40"), Decimal("35")], {0: Decimal("30000.00")}) == [
        Decimal("30000.00"),
        Decimal("48000.00"),
        Decimal("42000.00"),
    ]


def test_contract_with_three_tranches(world, users):
    contract = services.contract_create(
        project=world.project, by=users["street_officer"], **contract_data(world.project)
    )
    milestones = list(contract.milestones.order_by("sequence"))
    assert [m.amount for m in milestones] == [Decimal("30000.00"), Decimal("40000.00"), Decimal("30000.00")]
    assert [m.sequence for m in milestones] == [1, 2, 3] and all(m.status == "pending" for m in milestones)
    assert contract.version == 1 and contract.is_current
    assert AuditRecord.objects.filter(content_type__model="contract", object_id=str(contract.pk)).exists()
    assert AuditRecord.objects.filter(content_type__model="milestone", action="create").count() == 3


def test_rounding_remainder_falls_to_the_last_tranche(world):
    specs = [{"deliverable": f"第{i}阶段", "due_date": dt.date(2026, 3 * i, 1), "share": s} for i, s in
             ((1, "33.33"), (2, "33.33"), (3, "33.34"))]  # fmt: skip
    contract = services.contract_create(
        project=world.project, by=None, **contract_data(world.project, amount="100000.01", milestones=specs)
    )
    amounts = list(contract.milestones.order_by("sequence").values_list("amount", flat=True))
    assert amounts == [Decimal("33330.00"), Decimal("33330.00"), Decimal("33340.01")]
    assert sum(amounts) == contract.amount


@pytest.mark.parametrize(
    ("shares", "message"),
    [(("30", "40", "20"), "90%"), (("30", "40", "40"), "110%"), (("30", "70.005", "0"), "百分比")],
)
def test_shares_must_add_up_to_100(world, shares, message):
    specs = [{"deliverable": f"阶段{i}", "due_date": dt.date(2026, 6, 1), "share": s} for i, s in enumerate(shares)]
    with pytest.raises(ValidationError) as error:
        services.contract_create(project=world.project, by=None, **contract_data(world.project, milestones=specs))
    assert message in refusal(error)
    assert not Contract.objects.filter(project=world.project).exists()


def test_due_date_outside_the_contract_period_is_refused(world):
    specs = milestone_specs()
    specs[2]["due_date"] = dt.date(2027, 2, 1)
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            project=world.project,
            by=None,
            **contract_data(world.project, end_date=dt.date(2026, 12, 31), milestones=specs),
        )
    text = refusal(error)
    assert "节点3" in text or "里程碑3" in text
    assert "2027年2月1日" in text and "合同期限" in text


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"number": " "}, "number", "合同编号"),
        ({"amount": "0"}, "amount", "合同金额"),
        ({"amount": "abc"}, "amount", "合同金额"),
        ({"end_date": dt.date(2025, 12, 1)}, "end_date", "结束"),
        ({"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2031, 6, 1)}, "end_date", "5"),
        ({"start_date": dt.date(2030, 1, 1), "end_date": dt.date(2030, 12, 1)}, "start_date", "项目周期"),
        ({"signed_on": dt.date(2099, 1, 1)}, "signed_on", "签订"),
        ({"procurement_method": "bribery"}, "procurement_method", "采购方式"),
        ({"milestones": []}, "milestones", "至少"),
    ],
)
def test_contract_fields_are_checked(world, overrides, field, words):
    with pytest.raises(ValidationError) as error:
        services.contract_create(project=world.project, by=None, **contract_data(world.project, **overrides))
    assert words in refusal(error, field)


def test_one_contract_per_project_and_the_same_request_twice(world, users):
    officer = users["street_officer"]
    services.contract_create(project=world.project, by=officer, **contract_data(world.project))
    with pytest.raises(ValidationError) as error:
        services.contract_create(project=world.project, by=officer, **contract_data(world.project))
    assert "变更" in refusal(error, "number")
    assert Contract.objects.filter(project=world.project).count() == 1


def test_who_sets_up_a_contract(world, users):
    # The street officer manages the street's project, not the district-funded one; nor may the org.
    with pytest.raises(PermissionDenied):
        services.contract_create(
            project=world.district_project, by=users["street_officer"], **contract_data(world.district_project)
        )
    with pytest.raises(PermissionDenied):
        services.contract_create(project=world.project, by=world.org_user, **contract_data(world.project))
    with pytest.raises(PermissionDenied):
        services.contract_create(
            project=world.project, by=users["other_district_staff"], **contract_data(world.project)
        )
    assert services.contract_create(
        project=world.district_project, by=users["bureau_staff"], **contract_data(world.district_project)
    )


def test_contract_file_is_judged_by_content_and_served_only_through_its_view(world, users, client_for, client_as):
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            project=world.project, by=None, file=upload("合同.pdf", b"<html>not a pdf"), **contract_data(world.project)
        )
    assert "合同文件" in refusal(error, "file")
    contract = services.contract_create(
        project=world.project, by=None, file=upload("服务合同.pdf", PDF), **contract_data(world.project)
    )
    url = reverse("projects:contract_file", args=[contract.pk])
    response = client_as(world.org_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert client_as(world.other_org_user).get(url).status_code == 404
    assert client_for("other_district_staff").get(url).status_code == 404


# ------------------------------------------------------------------------------------ amendments


def test_amendment_keeps_the_old_version_readable_and_carries_accepted_milestones(world, users, client_as):
    officer = users["street_officer"]
    contract = make_contract(world.project, by=officer)
    first, second, third = contract.milestones.order_by("sequence")
    accept(first, world.org_user, officer)
    deliver(second, world.org_user)
    pay(Milestone.objects.get(pk=first.pk), by=officer, amount="10000.00")
    specs = [
        {"previous": first.pk, "deliverable": first.deliverable, "due_date": first.due_date, "share": "0"},
        {
            "previous": second.pk,
            "deliverable": "中期服务成效报告（含满意度调查）",
            "due_date": second.due_date,
            "share": "45",
        },
        {"previous": third.pk, "deliverable": third.deliverable, "due_date": third.due_date, "share": "30"},
    ]
    amended = services.contract_amend(
        contract=contract, by=officer, reason="增加满意度调查服务", amount="120000.00", milestones=specs
    )
    contract.refresh_from_db()
    assert not contract.is_current and contract.milestones.count() == 3  # the old version as it was
    assert amended.version == 2 and amended.previous_version == contract and amended.is_current
    assert amended.amendment_reason == "增加满意度调查服务"
    new_first, new_second, new_third = amended.milestones.order_by("sequence")
    assert new_first.previous == first and new_first.status == MilestoneStatus.ACCEPTED
    assert new_first.amount == Decimal("30000.00") and new_first.share == Decimal("25.00")  # 30000 of 120000
    assert new_second.status == MilestoneStatus.SUBMITTED and new_second.amount == Decimal("54000.00")
    assert new_third.amount == Decimal("36000.00")
    assert sum(m.amount for m in (new_first, new_second, new_third)) == amended.amount
    # What was paid on the first version's milestone counts on its copy.
    with pytest.raises(ValidationError) as error:
        pay(new_first, by=officer, amount="20000.01")
    assert "30,000.00" in refusal(error, "amount")
    # Both versions are pages; the project's panel shows the current one.
    client = client_as(officer)
    old_page = client.get(reverse("projects:contract_detail", args=[contract.pk])).content.decode()
    assert "已被变更替代" in old_page and "v1" in old_page
    page = client.get(reverse("projects:contract_detail", args=[amended.pk])).content.decode()
    assert "增加满意度调查服务" in page and "v2" in page and "120,000.00" in page
    # The organization is told.
    assert Notification.objects.filter(recipient=world.org_user, title__contains="增加满意度调查服务").exists()


def test_an_amendment_cannot_drop_or_change_an_accepted_milestone(world, users):
    officer = users["street_officer"]
    contract = make_contract(world.project, by=officer)
    first, second, third = contract.milestones.order_by("sequence")
    accept(first, world.org_user, officer)
    dropped = [
        {"previous": second.pk, "deliverable": second.deliverable, "due_date": second.due_date, "share": "50"},
        {"previous": third.pk, "deliverable": third.deliverable, "due_date": third.due_date, "share": "50"},
    ]
    with pytest.raises(ValidationError) as error:
        services.contract_amend(contract=contract, by=officer, reason="调整", milestones=dropped)
    assert "已验收" in refusal(error) and first.deliverable in refusal(error)
    changed = [{"previous": first.pk, "deliverable": "改名", "due_date": first.due_date, "share": "30"}, *dropped[:1]]
    with pytest.raises(ValidationError) as error:
        services.contract_amend(contract=contract, by=officer, reason="调整", milestones=changed)
    assert "已验收" in refusal(error)
    contract.refresh_from_db()
    assert contract.is_current and Contract.objects.filter(project=world.project).count() == 1


def test_an_amendment_cannot_go_below_what_was_paid_and_needs_a_reason(world, users):
    officer = users["street_officer"]
    contract = make_contract(world.project, by=officer)
    first = contract.milestones.get(sequence=1)
    accept(first, world.org_user, officer)
    pay(Milestone.objects.get(pk=first.pk), by=officer)
    specs = [{"previous": first.pk}, {"deliverable": "其余服务", "due_date": dt.date(2026, 10, 1), "share": "1"}]
    with pytest.raises(ValidationError) as error:
        services.contract_amend(contract=contract, by=officer, reason="压缩", amount="20000.00", milestones=specs)
    assert "已拨付" in refusal(error, "amount")
    with pytest.raises(ValidationError) as error:
        services.contract_amend(contract=contract, by=officer, reason=" ", milestones=specs)
    assert "变更原因" in refusal(error, "amendment_reason")


def test_a_replaced_version_is_not_amended_again_nor_its_milestones_moved(world, users):
    officer = users["street_officer"]
    contract = make_contract(world.project, by=officer)
    first = contract.milestones.get(sequence=1)
    specs = [{"previous": m.pk} | {"deliverable": m.deliverable, "due_date": m.due_date, "share": m.share}
             for m in contract.milestones.order_by("sequence")]  # fmt: skip
    services.contract_amend(contract=contract, by=officer, reason="延期", milestones=specs)
    with pytest.raises(ValidationError):
        services.contract_amend(contract=contract, by=officer, reason="再次", milestones=specs)
    with pytest.raises(ValidationError) as error:
        deliver(first, world.org_user)
    assert "被替代" in refusal(error, "status")


# ------------------------------------------------------------------------------------ milestones


def test_delivery_accept_and_return_with_notices(world, users, django_capture_on_commit_callbacks):
    officer = users["street_officer"]
    officer.email = "officer@example.cn"
    officer.save()
    contract = make_contract(world.project, by=officer)
    first, second, _third = contract.milestones.order_by("sequence")
    with django_capture_on_commit_callbacks(execute=True):
        delivered = deliver(first, world.org_user, note="提交需求调研报告")
    assert delivered.status == "submitted" and delivered.submitted_by == world.org_user
    assert delivered.delivery_note == "提交需求调研报告"
    assert Notification.objects.filter(recipient=officer, title__contains="提交需求调研报告").exists()
    assert any("officer@example.cn" in m.to for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.milestone_return(milestone=delivered, by=officer, reason="调研样本不足")
    assert returned.status == "returned" and returned.reviewed_by == officer
    assert Notification.objects.filter(recipient=world.org_user, title__contains="调研样本不足").exists()
    again = deliver(returned, world.org_user, note="补充样本")
    accepted = services.milestone_accept(milestone=again, by=officer)
    assert accepted.status == "accepted"
    with pytest.raises(ValidationError) as error:
        services.milestone_submit(milestone=second, by=world.org_user, note=" ")
    assert "交付说明" in refusal(error, "reason")


def test_who_delivers_and_who_decides(world, users, places):
    officer = users["street_officer"]
    contract = make_contract(world.project, by=officer)
    first = contract.milestones.get(sequence=1)
    with pytest.raises(PermissionDenied):
        deliver(first, officer)  # the funder does not deliver
    with pytest.raises(PermissionDenied):
        deliver(first, world.other_org_user)
    delivered = deliver(first, world.org_user)
    with pytest.raises(PermissionDenied):
        services.milestone_accept(milestone=delivered, by=world.org_user)
    with pytest.raises(PermissionDenied):
        services.milestone_accept(milestone=delivered, by=users["other_street_officer"])
    # A foundation's account accepts only its own funder's milestones.
    foundation_user = make_funder_user(make_funder(places.district))
    with pytest.raises(PermissionDenied):
        services.milestone_accept(milestone=delivered, by=foundation_user)


def test_whoever_delivered_may_not_accept(world):
    """The four-eyes rule, on a project a superuser-less system could make both sides of."""
    contract = make_contract(world.project)
    first = contract.milestones.get(sequence=1)
    delivered = deliver(first, world.org_user)
    from projects.permissions import may_decide_milestone

    allowed, _reason = may_decide_milestone(world.org_user, delivered)
    assert not allowed


def test_double_submission_and_double_acceptance_are_one_step(world, users):
    officer = users["street_officer"]
    first = make_contract(world.project, by=officer).milestones.get(sequence=1)
    deliver(first, world.org_user)
    with pytest.raises(StaleTransition):
        deliver(first, world.org_user)  # the same page clicked twice
    services.milestone_accept(milestone=first, by=officer)
    with pytest.raises(StaleTransition):
        services.milestone_accept(milestone=first, by=officer)
    assert (
        AuditRecord.objects.filter(
            content_type__model="milestone", object_id=str(first.pk), action="transition"
        ).count()
        == 2
    )


# ------------------------------------------------------------------------------------------ pages


def test_contract_pages_set_up_show_and_amend(world, users, client_for, client_as):
    client = client_for("street_officer")
    add_url = reverse("projects:contract_add", args=[world.project.pk])
    assert client.get(add_url).status_code == 200
    form = {
        "number": "BS-2026-01",
        "procurement_method": "single_source",
        "signed_on": "2026-01-05",
        "amount": "120000.00",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "m-TOTAL_FORMS": "3",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "20",
        "m-0-deliverable": "服务方案",
        "m-0-due_date": "2026-03-31",
        "m-0-share": "50",
        "m-1-deliverable": "结项报告",
        "m-1-due_date": "2027-03-31",
        "m-1-share": "40",
    }
    page = client.post(add_url, form).content.decode()
    assert "100%" in page and "2027年3月31日" in page  # both refusals shown, nothing written
    assert not Contract.objects.filter(project=world.project).exists()
    form.update({"m-1-due_date": "2026-12-01", "m-1-share": "50"})
    response = client.post(add_url, form, follow=True)
    contract = Contract.objects.get(project=world.project)
    assert response.redirect_chain[-1][0] == contract.get_absolute_url()
    assert "高于项目金额" in response.content.decode()  # 120,000 above the project's 100,000
    # The project page's panel: planned, paid, still to pay.
    project_page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    assert 'id="tranche-planned">120,000.00' in project_page and 'id="tranche-balance">120,000.00' in project_page
    assert "BS-2026-01" in project_page
    # An amendment through the page.
    amend_url = reverse("projects:contract_amend", args=[contract.pk])
    assert client.get(amend_url).status_code == 200
    first, second = contract.milestones.order_by("sequence")
    amend = {
        **{k: v for k, v in form.items() if not k.startswith("m-")},
        "amount": "100000.00",
        "amendment_reason": "按项目金额调整",
        "m-TOTAL_FORMS": "2",
        "m-INITIAL_FORMS": "2",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "20",
        "m-0-previous": str(first.pk),
        "m-0-deliverable": first.deliverable,
        "m-0-due_date": "2026-03-31",
        "m-0-share": "60",
        "m-1-previous": str(second.pk),
        "m-1-deliverable": second.deliverable,
        "m-1-due_date": "2026-12-01",
        "m-1-share": "40",
    }
    response = client.post(amend_url, amend, follow=True)
    amended = Contract.objects.get(project=world.project, is_current=True)
    assert amended.version == 2 and response.redirect_chain[-1][0] == amended.get_absolute_url()
    assert list(amended.milestones.values_list("amount", flat=True).order_by("sequence")) == [
        Decimal("60000.00"),
        Decimal("40000.00"),
    ]
    # Who may not: the organization, the other district; a replaced version is not amended.
    assert client_as(world.org_user).get(amend_url).status_code in (403, 404)
    assert (
        client_for("other_district_staff").get(reverse("projects:contract_amend", args=[amended.pk])).status_code == 404
    )
    assert client.get(amend_url).status_code == 403


def test_milestone_page_delivers_and_accepts(world, users, client_for, client_as):
    officer = users["street_officer"]
    first = make_contract(world.project, by=officer).milestones.get(sequence=1)
    org = client_as(world.org_user)
    page = org.get(first.get_absolute_url()).content.decode()
    assert 'name="reason"' in page and "transition-submit" in page
    url = reverse("projects:milestone_action", args=[first.pk, "submit"])
    org.post(url, {"reason": "提交服务方案"})
    org.post(url, {"reason": "提交服务方案"})  # double click: one step
    first.refresh_from_db()
    assert first.status == "submitted"
    assert (
        AuditRecord.objects.filter(
            content_type__model="milestone", object_id=str(first.pk), action="transition"
        ).count()
        == 1
    )
    home = client_for("street_officer").get("/").content.decode()
    assert "待我验收的合同节点" in home
    listing = client_for("street_officer").get(reverse("projects:milestone_list"), {"awaiting_me": "true"})
    assert [m.pk for m in listing.context["table"].data] == [first.pk]
    client_for("street_officer").post(reverse("projects:milestone_action", args=[first.pk, "accept"]))
    first.refresh_from_db()
    assert first.status == "accepted" and first.reviewed_by == officer
    # Another district's clerk: as if it did not exist.
    assert client_for("other_district_staff").get(first.get_absolute_url()).status_code == 404


def test_lists_filter_and_export(world, users, client_for):
    make_contract(world.project, by=users["street_officer"], number="BS-EXPORT-1")
    client = client_for("bureau_viewer")
    for name in ("projects:contract_list", "projects:milestone_list"):
        response = client.get(reverse(name), {"export": "xlsx"})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert "BS-EXPORT-1" in client.get(reverse("projects:contract_list"), {"q": "BS-EXP"}).content.decode()
    assert (
        "BS-EXPORT-1" not in client_for("other_district_staff").get(reverse("projects:contract_list")).content.decode()
    )


def test_an_image_contract_file_is_accepted(world):
    contract = services.contract_create(
        project=world.project, by=None, file=upload("扫描件.jpg", JPG), **contract_data(world.project)
    )
    assert contract.file_name == "扫描件.jpg" and contract.file.name.endswith(".jpg")


@pytest.mark.parametrize(
    "url",
    ["/projects/contracts/", "/projects/milestones/", "/projects/payments/", "/projects/funders/", "/projects/",
     "/api/v1/contracts/", "/api/v1/milestones/", "/api/v1/payments/", "/api/v1/funders/"],
)  # fmt: skip
def test_lists_do_not_grow_their_queries_with_rows(world, users, places, client_for, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.testing import assert_num_queries

    from .factories import make_project

    def contract_with_payment(project):
        first = make_contract(project).milestones.get(sequence=1)
        pay(accept(first, world.org_user), amount="1000.00")

    contract_with_payment(world.project)
    client = client_for("bureau_staff")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for n in range(3):
        contract_with_payment(make_project(world.org, make_funder(places.district, name=f"基金会{n}")))
    with assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
