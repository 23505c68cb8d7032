"""List columns of the party app; the same columns are exported (core.exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import ActionsColumn, BaseTable, FromQuery
from registry.choices import PartyForm
from registry.models import Organization

from .choices import PartyOrganizationStatus
from .models import ContactRecord, JointMeeting, PartyActivity, PartyOrganization

_FORMS = dict(PartyForm.choices)


def form_label(code) -> str:
    """A coverage form's label; no row in force reads “not recorded”."""
    return str(_FORMS.get(code, "")) if code else str(_("Not recorded"))


def yes_no(value) -> str:
    if value is None:
        return ""
    return str(_("Yes")) if value else str(_("No"))


class StreetColumn(tables.Column):
    """The street of a row's organization (its region, or the region's parent when a community)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", _("street"))
        kwargs.setdefault("accessor", "organization__region")
        kwargs.setdefault("order_by", (f"{kwargs['accessor']}__path",))
        super().__init__(**kwargs)

    def render(self, value):
        region = value.parent if value.level == "community" and value.parent_id else value
        return str(region)

    def value(self, value):
        return self.render(value)

    def from_query(self, bound_column):
        region = "__".join(tables.A(bound_column.accessor).bits)
        return FromQuery(f"{region}__level", f"{region}__name", f"{region}__parent__name", function=_street_name)


def _street_name(level, name, parent_name):
    return parent_name if level == "community" and parent_name else name


class RegionColumn(tables.Column):
    """A node's name with its street, e.g. 一街道 / 一街道一社区."""

    def __init__(self, accessor="region", **kwargs):
        kwargs.setdefault("verbose_name", _("region"))
        kwargs.setdefault("order_by", (f"{accessor}__path",))
        super().__init__(accessor=accessor, **kwargs)

    def render(self, value):
        return _region_name(value.level, value.name, value.parent.name if value.parent_id else "")

    def value(self, value):
        return self.render(value)

    def from_query(self, bound_column):
        region = "__".join(tables.A(bound_column.accessor).bits)
        return FromQuery(f"{region}__level", f"{region}__name", f"{region}__parent__name", function=_region_name)


def _region_name(level, name, parent_name):
    return f"{parent_name} / {name}" if level == "community" and parent_name else name


class PartyOrganizationTable(BaseTable):
    sortable = ("name", "established_on", "term_ends_on")
    name = tables.Column(verbose_name=_("name"), linkify=True)
    level = tables.Column(verbose_name=_("level"))
    formation = tables.Column(verbose_name=_("formation"))
    region = RegionColumn()
    secretary = tables.Column(verbose_name=_("secretary"))
    full_member_count = tables.Column(verbose_name=_("full members"), attrs={"td": {"class": "text-end"}})
    probationary_member_count = tables.Column(
        verbose_name=_("probationary members"), attrs={"td": {"class": "text-end"}}
    )
    established_on = tables.DateColumn(verbose_name=_("established on"))
    term_ends_on = tables.DateColumn(verbose_name=_("term ends on"))
    status = tables.Column(verbose_name=_("status"))
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = PartyOrganization
        fields = ("name", "level", "formation", "region", "secretary", "full_member_count",
                  "probationary_member_count", "established_on", "term_ends_on", "status")  # fmt: skip


class _OrganizationTable(BaseTable):
    """Organizations (rows of registry.Organization) read by the party app's lists."""

    name = tables.Column(verbose_name=_("organization"), linkify=True)
    street = StreetColumn(accessor="region", order_by=("region__path",))
    region = tables.Column(verbose_name=_("community"), order_by=("region__path",))

    def render_region(self, value):
        return value.name if value.level == "community" else "—"

    def value_region(self, value):
        return value.name if value.level == "community" else ""


class PartyCoverageTable(_OrganizationTable):
    """One row per organization: its coverage in force on the list's date (annotations of
    party.filtersets.coverage_in_force)."""

    sortable = ("name",)

    coverage_form = tables.Column(
        verbose_name=_("form of party building"), empty_values=(), order_by=("coverage_form",)
    )
    coverage_party_organization = tables.Column(verbose_name=_("party organization"))
    coverage_full_members = tables.Column(verbose_name=_("full party members"), attrs={"td": {"class": "text-end"}})
    coverage_probationary_members = tables.Column(
        verbose_name=_("probationary party members"), attrs={"td": {"class": "text-end"}}
    )
    coverage_head_is_member = tables.Column(verbose_name=_("person in charge a party member"))
    coverage_instructor = tables.Column(verbose_name=_("party-building instructor"))
    coverage_trade_union_on = tables.DateColumn(verbose_name=_("trade union"))
    coverage_youth_league_on = tables.DateColumn(verbose_name=_("Youth League"))
    coverage_women_org_on = tables.DateColumn(verbose_name=_("women's organization"))
    coverage_valid_from = tables.DateColumn(verbose_name=_("in force from"))
    actions = ActionsColumn(template_name="party/includes/coverage_actions.html")

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("name", "street", "region", "coverage_form", "coverage_party_organization", "coverage_full_members",
                  "coverage_probationary_members", "coverage_head_is_member", "coverage_instructor",
                  "coverage_trade_union_on", "coverage_youth_league_on", "coverage_women_org_on",
                  "coverage_valid_from")  # fmt: skip

    export_from_query = {
        "coverage_form": FromQuery("coverage_form", function=form_label),
        "coverage_head_is_member": FromQuery("coverage_head_is_member", function=yes_no),
        "coverage_party_organization": FromQuery("coverage_party_organization", function=lambda v: v or ""),
        "coverage_instructor": FromQuery("coverage_instructor", function=lambda v: v or ""),
    }

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        # An organization's own account reads its coverage, not the party organizations' pages.
        self.links = user is not None and PartyOrganization.access_policy.allows(user, "view")

    def render_coverage_form(self, record):
        return form_label(record.coverage_form)

    def render_coverage_head_is_member(self, value):
        return yes_no(value)

    def render_coverage_party_organization(self, record, value):
        if not self.links:
            return value
        url = reverse("party:partyorganization_detail", args=[record.coverage_party_organization_pk])
        return format_html('<a href="{}">{}</a>', url, value)


class OverdueTable(_OrganizationTable):
    """Organizations overdue for a contact: their last contact and who is responsible for them."""

    sortable = ("name",)

    last_contact_on = tables.DateColumn(verbose_name=_("last contact"), empty_values=())
    responsible = tables.Column(verbose_name=_("responsible party body"), accessor="region", orderable=False)
    actions = ActionsColumn(template_name="party/includes/overdue_actions.html",
                            extra_context=lambda table: {"can_record": table.can_record})  # fmt: skip

    class Meta(BaseTable.Meta):
        model = Organization
        fields = ("name", "street", "region", "last_contact_on", "responsible")
        order_by = ("last_contact_on",)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.user = getattr(request, "user", None)
        self.can_record = self.user is not None and ContactRecord.access_policy.allows(self.user, "add")
        self._bodies = None

    @property
    def bodies(self) -> dict:
        if self._bodies is None:
            self._bodies = area_bodies(self.user)
        return self._bodies

    def order_last_contact_on(self, queryset, is_descending):
        """Never contacted first (the longest overdue), then the oldest last contact; descending the
        other way round."""
        field = F("last_contact_on")
        order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_first=True)
        return queryset.order_by(order, "name", "pk"), True

    def render_last_contact_on(self, value):
        return value.strftime("%Y-%m-%d") if value else _("Never")

    def value_last_contact_on(self, value):
        return value

    def _body(self, region):
        body = self.bodies.get(region.pk)
        if body is None and region.level == "community" and region.parent_id:
            body = self.bodies.get(region.parent_id)
        return body

    def render_responsible(self, value):
        body = self._body(value)
        return body.name if body is not None else _("Not recorded")

    def value_responsible(self, value):
        return str(self.render_responsible(value))


def area_bodies(user) -> dict:
    """{node pk: its active responsible party body} over the user's district (one query): the
    community's party organization, or the street's party working committee."""
    bodies = PartyOrganization.objects.filter(is_area_body=True, status=PartyOrganizationStatus.ACTIVE)
    region = getattr(user, "region", None)
    if region is not None:
        root = region.district if region.district_id else region
        bodies = bodies.filter(region__path__startswith=root.path)
    return {body.region_id: body for body in bodies.order_by("pk")}


class ContactRecordTable(BaseTable):
    sortable = ("contacted_on",)
    contacted_on = tables.DateColumn(verbose_name=_("contacted on"), linkify=True)
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    form = tables.Column(verbose_name=_("form of contact"))
    topics = tables.Column(verbose_name=_("topics"))
    issues = tables.Column(verbose_name=_("issues raised"))
    party_organization = tables.Column(verbose_name=_("responsible party body"), order_by=("party_organization__name",))
    recorded_by = tables.Column(verbose_name=_("recorded by"), order_by=("recorded_by__full_name",))
    street = StreetColumn()
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = ContactRecord
        fields = ("contacted_on", "organization", "form", "topics", "issues", "party_organization", "recorded_by",
                  "street")  # fmt: skip

    def render_recorded_by(self, value):
        return value.full_name or value.username

    def value_recorded_by(self, value):
        return value.full_name or value.username


class PartyActivityTable(BaseTable):
    sortable = ("held_on",)
    held_on = tables.DateColumn(verbose_name=_("held on"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"))
    topic = tables.Column(verbose_name=_("topic"))
    host = tables.Column(verbose_name=_("host"), order_by=("host__name",))
    head_count = tables.Column(verbose_name=_("head count"), attrs={"td": {"class": "text-end"}})
    region = RegionColumn()
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = PartyActivity
        fields = ("held_on", "kind", "topic", "host", "head_count", "region")


class JointMeetingTable(BaseTable):
    sortable = ("held_on",)
    held_on = tables.DateColumn(verbose_name=_("held on"), linkify=True)
    topic = tables.Column(verbose_name=_("topic"))
    host = tables.Column(verbose_name=_("host"), order_by=("host__name",))
    region = RegionColumn()
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        model = JointMeeting
        fields = ("held_on", "topic", "host", "region")
