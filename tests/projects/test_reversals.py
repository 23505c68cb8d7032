"""Expenditure corrections (红冲): a wrong expenditure is cancelled by a negative counter-entry that
names it, never edited or deleted; every balance and total counts both."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.choices import Role
from core.models import AuditRecord
from core.testing import run_concurrently, split_outcomes
from projects import services
from projects.models import Expenditure
from projects.rules import budget_line_balance, expenditure_check
from projects.selectors import budget_totals, project_budget_rows

from ..accounts.factories import make_city, make_user
from .factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with override("zh-hans"):
        yield


def spend(world, amount="1000.00", day=dt.date(2026, 2, 1), line="活动费", **extra):
    return services.expenditure_create(
        project=world.project,
        by=world.org_user,
        budget_line=world.project.budget_lines.get(name=line),
        date=day,
        amount=amount,
        payee="便民超市",
        voucher_number=extra.pop("voucher_number", "PZ-001"),
        **extra,
    )


def messages(error, field):
    return " ".join(error.message_dict[field])


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    return client


def accept_quarter(world, quarter):
    make_entry(world.project, world.org_user, submit=True, date=dt.date(2026, 3 * quarter - 1, 10))
    submission = services.quarterly_submission_submit(
        project=world.project, by=world.org_user, year=2026, quarter=quarter, narrative="季度工作情况"
    )
    services.quarterly_submission_accept(submission=submission, by=world.street_officer)


# ------------------------------------------------------------------------------------- service


def test_a_reversal_is_the_negative_counter_entry_naming_the_original(world):
    original = spend(world, "1200.50", purpose="活动物料")
    line = original.budget_line
    assert budget_line_balance(line) == Decimal("58799.50")
    reversal = services.expenditure_reverse(by=world.org_user, expenditure=original, reason="发票重复入账")
    assert reversal.amount == Decimal("-1200.50") and reversal.reverses == original
    assert reversal.budget_line == line and reversal.project == world.project
    assert reversal.voucher_number == "红冲-PZ-001" and reversal.payee == original.payee
    assert reversal.reversal_reason == "发票重复入账"
    assert reversal.date == min(timezone.localdate(), world.project.end_date)
    assert reversal.created_by == world.org_user
    # The original is untouched; the balance counts both.
    original.refresh_from_db()
    assert original.amount == Decimal("1200.50") and original.reversal == reversal
    assert budget_line_balance(line) == Decimal("60000.00")
    rows = {row["line"].name: row for row in project_budget_rows(world.project)}
    assert rows["活动费"]["spent"] == Decimal("0.00") and rows["活动费"]["balance"] == Decimal("60000.00")
    assert budget_totals(list(rows.values()))["spent"] == Decimal("0.00")
    record = AuditRecord.objects.get(object_id=str(reversal.pk), content_type__model="expenditure")
    assert record.action == "create" and "发票重复入账" in record.message and "红冲" in record.message


def test_a_reversal_frees_the_balance_for_the_workbook_check_and_by_hand(world):
    original = spend(world, "60000.00")  # the whole line
    line = original.budget_line
    _cleaned, errors = expenditure_check(
        world.project, budget_line=line, date=dt.date(2026, 2, 3), amount="10", payee="店", voucher_number="2"
    )
    assert "超出" in errors["amount"]
    services.expenditure_reverse(by=world.org_user, expenditure=original, reason="金额录错")
    _cleaned, errors = expenditure_check(
        world.project, budget_line=line, date=dt.date(2026, 2, 3), amount="60000", payee="店", voucher_number="2"
    )
    assert errors == {}
    spend(world, "60000.00", voucher_number="PZ-002")
    assert budget_line_balance(line) == Decimal("0.00")


def test_a_reversal_cannot_be_reversed_nor_an_expenditure_reversed_twice(world):
    original = spend(world)
    reversal = services.expenditure_reverse(by=world.org_user, expenditure=original, reason="重复")
    with pytest.raises(ValidationError) as error:
        services.expenditure_reverse(by=world.org_user, expenditure=original, reason="再次")
    assert "已于" in messages(error.value, "expenditure") and "红冲-PZ-001" in messages(error.value, "expenditure")
    with pytest.raises(ValidationError) as error:
        services.expenditure_reverse(by=world.org_user, expenditure=reversal, reason="冲红冲")
    assert "红冲记录不能再被红冲" in messages(error.value, "expenditure")
    assert Expenditure.objects.filter(project=world.project).count() == 2
    # The database holds it too: a second row naming the same original is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.create(
            project=world.project,
            budget_line=original.budget_line,
            date=original.date,
            amount=-original.amount,
            payee="x",
            voucher_number="x",
            reverses=original,
        )
    # And a reversal is negative exactly when it names an original.
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.create(
            project=world.project, budget_line=original.budget_line, date=original.date, amount="-1", payee="x"
        )


@pytest.mark.django_db(transaction=True)
def test_a_double_click_reverses_once(world):
    original = spend(world)
    results = run_concurrently(
        lambda: services.expenditure_reverse(by=world.org_user, expenditure=original, reason="重复入账"),
        lambda: services.expenditure_reverse(by=world.org_user, expenditure=original, reason="重复入账"),
    )
    winners, losers = split_outcomes(results)
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], ValidationError)
    assert Expenditure.objects.filter(reverses=original).count() == 1


def test_only_the_organization_reverses_while_its_ledger_is_open(world, users, places):
    original = spend(world)
    city_admin = make_user(Role.BUREAU_ADMIN, make_city())
    for user in (
        world.other_org_user,
        users["street_officer"],
        users["bureau_admin"],
        users["bureau_staff"],
        users["other_district_admin"],
        city_admin,
    ):
        with pytest.raises(PermissionDenied):
            services.expenditure_reverse(by=user, expenditure=original, reason="错记")
    services.project_transition(project=world.project, by=None, name="terminate", reason="资金撤回")
    with pytest.raises(ValidationError) as error:
        services.expenditure_reverse(by=world.org_user, expenditure=original, reason="错记")
    assert "台账未开放" in messages(error.value, "project")
    assert not Expenditure.objects.filter(reverses=original).exists()


@pytest.mark.parametrize(
    ("reason", "day", "field", "words"),
    [
        ("", None, "reason", "红冲原因"),
        ("   ", None, "reason", "红冲原因"),
        ("原因" * 1001, None, "reason", "红冲原因"),
        ("错记", dt.date(2026, 1, 31), "date", "早于"),  # before the original
        ("错记", dt.date(2027, 1, 5), "date", "超出项目周期"),
        ("错记", dt.date(2099, 3, 1), "date", "超出项目周期"),
    ],
)
def test_malformed_reversals_are_refused_naming_the_field(world, reason, day, field, words):
    original = spend(world)
    with pytest.raises(ValidationError) as error:
        services.expenditure_reverse(by=world.org_user, expenditure=original, reason=reason, date=day)
    assert words in messages(error.value, field)
    assert not Expenditure.objects.filter(reverses=original).exists()


def test_a_future_date_is_refused(world):
    original = spend(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    if not world.project.covers(tomorrow):
        pytest.skip("the test project's period has ended")
    with pytest.raises(ValidationError) as error:
        services.expenditure_reverse(by=world.org_user, expenditure=original, reason="错记", date=tomorrow)
    assert "将来" in messages(error.value, "date")


def test_an_accepted_quarter_stays_locked_the_reversal_goes_into_an_open_quarter(world):
    original = spend(world, day=dt.date(2026, 2, 1))
    accept_quarter(world, 1)
    with pytest.raises(ValidationError) as error:
        services.expenditure_reverse(by=world.org_user, expenditure=original, reason="错记", date=dt.date(2026, 3, 31))
    assert "2026年第一季度" in messages(error.value, "date") and "锁定" in messages(error.value, "date")
    reversal = services.expenditure_reverse(
        by=world.org_user, expenditure=original, reason="错记", date=dt.date(2026, 4, 1)
    )
    assert reversal.date == dt.date(2026, 4, 1) and reversal.amount == -original.amount


# --------------------------------------------------------------------------- no edit, no delete


def test_no_page_or_route_edits_or_deletes_an_expenditure(world, client_for):
    original = spend(world)
    for name in ("expenditure_edit", "expenditure_delete", "expenditure_update"):
        with pytest.raises(NoReverseMatch):
            reverse(f"projects:{name}", args=[original.pk])
    client = api_client(world.org_user)
    url = f"/api/v1/expenditures/{original.pk}/"
    assert client.put(url, {"amount": "1"}, format="json").status_code == 405
    assert client.patch(url, {"amount": "1"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    admin = client_for("bureau_admin")
    assert admin.post(f"/admin/projects/expenditure/{original.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert admin.post(f"/admin/projects/expenditure/{original.pk}/change/", {"amount": "1"}).status_code == 403
    original.refresh_from_db()
    assert original.amount == Decimal("1000.00") and Expenditure.objects.filter(pk=original.pk).exists()


# ------------------------------------------------------------------------------------------ pages


def test_the_organization_reverses_from_the_expenditure_page(world, client_as):
    original = spend(world)
    client = client_as(world.org_user)
    page = client.get(original.get_absolute_url()).content.decode()
    reverse_url = reverse("projects:expenditure_reverse", args=[original.pk])
    assert f'href="{reverse_url}"' in page
    assert "红冲原因" in client.get(reverse_url).content.decode()
    response = client.post(reverse_url, {"reason": "发票重复入账", "date": ""})
    assert response.status_code == 302 and response["Location"] == original.get_absolute_url()
    reversal = Expenditure.objects.get(reverses=original)
    page = client.get(original.get_absolute_url()).content.decode()
    assert 'id="reversed-by"' in page and reversal.get_absolute_url() in page and "发票重复入账" in page
    assert f'href="{reverse_url}"' not in page and 'id="why-not-reverse"' in page
    page = client.get(reversal.get_absolute_url()).content.decode()
    assert 'id="reversal-of"' in page and original.get_absolute_url() in page and "-1,000.00" in page
    # A second submission of the form: refused with the reason, nothing written.
    page = client.post(reverse_url, {"reason": "再次"}).content.decode()
    assert "已于" in page and Expenditure.objects.filter(project=world.project).count() == 2


def test_the_reversal_form_refuses_malformed_input_naming_the_field(world, client_as):
    original = spend(world)
    url = reverse("projects:expenditure_reverse", args=[original.pk])
    page = client_as(world.org_user).post(url, {"reason": "", "date": "2026-13-45"}).content.decode()
    assert "红冲原因" in page and "红冲日期" in page and 'id="form-errors"' in page
    page = client_as(world.org_user).post(url, {"reason": "错记", "date": "2026-01-15"}).content.decode()
    assert "早于" in page
    assert not Expenditure.objects.filter(reverses=original).exists()


def test_reversal_pages_refuse_other_roles_and_other_organizations(world, client_as, client_for):
    original = spend(world)
    url = reverse("projects:expenditure_reverse", args=[original.pk])
    assert client_as(world.other_org_user).get(url).status_code == 404
    assert client_as(world.other_org_user).post(url, {"reason": "x"}).status_code == 404
    assert client_for("other_district_admin").get(url).status_code == 404
    assert client_for("bureau_staff").post(url, {"reason": "x"}).status_code == 403
    assert client_for("bureau_admin").post(url, {"reason": "x"}).status_code == 403
    assert client_for("street_officer").get(url).status_code == 403
    assert client_as(world.other_org_user).get(original.get_absolute_url()).status_code == 404
    assert client_for("bureau_viewer").get(original.get_absolute_url()).status_code == 200
    assert url not in client_for("bureau_viewer").get(original.get_absolute_url()).content.decode()
    assert not Expenditure.objects.filter(reverses=original).exists()


def test_the_list_marks_and_links_both_and_totals_count_both(world, client_as):
    original = spend(world, "1000.00")
    spend(world, "300.00", voucher_number="PZ-002", line="人员费")
    reversal = services.expenditure_reverse(by=world.org_user, expenditure=original, reason="错记")
    client = client_as(world.org_user)
    page = client.get(reverse("projects:expenditure_list")).content.decode()
    assert 'class="reverses-link"' in page and 'class="reversal-link"' in page
    assert f'href="{original.get_absolute_url()}" class="reverses-link"' in page
    assert f'href="{reversal.get_absolute_url()}" class="reversal-link"' in page
    assert "300.00" in page.split("<tfoot")[1]  # the list's total: 1000 − 1000 + 300
    only = client.get(reverse("projects:expenditure_list"), {"correction": "reversal"})
    assert [row.record for row in only.context["table"].page.object_list] == [reversal]
    project_page = client.get(world.project.get_absolute_url()).content.decode()
    assert "300.00" in project_page.split('id="budget-table"')[1].split("</tfoot>")[0].split("<tfoot>")[1]


def test_the_export_names_the_reversed_entry(world, client_as):
    original = spend(world, "1000.00")
    services.expenditure_reverse(by=world.org_user, expenditure=original, reason="重复入账")
    response = client_as(world.org_user).get(reverse("projects:expenditure_list") + "?export=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(rows) if "红冲对象" in row)
    header = rows[header_index]
    body = [dict(zip(header, row, strict=False)) for row in rows[header_index + 1 :] if any(row)]
    reversal_row = next(r for r in body if r["金额（元）"] == -1000)
    original_row = next(r for r in body if r["金额（元）"] == 1000)
    assert reversal_row["红冲对象"] == "2026-02-01 PZ-001" and reversal_row["红冲原因"] == "重复入账"
    assert original_row["红冲记录"].endswith("红冲-PZ-001") and not original_row["红冲对象"]


# -------------------------------------------------------------------------------------------- API


def test_the_api_reverses_once_for_the_organization_only(world, users):
    original = spend(world)
    url = f"/api/v1/expenditures/{original.pk}/reverse/"
    assert api_client(users["bureau_staff"]).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api_client(world.other_org_user).post(url, {"reason": "x"}, format="json").status_code == 404
    refused = api_client(world.org_user).post(url, {"reason": ""}, format="json")
    assert refused.status_code == 400 and "红冲原因" in refused.json()["errors"]["reason"][0]
    refused = api_client(world.org_user).post(url, {"reason": "错记", "date": "不是日期"}, format="json")
    assert refused.status_code == 400 and "date" in refused.json()["errors"]
    response = api_client(world.org_user).post(url, {"reason": "重复入账"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["amount"] == "-1000.00" and body["reverses"] == original.pk and body["reversal_reason"] == "重复入账"
    again = api_client(world.org_user).post(url, {"reason": "重复入账"}, format="json")
    assert again.status_code == 400 and "已于" in again.json()["errors"]["expenditure"][0]
    detail = api_client(world.org_user).get(f"/api/v1/expenditures/{original.pk}/").json()
    assert detail["reversal"] == body["id"]
