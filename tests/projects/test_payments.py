"""Payments (拨付): only against accepted milestones, never beyond the tranche, reversed by a
counter-entry once; planned vs received on the project page, in the exports and the API."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override

from core.models import AuditRecord
from projects import services
from projects.models import Payment
from projects.tranches import contract_panel

from .factories import make_project
from .purchase import accept, deliver, make_contract, make_funder, make_funder_user, pay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


@pytest.fixture
def contract(world, users):
    return make_contract(world.project, by=users["street_officer"])


def milestones(contract):
    return list(contract.milestones.order_by("sequence"))


def refusal(error, field) -> str:
    return " ".join(error.value.message_dict[field])


def test_payment_only_against_an_accepted_milestone(world, users, contract):
    officer = users["street_officer"]
    first, *_rest = milestones(contract)
    with pytest.raises(ValidationError) as error:
        pay(first, by=officer)
    assert "节点" in refusal(error, "milestone") and "未交付" in refusal(error, "milestone")
    delivered = deliver(first, world.org_user)
    with pytest.raises(ValidationError) as error:
        pay(delivered, by=officer)
    assert "已验收" in refusal(error, "milestone")
    accepted = services.milestone_accept(milestone=delivered, by=officer)
    payment = pay(accepted, by=officer, amount="30000.00")
    assert payment.amount == Decimal("30000.00") and payment.project == world.project
    assert AuditRecord.objects.filter(content_type__model="payment", object_id=str(payment.pk)).exists()


def test_overpayment_is_refused_partial_payments_add_up(world, users, contract):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    pay(first, by=officer, amount="20000.00", reference="ZF-1")
    with pytest.raises(ValidationError) as error:
        pay(first, by=officer, amount="10000.01", reference="ZF-2")
    text = refusal(error, "amount")
    assert "30,000.01" in text and "30,000.00" in text and "10,000.00" in text  # total, tranche, still to pay
    pay(first, by=officer, amount="10000.00", reference="ZF-3")
    panel = contract_panel(world.project)
    assert panel["paid"] == Decimal("30000.00") and panel["balance"] == Decimal("70000.00")
    assert panel["rows"][0]["balance"] == Decimal("0.00")


def test_the_same_payment_twice_is_refused(world, users, contract):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    pay(first, by=officer, amount="10000.00", reference="ZF-0042")
    with pytest.raises(ValidationError) as error:
        pay(first, by=officer, amount="10000.00", reference="ZF-0042")  # a double click
    assert "ZF-0042" in refusal(error, "reference")
    assert Payment.objects.filter(milestone=first).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("amount", "0", "大于零"),
        ("amount", "-5", "大于零"),
        ("paid_on", dt.date(2099, 1, 1), "将来"),
        ("paid_on", dt.date(2025, 12, 1), "签订"),
        ("reference", " ", "拨付凭证号"),
    ],
)
def test_payment_fields_are_checked(world, users, contract, field, value, words):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    data = {"paid_on": dt.date(2026, 4, 1), "amount": "100.00", "reference": "ZF-9"} | {field: value}
    with pytest.raises(ValidationError) as error:
        services.payment_record(milestone=first, by=officer, **data)
    assert words in refusal(error, field)


def test_a_payment_may_predate_a_later_amendment(world, users, contract):
    """Paid after the first signing, recorded after an amendment signed later: the first signing counts."""
    officer = users["street_officer"]
    accept(milestones(contract)[0], world.org_user, officer)
    specs = [
        {"previous": m.pk, "deliverable": m.deliverable, "due_date": m.due_date, "share": m.share}
        for m in milestones(contract)
    ]
    amended = services.contract_amend(
        contract=contract, by=officer, reason="补充协议", signed_on=dt.date(2026, 6, 1), milestones=specs
    )
    first = amended.milestones.get(sequence=1)
    assert pay(first, by=officer, paid_on=dt.date(2026, 3, 1)).paid_on == dt.date(2026, 3, 1)
    with pytest.raises(ValidationError) as error:
        pay(first, by=officer, amount="1.00", paid_on=dt.date(2026, 1, 1))
    assert "2026年1月5日" in refusal(error, "paid_on")


def test_reversal_names_the_payment_once(world, users, contract):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    payment = pay(first, by=officer, amount="30000.00")
    reversal = services.payment_reverse(payment=payment, by=officer, reason="重复拨付，已退回")
    assert reversal.amount == Decimal("-30000.00") and reversal.reverses == payment
    assert reversal.remarks == "重复拨付，已退回"
    payment.refresh_from_db()
    assert payment.amount == Decimal("30000.00")  # never edited
    with pytest.raises(ValidationError) as error:
        services.payment_reverse(payment=payment, by=officer, reason="再冲一次")
    assert "已于" in refusal(error, "reverses")
    with pytest.raises(ValidationError) as error:
        services.payment_reverse(payment=reversal, by=officer, reason="冲红冲")
    assert "红冲" in refusal(error, "reverses")
    assert contract_panel(world.project)["paid"] == Decimal("0.00")
    # The tranche is open again: the right payment can be recorded.
    pay(first, by=officer, amount="30000.00", reference="ZF-RIGHT")
    assert contract_panel(world.project)["paid"] == Decimal("30000.00")
    with pytest.raises(ValidationError):
        services.payment_reverse(payment=payment, by=officer, reason=" ")


def test_who_records_payments(world, users, places, contract):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    for user in (world.org_user, users["bureau_viewer"], users["other_street_officer"], users["other_district_staff"]):
        with pytest.raises(PermissionDenied):
            pay(first, by=user)
    other_foundation_user = make_funder_user(make_funder(places.district, name="他人基金会"))
    with pytest.raises(PermissionDenied):
        pay(first, by=other_foundation_user)
    payment = pay(first, by=officer)
    with pytest.raises(PermissionDenied):
        services.payment_reverse(payment=payment, by=world.org_user, reason="不是我的事")


def test_a_foundation_account_pays_its_own_project(world, places):
    foundation = make_funder(places.district, name="西湖公益基金会")
    foundation_user = make_funder_user(foundation)
    project = make_project(world.org, foundation, title="基金会资助项目")
    first = milestones(make_contract(project))[0]
    accepted = accept(first, world.org_user, foundation_user)
    assert accepted.reviewed_by == foundation_user
    assert pay(accepted, by=foundation_user).created_by == foundation_user


def test_payment_pages(world, users, client_for, client_as, contract):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    add_url = reverse("projects:payment_add", args=[first.pk])
    client = client_for("street_officer")
    assert client.get(add_url).status_code == 200
    form = {"paid_on": "2026-04-10", "amount": "12000.00", "reference": "ZF-PAGE-1", "remarks": "首期部分"}
    response = client.post(add_url, form, follow=True)
    assert response.redirect_chain[-1][0] == first.get_absolute_url()
    response = client.post(add_url, form)  # the same form posted again
    assert "ZF-PAGE-1" in response.content.decode() and Payment.objects.count() == 1
    page = client_as(world.org_user).get(world.project.get_absolute_url()).content.decode()
    assert 'id="tranche-paid">12,000.00' in page and 'id="tranche-balance">88,000.00' in page
    # A milestone not accepted: the page refuses with the rule's words.
    second = milestones(contract)[1]
    response = client.post(reverse("projects:payment_add", args=[second.pk]), {**form, "reference": "ZF-PAGE-2"})
    assert "已验收" in response.content.decode()
    # Reversal through its page.
    payment = Payment.objects.get()
    reverse_url = reverse("projects:payment_reverse", args=[payment.pk])
    assert client.get(reverse_url).status_code == 200
    client.post(reverse_url, {"reason": "金额录错"})
    assert Payment.objects.filter(reverses=payment, amount=Decimal("-12000.00")).exists()
    # Wrong role 403, other district 404.
    assert client_as(world.org_user).get(add_url).status_code == 403
    assert client_for("other_district_staff").get(add_url).status_code == 404


def test_project_export_and_payment_list(world, users, client_for, contract):
    officer = users["street_officer"]
    first = accept(milestones(contract)[0], world.org_user, officer)
    pay(first, by=officer, amount="30000.00", reference="ZF-EXP")
    response = client_for("bureau_viewer").get(reverse("projects:project_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "合同编号" in r)
    row = next(r for r in rows if r and world.project.code in r)
    assert row[header.index("合同编号")] == contract.number
    assert row[header.index("合同金额（元）")] == 100000
    assert row[header.index("已拨付（元）")] == 30000
    page = client_for("bureau_viewer").get(reverse("projects:project_list")).content.decode()
    assert "合同编号" not in page  # the page stays compact; the export carries the contract
    response = client_for("bureau_viewer").get(reverse("projects:payment_list"), {"export": "xlsx"})
    assert response.status_code == 200
    listing = client_for("street_officer").get(reverse("projects:payment_list"), {"q": "ZF-EXP"})
    assert len(listing.context["table"].data) == 1
    assert "ZF-EXP" not in client_for("other_district_staff").get(reverse("projects:payment_list")).content.decode()


def test_api_contract_create_and_payments(world, users, client_for):
    api = client_for("street_officer")
    body = {
        "project": world.project.pk,
        "number": "API-HT-1",
        "procurement_method": "public_tender",
        "signed_on": "2026-01-05",
        "amount": "90000.00",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "milestones": [
            {"deliverable": "方案", "due_date": "2026-03-31", "share": "50"},
            {"deliverable": "结项", "due_date": "2026-12-01", "share": "40"},
        ],
    }
    response = api.post("/api/v1/contracts/", body, content_type="application/json")
    assert response.status_code == 400 and "100%" in str(response.json()["errors"]["milestones"])
    body["milestones"][1]["share"] = "50"
    response = api.post("/api/v1/contracts/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert [m["amount"] for m in data["milestones"]] == ["45000.00", "45000.00"]
    assert data["milestones"][0]["transitions"][0]["name"] == "submit"
    milestone_id = data["milestones"][0]["id"]
    assert client_for("other_district_staff").get(f"/api/v1/contracts/{data['id']}/").status_code == 404
    # The organization delivers through the API, the funder accepts and pays.
    org = client_for("street_officer").__class__()
    org.force_login(world.org_user)
    step = org.post(
        f"/api/v1/milestones/{milestone_id}/transition/",
        {"name": "submit", "reason": "方案已交付"},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == "submitted"
    refused = api.post(
        "/api/v1/payments/",
        {"milestone": milestone_id, "paid_on": "2026-04-01", "amount": "45000.00", "reference": "API-ZF"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "已验收" in str(refused.json()["errors"])
    api.post(f"/api/v1/milestones/{milestone_id}/transition/", {"name": "accept"}, content_type="application/json")
    paid = api.post(
        "/api/v1/payments/",
        {"milestone": milestone_id, "paid_on": "2026-04-01", "amount": "45000.00", "reference": "API-ZF"},
        content_type="application/json",
    )
    assert paid.status_code == 201
    listing = api.get("/api/v1/payments/").json()
    assert [p["reference"] for p in listing["results"]] == ["API-ZF"]
    reversal = api.post(
        f"/api/v1/payments/{paid.json()['id']}/reverse/", {"reason": "录错"}, content_type="application/json"
    )
    assert reversal.status_code == 201 and reversal.json()["amount"] == "-45000.00"
    again = api.post(
        f"/api/v1/payments/{paid.json()['id']}/reverse/", {"reason": "录错"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert org.post("/api/v1/payments/", {}, content_type="application/json").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_payment_and_one_reversal(world, users):
    from core.testing import run_concurrently, split_outcomes

    officer = users["street_officer"]
    contract = make_contract(world.project, by=officer)
    first = accept(milestones(contract)[0], world.org_user, officer)

    def click():
        return pay(first, by=officer, amount="20000.00", reference="ZF-CLICK")

    winners, losers = split_outcomes(run_concurrently(click, click))
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], ValidationError)
    assert Payment.objects.filter(milestone=first).count() == 1

    def reverse_it():
        return services.payment_reverse(payment=winners[0], by=officer, reason="录错")

    winners, losers = split_outcomes(run_concurrently(reverse_it, reverse_it))
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], ValidationError)
    assert Payment.objects.filter(reverses__isnull=False).count() == 1
