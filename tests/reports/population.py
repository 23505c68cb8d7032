"""A known population for the reports tests (figures, rollups, dashboard, workbook): a city 丙市 with
two districts, built with the ORM at fixed dates so that every figure of 2026Q2 is known in
advance (the expected values are in EXPECTED_A / EXPECTED_B below; TODAY is the day the figures are
read — after the Q2 ledger deadline of 10 July 2026).

District A 甲区: street S1 (urban) with communities C11 (blank → urban) and C12 (rural); street S2
(rural) with community C21 (blank → rural). District B 乙区: street SB (blank) with community CB
(blank) — its organizations are "unset".

Usage: `population = build()` (inside a django_db test) → a Population with every object by name.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accounts.choices import AreaKind, Role
from evaluation.choices import RoundStatus
from evaluation.models import OrgGrade, RoundProject
from party.choices import Formation, PartyLevel
from party.models import ContactRecord, PartyCoverage, PartyOrganization
from projects.choices import FunderKind, FundingSource, MajorActivityStatus, ProcurementMethod, ProjectStatus
from projects.models import (
    BudgetLine,
    Contract,
    Expenditure,
    Funder,
    MajorActivityReport,
    Milestone,
    Payment,
    Project,
    QuarterlySubmission,
)
from registry.choices import (
    ApplicationKind,
    ApplicationState,
    Category,
    LegalForm,
    OrganizationStatus,
    PartyForm,
    level_for,
)
from registry.models import Application, Organization
from supervision.choices import (
    AnnualReportConclusion,
    AnnualReportStatus,
    ListingEndReason,
    ListingReason,
    ReportKind,
    SeriousListingReason,
)
from supervision.models import AbnormalListing, AnnualReport, SeriousViolationListing

from ..accounts.factories import Jurisdiction, make_child, make_user
from ..evaluation.factories import RoundFactory
from ..registry.factories import make_uscc

YEAR, QUARTER = 2026, 2
TODAY = dt.date(2026, 7, 20)
ESTABLISHED = dt.date(2020, 1, 1)
_serial = itertools.count(1)


def at(day: dt.date, hour=10, minute=0) -> dt.datetime:
    """An aware datetime at local time on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclass
class Population:
    places: Jurisdiction
    city: object = None
    a: object = None
    b: object = None
    s1: object = None
    s2: object = None
    c11: object = None
    c12: object = None
    c21: object = None
    sb: object = None
    cb: object = None
    orgs: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    funders: dict = field(default_factory=dict)


def _org(region, key, legal_form, category, *, status=OrganizationStatus.ACTIVE, changed=None, established=None, **f):
    n = next(_serial)
    values = {
        "name": f"报表测试组织{key}{n}",
        "legal_form": legal_form,
        "registration_level": level_for(legal_form),
        "category": category,
        "region": region,
        "district": region.district,
        "legal_representative": "张三",
        "established_on": established or ESTABLISHED,
        "status": status,
        "status_changed_on": changed,
    }
    if legal_form == LegalForm.COMMUNITY_FILED:
        values["filing_number"] = f"{region.district.code}-RT-{n:05d}"
    else:
        from registry import uscc

        values["uscc"] = make_uscc(uscc.FORM_CHARACTERS[legal_form])
    values.update(f)
    return Organization.objects.create(**values)


def _application(applicant, region, kind, state, reviewed_at, organization=None, legal_form=LegalForm.COMMUNITY_FILED):
    return Application.objects.create(
        number=f"RT{next(_serial):08d}",
        kind=kind,
        state=state,
        organization=organization,
        legal_form=legal_form,
        region=region,
        district=region.district,
        applicant=applicant,
        reviewed_at=reviewed_at,
        submitted_at=reviewed_at - dt.timedelta(days=3) if reviewed_at else None,
    )


def _abnormal(org, listed_on, ended_on=None, reason=ListingReason.UNREACHABLE):
    return AbnormalListing.objects.create(
        organization=org,
        reason=reason,
        listed_on=listed_on,
        ended_on=ended_on,
        end_reason=ListingEndReason.RECTIFIED if ended_on else "",
    )


def _serious(org, listed_on, ended_on=None):
    return SeriousViolationListing.objects.create(
        organization=org,
        reason=SeriousListingReason.SERIOUS_VIOLATION,
        listed_on=listed_on,
        ended_on=ended_on,
        end_reason="rectified" if ended_on else "",
    )


def _report(org, status, conclusion=""):
    return AnnualReport.objects.create(
        organization=org,
        year=2025,
        kind=ReportKind.STATUS_REPORT if org.registration_level == "filed" else ReportKind.WORK_REPORT,
        status=status,
        conclusion=conclusion,
        due_on=dt.date(2026, 6, 1),
        submitted_at=at(dt.date(2026, 4, 1)) if status != AnnualReportStatus.DRAFT else None,
    )


def _project(org, source, funder, amount, start, end, status, key):
    return Project.objects.create(
        code=f"RT-{key}-{next(_serial):05d}",
        title=f"报表测试项目{key}",
        organization=org,
        funding_source=source,
        funder=funder,
        amount=Decimal(amount),
        start_date=start,
        end_date=end,
        status=status,
    )


def _contract(project, amount, signed_on, *, current=True, version=1):
    return Contract.objects.create(
        project=project,
        number=f"HT-{next(_serial):05d}",
        procurement_method=ProcurementMethod.PUBLIC_TENDER,
        signed_on=signed_on,
        amount=Decimal(amount),
        start_date=project.start_date,
        end_date=project.end_date,
        is_current=current,
        version=version,
    )


def _pay(project, contract, amount, paid_on, reverses=None):
    milestone = Milestone.objects.filter(contract=contract).first() or Milestone.objects.create(
        contract=contract,
        project=project,
        sequence=1,
        deliverable="中期成果",
        due_date=project.start_date,
        share=Decimal("100"),
        amount=contract.amount,
        status="accepted",
    )
    return Payment.objects.create(
        project=project,
        milestone=milestone,
        paid_on=paid_on,
        amount=Decimal(amount),
        reference=f"ZF{next(_serial):06d}",
        reverses=reverses,
    )


def _spend(project, amount, day, reverses=None):
    line = BudgetLine.objects.filter(project=project).first() or BudgetLine.objects.create(
        project=project, category="activities", name="活动费", amount=project.amount
    )
    return Expenditure.objects.create(
        project=project,
        budget_line=line,
        date=day,
        amount=Decimal(amount),
        payee="供应商",
        voucher_number=f"PZ{next(_serial):06d}",
        reverses=reverses,
    )


def _submission(project, first_submitted_at, year=YEAR, quarter=QUARTER):
    return QuarterlySubmission.objects.create(
        project=project,
        year=year,
        quarter=quarter,
        narrative="本季度开展服务",
        first_submitted_at=first_submitted_at,
        submitted_at=first_submitted_at,
    )


def _activity(org, reported_on, status, *, late=False, foreign=False):
    return MajorActivityReport.objects.create(
        organization=org,
        title="大型公益活动",
        planned_date=reported_on + dt.timedelta(days=20),
        place="社区广场",
        expected_participants=300,
        foreign_involvement=foreign,
        foreign_details="境外志愿者参与" if foreign else "",
        content="活动方案",
        reported_on=reported_on,
        is_late=late,
        status=status,
    )


def _grade(org, grade, awarded_on, revoked_on=None):
    return OrgGrade.objects.create(
        organization=org,
        score=Decimal("850"),
        grade=grade,
        awarded_on=awarded_on,
        valid_from=dt.date(awarded_on.year + 1, 1, 1),
        valid_until=dt.date(awarded_on.year + 5, 12, 31),
        revoked_on=revoked_on,
    )


def _party_organization(region, formation, *, full=3, probationary=0):
    return PartyOrganization.objects.create(
        name=f"报表测试党支部{next(_serial)}",
        level=PartyLevel.BRANCH,
        formation=formation,
        region=region,
        is_area_body=False,
        secretary="李书记",
        established_on=ESTABLISHED,
        full_member_count=full,
        probationary_member_count=probationary,
    )


def _coverage(org, form, party_organization=None, *, full=0, probationary=0):
    return PartyCoverage.objects.create(
        organization=org,
        form=form,
        party_organization=party_organization,
        full_party_members=full,
        probationary_party_members=probationary,
        valid_from=dt.date(2025, 1, 1),
    )


def build() -> Population:
    places = Jurisdiction(city=True)
    p = Population(places=places, city=places.city, a=places.district, b=places.other_district)
    # District A: S1 urban (C11 blank, C12 rural), S2 rural (C21 blank). Jurisdiction's own
    # streets are reused: street1 = S1 with community11 = C11, community12 = C12; street2 = S2
    # with community21 = C21.
    p.s1, p.s2 = places.street1, places.street2
    p.c11, p.c12, p.c21 = places.community11, places.community12, places.community21
    p.s1.area_kind, p.s2.area_kind, p.c12.area_kind = AreaKind.URBAN, AreaKind.RURAL, AreaKind.RURAL
    for region in (p.s1, p.s2, p.c12):
        region.save(update_fields=["area_kind"])
    p.sb, p.cb = places.other_street, places.other_community
    extra_street = make_child(p.b, "乙二街道")  # an empty street: a child with zero figures
    p.orgs["b_empty_street"] = extra_street
    applicant = make_user(Role.BUREAU_STAFF, p.a)

    F, C, S = LegalForm, Category, OrganizationStatus
    o = p.orgs
    o["o1"] = _org(p.c11, "o1", F.SOCIAL_GROUP, C.RESIDENT_SERVICES, staff_count=3, volunteer_count=20)
    o["o2"] = _org(p.c11, "o2", F.SOCIAL_SERVICE, C.CHARITY, staff_count=5, volunteer_count=10)
    o["o3"] = _org(p.c12, "o3", F.FOUNDATION, C.MUTUAL_AID, staff_count=2)
    o["o4"] = _org(p.c12, "o4", F.COMMUNITY_FILED, C.CULTURE_SPORTS, staff_count=1)
    o["o5"] = _org(p.c21, "o5", F.COMMUNITY_FILED, C.RESIDENT_SERVICES, staff_count=1)
    o["o6"] = _org(p.s2, "o6", F.COMMUNITY_FILED, C.COMMUNITY_SAFETY, staff_count=1)
    o["o7"] = _org(
        p.c21, "o7", F.SOCIAL_GROUP, C.RURAL_TECH, status=S.DEREGISTERED, changed=dt.date(2026, 5, 10), staff_count=9
    )
    o["o8"] = _org(
        p.c11, "o8", F.SOCIAL_GROUP, C.CHARITY, status=S.DEREGISTERED, changed=dt.date(2026, 7, 5), staff_count=4
    )
    o["o9"] = _org(p.c21, "o9", F.COMMUNITY_FILED, C.MUTUAL_AID, established=dt.date(2026, 7, 10))
    o["o10"] = _org(
        p.c11, "o10", F.COMMUNITY_FILED, C.RESIDENT_SERVICES, established=dt.date(2026, 4, 15), staff_count=2
    )
    o["o11"] = _org(p.c12, "o11", F.FOUNDATION, C.CULTURE_SPORTS, status=S.REVOKED, changed=dt.date(2026, 2, 1))
    o["b1"] = _org(p.cb, "b1", F.SOCIAL_GROUP, C.RESIDENT_SERVICES, established=dt.date(2019, 3, 1), staff_count=6)
    o["b2"] = _org(p.cb, "b2", F.COMMUNITY_FILED, C.CHARITY, volunteer_count=7)
    o["b3"] = _org(p.sb, "b3", F.COMMUNITY_FILED, C.CULTURE_SPORTS, status=S.DEREGISTERED, changed=dt.date(2025, 1, 1))

    # Applications decided: in Q2 (counted) and around it (not).
    K, A = ApplicationKind, ApplicationState
    _application(applicant, p.c11, K.ESTABLISH, A.APPROVED, at(dt.date(2026, 4, 10)), legal_form=F.SOCIAL_GROUP)
    _application(applicant, p.c11, K.FILE, A.APPROVED, at(dt.date(2026, 4, 15)))
    _application(applicant, p.c21, K.FILE, A.APPROVED, at(dt.date(2026, 6, 30), 23, 30))
    _application(applicant, p.c11, K.CHANGE, A.APPROVED, at(dt.date(2026, 5, 6)), organization=o["o1"])
    _application(applicant, p.c21, K.DEREGISTER, A.APPROVED, at(dt.date(2026, 5, 10)), organization=o["o7"])
    _application(applicant, p.c21, K.FILE, A.APPROVED, at(dt.date(2026, 7, 1), 0, 30))  # Q3
    _application(applicant, p.c11, K.ESTABLISH, A.REJECTED, at(dt.date(2026, 5, 1)), legal_form=F.SOCIAL_GROUP)
    _application(applicant, p.c11, K.CHANGE, A.APPROVED, at(dt.date(2026, 3, 31), 23, 0), organization=o["o2"])  # Q1
    _application(applicant, p.c11, K.FILE, A.BUREAU_REVIEW, None)  # undecided
    _application(applicant, p.cb, K.FILE, A.APPROVED, at(dt.date(2026, 5, 5)))

    # Listings.
    _abnormal(o["o1"], dt.date(2026, 1, 10))
    _abnormal(o["o3"], dt.date(2025, 12, 1), dt.date(2026, 5, 1))
    _abnormal(o["o4"], dt.date(2026, 5, 20))
    _abnormal(o["o5"], dt.date(2026, 6, 30))
    _abnormal(o["o6"], dt.date(2026, 7, 2))
    _serious(o["o2"], dt.date(2026, 4, 1))
    _serious(o["o1"], dt.date(2024, 1, 1), dt.date(2026, 6, 30))
    _abnormal(o["b1"], dt.date(2026, 3, 1))

    # Annual reports on 2025.
    _report(o["o1"], AnnualReportStatus.SUBMITTED)
    _report(o["o2"], AnnualReportStatus.CONCLUDED, AnnualReportConclusion.PASS)
    _report(o["o3"], AnnualReportStatus.DRAFT)
    _report(o["o5"], AnnualReportStatus.RETURNED)
    _report(o["b1"], AnnualReportStatus.SUBMITTED)

    # Party coverage.
    p1 = _party_organization(p.c11, Formation.STANDALONE, full=3, probationary=1)
    p2 = _party_organization(p.c11, Formation.JOINT, full=3)
    _coverage(o["o1"], PartyForm.STANDALONE, p1, full=3, probationary=1)
    _coverage(o["o2"], PartyForm.JOINT, p2, full=3)
    _coverage(o["o4"], PartyForm.INSTRUCTOR)
    _coverage(o["o5"], PartyForm.NONE)
    ContactRecord.objects.create(
        organization=o["o1"],
        contacted_on=dt.date(2026, 5, 5),
        form="visit",
        topics="了解党建工作情况",
        recorded_by=make_user(Role.COMMUNITY_PARTY, p.c11),
    )

    # Projects and money.
    fa = p.funders["bureau"] = Funder.objects.create(
        name="甲区民政局", kind=FunderKind.CIVIL_AFFAIRS_BUREAU, region=p.a
    )
    fs = p.funders["street"] = Funder.objects.create(name="一街道办事处", kind=FunderKind.STREET_OFFICE, region=p.s1)
    ff = p.funders["foundation"] = Funder.objects.create(name="公益基金会", kind=FunderKind.FOUNDATION, region=p.a)
    fb = p.funders["b_bureau"] = Funder.objects.create(
        name="乙区民政局", kind=FunderKind.CIVIL_AFFAIRS_BUREAU, region=p.b
    )
    y_start, y_end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    P, FS = ProjectStatus, FundingSource
    pr = p.projects
    pr["P1"] = _project(o["o1"], FS.GOVERNMENT_PURCHASE, fa, "100000", y_start, y_end, P.IN_PROGRESS, "P1")
    pr["P2"] = _project(
        o["o2"], FS.VENTURE_PHILANTHROPY, ff, "50000", dt.date(2026, 4, 1), dt.date(2027, 3, 31), P.IN_PROGRESS, "P2"
    )
    pr["P3"] = _project(o["o5"], FS.SUBSIDY, fs, "20000", dt.date(2025, 1, 1), dt.date(2025, 12, 31), P.CLOSED, "P3")
    pr["P4"] = _project(o["o3"], FS.GOVERNMENT_PURCHASE, fa, "60000", y_start, dt.date(2026, 6, 30), P.APPLIED, "P4")
    pr["P5"] = _project(o["o4"], FS.AWARD, fs, "10000", dt.date(2026, 5, 1), y_end, P.APPROVED, "P5")
    pr["P6"] = _project(
        o["o10"], FS.SELF_FUNDED, fs, "5000", dt.date(2026, 2, 1), dt.date(2026, 11, 30), P.TERMINATED, "P6"
    )
    pr["P7"] = _project(o["o6"], FS.GOVERNMENT_PURCHASE, fa, "30000", y_start, y_end, P.MID_TERM_REVIEW, "P7")
    pr["B1"] = _project(o["b1"], FS.GOVERNMENT_PURCHASE, fb, "40000", y_start, y_end, P.IN_PROGRESS, "B1")

    _contract(pr["P1"], "80000", dt.date(2025, 12, 1), current=False)
    c1 = _contract(pr["P1"], "100000", dt.date(2025, 12, 20), version=2)
    _pay(pr["P1"], c1, "30000", dt.date(2026, 2, 1))
    second = _pay(pr["P1"], c1, "20000", dt.date(2026, 5, 1))
    _pay(pr["P1"], c1, "-5000", dt.date(2026, 5, 15), reverses=second)
    _pay(pr["P1"], c1, "10000", dt.date(2026, 7, 5))  # after Q2
    _spend(pr["P1"], "12000.50", dt.date(2026, 3, 1))
    spent = _spend(pr["P1"], "8000", dt.date(2026, 6, 30))
    _spend(pr["P1"], "-500", dt.date(2026, 6, 10), reverses=spent)
    _spend(pr["P1"], "3000", dt.date(2026, 7, 2))  # after Q2
    c2 = _contract(pr["P2"], "50000", dt.date(2026, 3, 15))
    _pay(pr["P2"], c2, "25000", dt.date(2026, 4, 10))
    c4 = _contract(pr["P4"], "60000", dt.date(2026, 1, 5))  # an application: not counted
    _pay(pr["P4"], c4, "6000", dt.date(2026, 4, 5))
    cb = _contract(pr["B1"], "40000", dt.date(2025, 12, 28))
    _pay(pr["B1"], cb, "40000", dt.date(2026, 4, 1))
    _spend(pr["B1"], "10000.25", dt.date(2026, 6, 1))

    # Ledger submissions of Q2 (due Friday 10 July 2026).
    _submission(pr["P1"], at(dt.date(2026, 7, 8)))
    _submission(pr["P2"], at(dt.date(2026, 7, 11), 0, 10))  # late
    _submission(pr["P7"], at(dt.date(2026, 7, 10), 23, 59))  # on time, the deadline's last minute
    _submission(pr["P1"], at(dt.date(2026, 4, 3)), quarter=1)
    _submission(pr["B1"], at(dt.date(2026, 7, 9)))

    # Major activities.
    MA = MajorActivityStatus
    _activity(o["o1"], dt.date(2026, 4, 20), MA.ACKNOWLEDGED, foreign=True)
    _activity(o["o2"], dt.date(2026, 6, 1), MA.OBJECTED, late=True)
    _activity(o["o4"], dt.date(2026, 6, 15), MA.SUBMITTED)
    _activity(o["o4"], dt.date(2026, 7, 1), MA.SUBMITTED)  # Q3
    _activity(o["b1"], dt.date(2026, 5, 1), MA.ACKNOWLEDGED)

    # Published stars (rounds in publicity or closed whose publicity began by 30 June) and grades.
    def round_of(status, publicity_from):
        round_ = RoundFactory(p.a, status=status)
        type(round_).objects.filter(pk=round_.pk).update(publicity_starts_on=publicity_from)
        return round_

    closed = round_of(RoundStatus.CLOSED, dt.date(2026, 3, 1))
    RoundProject.objects.create(round=closed, project=pr["P1"], stars=5, final_score=Decimal("92.0"))
    RoundProject.objects.create(round=closed, project=pr["P2"], stars=4, final_score=Decimal("84.0"))
    RoundProject.objects.create(round=closed, project=pr["P4"])  # no result
    later = round_of(RoundStatus.PUBLICITY, dt.date(2026, 7, 5))
    RoundProject.objects.create(round=later, project=pr["P7"], stars=3, final_score=Decimal("75.0"))
    scoring = round_of(RoundStatus.SCORING, None)
    RoundProject.objects.create(round=scoring, project=pr["P5"], stars=2, final_score=Decimal("65.0"))
    _grade(o["o1"], 4, dt.date(2024, 12, 1))
    _grade(o["o2"], 2, dt.date(2020, 6, 1))  # expired at the end of 2025
    _grade(o["o2"], 3, dt.date(2025, 6, 1))
    _grade(o["o3"], 5, dt.date(2023, 6, 1), revoked_on=dt.date(2026, 5, 1))
    _grade(o["o7"], 2, dt.date(2024, 6, 1))  # deregistered
    _grade(o["b1"], 5, dt.date(2025, 1, 1))
    return p


def _zeros(keys):
    return dict.fromkeys(keys, 0)


# The expected figures of 2026Q2 read on TODAY (money as the figures keep it). Derivations:
# organizations active on 30 June in A: o1 o2 o3 o4 o5 o6 o8 (deregistered only on 5 July) o10 (new in
# April); o7 deregistered in May, o11 revoked in February; o9 established in July is not counted.
EXPECTED_A = {
    "organizations": {
        "total": 8,
        "by_legal_form": {"social_group": 2, "social_service": 1, "foundation": 1, "community_filed": 4},
        "by_category": {
            "resident_services": 3,
            "charity": 2,
            "mutual_aid": 1,
            "community_safety": 1,
            "culture_sports": 1,
            "rural_tech": 0,
        },
        "by_level": {"registered": 4, "filed": 4},
        "by_area": {"urban": 4, "rural": 4, "unset": 0},
        "by_status": {"active": 8, "deregistered": 1, "revoked": 1, "licence_revoked": 0},
        "public_benefit": 5,
    },
    "changes": {"registrations": 1, "filings": 2, "changes": 1, "deregistrations": 1},
    "listings": {"abnormal_open": 3, "serious_open": 1, "abnormal_listed": 2, "serious_listed": 1},
    # owing 2025: active now and established by 2025 with no submitted/concluded report: o3 (draft),
    # o4 (none), o5 (returned), o6 (none); o8 is deregistered now. Due 1 June 2026 (31 May a Sunday).
    "annual_reports": {"owed": 4, "owed_registered": 1, "owed_filed": 3, "overdue": 4},
    "party": {
        "organizations": 8,
        "staff": 19,
        "volunteers": 30,
        "with_party_organization": 2,
        "party_organizations": 2,
        "level_committee": 0,
        "level_general_branch": 0,
        "level_branch": 2,
        "formation_standalone": 1,
        "formation_joint": 1,
        "formation_composite": 0,
        "formation_alliance": 0,
        "party_members": 7,
        "work_covered": 3,
        "should_form_own": 1,
        "contacts": None,  # party.statistics' own rule (the test compares with it)
        "overdue": None,
    },
    "projects": {
        "count": 5,
        "contracted": "150000.00",
        "paid": "70000.00",
        "spent": "19500.50",
        "balance": "50499.50",
        "by_source": {
            "government_purchase": {
                "count": 2,
                "contracted": "100000.00",
                "paid": "45000.00",
                "spent": "19500.50",
                "balance": "25499.50",
            },
            "venture_philanthropy": {
                "count": 1,
                "contracted": "50000.00",
                "paid": "25000.00",
                "spent": "0.00",
                "balance": "25000.00",
            },
            "subsidy": {"count": 0, "contracted": "0.00", "paid": "0.00", "spent": "0.00", "balance": "0.00"},
            "award": {"count": 1, "contracted": "0.00", "paid": "0.00", "spent": "0.00", "balance": "0.00"},
            "self_funded": {"count": 1, "contracted": "0.00", "paid": "0.00", "spent": "0.00", "balance": "0.00"},
        },
    },
    "ledger": {"expected": 4, "on_time": 2, "late": 1, "missing": 1, "not_due": 0},
    "major_activities": {"reported": 3, "submitted": 1, "acknowledged": 1, "objected": 1, "late": 1, "foreign": 1},
    "evaluation": {
        "stars": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1},
        "grades": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 0},
    },
}


def expected_b() -> dict:
    """District B's figures of 2026Q2 (b1 and b2 active and "unset"; b3 deregistered in 2025)."""
    from reports.figures import empty

    figures = empty()
    organizations = figures["organizations"]
    organizations.update(total=2, public_benefit=2)
    organizations["by_legal_form"].update(social_group=1, community_filed=1)
    organizations["by_category"].update(resident_services=1, charity=1)
    organizations["by_level"].update(registered=1, filed=1)
    organizations["by_area"].update(unset=2)
    organizations["by_status"].update(active=2, deregistered=1)
    figures["changes"]["filings"] = 1
    figures["listings"]["abnormal_open"] = 1
    figures["annual_reports"].update(owed=1, owed_filed=1, overdue=1)
    figures["party"].update(organizations=2, staff=6, volunteers=7)
    block = {"count": 1, "contracted": "40000.00", "paid": "40000.00", "spent": "10000.25", "balance": "29999.75"}
    figures["projects"].update(block)
    figures["projects"]["by_source"]["government_purchase"] = dict(block)
    figures["ledger"].update(expected=1, on_time=1)
    figures["major_activities"].update(reported=1, acknowledged=1)
    figures["evaluation"]["grades"]["5"] = 1
    return figures
