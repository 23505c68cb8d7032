"""List columns of organizations and applications; the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel
from core.tables import ActionsColumn, BaseTable, FromQuery

from . import extensions, selectors
from .models import Application, Organization, RosterImport


class OverlayColumn(tables.Column):
    """The overlays an organization currently carries (registry.extensions, annotated by
    selectors.with_overlays)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("lists"))
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    def render(self, record):
        return self.value(record) or "—"

    def value(self, record):
        return "、".join(str(overlay.short) for overlay in extensions.overlays_of(record))

    def from_query(self, bound_column):
        declared = extensions.overlays()
        shorts = [str(overlay.short) for overlay in declared]

        def names(*listed):
            return "、".join(name for name, on in zip(shorts, listed, strict=True) if on)

        return FromQuery(*(overlay.annotation for overlay in declared), function=names)


def _street_name(level, name, parent_name):
    """selectors.street_of, on the values an export reads."""
    return name if level == RegionLevel.STREET else parent_name


def _community_name(level, name):
    return name if level == RegionLevel.COMMUNITY else None


class OrganizationTable(BaseTable):
    sortable = ("name", "number", "established_on")
    name = tables.Column(verbose_name=_("name"), linkify=True)
    number = tables.Column(
        verbose_name=_("code / filing number"), accessor="uscc", order_by=("uscc", "filing_number"), empty_values=()
    )
    legal_form = tables.Column(verbose_name=_("legal form"))
    category = tables.Column(verbose_name=_("category"))
    street = tables.Column(verbose_name=_("street"), accessor="region", order_by=("region__path",), empty_values=())
    community = tables.Column(verbose_name=_("community"), accessor="region", orderable=False, empty_values=())
    legal_representative = tables.Column(verbose_name=_("person in charge"))
    phone = tables.Column(verbose_name=_("phone"))
    established_on = tables.DateColumn(verbose_name=_("established on"))
    status = tables.Column(verbose_name=_("status"))
    overlays = OverlayColumn()
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Organization
        fields = (
            "name",
            "number",
            "legal_form",
            "category",
            "street",
            "community",
            "legal_representative",
            "phone",
            "established_on",
            "status",
            "overlays",
            "actions",
        )

    export_from_query = {
        "number": FromQuery("uscc", "filing_number", function=lambda uscc, filing_number: uscc or filing_number),
        "street": FromQuery("region__level", "region__name", "region__parent__name", function=_street_name),
        "community": FromQuery("region__level", "region__name", function=_community_name),
    }

    def render_number(self, record):
        return record.number or "—"

    def value_number(self, record):
        return record.number

    def render_street(self, record):
        street = selectors.street_of(record.region)
        return street.name if street else "—"

    def value_street(self, record):
        street = selectors.street_of(record.region)
        return street.name if street else ""

    def render_community(self, record):
        community = selectors.community_of(record.region)
        return community.name if community else "—"

    def value_community(self, record):
        community = selectors.community_of(record.region)
        return community.name if community else ""


class PublicOrganizationTable(OrganizationTable):
    sortable = ("name", "number", "established_on")
    name = tables.Column(
        verbose_name=_("name"), linkify=("registry_public:organization_detail", {"pk": tables.A("pk")})
    )

    class Meta(OrganizationTable.Meta):
        fields = (
            "name",
            "number",
            "legal_form",
            "category",
            "street",
            "community",
            "legal_representative",
            "established_on",
            "status",
            "overlays",
        )
        exclude = ("phone", "actions")


class ApplicationTable(BaseTable):
    sortable = ("number", "submitted_at", "reviewed_at")
    number = tables.Column(verbose_name=_("application number"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"))
    organization_name = tables.Column(verbose_name=_("organization"), accessor="display_name", orderable=False)
    legal_form = tables.Column(verbose_name=_("legal form"))
    # The founders an establishment names (selectors.applications annotates them in the query).
    founders = tables.Column(verbose_name=_("founders"), accessor="founder_names", orderable=False)
    region = tables.Column(verbose_name=_("region"), order_by=("region__path",))
    applicant = tables.Column(verbose_name=_("applicant"))
    state = tables.Column(verbose_name=_("state"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("submitted at"))
    reviewed_at = tables.DateTimeColumn(verbose_name=_("decided at"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = Application
        fields = (
            "number",
            "kind",
            "organization_name",
            "legal_form",
            "founders",
            "region",
            "applicant",
            "state",
            "submitted_at",
            "reviewed_at",
            "actions",
        )

    export_from_query = {"founders": FromQuery("founder_names", function=lambda names: names or "")}


class RosterImportTable(BaseTable):
    sortable = ("created_at",)
    original_name = tables.Column(verbose_name=_("file name"), linkify=True)
    created_at = tables.DateTimeColumn(verbose_name=_("uploaded at"), format="DATETIME_FORMAT")
    created_by = tables.Column(verbose_name=_("uploaded by"))
    status = tables.Column(verbose_name=_("status"))
    all_or_nothing = tables.BooleanColumn(verbose_name=_("all or nothing"))
    total_rows = tables.Column(verbose_name=_("rows"))
    valid_rows = tables.Column(verbose_name=_("valid rows"))
    error_count = tables.Column(verbose_name=_("errors"))
    imported_count = tables.Column(verbose_name=_("imported"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = RosterImport
        fields = ("original_name", "created_at", "created_by", "status", "all_or_nothing", "total_rows",
                  "valid_rows", "error_count", "imported_count")  # fmt: skip
