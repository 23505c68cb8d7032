"""Demo annual reports and list entries for the 西湖区 demo register (seeded after registry.demo's
organizations, in app order). Idempotent: reports are looked up by organization and year,
listings by organization and reason."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from registry.choices import OrganizationStatus
from registry.models import Organization

from . import services
from .choices import AnnualReportStatus, ListingReason, ReportKind, RevocationKind
from .models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing

_PARTICULARS = {
    "activities": "全年开展社区助老、邻里互助和文体活动，参与居民逾千人次。",
    "activity_count": 24,
    "beneficiaries": 1200,
    "income": "86000.00",
    "expenditure": "79500.50",
    "net_assets": "32600.00",
    "staff_count": 4,
    "volunteer_count": 36,
    "party_status": "joint",
    "party_member_count": 2,
}

# organization name → what its report on last year has reached (and the reviewer's remarks): the
# registered ones' work reports go to the bureau, the filed ones' status reports to 北山街道.
REPORTS = {
    "宝石社区邻里互助会": (AnnualReportStatus.DRAFT, "", ""),
    "保俶塔社区文体队": (AnnualReportStatus.SUBMITTED, "", ""),
    "杨公堤社区平安巡防队": (AnnualReportStatus.CONCLUDED, "pass", ""),
    "西湖区北山街道社会工作服务中心": (AnnualReportStatus.SUBMITTED, "", ""),
    "西湖区志愿者协会": (AnnualReportStatus.CONCLUDED, "pass", ""),
    "嘉绿苑社区老年协会": (AnnualReportStatus.CONCLUDED, "basic_pass", "财务报表未附审计意见，请下年度补充。"),
    "文鼎苑社区公益基金会": (AnnualReportStatus.RETURNED, "", "公益支出比例未填写说明，请补正。"),
    "翠苑街道养老服务中心": (AnnualReportStatus.CONCLUDED, "fail", "未按章程召开理事会，限期整改。"),
}

# (organization name, reason, months ago, grounds): the lists apply to registered organizations.
LISTINGS = [
    ("西湖区志愿者协会", ListingReason.UNREACHABLE, 8, "两次按登记住所实地核查，均无法取得联系。"),
    ("翠苑街道养老服务中心", ListingReason.NO_PARTY_ORGANIZATION, 3, "有正式党员3名，未按规定建立党组织。"),
    ("嘉绿苑社区老年协会", ListingReason.RECTIFICATION_OVERDUE, 25, "责令整改通知书期满未整改。"),
    # Nothing to rectify, seven months on: the nightly job proposes the removal (a to-do of the bureau).
    ("文鼎苑社区公益基金会", ListingReason.WARNED_OR_FINED, 7, "未按规定公开公益支出情况，受到警告处罚。"),
    # Listed for the missing report, which has been submitted since: its removal is proposed too.
    ("西湖区北山街道社会工作服务中心", ListingReason.NO_ANNUAL_REPORT, 4, "上年度工作报告逾期未报送。"),
]


def _report(org, reviewers, org_user, year, status, conclusion, remarks):
    if AnnualReport.objects.filter(organization=org, year=year).exists():
        return
    by = org_user if org_user is not None and org_user.organization_id == org.pk else None
    # A filed organization's status report asks fewer particulars than a work report.
    asked = services.fields_for(services.report_kind_for(org))
    particulars = {name: value for name, value in _PARTICULARS.items() if name in asked}
    report = services.annual_report_create(organization=org, year=year, by=by, **particulars)
    if status == AnnualReportStatus.DRAFT:
        return
    report = services.annual_report_submit(report=report, by=by)
    reviewer = reviewers[report.kind]
    if status == AnnualReportStatus.RETURNED:
        services.annual_report_return(report=report, by=reviewer, reason=remarks)
    elif status == AnnualReportStatus.CONCLUDED:
        services.annual_report_conclude(report=report, by=reviewer, conclusion=conclusion, remarks=remarks)


# (organization, kind, legal basis, facts, decision number, days ago): decided through the workflow —
# drafted and proposed by the clerk, decided by the administrator — so each organization's status
# changes with the decision's number and it is on the serious-violation list.
REVOCATIONS = [
    (
        "北山街道书画协会", RevocationKind.REVOKE, "《社会团体登记管理条例》第三十条",
        "申请登记时弄虚作假，骗取登记。", "西民撤字〔{year}〕1号", 40,
    ),
    (
        "西溪街道家政服务培训中心", RevocationKind.REVOKE_LICENCE, "《民办非企业单位登记管理暂行条例》第二十五条",
        "超出章程规定的宗旨和业务范围进行活动，情节严重。", "西民罚字〔{year}〕2号", 20,
    ),
]  # fmt: skip


def _revocations(today) -> None:
    staff = User.objects.filter(username="staff").first()
    admin = User.objects.filter(username="admin").first()
    if staff is None or admin is None:
        return
    for name, kind, basis, facts, number, days in REVOCATIONS:
        org = Organization.objects.filter(name=name).first()
        # Idempotent: an organization revoked before (or not active any more) is left as it is.
        if (
            org is None
            or org.status != OrganizationStatus.ACTIVE
            or Revocation.objects.filter(organization=org).exists()
        ):
            continue
        decided_on = today - dt.timedelta(days=days)
        revocation = services.revocation_create(
            organization=org, by=staff, kind=kind, legal_basis=basis, facts=facts,
            decision_number=number.format(year=decided_on.year), decision_date=decided_on,
        )  # fmt: skip
        revocation = services.revocation_submit(revocation=revocation, by=staff)
        services.revocation_approve(revocation=revocation, by=admin)


def seed(context: dict) -> None:
    today = timezone.localdate()
    staff = User.objects.filter(username="staff").first()
    # The bureau reviews work reports, 北山街道's officer the status reports of its filed organizations.
    street = User.objects.filter(username="street").first()
    reviewers = {ReportKind.WORK_REPORT: staff, ReportKind.STATUS_REPORT: street}
    org_user = User.objects.filter(username="org").first()
    organizations = {o.name: o for o in Organization.objects.filter(name__in=[*REPORTS, *(n for n, *_ in LISTINGS)])}
    for name, (status, conclusion, remarks) in REPORTS.items():
        if name in organizations:
            _report(organizations[name], reviewers, org_user, today.year - 1, status, conclusion, remarks)
    for name, reason, months, grounds in LISTINGS:
        org = organizations.get(name)
        if org is None or AbnormalListing.objects.filter(organization=org, reason=reason).exists():
            continue
        listed_on = today - dt.timedelta(days=months * 30)
        services.abnormal_listing_create(organization=org, reason=reason, note=grounds, by=staff,
                                                  listed_on=listed_on)  # fmt: skip
    # What the nightly job would have done: the listing older than two years moved, removals proposed.
    services.move_long_listings(today=today)
    services.propose_removals(today=today)
    _revocations(today)
    context["stdout"].write(_("Supervision: %(reports)d annual reports, %(abnormal)d abnormal and %(serious)d "
                              "serious-violation listings.") % {
        "reports": AnnualReport.objects.count(),
        "abnormal": AbnormalListing.objects.filter(ended_on__isnull=True).count(),
        "serious": SeriousViolationListing.objects.filter(ended_on__isnull=True).count(),
    })  # fmt: skip
