"""Coverage statistics: exact figures counted in the database, at city, district and street level, on
the published day and on a day before the coverage changed; the query counts; 应建未建; contacts at
quarter boundaries; the page (links, 404/400), its xlsx export and the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from party import bench, selectors
from party.choices import ContactForm, Formation, PartyLevel, PartyOrganizationStatus
from party.models import ContactRecord, PartyCoverage, PartyOrganization
from party.statistics import FORMATION_KEYS, LEVEL_KEYS, RowKind, rate, statistics
from registry.choices import OrganizationStatus, PartyForm
from registry.models import Organization
from tests.registry.factories import make_organization

DAY, BEFORE = bench.DAY, bench.BEFORE
QUERIES = 6  # the children, then organizations, coverage, party organizations, contacts, overdue


# ----------------------------------------------------------------------------- expected, counted here


def half_up(part: int, whole: int) -> Decimal | None:
    """part/whole in percent to one decimal, half up, by integer arithmetic."""
    if whole == 0:
        return None
    tenths = (2000 * part + whole) // (2 * whole)
    return Decimal(tenths) / 10


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter_start(day: dt.date) -> dt.date:
    return quarter_start(quarter_start(day) - dt.timedelta(days=1))


def active(org, day) -> bool:
    alive = org.status == OrganizationStatus.ACTIVE or (org.status_changed_on and org.status_changed_on > day)
    return org.established_on <= day and bool(alive)


def expected(population, inside, day) -> dict:
    """Every figure for the organizations whose region satisfies `inside(region)`."""
    orgs = [o for o in population.organizations if inside(o.region) and active(o, day)]
    counted = {id(o) for o in orgs}
    covers = [
        c for c in population.coverages
        if id(c.org) in counted and c.valid_from <= day and (c.valid_to is None or c.valid_to > day)
    ]  # fmt: skip
    bodies = [
        b for b in population.party_organizations
        if inside(b.region) and not b.is_area_body and b.established_on <= day
        and (b.dissolved_on is None or b.dissolved_on > day)
    ]  # fmt: skip
    last = {}
    for org, when in population.contacts:
        if when <= day and (id(org) not in last or last[id(org)] < when):
            last[id(org)] = when
    threshold = previous_quarter_start(day)
    figures = {
        "organizations": len(orgs),
        "staff": sum(o.staff for o in orgs),
        "volunteers": sum(o.volunteers for o in orgs),
        "with_party_organization": sum(c.form in (PartyForm.STANDALONE, PartyForm.JOINT) for c in covers),
        "party_organizations": len(bodies),
        "party_members": sum(c.full + c.probationary for c in covers),
        "work_covered": sum(c.form != PartyForm.NONE for c in covers),
        "should_form_own": sum(c.full >= 3 and c.form != PartyForm.STANDALONE for c in covers),
        "contacts": sum(inside(o.region) and quarter_start(day) <= w <= day for o, w in population.contacts),
        "overdue": sum(last.get(id(o), o.established_on) < threshold for o in orgs),
    }
    for level in PartyLevel.values:
        figures[f"level_{level}"] = sum(b.level == level for b in bodies)
    for formation in Formation.values:
        figures[f"formation_{formation}"] = sum(b.formation == formation for b in bodies)
    figures["party_organization_rate"] = half_up(figures["with_party_organization"], figures["organizations"])
    figures["work_coverage_rate"] = half_up(figures["work_covered"], figures["organizations"])
    return figures


def under(node):
    return lambda region: region.path.startswith(node.path)


def at(node):
    return lambda region: region.pk == node.pk


def check_node(population, node, day, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        result = statistics(node, day)
    children = [r for r in result.rows if r.kind == RowKind.CHILD]
    assert [r.region.pk for r in children] == list(node.children.order_by("path").values_list("pk", flat=True))
    for row in children:
        assert row.figures == expected(population, under(row.region), day), row.label
    direct = [r for r in result.rows if r.kind == RowKind.DIRECT]
    if any(o.region.pk == node.pk for o in population.organizations):
        assert len(direct) == 1 and direct[0].figures == expected(population, at(node), day)
    assert result.total.kind == RowKind.TOTAL
    assert result.total.figures == expected(population, under(node), day)
    return result


@pytest.fixture
def population(db):
    return bench.build_population()


def test_the_published_population_every_figure_at_every_level(population, django_assert_num_queries):
    city = check_node(population, population.city, DAY, django_assert_num_queries)
    total = city.total
    # The city's published figures, as such.
    assert (total["organizations"], total["staff"], total["volunteers"]) == (3023, 60_000, 1_100_000)
    assert (total["with_party_organization"], total["party_organizations"], total["party_members"]) == (1100, 700, 6252)
    assert total["party_organization_rate"] == Decimal("36.4")  # 1100 / 3023 = 36.387 %
    assert total["work_covered"] == 1100 + 900 and total["work_coverage_rate"] == Decimal("66.2")  # 66.159 %
    assert sum(total[key] for key in LEVEL_KEYS) == sum(total[key] for key in FORMATION_KEYS) == 700
    assert total["formation_standalone"] == 500 and total["formation_joint"] == 150
    assert [r.label for r in city.parts] == [d.name for d in population.districts]
    for district in population.districts:
        check_node(population, district, DAY, django_assert_num_queries)
    for street in population.streets:
        result = check_node(population, street, DAY, django_assert_num_queries)
        assert any(r.kind == RowKind.DIRECT for r in result.rows)  # organizations attached to the street
    check_node(population, population.communities[0], DAY, django_assert_num_queries)


def test_the_figures_before_the_coverage_change(population, django_assert_num_queries):
    before = check_node(population, population.city, BEFORE, django_assert_num_queries).total
    after = statistics(population.city, DAY).total
    # 30 standalone party organizations were formed on the change day (their organizations had 3+
    # members and none: 应建未建), 5 covering one organization each were dissolved in between; 12
    # organizations were founded and 15 deregistered in between.
    assert before["party_organizations"] == 700 - 30 + 5
    assert before["with_party_organization"] != after["with_party_organization"]
    assert before["work_covered"] != after["work_covered"]
    assert before["organizations"] == 3023 - 13 + 15
    assert before["should_form_own"] >= 30
    for district in population.districts:
        check_node(population, district, BEFORE, django_assert_num_queries)
    check_node(population, population.streets[0], BEFORE, django_assert_num_queries)


def test_selectors_agree_with_the_figures(population):
    city = population.city
    inside = Organization.objects.filter(region__path__startswith=city.path)
    total = statistics(city, DAY).total
    assert selectors.should_form_own(DAY, inside).count() == total["should_form_own"]
    assert selectors.coverage_as_of(DAY).filter(organization__in=inside).count() == sum(
        1 for c in population.coverages if c.valid_to is None and active(c.org, DAY)
    )
    # Before the change: the old row of an organization whose coverage changed.
    changed = next(c.org for c in population.coverages if c.valid_to == bench.CHANGE and c.form == PartyForm.NONE)
    assert selectors.coverage_as_of(BEFORE).get(organization_id=changed.pk).form == PartyForm.NONE
    assert selectors.coverage_as_of(DAY).get(organization_id=changed.pk).form != PartyForm.NONE


# ------------------------------------------------------------------------------------- small worlds


def cover(org, form=PartyForm.NONE, body=None, full=0, probationary=0, valid_from=dt.date(2020, 1, 1), **extra):
    return PartyCoverage.objects.create(
        organization=org, form=form, party_organization=body, full_party_members=full,
        probationary_party_members=probationary, valid_from=valid_from, **extra,
    )  # fmt: skip


def party_org(region, formation=Formation.STANDALONE, **extra):
    extra.setdefault("established_on", dt.date(2019, 1, 1))
    return PartyOrganization.objects.create(
        name=f"党支部{PartyOrganization.objects.count()}", level=PartyLevel.BRANCH, formation=formation,
        region=region, full_member_count=3, **extra,
    )  # fmt: skip


def test_should_form_own_three_full_members_without_their_own(places):
    founded = dt.date(2015, 1, 1)
    orgs = [make_organization(places.community11, established_on=founded) for _ in range(5)]
    body = party_org(places.community11)
    cover(orgs[0], PartyForm.NONE, full=3)  # 应建未建
    cover(orgs[1], PartyForm.INSTRUCTOR, full=5)  # 应建未建
    cover(orgs[2], PartyForm.STANDALONE, body, full=4)  # has its own
    cover(orgs[3], PartyForm.NONE, full=2, probationary=3)  # only two full members
    cover(orgs[4], PartyForm.NONE, full=1, valid_to=dt.date(2026, 1, 1))
    cover(orgs[4], PartyForm.NONE, full=3, valid_from=dt.date(2026, 1, 1))  # since 2026
    found = set(selectors.should_form_own(dt.date(2026, 6, 1)).values_list("pk", flat=True))
    assert found == {orgs[0].pk, orgs[1].pk, orgs[4].pk}
    assert set(selectors.should_form_own(dt.date(2025, 6, 1)).values_list("pk", flat=True)) == {orgs[0].pk, orgs[1].pk}
    assert statistics(places.district, dt.date(2026, 6, 1)).total["should_form_own"] == 3


def test_contacts_this_quarter_and_overdue_at_quarter_boundaries(places, users):
    founded = dt.date(2015, 1, 1)
    march, april = (make_organization(places.community11, established_on=founded) for _ in range(2))
    for org, day in ((march, dt.date(2026, 3, 31)), (april, dt.date(2026, 4, 1))):
        ContactRecord.objects.create(
            organization=org, contacted_on=day, form=ContactForm.PHONE, topics="联系", recorded_by=users["bureau_admin"]
        )

    def figures(day):
        total = statistics(places.district, day).total
        return total["contacts"], total["overdue"]

    # Q1: the March contact, April's not yet; `april` has had none since Q4 2025 began: overdue.
    assert figures(dt.date(2026, 3, 31)) == (1, 1)
    assert figures(dt.date(2026, 4, 1)) == (1, 0)  # Q2: April's only
    assert figures(dt.date(2026, 6, 30)) == (1, 0)
    assert figures(dt.date(2026, 7, 1)) == (0, 1)  # Q3: none yet; Q2 passed without one for `march`
    assert figures(dt.date(2026, 10, 1)) == (0, 2)


def test_no_organizations_no_rate(places):
    total = statistics(places.street2, dt.date(2026, 6, 1)).total
    assert total["organizations"] == 0
    assert total["party_organization_rate"] is None and total["work_coverage_rate"] is None
    assert rate(1, 3) == Decimal("33.3") and rate(1, 8) == Decimal("12.5") and rate(1, 16) == Decimal("6.3")


# --------------------------------------------------------------------------------------------- page


@pytest.fixture
def small(places):
    founded = dt.date(2015, 1, 1)
    own = make_organization(places.community11, established_on=founded, staff_count=10, volunteer_count=100)
    other = make_organization(places.street1, established_on=founded, staff_count=5, volunteer_count=20)
    make_organization(places.other_street, established_on=founded, staff_count=99)
    cover(own, PartyForm.STANDALONE, party_org(places.community11), full=3, probationary=1)
    cover(other, PartyForm.INSTRUCTOR, full=1)
    return own, other


def page(client, **query):
    return client.get(reverse("party:statistics"), query)


def test_page_table_links_and_defaults(client_for, places, small):
    response = page(client_for("bureau_admin"), date="2026-06-01")
    assert response.status_code == 200
    html = response.content.decode()
    result = response.context["result"]
    assert result.region == places.district and result.day == dt.date(2026, 6, 1)
    assert [r.label for r in result.rows] == ["一街道", "二街道", "合计"]
    assert result.total["organizations"] == 2 and result.total["party_organization_rate"] == Decimal("50.0")
    street1 = places.street1.pk
    assert f"{reverse('registry:organization_list')}?status=active&amp;street={street1}" in html
    assert (
        f"{reverse('party:partycoverage_list')}?region={street1}&amp;date=2026-06-01&amp;has_party_organization=true"
        in html
    )
    assert (
        f"{reverse('party:partyorganization_list')}?region={street1}&amp;status=active&amp;area_body=false"
        "&amp;formation=standalone" in html
    )
    assert f"{reverse('party:overdue_list')}?region={street1}&amp;date=2026-06-01" in html
    assert (
        f"{reverse('party:contactrecord_list')}?region={street1}&amp;contacted_after=2026-04-01&amp;contacted_before=2026-06-01"
        in html
    )
    assert "50.0%" in html and "—" in html  # 二街道 has no organizations: no rate
    assert 'id="chart-rates-data"' in html and "vendor/echarts/echarts.min.js" in html
    # Down to a street: its communities and the organizations attached to the street itself.
    result = page(client_for("bureau_admin"), region=street1, date="2026-06-01").context["result"]
    assert [r.kind for r in result.rows] == [RowKind.CHILD, RowKind.CHILD, RowKind.DIRECT, RowKind.TOTAL]
    assert result.rows[2]["staff"] == 5


@pytest.mark.parametrize(
    ("user", "query", "status"),
    [
        ("street_officer", {}, 200),
        ("street_officer", {"region": "district"}, 404),
        ("street_officer", {"region": "street2"}, 404),
        ("bureau_admin", {"region": "other_street"}, 404),
        ("community_party", {}, 200),
        ("community_party", {"region": "street1"}, 404),
        ("bureau_admin", {"region": "999999999"}, 404),
        ("bureau_admin", {"region": "abc"}, 400),
        ("bureau_admin", {"date": "2026-02-30"}, 400),
        ("bureau_admin", {"date": "30/06/2026"}, 400),
        ("org_user", {}, 403),
        ("expert", {}, 403),
    ],
)
def test_page_scope_and_bad_input(client_for, places, users, user, query, status):
    query = {k: getattr(places, v).pk if hasattr(places, v) else v for k, v in query.items()}
    response = page(client_for(user), **query)
    assert response.status_code == status
    if status == 400:
        assert "region" in query or "日期" in response.content.decode()


def test_page_for_the_other_districts_admin_sees_their_own(client_for, places, small):
    result = page(client_for("other_district_admin"), date="2026-06-01").context["result"]
    assert result.region == places.other_district and result.total["staff"] == 99


def test_export_opens_with_typed_cells_and_percent_rates(client_for, places, small):
    response = page(client_for("bureau_admin"), date="2026-06-01", export="xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[0] == "地区" and "社会组织数" in headers
    total = rows[-1]
    assert total[0] == "合计" and total[headers.index("社会组织数")] == 2
    rate_column = headers.index("党组织覆盖率(%)") + 1
    cell = sheet.cell(row=len(rows), column=rate_column)
    assert cell.value == pytest.approx(0.5) and cell.number_format == "0.0%"
    assert sheet.cell(row=3, column=rate_column).value is None  # 二街道: no organizations, no rate
    notes = [" ".join(str(v) for v in row if v) for row in workbook.worksheets[-1].iter_rows(values_only=True)]
    assert any("2026-06-01" in line for line in notes) and any("导出时间" in line for line in notes)


# ---------------------------------------------------------------------------------------------- API


def test_api_rows_scope_and_bad_date(client_for, places, small):
    url = "/api/v1/party-statistics/"
    response = client_for("bureau_admin").get(url, {"region": places.street1.pk, "date": "2026-06-01"})
    assert response.status_code == 200
    rows = response.json()
    assert [r["kind"] for r in rows] == ["child", "child", "direct", "total"]
    total = rows[-1]
    assert total["organizations"] == 2 and total["party_members"] == 5 and total["party_organization_rate"] == "50.0"
    assert total["by_formation"]["standalone"] == 1 and total["by_level"]["branch"] == 1
    assert client_for("bureau_admin").get(url, {"region": places.other_street.pk}).status_code == 404
    assert client_for("street_officer").get(url, {"region": places.district.pk}).status_code == 404
    bad = client_for("bureau_admin").get(url, {"date": "2026-13-01"})
    assert bad.status_code == 400 and "日期" in bad.json()["errors"]["date"][0]
    assert client_for("org_user").get(url).status_code == 403
    assert client_for(None).get(url).status_code in (401, 403)


def test_a_dissolved_party_organization_counts_until_its_dissolution(places):
    party_org(
        places.community11, dissolved_on=dt.date(2026, 3, 1), status=PartyOrganizationStatus.DISSOLVED,
        formation=Formation.JOINT,
    )  # fmt: skip
    party_org(places.street1, is_area_body=True)  # the street's working committee: not counted
    assert statistics(places.district, dt.date(2026, 2, 28)).total["party_organizations"] == 1
    assert statistics(places.district, dt.date(2026, 3, 1)).total["party_organizations"] == 0


def test_the_party_organizations_figure_and_its_list_agree(places, client_for):
    """The figure leaves out the areas' responsible bodies, and so does the list its link opens."""
    party_org(places.community11, formation=Formation.JOINT)
    party_org(places.street1, is_area_body=True)  # the street's working committee: not counted
    response = client_for("bureau_admin").get(reverse("party:statistics"), {"region": places.district.pk})
    total = response.context["result"].total
    assert total["party_organizations"] == 1
    query = {"region": places.district.pk, "status": "active", "area_body": "false"}
    listing = client_for("bureau_admin").get(reverse("party:partyorganization_list"), query)
    assert [row.record.is_area_body for row in listing.context["table"].page.object_list] == [False]
