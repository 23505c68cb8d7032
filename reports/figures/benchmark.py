"""A district-sized population for the reports benchmarks (reports.bench, and the quarterly review
workbook's reports.workbook.benchmark): `district_population(district, scale)` writes, with
bulk_create and around `today`, 3,000 organizations (every legal form, category and status), 300
projects with contracts, payments and expenditures, 30,000 ledger entries, quarterly submissions (on
time, late, missing), abnormal and serious listings, annual reports, party coverage and organizations,
major-activity reports, published stars and grades. `scale` multiplies the counts. Not timed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import Region
from evaluation.choices import RoundStatus
from evaluation.defaults import ensure_default_scheme
from evaluation.models import OrgGrade, Round, RoundProject
from party.choices import Formation, PartyLevel
from party.models import PartyCoverage, PartyOrganization
from projects import periods
from projects.choices import (
    EntryKind,
    EntryStatus,
    FundingSource,
    MajorActivityStatus,
    ProcurementMethod,
    ProjectStatus,
)
from projects.models import (
    BudgetLine,
    Contract,
    Expenditure,
    LedgerEntry,
    MajorActivityReport,
    Milestone,
    Payment,
    Project,
    QuarterlySubmission,
)
from projects.services.funders import office_funder
from registry import uscc
from registry.choices import Category, LegalForm, OrganizationStatus, PartyForm, level_for
from registry.models import Organization
from supervision.choices import AnnualReportStatus, ListingReason, ReportKind, SeriousListingReason
from supervision.models import AbnormalListing, AnnualReport, SeriousViolationListing

from .. import quarters

ORGANIZATIONS = 3_000
PROJECTS = 300
ENTRIES = 30_000
FORMS = list(LegalForm.values)
CATEGORIES = list(Category.values)
SOURCES = list(FundingSource.values)
RUNNING = (ProjectStatus.IN_PROGRESS, ProjectStatus.MID_TERM_REVIEW, ProjectStatus.APPROVED, ProjectStatus.CLOSED)


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _organizations(district: Region, places: list[Region], count: int, today: dt.date) -> list[Organization]:
    def status(i):
        if i % 40 == 1:
            return OrganizationStatus.DEREGISTERED, today - dt.timedelta(days=30 + i % 400)
        if i % 97 == 2:
            return OrganizationStatus.REVOKED, today - dt.timedelta(days=60 + i % 300)
        return OrganizationStatus.ACTIVE, None

    rows = []
    for i in range(count):
        legal_form = FORMS[i % len(FORMS)]
        state, changed = status(i)
        rows.append(
            Organization(
                name=f"报表基准组织{district.code}{i:05d}",
                legal_form=legal_form,
                registration_level=level_for(legal_form),
                category=CATEGORIES[i % len(CATEGORIES)],
                region=places[i % len(places)],
                district=district,
                legal_representative="张三",
                established_on=today - dt.timedelta(days=20 + (i * 37) % 3000),
                status=state,
                status_changed_on=changed,
                staff_count=i % 7,
                volunteer_count=i % 23,
                filing_number=f"{district.code}-RB-{i:05d}" if legal_form == LegalForm.COMMUNITY_FILED else None,
                uscc=None
                if legal_form == LegalForm.COMMUNITY_FILED
                else uscc.complete(f"5{uscc.FORM_CHARACTERS[legal_form]}{district.code}RB{i:07d}"),
            )
        )
    return Organization.objects.bulk_create(rows, batch_size=1000)


def _supervision(organizations: list[Organization], today: dt.date) -> None:
    year = today.year - 1
    reports = [
        AnnualReport(
            organization=org,
            year=year,
            kind=ReportKind.STATUS_REPORT if org.registration_level == "filed" else ReportKind.WORK_REPORT,
            status=(AnnualReportStatus.SUBMITTED, AnnualReportStatus.DRAFT, AnnualReportStatus.SUBMITTED)[i % 3],
            due_on=dt.date(year + 1, 5, 31),
            submitted_at=_aware(dt.date(year + 1, 4, 1)) if i % 3 != 1 else None,
        )
        for i, org in enumerate(organizations)
        if i % 5
    ]
    AnnualReport.objects.bulk_create(reports, batch_size=1000)
    AbnormalListing.objects.bulk_create(
        [
            AbnormalListing(
                organization=org,
                reason=ListingReason.UNREACHABLE,
                listed_on=today - dt.timedelta(days=10 + i % 500),
                ended_on=today - dt.timedelta(days=5) if i % 3 == 0 else None,
                end_reason="rectified" if i % 3 == 0 else "",
            )
            for i, org in enumerate(organizations[::20])
        ]
    )
    SeriousViolationListing.objects.bulk_create(
        [
            SeriousViolationListing(
                organization=org, reason=SeriousListingReason.SERIOUS_VIOLATION, listed_on=today - dt.timedelta(days=90)
            )
            for org in organizations[7::150]
        ]
    )


def _party(district: Region, places: list[Region], organizations: list[Organization]) -> None:
    established = dt.date(2020, 1, 1)
    parties = PartyOrganization.objects.bulk_create(
        [
            PartyOrganization(
                name=f"报表基准党支部{district.code}{i:04d}",
                level=PartyLevel.BRANCH,
                formation=Formation.STANDALONE if i % 2 else Formation.JOINT,
                region=places[i % len(places)],
                secretary="李书记",
                established_on=established,
                full_member_count=3 + i % 4,
            )
            for i in range(max(1, len(organizations) // 30))
        ]
    )
    coverage = []
    for i, org in enumerate(organizations):
        if i % 3 == 0:
            coverage.append(
                PartyCoverage(
                    organization=org,
                    form=PartyForm.STANDALONE if i % 2 else PartyForm.JOINT,
                    party_organization=parties[i % len(parties)],
                    full_party_members=1 + i % 5,
                    valid_from=established,
                )
            )
        elif i % 3 == 1:
            coverage.append(PartyCoverage(organization=org, form=PartyForm.INSTRUCTOR, valid_from=established))
    PartyCoverage.objects.bulk_create(coverage, batch_size=1000)


def _projects(district: Region, organizations: list[Organization], count: int, entries: int, today: dt.date):
    funder = office_funder(district)
    start = dt.date(today.year - 1, 1, 1)
    end = dt.date(today.year + 1, 12, 31)
    active = [org for org in organizations if org.status == OrganizationStatus.ACTIVE]
    projects = Project.objects.bulk_create(
        [
            Project(
                code=f"RB-{district.code}-{i:05d}",
                title=f"报表基准项目{i:04d}",
                organization=active[i % len(active)],
                funding_source=SOURCES[i % len(SOURCES)],
                funder=funder,
                amount=Decimal("100000.00"),
                start_date=start,
                end_date=end,
                status=RUNNING[i % len(RUNNING)],
            )
            for i in range(count)
        ]
    )
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                project=project,
                number=f"RB-HT-{project.code}",
                procurement_method=ProcurementMethod.PUBLIC_TENDER,
                signed_on=start,
                amount=Decimal("100000.00"),
                start_date=start,
                end_date=end,
            )
            for project in projects
        ]
    )
    milestones = Milestone.objects.bulk_create(
        [
            Milestone(
                contract=contract,
                project=contract.project,
                sequence=1,
                deliverable="阶段成果",
                due_date=start,
                share=Decimal("100"),
                amount=contract.amount,
                status="accepted",
            )
            for contract in contracts
        ]
    )
    Payment.objects.bulk_create(
        [
            Payment(
                project=m.project,
                milestone=m,
                paid_on=start + dt.timedelta(days=30 * k),
                amount=Decimal("20000.00"),
                reference=f"RB-ZF-{m.pk}-{k}",
            )
            for m in milestones
            for k in range(3)
        ]
    )
    lines = BudgetLine.objects.bulk_create(
        [BudgetLine(project=p, category="activities", name="活动费", amount=p.amount) for p in projects]
    )
    Expenditure.objects.bulk_create(
        [
            Expenditure(
                project=line.project,
                budget_line=line,
                date=start + dt.timedelta(days=20 * k + 5),
                amount=Decimal("3500.50"),
                payee="供应商",
                voucher_number=f"RB-PZ-{line.pk}-{k}",
            )
            for line in lines
            for k in range(10)
        ],
        batch_size=1000,
    )
    span = max(1, (today - start).days)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                project=projects[i % len(projects)],
                date=start + dt.timedelta(days=i % span),
                kind=EntryKind.SERVICE_ACTIVITY,
                title=f"服务活动{i}",
                participants=10 + i % 50,
                beneficiaries=5 + i % 30,
                status=EntryStatus.ACCEPTED if i % 4 else EntryStatus.SUBMITTED,
            )
            for i in range(entries)
        ],
        batch_size=2000,
    )
    submissions = []
    for i, project in enumerate(projects):
        year, quarter = quarters.previous_quarter(*quarters.current_quarter(today))
        for _n in range(4):
            due = periods.quarter_end(year, quarter) + dt.timedelta(days=10)
            if i % 5:  # one in five never submits
                late = dt.timedelta(days=3) if i % 4 == 0 else dt.timedelta(days=-2)
                submissions.append(
                    QuarterlySubmission(
                        project=project,
                        year=year,
                        quarter=quarter,
                        narrative="本季度服务情况",
                        first_submitted_at=_aware(due + late),
                        submitted_at=_aware(due + late),
                    )
                )
            year, quarter = quarters.previous_quarter(year, quarter)
    QuarterlySubmission.objects.bulk_create(submissions, batch_size=1000)
    MajorActivityReport.objects.bulk_create(
        [
            MajorActivityReport(
                organization=project.organization,
                project=project,
                title="大型活动",
                planned_date=today + dt.timedelta(days=10),
                place="社区广场",
                expected_participants=300,
                content="活动方案",
                reported_on=today - dt.timedelta(days=i % 200),
                status=MajorActivityStatus.values[i % 3],
            )
            for i, project in enumerate(projects[::3])
        ]
    )
    return projects


def _evaluation(district: Region, organizations, projects, today: dt.date) -> None:
    round_ = Round.objects.create(
        name=f"报表基准评定{district.code}", region=district, year=today.year - 1, scheme=ensure_default_scheme()
    )
    Round.objects.filter(pk=round_.pk).update(
        status=RoundStatus.CLOSED, publicity_starts_on=today - dt.timedelta(days=100)
    )
    RoundProject.objects.bulk_create(
        [
            RoundProject(round=round_, project=p, stars=1 + i % 5, final_score=Decimal(60 + i % 40))
            for i, p in enumerate(projects)
        ]
    )
    awarded = dt.date(today.year - 2, 6, 1)
    OrgGrade.objects.bulk_create(
        [
            OrgGrade(
                organization=org,
                score=Decimal("800"),
                grade=1 + i % 5,
                awarded_on=awarded,
                valid_from=dt.date(awarded.year + 1, 1, 1),
                valid_until=dt.date(awarded.year + 5, 12, 31),
            )
            for i, org in enumerate(organizations[::10])
        ]
    )


TABLES = (
    Organization,
    AnnualReport,
    AbnormalListing,
    SeriousViolationListing,
    PartyOrganization,
    PartyCoverage,
    Project,
    Contract,
    Milestone,
    Payment,
    BudgetLine,
    Expenditure,
    LedgerEntry,
    QuarterlySubmission,
    MajorActivityReport,
    RoundProject,
    OrgGrade,
    Region,
)


def analyze() -> None:
    """Refresh the planner's statistics of the tables just filled, as autovacuum does on a live
    database: without them a benchmark run inside one transaction plans for empty tables (nested
    loops over thousands of rows)."""
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def district_population(district: Region, scale: float = 1.0, today: dt.date | None = None) -> dict:
    """Write the district-sized population into `district` (its communities, or its streets when it
    has no communities); the counts written."""
    today = today or timezone.localdate()
    places = list(Region.objects.filter(path__startswith=district.path, level="community").order_by("code")) or list(
        Region.objects.filter(parent=district).order_by("code")
    )
    organizations = _organizations(district, places, max(10, int(ORGANIZATIONS * scale)), today)
    _supervision(organizations, today)
    _party(district, places, organizations)
    projects = _projects(district, organizations, max(4, int(PROJECTS * scale)), max(10, int(ENTRIES * scale)), today)
    _evaluation(district, organizations, projects, today)
    analyze()
    return {"organizations": len(organizations), "projects": len(projects), "entries": max(10, int(ENTRIES * scale))}
