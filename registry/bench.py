"""Registry benchmarks for `manage.py bench`: the roster import at 20,000 rows and the
organization list's Excel export at 20,000 rows. `import_generated_roster` is shared with the
benchmarks of apps that need a district's worth of organizations (supervision's daily job)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.choices import Role
from accounts.models import Region
from accounts.services import region_create, user_create
from core.bench import bench_list_export
from core.xlsx import Sheet, write_workbook

from . import uscc
from .choices import Category, LegalForm, RegistrationLevel
from .models import Organization
from .services_import import roster_import_confirm, roster_import_start
from .views import OrganizationListView

ROSTER_ROWS = 20_000
EXPORT_ROWS = 20_000
HEADERS = ["名称", "统一社会信用代码", "类型", "类别", "所属街道", "所属社区", "负责人", "联系电话", "住所", "成立日期"]
FORMS = ["社区社会组织", "社会团体", "民办非企业单位", "社区社会组织"]
CATEGORIES = ["为民服务", "公益慈善", "邻里互助", "平安建设", "文体娱乐", "农村生产技术服务"]
CATEGORY_CODES = list(Category.values)


def scratch_district() -> Region:
    """A district of its own (three streets of two communities), with a code nobody uses."""
    used = set(Region.objects.filter(code__startswith="99").values_list("code", flat=True))
    code = next(f"99{n:04d}" for n in range(10_000) if f"99{n:04d}" not in used)
    district = region_create(code=code, name="基准测试区")
    for s in range(1, 4):
        street = region_create(code=f"{code}{s:03d}", name=f"基准街道{s}", parent=district)
        for c in range(1, 3):
            region_create(code=f"{street.code}{c:03d}", name=f"基准街道{s}社区{c}", parent=street)
    return district


def generated_roster(district: Region, rows: int) -> bytes:
    """A roster of `rows` organizations: half registered (with valid credit codes), half filed."""

    def lines():
        for i in range(rows):
            legal_form = FORMS[i % len(FORMS)]
            street = 1 + i % 3
            code = uscc.complete(f"5{'1' if legal_form == '社会团体' else '2'}{district.code}MJ{i:07d}")
            yield [
                f"基准组织{i:06d}", code if legal_form != "社区社会组织" else None, legal_form,
                CATEGORIES[i % len(CATEGORIES)], f"基准街道{street}", f"基准街道{street}社区{1 + i % 2}",
                "张三", "0571-88000000", f"基准路{i}号", dt.date(2015 + i % 10, 1 + i % 12, 1 + i % 28),
            ]  # fmt: skip

    buffer = io.BytesIO()
    write_workbook(buffer, [Sheet("名册", HEADERS, lines())])
    return buffer.getvalue()


def import_generated_roster(measure, rows: int):
    """Import a generated roster of `rows` organizations into a scratch district, measured; returns
    the import (whose file the caller deletes)."""
    district = scratch_district()
    staff = user_create(username=f"bench-{district.code}", password=None, by=None, role=Role.BUREAU_STAFF,
                        region=district)  # fmt: skip
    content = generated_roster(district, rows)
    upload = SimpleUploadedFile("基准名册.xlsx", content)
    # Measured in-process (the request path), without a Celery worker in between.
    with (
        override_settings(REGISTRY_ROSTER_IMPORT_SYNC_MAX_BYTES=len(content) + 1),
        measure(rows=rows, note="upload, dry run, confirm, import"),
    ):
        roster_import = roster_import_start(file=upload, by=staff)
        roster_import = roster_import_confirm(roster_import=roster_import, by=staff)
    if roster_import.imported_count != rows:
        roster_import.file.delete(save=False)
        raise AssertionError(f"imported {roster_import.imported_count} of {rows}: {roster_import.errors[:5]}")
    return roster_import


def bench_roster_import(measure, scale: float = 1.0):
    roster_import = import_generated_roster(measure, max(1, int(ROSTER_ROWS * scale)))
    roster_import.file.delete(save=False)


def bench_organization_export(measure, scale: float = 1.0):
    """The organization list's Excel export, whole pipeline against bare openpyxl (core.bench)."""
    rows = max(30, int(EXPORT_ROWS * scale))
    district = scratch_district()
    staff = user_create(username=f"bench-export-{district.code}", password=None, by=None, role=Role.BUREAU_STAFF,
                        region=district)  # fmt: skip
    streets = list(district.children.order_by("code"))
    communities = {street.pk: list(street.children.order_by("code")) for street in streets}
    batch = []
    for i in range(rows):
        street = streets[i % len(streets)]
        region = communities[street.pk][i % 2] if i % 5 else street
        registered = i % 2 == 0
        batch.append(Organization(
            name=f"基准导出组织{i:06d}", legal_form=LegalForm.SOCIAL_GROUP if registered else LegalForm.COMMUNITY_FILED,
            registration_level=RegistrationLevel.REGISTERED if registered else RegistrationLevel.FILED,
            category=CATEGORY_CODES[i % len(CATEGORY_CODES)],
            uscc=uscc.complete(f"51{district.code}ME{i:07d}") if registered else None,
            filing_number=None if registered else f"{district.code}-BENCH-{i:06d}",
            region=region, district=district, legal_representative="张三", phone="0571-88000000",
            address=f"基准路{i}号", established_on=dt.date(2015 + i % 10, 1 + i % 12, 1 + i % 28) if i % 7 else None,
        ))  # fmt: skip
        if len(batch) == 5000:
            Organization.objects.bulk_create(batch)
            batch = []
    Organization.objects.bulk_create(batch)
    fewer = Organization.objects.filter(region__path__startswith=streets[0].path).count()
    bench_list_export(
        measure, view_class=OrganizationListView, path="/registry/organizations/", user=staff,
        label="Excel export of organizations", rows=rows, smaller={"street": streets[0].pk}, fewer=fewer,
        warm_up={"q": "基准导出组织00000"},
    )  # fmt: skip


BENCHMARKS = [
    ("Roster import: 20,000 generated rows", bench_roster_import),
    ("Excel export: 20,000 organizations", bench_organization_export),
]
