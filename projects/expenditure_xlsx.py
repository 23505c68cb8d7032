"""The expenditure workbook: the template a treasurer fills (日期, 预算科目, 金额, 收款方, 摘要, 凭证号)
and the dry run of an uploaded one. Read through the tolerant reader (core.sheet_reader), like the
ledger workbook; every row is judged by the rules of a single expenditure (rules.expenditure_check,
the same as expenditure_create), the balance of each budget line running down the rows in order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import sheet_reader
from core.sheet_reader import Column, Elsewhere, Table, TableRead
from core.xlsx import Sheet

from .choices import BudgetCategory
from .ledger_xlsx import read_template_table
from .models import BudgetLine, Project
from .money import format_yuan
from .rules import budget_line_balance, expenditure_check

COLUMNS = (
    Column(
        "date",
        pgettext_lazy("expenditure workbook", "Date"),
        synonyms=("日期", "支出日期", "付款日期", "报销日期", "时间"),
        required=True,
    ),
    Column(
        "budget_line",
        pgettext_lazy("expenditure workbook", "Budget line"),
        synonyms=("预算科目", "科目", "预算项目", "支出科目", "费用科目", "费用类别", "预算类别"),
        required=True,
    ),
    Column(
        "amount",
        pgettext_lazy("expenditure workbook", "Amount"),
        synonyms=("金额", "金额元", "支出金额", "报销金额", "付款金额", "实付金额"),
        required=True,
    ),
    Column(
        "payee",
        pgettext_lazy("expenditure workbook", "Payee"),
        synonyms=("收款方", "收款人", "收款单位", "领款人", "付款对象"),
        required=True,
    ),
    Column(
        "purpose",
        pgettext_lazy("expenditure workbook", "Summary"),
        synonyms=("摘要", "用途", "事由", "支出事由", "摘要说明", "说明", "备注"),
    ),
    Column(
        "voucher_number",
        pgettext_lazy("expenditure workbook", "Voucher number"),
        synonyms=("凭证号", "凭证编号", "票据号", "发票号", "单据号", "凭证"),
        required=True,
    ),
)
EXPENDITURE_TABLE = Table(
    columns=COLUMNS,
    elsewhere=(
        Elsewhere(
            ("活动名称", "活动主题", "参与人数", "受益人数", "志愿者人数", "志愿服务时长", "活动地点"),
            pgettext_lazy(
                "expenditure workbook",
                "Column “%(column)s” is not read by the expenditure upload: activities belong to the ledger upload.",
            ),
        ),
    ),
)


def expenditure_sheets(project: Project) -> list[Sheet]:
    """The empty expenditure sheet and a sheet listing the project's budget lines and balances."""
    lines = [
        [line.name, line.get_category_display(), line.amount, budget_line_balance(line)]
        for line in project.budget_lines.order_by("category", "pk")
    ]
    return [
        Sheet(pgettext_lazy("expenditure workbook", "Expenditures"), [str(c.label) for c in COLUMNS], []),
        Sheet(
            pgettext_lazy("expenditure workbook", "Budget lines"),
            [
                pgettext_lazy("expenditure workbook", "Budget line"),
                _("category"),
                _("amount (yuan)"),
                pgettext_lazy("expenditure workbook", "Balance (yuan)"),
            ],
            lines,
            formats=[None, None, "#,##0.00", "#,##0.00"],
        ),
    ]


def read_expenditure_table(upload) -> TableRead:
    return read_template_table(
        upload, EXPENDITURE_TABLE, what=pgettext_lazy("expenditure workbook", "expenditure sheet")
    )


def read_expenditure_workbook(upload) -> list[tuple[int, dict]]:
    return read_expenditure_table(upload).rows


def _key(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()


class LineFinder:
    """A project's budget line as a treasurer names it: its name, “category · name”, or its
    category when the project has one line of that category."""

    def __init__(self, project: Project):
        self.lines = list(project.budget_lines.order_by("category", "pk"))
        self.by_key: dict[str, BudgetLine | None] = {}
        for line in self.lines:
            self.by_key[_key(line.name)] = line
            self.by_key[_key(str(line))] = line
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for category in BudgetCategory:
                    of_category = [line for line in self.lines if line.category == category.value]
                    for key in (_key(category.label), _key(category.value)):
                        self.by_key.setdefault(key, of_category[0] if len(of_category) == 1 else None)

    def find(self, text) -> BudgetLine | None:
        return self.by_key.get(_key(text))

    def names(self) -> str:
        return "、".join(line.name for line in self.lines)


@dataclass
class PlannedExpenditure:
    number: int
    data: dict = field(default_factory=dict)  # expenditure_create's arguments, when valid
    shown: dict = field(default_factory=dict)  # what was read, for the dry run
    errors: dict = field(default_factory=dict)  # field → message
    balance_after: Decimal | None = None

    @property
    def error_text(self) -> str:
        return "；".join(self.errors.values())

    @property
    def balance_after_text(self) -> str:
        return format_yuan(self.balance_after) if self.balance_after is not None else ""


def plan_expenditure_upload(project: Project, rows: list[tuple[int, dict]]) -> list[PlannedExpenditure]:
    """The dry run: each row's expenditure, or its errors. Nothing is written. Rows spend from
    their budget line in order, so the second of two rows that together overspend is refused with
    the balance left after the first."""
    lines = LineFinder(project)
    left = {line.pk: budget_line_balance(line) for line in lines.lines}  # each line's balance, row by row
    plan = []
    for number, raw in rows:
        errors = {}
        try:
            day = sheet_reader.parse_date(raw.get("date"))
        except ValueError as problem:
            day, errors["date"] = None, _("Date: %(problem)s.") % {"problem": problem}
        try:
            amount = sheet_reader.parse_amount(raw.get("amount"), suffixes=("元",))
        except ValueError as problem:
            amount, errors["amount"] = None, _("Amount: %(problem)s.") % {"problem": problem}
        line_text = sheet_reader.normalize(raw.get("budget_line"))
        line = lines.find(line_text) if line_text else None
        if line is None:
            errors["budget_line"] = (
                _("Budget line: “%(value)s” is not a budget line of this project (%(lines)s).")
                % {"value": line_text, "lines": lines.names()}
                if line_text
                else _("Budget line: write one of %(lines)s.") % {"lines": lines.names()}
            )
        shown = {
            "date": day,
            "budget_line": line.name if line else line_text,
            "amount": amount,
            "payee": sheet_reader.normalize(raw.get("payee")),
            "purpose": sheet_reader.normalize(raw.get("purpose")),
            "voucher_number": _voucher(raw.get("voucher_number")),
        }
        cleaned, found = expenditure_check(
            project,
            budget_line=line,
            date=day,
            amount=amount if amount is not None else "",
            payee=shown["payee"],
            voucher_number=shown["voucher_number"],
            purpose=shown["purpose"],
            balance=left[line.pk] if line else None,
        )
        for name, message in found.items():
            errors.setdefault(name, message)  # what could not be read is not also "missing"
        row = PlannedExpenditure(number, shown=shown, errors=errors)
        if not errors:
            row.data = cleaned
            left[line.pk] -= cleaned["amount"]
        if line is not None:
            row.balance_after = left[line.pk]
        plan.append(row)
    return plan


def _voucher(value) -> str:
    # A voucher number typed as a number (1024) is read as Excel shows it, not as 1024.0.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return sheet_reader.normalize(value)
