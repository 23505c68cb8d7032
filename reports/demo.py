"""Demo reports (last in app order, after every domain app's demo): the demo regions' urban/rural
setting, the rollups of the last eight quarters (so the city's dashboard and its trend have figures
at once, without waiting for the nightly job), and the quarterly review workbook of the quarter whose
submission deadline last passed, built as the daily job would build it.

Idempotent: the area setting is written only where it differs, rollups only where figures changed,
and the scheduled workbook only when the quarter has none."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.choices import AreaKind
from accounts.models import Region
from accounts.services import region_update

from .management.commands.refresh_rollups import refresh_quarters
from .services.workbooks import workbook_build, workbooks_build_due

# 北山街道 and 西溪街道 are town centre; 翠苑街道 too, but for 学院路社区 the demo calls rural (a
# village community kept on the street's books); 滨江区's 长河街道 is a former township.
AREAS = {
    "330106001": AreaKind.URBAN,
    "330106002": AreaKind.URBAN,
    "330106003": AreaKind.URBAN,
    "330106003002": AreaKind.RURAL,
    "330108001": AreaKind.URBAN,
    "330108002": AreaKind.RURAL,
}


def seed(context: dict) -> None:
    for region in Region.objects.filter(code__in=AREAS):
        if region.area_kind != AREAS[region.code]:
            region_update(region=region, by=None, area_kind=AREAS[region.code])
    written = refresh_quarters(8)
    result = workbooks_build_due()
    for pk in result["queued"]:
        workbook_build(pk)
    context["stdout"].write(
        _("Reports: %(rollups)d rollups refreshed, %(workbooks)d quarterly workbooks built.")
        % {"rollups": written, "workbooks": len(result["queued"])}
    )
