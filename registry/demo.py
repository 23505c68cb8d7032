"""Demo register for 西湖区: organizations in every legal form and status across the demo
streets, a few applications at different steps, and the demo account `org` acting for 宝石社区
邻里互助会. Idempotent: organizations are looked up by name, applications by proposed name."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Region, User

from . import services, uscc
from .choices import ApplicationKind, AttachmentKind, Category, LegalForm, OrganizationStatus
from .models import Application, Organization, OrganizationMember

SG, SS, FD, CF = LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE, LegalForm.FOUNDATION, LegalForm.COMMUNITY_FILED
ACTIVE, DEREGISTERED = OrganizationStatus.ACTIVE, OrganizationStatus.DEREGISTERED

# (name, legal form, category, region code, status, person in charge, established, funds in 10,000 yuan)
ORGANIZATIONS = [
    ("宝石社区邻里互助会", CF, Category.MUTUAL_AID, "330106001002", ACTIVE, "周会计", "2019-03-05", "0.50"),
    (
        "西湖区北山街道社会工作服务中心",
        SS,
        Category.RESIDENT_SERVICES,
        "330106001",
        ACTIVE,
        "吴敏",
        "2016-07-12",
        "10.00",
    ),
    ("保俶塔社区文体队", CF, Category.CULTURE_SPORTS, "330106001001", ACTIVE, "郑丽", "2018-05-20", None),
    ("杨公堤社区平安巡防队", CF, Category.COMMUNITY_SAFETY, "330106001003", ACTIVE, "冯强", "2020-01-08", None),
    ("西湖区志愿者协会", SG, Category.CHARITY, "330106002", ACTIVE, "陈静", "2012-10-01", "3.00"),
    ("嘉绿苑社区老年协会", SG, Category.RESIDENT_SERVICES, "330106002001", ACTIVE, "褚建华", "2014-04-18", "1.00"),
    ("求是社区四点半课堂", CF, Category.RESIDENT_SERVICES, "330106002002", ACTIVE, "卫红", "2021-09-01", None),
    ("文鼎苑社区公益基金会", FD, Category.CHARITY, "330106002003", ACTIVE, "蒋涛", "2017-12-26", "200.00"),
    ("翠苑街道养老服务中心", SS, Category.RESIDENT_SERVICES, "330106003", ACTIVE, "沈洁", "2015-06-30", "20.00"),
    ("学院路社区科普服务社", CF, Category.RURAL_TECH, "330106003002", ACTIVE, "韩磊", "2022-03-15", None),
    ("翠苑一区社区合唱团", CF, Category.CULTURE_SPORTS, "330106003001", DEREGISTERED, "杨帆", "2013-08-08", None),
    # Revoked and licence-revoked by supervision.demo, through the revocation workflow (a decision
    # number, the serious-violation list): entered here as active.
    ("北山街道书画协会", SG, Category.CULTURE_SPORTS, "330106001", ACTIVE, "朱琳", "2011-11-11", "3.00"),
    (
        "西溪街道家政服务培训中心",
        SS,
        Category.RESIDENT_SERVICES,
        "330106002",
        ACTIVE,
        "秦勇",
        "2010-02-02",
        "5.00",
    ),
    # The second demo district, 滨江区: a few organizations, so that the city bureau's lists hold both.
    ("西兴社区邻里守望队", CF, Category.MUTUAL_AID, "330108001001", ACTIVE, "陆海燕", "2020-05-18", "0.30"),
    ("江边社区文体协会", CF, Category.CULTURE_SPORTS, "330108001002", ACTIVE, "许文涛", "2018-09-09", "0.20"),
    ("长河街道社会工作服务中心", SS, Category.RESIDENT_SERVICES, "330108002", ACTIVE, "蒋琳", "2017-04-21", "8.00"),
]
_CATEGORY_DIGIT = {SG: "1", SS: "2", FD: "3"}


def _code(serial: int, legal_form: str) -> str:
    return uscc.complete(f"5{_CATEGORY_DIGIT[legal_form]}330106MJ{serial:07d}")


def _address(region: Region, serial: int) -> str:
    return f"杭州市{region.district.name}{region.name}{serial}号"


def _organizations() -> dict[str, Organization]:
    result = {}
    for serial, (name, form, category, code, status, person, established, funds) in enumerate(ORGANIZATIONS, 1):
        org = Organization.objects.filter(name=name).first()
        if org is None:
            org = services.organization_create(
                by=None,
                name=name,
                legal_form=form,
                category=category,
                region=Region.objects.get(code=code),
                uscc=_code(serial, form) if form != CF else None,
                status=status,
                legal_representative=person,
                phone=f"0571-8{serial:03d}6{serial:03d}",
                address=_address(Region.objects.get(code=code), serial),
                established_on=datetime.date.fromisoformat(established),
                funds=Decimal(funds) if funds else None,
                business_scope="开展社区服务、邻里互助和文体活动。",
                member_count=10 + serial * 3,
                staff_count=serial % 4,
                volunteer_count=5 * serial,
            )
        result[name] = org
    return result


# The founders (发起人) of the demo establishment: residents of its street's communities and a unit
# there — (name, resident or unit, community code or None, address, contact).
FOUNDERS = [
    ("孙悦", "resident", "330106001002", "宝石山下一弄3号", "13805710002"),
    ("李建国", "resident", "330106001001", "保俶路12号", "13805710003"),
    ("北山街道文化站", "unit", None, "北山街道文化站", "0571-87960000"),
]


def _founders() -> list[dict]:
    return [
        {"name": name, "kind": kind, "community": Region.objects.get(code=code).pk if code else None,
         "address": address, "contact": contact}
        for name, kind, code, address, contact in FOUNDERS
    ]  # fmt: skip


def _pdf(title: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4\n% demo\n%%EOF\n")


def _applications() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["staff", "street", "org"])}
    if len(users) < 3:
        return
    staff, street = users["staff"], users["street"]
    if not Application.objects.filter(data__name="宝石社区银龄互助队").exists():
        filing = services.application_create(
            by=staff,
            kind=ApplicationKind.FILE,
            data={
                "name": "宝石社区银龄互助队",
                "legal_form": CF,
                "category": Category.MUTUAL_AID,
                "region": Region.objects.get(code="330106001002").pk,
                "legal_representative": "钱桂英",
                "phone": "13805710001",
                "address": "宝石社区服务中心二楼",
                "member_count": 18,
            },
        )
        for kind in (AttachmentKind.ARTICLES, AttachmentKind.IDENTITY):
            services.attachment_add(application=filing, by=staff, kind=kind, upload=_pdf(kind.label))
        services.application_submit(application=filing, by=staff)
    if not Application.objects.filter(data__name="北山街道青少年服务中心").exists():
        establish = services.application_create(
            by=staff,
            kind=ApplicationKind.ESTABLISH,
            data={
                "name": "北山街道青少年服务中心",
                "legal_form": SS,
                "category": Category.RESIDENT_SERVICES,
                "region": Region.objects.get(code="330106001").pk,
                "legal_representative": "孙悦",
                "phone": "13805710002",
                "address": "北山街道文化站",
                "funds": "3.00",
            },
            founders=_founders(),
        )
        for kind in (AttachmentKind.ARTICLES, AttachmentKind.IDENTITY, AttachmentKind.PREMISES):
            services.attachment_add(application=establish, by=staff, kind=kind, upload=_pdf(kind.label))
        services.application_submit(application=establish, by=staff)
    org = Organization.objects.get(name="保俶塔社区文体队")
    if not Application.objects.filter(organization=org, kind=ApplicationKind.CHANGE).exists():
        change = services.application_create(
            by=staff,
            kind=ApplicationKind.CHANGE,
            organization=org,
            data={"legal_representative": "郑丽华", "member_count": 40},
        )
        services.application_submit(application=change, by=staff)
        services.application_return(
            application=change,
            by=street,
            reason="请补充选举新负责人的会员大会会议纪要。",
        )


def seed(context: dict) -> None:
    organizations = _organizations()
    org_user = User.objects.filter(username="org").first()
    if org_user is not None and not OrganizationMember.objects.filter(user=org_user).exists():
        services.organization_member_link(user=org_user, organization=organizations["宝石社区邻里互助会"])
    _applications()
    context["stdout"].write(_("Registry: %(n)d organizations.") % {"n": Organization.objects.count()})
