"""core.search: names by any fragment of two characters or more (bigram GIN index), one character
by a plain match, codes by prefix; the same answer on the list page, the API and the public register."""

import pytest
from django.db import connection
from django.urls import reverse

from core import search
from registry.choices import LegalForm
from registry.models import Organization
from registry.selectors import search_organizations

from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db

NAMES = ("翠苑养老服务中心", "阳光助老协会", "老年书画社", "Sunshine Choir", "百分之百_志愿队", "养生太极队")


@pytest.fixture
def orgs(places):
    made = {name: make_organization(places.community11, name=name) for name in NAMES[:-1]}
    made[NAMES[-1]] = make_organization(places.community11, name=NAMES[-1], legal_form=LegalForm.COMMUNITY_FILED)
    return made


def found(value) -> set[str]:
    return set(search_organizations(Organization.objects.all(), value).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("养老", {"翠苑养老服务中心"}),  # two characters: the bigram index
        ("养老服务", {"翠苑养老服务中心"}),  # four
        ("老年", {"老年书画社"}),
        ("助老协会", {"阳光助老协会"}),
        ("老", {"翠苑养老服务中心", "阳光助老协会", "老年书画社"}),  # one character: the plain match
        ("养服", set()),  # both bigram-free characters present, but not in one piece
        ("sunshine", {"Sunshine Choir"}),  # ASCII, any case
        ("SHINE ch", {"Sunshine Choir"}),
        ("  老年  ", {"老年书画社"}),  # surrounding blanks ignored
    ],
)
def test_names_match_any_fragment(orgs, value, expected):
    assert found(value) == expected


def test_like_wildcards_are_plain_characters(orgs):
    assert found("%") == set()
    assert found("之百_") == {"百分之百_志愿队"}
    assert found("_") == {"百分之百_志愿队"}
    assert found("百%志") == set()


def test_blank_keeps_every_row(orgs):
    assert found("") == set(NAMES)
    assert found("   ") == set(NAMES)


def test_codes_match_by_prefix(orgs):
    registered = orgs["翠苑养老服务中心"]
    code = registered.uscc
    assert found(code[:-1]) == {registered.name}
    assert registered.name in found(code[:4])
    # As bureaus type it: lower case, full-width, spaces.
    typed = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code[:8].lower()) + " " + code[8:].lower()
    assert found(typed) == {registered.name}
    assert found(code[6:]) == set()  # the middle of a code is not a match

    filed = orgs["养生太极队"]
    assert filed.filing_number
    assert found(filed.filing_number) == {filed.name}
    assert found(filed.filing_number[:-1]) >= {filed.name}
    assert filed.name not in found(filed.filing_number[1:])


def test_the_condition_composes(orgs, places):
    both = Organization.objects.filter(search.name_match("name", "老")).filter(search.name_match("name", "养老"))
    assert set(both.values_list("name", flat=True)) == {"翠苑养老服务中心"}
    assert search.condition("") == search.condition("  ")
    assert not Organization.objects.filter(search.name_match("name", "养老") & search.name_match("name", "书画"))


def test_bigrams_function():
    with connection.cursor() as cursor:
        cursor.execute("SELECT bigrams(%s), bigrams(%s), bigrams(%s), bigrams(NULL)", ["养老服务Ab养老", "老", ""])
        many, one, empty, null = cursor.fetchone()
    assert sorted(many) == sorted({"养老", "老服", "服务", "务a", "ab", "b养"})
    assert one == [] and empty == [] and null is None


@pytest.mark.parametrize("value", ["养老", "sunshine", "老"])
def test_page_api_and_public_register_agree(orgs, client_for, value):
    expected = found(value)
    other = set(NAMES) - expected
    page = client_for("bureau_admin").get(reverse("registry:organization_list"), {"q": value}).content.decode()
    public = client_for(None).get(reverse("registry_public:organization_list"), {"q": value}).content.decode()
    api = client_for("bureau_admin").get("/api/v1/organizations/", {"q": value}).json()
    assert {row["name"] for row in api["results"]} == expected
    for html in (page, public):
        assert all(name in html for name in expected)
        assert not any(name in html for name in other)


def test_two_characters_can_use_the_bigram_index(orgs):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Organization.objects.filter(search.name_match("name", "养老")).order_by().values("pk").explain()
    assert "organization_name_bigrams" in plan, plan
