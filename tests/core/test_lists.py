"""The one list mechanism as a user meets it: pages that never repeat or hide a row whatever the
sort (web and API), record links that leave the list, an export link that follows in-place
filtering and sorting, and the accessible frame (skip link, actions header, error summary)."""

import datetime as dt
import html
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from registry.choices import Category

from ..projects.factories import make_entry, make_project
from ..registry.factories import make_org_user, make_organization

pytestmark = pytest.mark.django_db

ORG_LINK = re.compile(r'href="/registry/organizations/(\d+)/"')
ENTRY_LINK = re.compile(r'href="/projects/entries/(\d+)/"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Each element's tag, attributes and ancestors, enough to ask what htmx would do with a link."""

    def __init__(self, html: str):
        super().__init__()
        self.elements, self._stack = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "ancestors": list(self._stack)}
        self.elements.append(element)
        if tag not in VOID:
            self._stack.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index]["tag"] == tag:
                del self._stack[index:]
                break

    def find(self, tag=None, **attrs):
        return [
            e
            for e in self.elements
            if (tag is None or e["tag"] == tag) and all(e["attrs"].get(k) == v for k, v in attrs.items())
        ]

    def ids(self) -> set[str]:
        return {e["attrs"]["id"] for e in self.elements if e["attrs"].get("id")}


def boosted(element) -> bool:
    """Whether htmx boosts a link: the nearest hx-boost on it or an ancestor says true."""
    for node in [element, *reversed(element["ancestors"])]:
        if "hx-boost" in node["attrs"]:
            return node["attrs"]["hx-boost"] == "true"
    return False


ROWS = 100


@pytest.fixture
def many_alike(places):
    """100 organizations whose category, legal form and founding date take two values, interleaved:
    with so many ties in no useful order PostgreSQL's bounded sort returns tied rows differently
    for each page unless something unique ends the ORDER BY."""
    return [
        make_organization(
            places.community11,
            name=f"同类组织{n:03d}",
            category=(Category.MUTUAL_AID, Category.CHARITY)[n % 2],
            established_on=(dt.date(2020, 1, 1), dt.date(2021, 1, 1))[n % 2],
        )
        for n in range(ROWS)
    ]


NEXT_LINK = re.compile(r'<a class="page-link" href="([^"]+)" rel="next">')


def walk_web_pages(client, url, params, pattern):
    """Follow the 下一页 (rel="next") links from the first page to the last (keyset paging)."""
    pages, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200
        body = response.content.decode()
        table = body[body.index("<tbody") : body.index("</tbody>")]
        pages.append(list(dict.fromkeys(int(pk) for pk in pattern.findall(table))))
        following = NEXT_LINK.search(body)
        if following is None:
            return pages
        response = client.get(html.unescape(following.group(1)))


def walk_api_pages(client, url, params):
    """Every row's id, following the API's `next` links."""
    seen, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200
        seen += [row["id"] for row in response.json()["results"]]
        if response.json()["next"] is None:
            return seen
        response = client.get(response.json()["next"])


def test_organization_pages_show_every_row_exactly_once_whatever_the_sort(many_alike, client_for):
    client = client_for("bureau_staff")
    for sort in ("category", "-category", "established_on", "-established_on"):
        pages = walk_web_pages(client, reverse("registry:organization_list"), {"sort": sort}, ORG_LINK)
        assert [len(page) for page in pages] == [25, 25, 25, 25], sort
        seen = [pk for page in pages for pk in page]
        assert sorted(seen) == sorted(org.pk for org in many_alike), sort


def test_ledger_entry_pages_by_their_default_date_order_show_every_entry_once(places, users, client_for):
    organization = make_organization(places.community11, name="台账很多的组织")
    author = make_org_user(organization)
    project = make_project(organization, places.street1)
    dates = (dt.date(2026, 3, 15), dt.date(2026, 3, 16))
    entries = [make_entry(project, author, date=dates[n % 2], title=f"活动{n}") for n in range(ROWS)]

    client = client_for("bureau_staff")
    for params in ({}, {"sort": "date"}, {"sort": "-date"}):
        pages = walk_web_pages(client, reverse("projects:ledgerentry_list"), params, ENTRY_LINK)
        seen = [pk for page in pages for pk in page]
        assert sorted(seen) == sorted(entry.pk for entry in entries), params

    api = APIClient()
    api.force_authenticate(users["bureau_staff"])
    for params in ({}, {"ordering": "date"}, {"ordering": "-date"}):
        seen = walk_api_pages(api, "/api/v1/ledger-entries/", {**params, "page_size": 20})
        assert len(seen) == len(set(seen)) and sorted(seen) == sorted(entry.pk for entry in entries), params


def test_api_pages_show_every_row_exactly_once_whatever_the_ordering(many_alike, users):
    client = APIClient()
    client.force_authenticate(users["bureau_staff"])
    for ordering in ("category", "-category", "established_on", "-established_on"):
        seen = walk_api_pages(client, "/api/v1/organizations/", {"ordering": ordering, "page_size": 20})
        assert len(seen) == len(set(seen)) and sorted(seen) == sorted(org.pk for org in many_alike), ordering


def test_the_export_holds_the_rows_of_the_pages_in_their_order(many_alike, client_for):
    client = client_for("bureau_staff")
    url = reverse("registry:organization_list")
    pages = walk_web_pages(client, url, {"sort": "-category"}, ORG_LINK)
    name_of = {org.pk: org.name for org in many_alike}
    names_on_pages = [name_of[pk] for page in pages for pk in page]

    response = client.get(url, {"sort": "-category", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == names_on_pages


def test_record_links_in_a_list_are_plain_navigation_and_only_sorting_and_paging_swap_the_table(many_alike, client_for):
    response = client_for("bureau_staff").get(reverse("registry:organization_list"))
    page = Page(response.content.decode())
    record_links = [e for e in page.find("a") if ORG_LINK.match(f'href="{e["attrs"].get("href", "")}"')]
    assert record_links
    assert not [link["attrs"]["href"] for link in record_links if boosted(link)]

    sort_links = [e for e in page.find("a") if "sort=" in e["attrs"].get("href", "")]
    page_links = [e for e in page.find("a") if "cursor=" in e["attrs"].get("href", "")]
    assert sort_links and page_links
    assert all(boosted(link) for link in sort_links + page_links)


def test_public_register_links_open_the_public_page(many_alike, client):
    response = client.get(reverse("registry_public:organization_list"))
    page = Page(response.content.decode())
    links = [e for e in page.find("a") if re.match(r"/public/organizations/\d+/", e["attrs"].get("href", ""))]
    assert links
    assert not [link for link in links if boosted(link)]


def test_the_table_swapped_in_place_carries_an_export_link_with_the_filter_and_sort(many_alike, client_for, places):
    other = make_organization(places.community21, name="二街道的组织", category=Category.MUTUAL_AID)
    response = client_for("bureau_staff").get(
        reverse("registry:organization_list"),
        {"street": places.street1.pk, "sort": "-name"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="object-list",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="object-list">')
    page = Page(body)
    (export,) = page.find("a", id="export-xlsx")
    href = export["attrs"]["href"]
    assert f"street={places.street1.pk}" in href and "sort=-name" in href and "export=xlsx" in href
    # The filter form outside the table keeps the chosen sort when it is next submitted.
    (kept_sort,) = page.find("input", name="sort")
    assert kept_sort["attrs"] == {"type": "hidden", "name": "sort", "value": "-name", "form": "filter-form"}

    exported = client_for("bureau_staff").get(reverse("registry:organization_list") + href)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content))).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == sorted((org.name for org in many_alike), reverse=True)
    assert other.name not in names


def test_the_actions_column_has_a_visually_hidden_header(many_alike, client_for):
    with translation.override("zh-hans"):
        body = client_for("bureau_staff").get(reverse("registry:organization_list")).content.decode()
    assert re.search(r'<th\s+scope="col">\s*<span class="visually-hidden">操作</span>\s*</th>', body)


def test_every_page_has_a_skip_link_and_a_menu_that_collapses_on_phones(client_for):
    with translation.override("zh-hans"):
        body = client_for("bureau_staff").get(reverse("registry:organization_list")).content.decode()
    page = Page(body)
    first_link = page.find("a")[0]
    assert first_link["attrs"]["href"] == "#main-content" and "跳到主要内容" in body
    assert page.find("main", id="main-content")
    (toggle,) = page.find("button", id="menu-toggle")
    assert toggle["attrs"]["data-bs-toggle"] == "offcanvas" and toggle["attrs"]["data-bs-target"] == "#sidebar"
    (sidebar,) = page.find("aside", id="sidebar")
    assert "offcanvas-lg" in sidebar["attrs"]["class"]


def test_a_form_with_errors_sums_them_up_at_the_top_and_every_described_by_target_exists(client_for):
    with translation.override("zh-hans"):
        response = client_for("bureau_staff").post(reverse("projects:project_add"), {"title": "", "amount": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    page = Page(body)
    (summary,) = page.find("div", id="form-errors")
    assert summary["attrs"]["role"] == "alert" and "data-error-summary" in summary["attrs"]
    assert body.index('id="form-errors"') < body.index('name="title"')
    assert "请更正" in body
    described = [e for e in page.elements if e["attrs"].get("aria-describedby")]
    assert [e for e in described if e["attrs"].get("aria-invalid") == "true"]
    missing = {
        target for e in described for target in e["attrs"]["aria-describedby"].split() if target not in page.ids()
    }
    assert missing == set()
    # Each summary line links to its field.
    links = [e["attrs"]["href"][1:] for e in page.find("a") if summary in e["ancestors"]]
    assert links and set(links) <= page.ids()


def test_a_list_page_builds_the_menu_once_however_many_template_cells_it_renders(many_alike, client_for):
    """django-tables2 binds each TemplateColumn cell's template to the request's context, which runs
    the context processors again: the menu is built once per request, not once per cell."""
    from unittest import mock

    from core import context_processors

    client = client_for("bureau_staff")
    with mock.patch.object(context_processors, "menu_for", wraps=context_processors.menu_for) as spy:
        response = client.get(reverse("registry:organization_list"))
    assert response.status_code == 200 and len(ORG_LINK.findall(response.content.decode())) >= 25
    assert spy.call_count == 1
