"""Coverage statistics (党建覆盖统计) of a node of the jurisdiction tree on a date, in the format bureaus
publish: one row per child node (and one for the organizations attached to the node itself, when there
are any), then the total.

Every figure is counted in the database: one aggregate query per figure family (organizations,
coverage, party organizations, contacts, overdue organizations), each grouped by the child node an
organization belongs to — the first part of its region's path, cut at the length of the children's
paths (a region's path is its codes from the root, '/'-ended, and the codes of one level have one
length) — with conditional aggregation. Python only adds the few group rows into the total and works
out the rates (to one decimal, rounded half up; none without organizations).

Party organizations counted are those formed in or for the organizations: the responsible party
bodies of an area (a community's party organization, a street's party working committee) are not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.models import Region
from core import params
from core.choices import BUREAU_ROLES, Role
from registry.models import Organization

from . import periods, selectors
from .choices import Formation, PartyLevel, PartyOrganizationStatus
from .models import ContactRecord, PartyCoverage, PartyOrganization
from .models.organizations import HAS_PARTY_ORGANIZATION, WORK_COVERED

ONE_DECIMAL = Decimal("0.1")


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage to one decimal, rounded half up; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    key: str
    label: object  # lazy text
    is_rate: bool = False
    group: object = ""  # the heading over several columns (by level, by formation)


LEVEL_KEYS = [f"level_{value}" for value in PartyLevel.values]
FORMATION_KEYS = [f"formation_{value}" for value in Formation.values]

FIGURES: list[Figure] = [
    Figure("organizations", pgettext_lazy("party statistics", "Organizations")),
    Figure("staff", pgettext_lazy("party statistics", "People employed")),
    Figure("volunteers", pgettext_lazy("party statistics", "Registered volunteers")),
    Figure("with_party_organization", pgettext_lazy("party statistics", "Organizations with a party organization")),
    Figure(
        "party_organization_rate", pgettext_lazy("party statistics", "Party organization coverage (%)"), is_rate=True
    ),
    Figure("party_organizations", pgettext_lazy("party statistics", "Party organizations")),
    *(
        Figure(key, label, group=pgettext_lazy("party statistics", "By level"))
        for key, label in zip(LEVEL_KEYS, PartyLevel.labels, strict=True)
    ),
    *(
        Figure(key, label, group=pgettext_lazy("party statistics", "By formation"))
        for key, label in zip(FORMATION_KEYS, Formation.labels, strict=True)
    ),
    Figure("party_members", pgettext_lazy("party statistics", "Party members")),
    Figure("work_covered", pgettext_lazy("party statistics", "Organizations with party work covered")),
    Figure("work_coverage_rate", pgettext_lazy("party statistics", "Party work coverage (%)"), is_rate=True),
    Figure("should_form_own", pgettext_lazy("party statistics", "Should form their own party organization")),
    Figure("contacts", pgettext_lazy("party statistics", "Contacts this period")),
    Figure("overdue", pgettext_lazy("party statistics", "Organizations overdue for a contact")),
]
COUNT_KEYS = [figure.key for figure in FIGURES if not figure.is_rate]


class RowKind:
    CHILD = "child"
    DIRECT = "direct"  # the organizations attached to the node itself, not to a child
    TOTAL = "total"


@dataclass
class Row:
    kind: str
    label: str
    region: Region | None  # the child node; the node itself for the total and direct rows
    figures: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.figures[key]

    def add_rates(self) -> None:
        organizations = self.figures["organizations"]
        self.figures["party_organization_rate"] = rate(self.figures["with_party_organization"], organizations)
        self.figures["work_coverage_rate"] = rate(self.figures["work_covered"], organizations)

    @property
    def values(self) -> list:
        return [self.figures[figure.key] for figure in FIGURES]


@dataclass
class Statistics:
    region: Region
    day: dt.date
    period_start: dt.date
    rows: list[Row]  # children (and the node's own organizations), then the total

    @property
    def total(self) -> Row:
        return self.rows[-1]

    @property
    def parts(self) -> list[Row]:
        return self.rows[:-1]


def children_of(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("path"))


def group_key(path_field: str, region: Region, children: list[Region]):
    """The path of the child node a row belongs to (the node's own path for rows attached to the node
    itself), as an expression on `path_field`."""
    lengths = {len(child.path) for child in children}
    if len(lengths) == 1:
        # Rows at the node itself have a path shorter than the cut: they keep the node's path.
        return Substr(path_field, 1, lengths.pop())
    return Case(  # children whose codes differ in length: one branch each
        *(When(**{f"{path_field}__startswith": child.path}, then=Value(child.path)) for child in children),
        default=Value(region.path),
        output_field=CharField(),
    )


def _grouped(queryset, path_field: str, region: Region, children: list[Region], **aggregates) -> dict:
    """{child path: {name: value}} from one GROUP BY query over the node's subtree."""
    rows = (
        queryset.filter(**{f"{path_field}__startswith": region.path})
        .annotate(_child=group_key(path_field, region, children))
        .order_by()
        .values("_child")
        .annotate(**aggregates)
    )
    return {row.pop("_child"): row for row in rows}


def _organization_figures(region, children, day):
    return _grouped(
        selectors.organizations_as_of(day, Organization.objects.all()),
        "region__path",
        region,
        children,
        organizations=Count("pk"),
        staff=Coalesce(Sum("staff_count"), 0),
        volunteers=Coalesce(Sum("volunteer_count"), 0),
    )


def _coverage_figures(region, children, day):
    return _grouped(
        selectors.coverage_as_of(day, PartyCoverage.objects.all()),
        "organization__region__path",
        region,
        children,
        with_party_organization=Count("pk", filter=Q(form__in=HAS_PARTY_ORGANIZATION)),
        work_covered=Count("pk", filter=Q(form__in=WORK_COVERED)),
        party_members=Coalesce(Sum(F("full_party_members") + F("probationary_party_members")), 0),
        should_form_own=Count("pk", filter=selectors.should_form_own_rule()),
    )


def party_organizations_as_of(day: dt.date, queryset=None):
    """The party organizations formed in or for organizations (not an area's responsible body) that
    existed on `day`: established by then and not yet dissolved."""
    queryset = PartyOrganization.objects.all() if queryset is None else queryset
    return queryset.filter(
        Q(dissolved_on__isnull=True, status=PartyOrganizationStatus.ACTIVE) | Q(dissolved_on__gt=day),
        is_area_body=False,
        established_on__lte=day,
    )


def _party_organization_figures(region, children, day):
    return _grouped(
        party_organizations_as_of(day),
        "region__path",
        region,
        children,
        party_organizations=Count("pk"),
        **{key: Count("pk", filter=Q(level=value)) for key, value in zip(LEVEL_KEYS, PartyLevel.values, strict=True)},
        **{
            key: Count("pk", filter=Q(formation=value))
            for key, value in zip(FORMATION_KEYS, Formation.values, strict=True)
        },
    )


def _contact_figures(region, children, day):
    return _grouped(
        ContactRecord.objects.filter(contacted_on__gte=periods.period_start(day), contacted_on__lte=day),
        "organization__region__path",
        region,
        children,
        contacts=Count("pk"),
    )


def _overdue_figures(region, children, day):
    return _grouped(
        selectors.overdue_organizations(day, Organization.objects.all()),
        "region__path",
        region,
        children,
        overdue=Count("pk"),
    )


FAMILIES = (
    _organization_figures,
    _coverage_figures,
    _party_organization_figures,
    _contact_figures,
    _overdue_figures,
)


def statistics(region: Region, day: dt.date) -> Statistics:
    """The statistics of `region`'s subtree on `day`: one query for the children, one per family."""
    children = children_of(region)
    counted: dict[str, dict] = {}
    for family in FAMILIES:
        for path, values in family(region, children, day).items():
            counted.setdefault(path, {}).update(values)

    def row(kind, label, node, path):
        figures = dict.fromkeys(COUNT_KEYS, 0)
        figures.update(counted.get(path, {}))
        result = Row(kind=kind, label=label, region=node, figures=figures)
        result.add_rates()
        return result

    rows = [row(RowKind.CHILD, child.name, child, child.path) for child in children]
    if region.path in counted or not children:
        label = _("Attached to %(region)s directly") % {"region": region.name} if children else region.name
        rows.append(row(RowKind.DIRECT, label, region, region.path))
    total = Row(
        kind=RowKind.TOTAL,
        label=pgettext("party statistics", "Total"),
        region=region,
        figures=dict.fromkeys(COUNT_KEYS, 0),
    )
    for part in rows:
        for key in COUNT_KEYS:
            total.figures[key] += part.figures[key]
    total.add_rates()
    return Statistics(region=region, day=day, period_start=periods.period_start(day), rows=[*rows, total])


# ------------------------------------------------------------------------------------------ requests

READER_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY}


def may_read(user) -> bool:
    """The bureau, the street officers and the party secretaries read the statistics of their node."""
    return user.is_superuser or (user.role in READER_ROLES and user.region_id is not None)


def requested(request) -> tuple[Region, dt.date]:
    """The node (?region=, default the user's own) and day (?date=, default today) a page or the API
    asks for. A region outside the user's subtree is a 404 (as if it did not exist); a malformed id
    or date a 400 naming the parameter (core.params); a role that reads no statistics a 403."""
    user = request.user
    if not may_read(user):
        raise PermissionDenied(_("Your role may not view the party-building statistics."))
    day = params.query_date(request, "date", default=timezone.localdate())
    pk = params.query_id(request, "region", label=_("region"))
    if pk is None:
        region = user.region or Region.objects.filter(parent__isnull=True).order_by("path").first()
        if region is None:
            raise Http404
        return region, day
    region = Region.objects.filter(pk=pk).first()
    if region is None or (user.region is not None and not user.region.contains(region)):
        raise Http404
    return region, day
