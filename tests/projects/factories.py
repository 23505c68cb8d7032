"""Factories for projects and their records; every write goes through the services."""

import datetime as dt
import itertools

from accounts.models import Region
from projects import services
from projects.choices import EntryKind, FundingSource, IndicatorSource, TargetGroup

_serial = itertools.count(1)

YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
DEFAULT_LINES = (("activities", "活动费", "60000.00"), ("staff", "人员费", "40000.00"))
DEFAULT_INDICATORS = (
    ("服务活动场次", "场", "24", IndicatorSource.ACTIVITIES),
    ("服务人次", "人次", "600", IndicatorSource.PARTICIPANTS),
    ("志愿服务时长", "小时", "300", IndicatorSource.VOLUNTEER_HOURS),
)
RUNNING = ("approve", "start")


def make_project(
    organization,
    funder,
    *,
    by=None,
    amount="100000.00",
    start=YEAR_START,
    end=YEAR_END,
    lines=DEFAULT_LINES,
    indicators=DEFAULT_INDICATORS,
    transitions=RUNNING,
    **fields,
):
    if isinstance(funder, Region):  # a region stands for its own office (the bureau, the street office)
        funder = services.office_funder(funder)
    fields.setdefault("title", f"测试项目{next(_serial)}")
    fields.setdefault("funding_source", FundingSource.GOVERNMENT_PURCHASE)
    fields.setdefault("target_groups", [TargetGroup.ELDERLY])
    project = services.project_create(
        by=by, organization=organization, funder=funder, amount=amount, start_date=start, end_date=end, **fields
    )
    for category, name, line_amount in lines:
        services.budget_line_create(project=project, by=by, category=category, name=name, amount=line_amount)
    for name, unit, target, source in indicators:
        services.indicator_create(project=project, by=by, name=name, unit=unit, target=target, source=source)
    for name in transitions:
        project = services.project_transition(project=project, by=by, name=name)
    return project


def entry_data(**overrides):
    data = {
        "date": dt.date(2026, 3, 15),
        "kind": EntryKind.SERVICE_ACTIVITY,
        "title": "重阳节敬老活动",
        "place": "社区活动中心",
        "participants": 30,
        "beneficiaries": 25,
        "volunteers": 5,
        "volunteer_hours": "12.5",
        "summary": "为辖区老人提供义诊和理发服务。",
    }
    data.update(overrides)
    return data


def make_entry(project, by, *, submit=False, **overrides):
    entry = services.ledger_entry_create(project=project, by=by, **entry_data(**overrides))
    if submit:
        entry = services.ledger_entry_submit(entry=entry, by=by)
    return entry
