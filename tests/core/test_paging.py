"""Keyset paging (core.paging) as a user and an API client meet it: following 下一页 visits every row
once, in the list's order, whatever the sort (ties, NULLs, descending, a related column, an
annotation); 上一页 and 末页 land where they should; a damaged cursor is a 400 in words; the count
stops at the cap ("1万+"); and a deep page costs the same queries as the first."""

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db.models import F
from django.db.models.functions import Length
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core import paging
from core.ordering import stable_ordering
from core.testing import assert_num_queries
from registry.choices import Category, LegalForm
from registry.models import Organization
from registry.views import OrganizationListView

from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db

ORG_LINK = re.compile(r'href="/registry/organizations/(\d+)/"')
LINK = re.compile(r'<a class="page-link" href="([^"]+)" rel="(first|prev|next|last)">')
DATES = (None, dt.date(2020, 1, 1), dt.date(2021, 6, 1), None, dt.date(2020, 1, 1))


@pytest.fixture
def orgs(places):
    """13 organizations with ties in every column, founding dates missing for some, credit codes
    missing for the filed ones, in two streets."""
    made = []
    for n in range(13):
        filed = n % 4 == 0
        made.append(
            make_organization(
                (places.community11, places.community21)[n % 2],
                name=f"组织{(n * 7) % 13:02d}",
                category=(Category.MUTUAL_AID, Category.CHARITY)[n % 3 == 0],
                established_on=DATES[n % len(DATES)],
                legal_form=LegalForm.COMMUNITY_FILED if filed else LegalForm.SOCIAL_GROUP,
            )
        )
    return made


def walk(queryset, per_page):
    """Rows page by page following next cursors; then back from the last page by previous ones."""
    forward, cursor = [], None
    while True:
        page = paging.keyset_page(queryset, per_page=per_page, cursor=cursor, count=False)
        forward.append([row.pk for row in page])
        if not page.has_next:
            break
        cursor = page.next_cursor
    backward, cursor = (
        [],
        page.last_cursor or paging.encode_cursor(paging.LAST, paging.ordering_digest(paging.ordering_terms(queryset))),
    )
    while True:
        page = paging.keyset_page(queryset, per_page=per_page, cursor=cursor, count=False)
        backward.insert(0, [row.pk for row in page])
        if not page.has_previous:
            break
        cursor = page.previous_cursor
    return forward, backward


ORDERINGS = [
    ("name",),
    ("-name",),
    ("category",),  # ties
    ("established_on",),  # NULLs last
    ("-established_on",),  # NULLs first
    ("uscc", "filing_number"),  # NULLs in both, the list's "number" column
    ("category", "-established_on"),  # mixed directions with NULLs
    ("region__path", "-name"),  # through a relation
    ("region",),  # a relation, by its model's own ordering
    (F("established_on").asc(nulls_first=True),),
    (F("uscc").desc(nulls_last=True), "name"),
]


@pytest.mark.parametrize("ordering", ORDERINGS, ids=str)
def test_next_and_previous_cursors_visit_every_row_once_in_order(orgs, ordering):
    queryset = Organization.objects.order_by(*ordering)
    expected = [org.pk for org in stable_ordering(queryset)]
    forward, backward = walk(queryset, per_page=3)
    assert [pk for page in forward for pk in page] == expected
    assert all(len(page) == 3 for page in forward[:-1]) and forward[-1]
    # From the last page backwards: the same rows in the same order, the last page full.
    assert [pk for page in backward for pk in page] == expected
    assert len(backward[-1]) == 3 and backward[-1] == expected[-3:]


def test_an_annotation_can_be_the_sort(orgs):
    queryset = Organization.objects.annotate(name_length=Length("region__path")).order_by("-name_length", "name")
    expected = [org.pk for org in stable_ordering(queryset)]
    forward, backward = walk(queryset, per_page=4)
    assert [pk for page in forward for pk in page] == expected == [pk for page in backward for pk in page]


# -------------------------------------------------------------------------------------- pages


def links(body: str) -> dict:
    return {rel: html.unescape(href) for href, rel in LINK.findall(body)}


def rows(body: str) -> list[int]:
    table = body[body.index("<tbody") : body.index("</tbody>")]
    return list(dict.fromkeys(int(pk) for pk in ORG_LINK.findall(table)))


@pytest.fixture
def four_per_page(monkeypatch):
    monkeypatch.setattr(OrganizationListView, "per_page", 4)


@pytest.mark.parametrize("sort", ["-established_on", "number", "street", "-category"])
def test_the_list_page_walks_by_its_links(orgs, four_per_page, client_for, sort):
    client = client_for("bureau_staff")
    url = reverse("registry:organization_list")
    first = client.get(url, {"sort": sort}).content.decode()
    assert "上一页" in first and "首页" in first and set(links(first)) == {"next", "last"}  # shown, not links
    pages, body = [rows(first)], first
    while "next" in links(body):
        assert f"sort={sort}" in links(body)["next"]  # the sort is kept
        body = client.get(links(body)["next"]).content.decode()
        pages.append(rows(body))
    assert [len(page) for page in pages] == [4, 4, 4, 1]
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(org.pk for org in orgs) and len(set(seen)) == len(seen)

    # The last page: its 下一页/末页 are no links; 上一页 goes back one page, 首页 to the first.
    assert set(links(body)) == {"first", "prev"}
    back = client.get(links(body)["prev"]).content.decode()
    assert rows(back) == pages[-2]
    assert rows(client.get(links(back)["prev"]).content.decode()) == pages[-3]
    assert rows(client.get(links(body)["first"]).content.decode()) == pages[0]
    # 末页 from the first page: the last four rows, the pages' order kept.
    last = client.get(links(first)["last"]).content.decode()
    assert rows(last) == seen[-4:] and set(links(last)) == {"first", "prev"}


def test_sorting_or_filtering_starts_from_the_first_page(orgs, four_per_page, client_for, places):
    client = client_for("bureau_staff")
    url = reverse("registry:organization_list")
    second = client.get(links(client.get(url).content.decode())["next"]).content.decode()
    sort_links = [html.unescape(h) for h in re.findall(r'<a href="(\?[^"]*sort=[^"]*)"', second)]
    assert sort_links and not [link for link in sort_links if "cursor=" in link]
    # The filter form carries no cursor; a cursor made for another sort starts again at the top.
    cursor = parse_qs(urlsplit(links(second)["next"]).query)["cursor"][0]
    other_sort = client.get(url, {"sort": "-name", "cursor": cursor})
    assert other_sort.status_code == 200
    assert rows(other_sort.content.decode()) == rows(client.get(url, {"sort": "-name"}).content.decode())


def test_a_deep_page_costs_the_queries_of_the_first(orgs, four_per_page, client_for):
    client = client_for("bureau_staff")
    url = reverse("registry:organization_list")
    client.get(url)  # the session and caches settle
    with assert_num_queries(7) as first_queries:
        first = client.get(url, {"sort": "street"}).content.decode()
    second = client.get(links(first)["next"]).content.decode()
    with assert_num_queries(7):
        third = client.get(links(second)["next"]).content.decode()
    with assert_num_queries(7):
        client.get(links(third)["last"])
    count_sql = [
        q["sql"]
        for q in first_queries.captured_queries
        if "registry_organization" in q["sql"] and "COUNT(*)" in q["sql"]
    ]
    assert len(count_sql) == 1 and "LIMIT 10001" in count_sql[0]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "eyJkIjoibiJ9:forged",
        signing.Signer(salt="another.salt").sign_object({"d": "n", "o": "x", "v": [1]}),
    ],
)
def test_a_damaged_or_forged_cursor_is_refused_in_words(orgs, client_for, users, cursor):
    response = client_for("bureau_staff").get(reverse("registry:organization_list"), {"cursor": cursor})
    assert response.status_code == 400 and "游标" in response.content.decode()
    public = client_for(None).get(reverse("registry_public:organization_list"), {"cursor": cursor})
    assert public.status_code == 400 and "游标" in public.content.decode()
    api = APIClient()
    api.force_authenticate(users["bureau_staff"])
    answer = api.get("/api/v1/organizations/", {"cursor": cursor})
    assert answer.status_code == 400 and "游标" in answer.json()["errors"]["cursor"][0]


def test_a_signed_cursor_whose_values_do_not_fit_the_sort_is_refused(orgs, client_for):
    digest = paging.ordering_digest(paging.ordering_terms(Organization.objects.all()))
    for values in (["组织00", "not a number"], ["组织00"], [{"x": 1}, 1], None):
        cursor = signing.Signer(salt="core.paging.cursor").sign_object({"d": "n", "o": digest, "v": values})
        response = client_for("bureau_staff").get(reverse("registry:organization_list"), {"cursor": cursor})
        assert response.status_code == 400 and "游标" in response.content.decode(), values


# ------------------------------------------------------------------------------------- counts


def test_counts_stop_at_the_cap(orgs, client_for, users):
    with override_settings(LIST_COUNT_CAP=5):
        assert paging.capped_count(Organization.objects.all()) == (5, False)
        assert paging.capped_count(Organization.objects.filter(category=Category.CHARITY)) == (5, True)
        body = client_for("bureau_staff").get(reverse("registry:organization_list")).content.decode()
        assert "共 5+ 条记录，可用筛选条件缩小范围。" in body
        api = APIClient()
        api.force_authenticate(users["bureau_staff"])
        answer = api.get("/api/v1/organizations/").json()
        assert (answer["count"], answer["count_is_exact"]) == (5, False)
    body = client_for("bureau_staff").get(reverse("registry:organization_list")).content.decode()
    assert "共 13 条记录" in body and "筛选条件缩小" not in body


def test_a_count_above_the_cap_reads_in_tens_of_thousands():
    with translation.override("zh-hans"):
        assert paging.count_text(10_000, False) == "1万+"
        assert paging.count_text(30_000, False) == "3万+"
        assert paging.count_text(12_345, True) == "12,345" and paging.count_text(7) == "7"
    with translation.override("en"):
        assert paging.count_text(10_000, False) == "10,000+"


# ---------------------------------------------------------------------------------------- API


def test_api_pages_answer_the_contract_shape_and_go_both_ways(orgs, users):
    api = APIClient()
    api.force_authenticate(users["bureau_staff"])
    params = {"ordering": "-established_on", "page_size": 5}
    first = api.get("/api/v1/organizations/", params).json()
    assert set(first) == {"count", "count_is_exact", "next", "previous", "results"}
    assert first["count"] == 13 and first["count_is_exact"] and first["previous"] is None
    second = api.get(first["next"]).json()
    assert "ordering=-established_on" in first["next"] and "page_size=5" in first["next"]
    back = api.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    third = api.get(second["next"]).json()
    assert len(third["results"]) == 3 and third["next"] is None
    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    expected = stable_ordering(Organization.objects.order_by("-established_on")).values_list("pk", flat=True)
    assert seen == list(expected)
    assert api.get("/api/v1/organizations/", {"page_size": "many"}).status_code == 400
    assert len(api.get("/api/v1/organizations/", {"page_size": 10_000}).json()["results"]) == 13
