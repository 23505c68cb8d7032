"""Demo projects for 西湖区: a year of ledger entries, expenditures and quarterly submissions for
the demo organizations (after the registry's demo). Idempotent: a project is looked up by its
organization and title, and skipped when it exists.

The demo account `org` (宝石社区邻里互助会) has a street-funded project whose last ended quarter
awaits the demo street officer `street`; district-funded projects are reviewed by `staff`. The
children's project is a venture-philanthropy call paid by the district's welfare-lottery fund, whose
account `funder` accepts its milestones: a contract of three tranches, the first accepted and paid,
the second delivered and awaiting it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD
from accounts.models import Region, User

from . import periods, services
from .choices import EntryKind, FunderKind, FundingSource, IndicatorSource, ProcurementMethod, TargetGroup, VisitKind
from .models import Funder, Project, QuarterlySubmission

TITLES = {
    EntryKind.SERVICE_ACTIVITY: [
        "老年人义诊活动",
        "邻里互助理发服务",
        "独居老人助餐送餐",
        "四点半课堂托管",
        "垃圾分类入户指导",
    ],
    EntryKind.MEETING: ["项目推进会", "居民议事会", "志愿者例会"],
    EntryKind.TRAINING: ["志愿者服务技能培训", "急救知识培训"],
    EntryKind.PUBLICITY: ["项目宣传进社区", "防诈骗宣传"],
    EntryKind.VISIT: ["高龄老人入户走访", "困境儿童家庭走访"],
}

# (organization, title, funder code, source, amount, target groups, started this many quarters ago, state)
PROJECTS = [
    (
        "宝石社区邻里互助会",
        "宝石社区“银龄互助”邻里守望项目",
        "330106001",
        FundingSource.GOVERNMENT_PURCHASE,
        "80000.00",
        [TargetGroup.ELDERLY],
        4,
        "in_progress",
    ),
    (
        "西湖区北山街道社会工作服务中心",
        "北山街道困境儿童关爱项目",
        "welfare_lottery",
        FundingSource.VENTURE_PHILANTHROPY,
        "150000.00",
        [TargetGroup.CHILDREN, TargetGroup.LOW_INCOME],
        4,
        "mid_term_review",
    ),
    (
        "嘉绿苑社区老年协会",
        "嘉绿苑社区老年助餐服务",
        "330106",
        FundingSource.SUBSIDY,
        "50000.00",
        [TargetGroup.ELDERLY],
        3,
        "in_progress",
    ),
    (
        "求是社区四点半课堂",
        "求是社区四点半课堂课后托管",
        "330106",
        FundingSource.GOVERNMENT_PURCHASE,
        "60000.00",
        [TargetGroup.CHILDREN],
        0,
        "applied",
    ),
    (  # the second demo district's bureau funds one project
        "西兴社区邻里守望队",
        "西兴社区独居老人关爱项目",
        "330108",
        FundingSource.GOVERNMENT_PURCHASE,
        "40000.00",
        [TargetGroup.ELDERLY],
        2,
        "in_progress",
    ),
]
BUDGET_SHARES = [
    ("staff", "人员费", Decimal("0.40")),
    ("activities", "活动费", Decimal("0.35")),
    ("materials", "物资费", Decimal("0.20")),
    ("administration", "管理费", Decimal("0.05")),
]


def _quarter_back(today: dt.date, quarters: int) -> dt.date:
    year, quarter = periods.quarter_of(today)
    for _i in range(quarters):
        year, quarter = periods.previous_quarter(year, quarter)
    return periods.quarter_start(year, quarter)


def _reviewer(project: Project) -> User | None:
    role = "street_officer" if project.funder.region.level == "street" else "bureau_staff"
    return User.objects.filter(role=role, region=project.funder.region).order_by("pk").first()


def _create_project(org, title, funder, source, amount, groups, quarters_back, today):

    start = _quarter_back(today, quarters_back)
    end = dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1)
    communities = [org.region] if org.region.level == "community" else list(org.region.children.all()[:2])
    project = services.project_create(
        by=None,
        organization=org,
        title=title,
        funding_source=source,
        funder=funder,
        amount=amount,
        start_date=start,
        end_date=end,
        target_groups=groups,
        service_communities=communities,
        objectives="围绕服务对象需求，开展常态化服务活动，培育社区志愿者队伍，提升居民获得感和满意度。",
    )
    remaining = Decimal(amount)
    for index, (category, name, share) in enumerate(BUDGET_SHARES):
        line_amount = (
            remaining if index == len(BUDGET_SHARES) - 1 else (Decimal(amount) * share).quantize(Decimal("0.01"))
        )
        remaining -= line_amount
        services.budget_line_create(project=project, by=None, category=category, name=name, amount=line_amount)
    for name, unit, target, indicator_source in [
        ("服务活动场次", "场", "48", IndicatorSource.ACTIVITIES),
        ("服务人次", "人次", "1500", IndicatorSource.PARTICIPANTS),
        ("受益人数", "人", "1200", IndicatorSource.BENEFICIARIES),
        ("志愿服务时长", "小时", "600", IndicatorSource.VOLUNTEER_HOURS),
        ("服务对象满意度", "%", "90", IndicatorSource.BENEFICIARY_FEEDBACK),
    ]:
        services.indicator_create(
            project=project, by=None, name=name, unit=unit, target=target, source=indicator_source
        )
    return project


def _ledger_year(project: Project, org_user, reviewer, today: dt.date, rng: random.Random) -> None:
    by = org_user if org_user is not None and org_user.organization_id == project.organization_id else None
    lines = {line.category: line for line in project.budget_lines.all()}
    kinds = list(TITLES)
    quarters = [q for q in project.quarters if periods.quarter_start(*q) <= today]
    ended = [q for q in quarters if periods.quarter_end(*q) < today]
    for index, (year, quarter) in enumerate(quarters):
        start = periods.quarter_start(year, quarter)
        for month in range(start.month, start.month + 3):
            for day in (8, 20):
                date = dt.date(year, month, day)
                if date > today:
                    continue
                kind = kinds[(month + day) % len(kinds)]
                participants = rng.randint(12, 60)
                entry = services.ledger_entry_create(
                    project=project,
                    by=by,
                    date=date,
                    kind=kind,
                    title=rng.choice(TITLES[kind]),
                    place=f"{project.organization.region.name}活动室",
                    participants=participants,
                    beneficiaries=max(0, participants - rng.randint(0, 10)),
                    volunteers=rng.randint(2, 8),
                    volunteer_hours=Decimal(rng.randint(6, 30)),
                    summary="活动按计划开展，服务对象反馈良好。",
                )
                if (year, quarter) not in ended and day == 8:
                    services.ledger_entry_submit(entry=entry, by=by)
            pay_day = dt.date(year, month, 25)
            if pay_day <= today:
                services.expenditure_create(
                    project=project,
                    by=by,
                    budget_line=lines["staff"],
                    date=pay_day,
                    amount=(lines["staff"].amount / 24).quantize(Decimal("0.01")),
                    payee="项目社工",
                    purpose=f"{month}月社工劳务费",
                    voucher_number=f"{year}{month:02d}-01",
                )
                spend = min(Decimal(rng.randint(300, 900)), services.budget_line_balance(lines["activities"]))
                if spend > 0:
                    services.expenditure_create(
                        project=project,
                        by=by,
                        budget_line=lines["activities"],
                        date=pay_day,
                        amount=spend,
                        payee="社区便民超市",
                        purpose="活动物料",
                        voucher_number=f"{year}{month:02d}-02",
                    )
        if (year, quarter) not in ended:
            continue
        submission = services.quarterly_submission_submit(
            project=project,
            by=by,
            year=year,
            quarter=quarter,
            narrative=f"{periods.quarter_label(year, quarter)}按计划开展服务活动，台账和票据已整理上传。",
        )
        # Back-date the demo's history: the organization submitted a few days after each quarter
        # (late once, for the timeliness table).
        late = index == 1 and project.funding_source == FundingSource.SUBSIDY
        submitted_on = periods.due_date(year, quarter) + dt.timedelta(days=3 if late else -4)
        moment = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(10, 30)))
        QuarterlySubmission.objects.filter(pk=submission.pk).update(first_submitted_at=moment, submitted_at=moment)
        if (year, quarter) != ended[-1]:
            services.quarterly_submission_accept(submission=submission, by=reviewer)


def seed(context: dict) -> None:
    from registry.models import Organization

    today = timezone.localdate()
    org_user = User.objects.filter(username="org").first()
    created = 0
    for org_name, title, funder_code, source, amount, groups, quarters_back, state in PROJECTS:
        org = Organization.objects.filter(name=org_name).first()
        funder = _demo_funder(funder_code)
        if org is None or funder is None or Project.objects.filter(organization=org, title=title).exists():
            continue
        project = _create_project(org, title, funder, source, amount, groups, quarters_back, today)
        created += 1
        if state == "applied":
            continue
        for name in ("approve", "start"):
            project = services.project_transition(project=project, by=None, name=name)
        reviewer = _reviewer(project)
        _ledger_year(project, org_user, reviewer, today, random.Random(title))
        satisfaction = project.indicators.get(name="服务对象满意度")
        services.indicator_enter_value(indicator=satisfaction, by=None, value="93.5")
        if state == "mid_term_review":
            services.project_transition(project=project, by=None, name="mid_term_review")
        if org_user is not None and org_user.organization_id == org.pk:
            services.major_activity_report_create(
                by=org_user,
                organization=org,
                project=project,
                title="宝石社区邻里文化节",
                planned_date=today + dt.timedelta(days=20),
                place="宝石社区文化广场",
                expected_participants=350,
                content="邻里文化节游园、文艺汇演和便民服务集市。",
            )
            services.major_activity_report_create(
                by=org_user,
                organization=org,
                project=project,
                title="中外居民邻里交流会",
                planned_date=today + dt.timedelta(days=6),
                place="宝石社区党群服务中心",
                expected_participants=80,
                foreign_involvement=True,
                foreign_details="辖区内3名外籍居民参加",
                content="邻里交流、茶话会。",
            )
    _supervision_visit(today)
    _contract(today)
    context["stdout"].write(_("Projects: %(n)d demo projects created.") % {"n": created})


def _supervision_visit(today: dt.date) -> None:
    """The street officer's follow-up visit to the demo organization's running project, with a
    rectification still pending (due in a few weeks). Made once: skipped when the project has a visit."""
    project = Project.objects.filter(title=PROJECTS[0][1], status="in_progress").select_related("organization").first()
    if project is None or project.supervision_visits.exists():
        return
    officer = User.objects.filter(username="street", role="street_officer").first()
    visited_on = max(project.start_date, today - dt.timedelta(days=12))
    services.supervision_visit_record(
        by=officer,
        project=project,
        kind=VisitKind.FOLLOW_UP,
        visited_on=visited_on,
        supervisor=str(officer) if officer is not None else "北山街道社会组织专干",
        findings="活动按计划开展；部分活动签到表缺少服务对象签名，票据未按月装订。",
        rectification="补齐第三季度活动签到表，按月装订票据并上传台账附件。",
        rectification_due=today + dt.timedelta(days=18),
    )


# ------------------------------------------------------------------------------ purchase of services

LOTTERY = ("330106", "西湖区福利彩票公益金")
FUNDER_ACCOUNT = "funder"


def _demo_funder(code: str):
    """A region's own office, or ("welfare_lottery") the district's welfare-lottery fund with its account."""
    if code == "welfare_lottery":
        district = Region.objects.filter(code=LOTTERY[0]).first()
        if district is None:
            return None
        funder = Funder.objects.filter(region=district, name=LOTTERY[1]).first() or services.funder_create(
            by=None, name=LOTTERY[1], kind=FunderKind.WELFARE_LOTTERY, region=district, contact_person="陈科长"
        )
        if not User.objects.filter(username=FUNDER_ACCOUNT).exists():
            services.funder_account_create(
                funder=funder, by=None, username=FUNDER_ACCOUNT, password=DEMO_PASSWORD, full_name="福彩公益金项目主管"
            )
        return funder
    region = Region.objects.filter(code=code).first()
    return services.office_funder(region) if region is not None else None


def _contract(today: dt.date) -> None:
    """The children's project's contract: three tranches, the first accepted by the fund's account
    and paid, the second delivered. Made once: skipped when the project has a contract."""
    project = Project.objects.filter(title=PROJECTS[1][1]).select_related("funder").first()
    if project is None or project.contracts.exists() or project.status not in ("in_progress", "mid_term_review"):
        return
    account = User.objects.filter(username=FUNDER_ACCOUNT).first()
    start, end = project.start_date, project.end_date
    first_due = min(start + dt.timedelta(days=90), today)
    contract = services.contract_create(
        project=project,
        by=None,
        number=f"XHMZ-GYCT-{start.year}-008",
        procurement_method=ProcurementMethod.VENTURE_CALL,
        signed_on=start,
        amount=project.amount,
        start_date=start,
        end_date=end,
        milestones=[
            {"deliverable": "需求评估报告与服务方案", "due_date": first_due, "share": "30"},
            {"deliverable": "中期服务成效报告", "due_date": start + dt.timedelta(days=365), "share": "40"},
            {"deliverable": "结项评估报告与服务档案", "due_date": end - dt.timedelta(days=30), "share": "30"},
        ],
    )
    first, second, _third = contract.milestones.order_by("sequence")
    first = services.milestone_submit(milestone=first, by=None, note="已提交服务对象需求评估报告和年度服务方案。")
    first = services.milestone_accept(milestone=first, by=account)
    services.payment_record(
        milestone=first,
        by=account,
        paid_on=min(first_due + dt.timedelta(days=10), today),
        amount=first.amount,
        reference=f"FC-{start.year}-0031",
        remarks="首期拨付",
    )
    services.milestone_submit(milestone=second, by=None, note="已提交中期服务成效报告及活动台账汇总。")
