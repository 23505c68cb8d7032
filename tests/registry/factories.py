"""Factories for organizations and their accounts; every write goes through the services."""

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.choices import Role
from registry import services, uscc, workflows
from registry.choices import ApplicationKind, Category, LegalForm
from registry.models import Application, Organization, OrganizationMember

from ..accounts.factories import make_user

_serial = itertools.count(1)


def make_uscc(category_digit: str = "1", region_code: str = "330106") -> str:
    """A valid civil-affairs credit code, different each call."""
    return uscc.complete(f"5{category_digit}{region_code}MJ{next(_serial):07d}")


def make_organization(region, **fields) -> Organization:
    """An active organization at `region` (a street or community); registered social group unless
    `legal_form` says otherwise. Registered forms get a valid credit code, filed ones a number."""
    n = next(_serial)
    legal_form = fields.setdefault("legal_form", LegalForm.SOCIAL_GROUP)
    fields.setdefault("name", f"测试社会组织{n}")
    fields.setdefault("category", Category.RESIDENT_SERVICES)
    fields.setdefault("legal_representative", "张三")
    fields.setdefault("phone", "0571-88880000")
    fields.setdefault("address", "测试路1号")
    if legal_form != LegalForm.COMMUNITY_FILED:
        fields.setdefault("uscc", make_uscc(uscc.FORM_CHARACTERS[legal_form]))
    by = fields.pop("by", None)
    return services.organization_create(by=by, region=region, **fields)


def make_org_user(organization: Organization, **extra):
    """An org_user account at the organization's region, acting for it."""
    user = make_user(Role.ORG_USER, organization.region, **extra)
    services.organization_member_link(user=user, organization=organization)
    user.__dict__.pop("organization_id", None)
    return user


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_file(main_part: str) -> bytes:
    """A minimal docx ("word/document.xml") or xlsx ("xl/workbook.xml") package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


def upload(name="章程.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def new_organization_data(region, legal_form=LegalForm.COMMUNITY_FILED, **fields) -> dict:
    n = next(_serial)
    return {
        "name": f"新建社会组织{n}",
        "legal_form": legal_form,
        "category": Category.MUTUAL_AID,
        "region": region.pk,
        "legal_representative": "王五",
        "phone": "13800000000",
        "address": "测试街2号",
        "business_scope": "邻里互助服务",
        "member_count": 12,
        **fields,
    }


def founders_for(region) -> list[dict]:
    """Two founders of an establishment at `region`: a resident of its community (or at an address
    when the region is a street) and a unit there."""
    community = region.pk if region is not None and region.level == "community" else None
    return [
        {"name": "刘居民", "kind": "resident", "community": community, "address": "" if community else "一街道8号",
         "contact": "13900000001"},
        {"name": "社区物业服务中心", "kind": "unit", "community": community, "address": "服务中心一楼",
         "contact": "0571-88886666"},
    ]  # fmt: skip


def founder_rows(community, rows=None) -> dict:
    """The application form's founder rows (a Django formset) as POST data."""
    rows = rows if rows is not None else [
        {"name": "刘居民", "kind": "resident", "community": community.pk, "address": "", "contact": "13900000001"},
    ]  # fmt: skip
    data = {"founders-TOTAL_FORMS": str(len(rows)), "founders-INITIAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data.update({f"founders-{index}-{name}": "" if value is None else value for name, value in row.items()})
    return data


def make_application(by, kind=ApplicationKind.FILE, organization=None, region=None, attach=True, **fields):
    """A draft application (with its required attachments unless attach=False)."""
    data = None
    founders = fields.pop("founders", None)
    if kind == ApplicationKind.ESTABLISH and founders is None:
        founders = founders_for(region or by.region)
    if kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE):
        legal_form = fields.pop(
            "legal_form", LegalForm.COMMUNITY_FILED if kind == ApplicationKind.FILE else LegalForm.SOCIAL_GROUP
        )
        data = new_organization_data(region or by.region, legal_form=legal_form, **fields)
    elif kind == ApplicationKind.CHANGE:
        data = fields or {"phone": "0571-12345678"}
    application = services.application_create(
        by=by,
        kind=kind,
        organization=organization,
        data=data,
        liquidation_conclusion="清算完毕，债权债务已处理完结。" if kind == ApplicationKind.DEREGISTER else "",
        founders=founders,
    )
    if attach:
        for attachment_kind in workflows.REQUIRED_ATTACHMENTS[kind]:
            services.attachment_add(application=application, by=by, kind=attachment_kind, upload=upload())
    return application


__all__ = [
    "Application",
    "OrganizationMember",
    "founder_rows",
    "founders_for",
    "make_application",
    "make_org_user",
    "make_organization",
    "make_uscc",
    "office_file",
    "upload",
]
