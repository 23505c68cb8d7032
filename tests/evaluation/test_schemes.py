"""Schemes: the weight and threshold rules, who may keep them, frozen once a round uses them, copies."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditRecord
from evaluation.models import Scheme
from evaluation.selectors import scheme_in_use
from evaluation.services.schemes import scheme_copy, scheme_create, scheme_update

from .factories import RoundFactory, default_scheme, district_scheme

INDICATORS = [
    {"name": "项目质量", "source": "expert", "weight": "40"},
    {"name": "进度", "source": "progress", "weight": "20"},
    {"name": "群众知晓率", "source": "awareness", "weight": "10"},
    {"name": "参与率", "source": "participation", "weight": "10"},
    {"name": "满意度", "source": "satisfaction", "weight": "20"},
]
DIMENSIONS = [
    {"dimension": "technical", "weight": "40"},
    {"dimension": "department", "weight": "30"},
    {"dimension": "media", "weight": "10"},
    {"dimension": "resident", "weight": "20"},
]


def create(users, places, **overrides):
    values = {
        "by": users["bureau_admin"],
        "region": places.district,
        "name": "甲区星级评定方案",
        "indicators": INDICATORS,
        "dimensions": DIMENSIONS,
    }
    values.update(overrides)
    return scheme_create(**values)


def error_of(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


def test_the_bureau_admin_creates_a_scheme_with_an_audit_record(users, places):
    scheme = create(
        users,
        places,
        thresholds={"five_star_min": "92", "four_star_min": "82.5", "three_star_min": "72", "two_star_min": "61"},
    )
    assert scheme.region == places.district
    assert [(i.name, i.source, i.weight, i.sequence) for i in scheme.indicators.all()] == [
        ("项目质量", "expert", Decimal("40.00"), 1),
        ("进度", "progress", Decimal("20.00"), 2),
        ("群众知晓率", "awareness", Decimal("10.00"), 3),
        ("参与率", "participation", Decimal("10.00"), 4),
        ("满意度", "satisfaction", Decimal("20.00"), 5),
    ]
    assert {d.dimension: d.weight for d in scheme.dimensions.all()}["technical"] == Decimal(40)
    assert (scheme.five_star_min, scheme.four_star_min, scheme.two_star_min) == (
        Decimal(92),
        Decimal("82.5"),
        Decimal(61),
    )
    assert AuditRecord.objects.filter(object_id=str(scheme.pk), action="create").exists()


def test_default_thresholds_when_none_given(users, places):
    scheme = create(users, places)
    assert [t for _s, t in scheme.thresholds] == [Decimal(90), Decimal(80), Decimal(70), Decimal(60)]


@pytest.mark.parametrize(
    ("indicators", "message"),
    [
        ([{**INDICATORS[0], "weight": "50"}, *INDICATORS[1:]], "110"),  # sums to 110
        ([{**INDICATORS[0], "weight": "30"}, *INDICATORS[1:]], "90"),  # sums to 90
        ([{**INDICATORS[0], "weight": "-10"}, {**INDICATORS[1], "weight": "110"}], "0"),  # negative
        ([{**INDICATORS[0], "weight": "39.995"}, {**INDICATORS[1], "weight": "60.005"}], "2"),  # 3 decimals
        ([{**INDICATORS[0], "weight": "abc"}, *INDICATORS[1:]], "85"),
        ([INDICATORS[0], {**INDICATORS[1], "name": "项目质量"}, *INDICATORS[2:]], "项目质量"),  # duplicate name
        ([INDICATORS[0], {**INDICATORS[1], "source": "satisfaction"}, *INDICATORS[2:]], ""),  # a rule twice
        ([{**INDICATORS[0], "source": "astrology"}, *INDICATORS[1:]], ""),
        ([], ""),
    ],
)
def test_indicator_rules(users, places, indicators, message):
    with pytest.raises(ValidationError) as excinfo:
        create(users, places, indicators=indicators)
    text = error_of(excinfo, "indicators")
    assert text.startswith("指标")  # the field, named in Chinese
    assert message in text
    assert not Scheme.objects.filter(name="甲区星级评定方案").exists()


def test_two_decimal_weights_that_sum_to_100_pass(users, places):
    indicators = [
        {"name": "项目质量", "source": "expert", "weight": "33.33"},
        {"name": "进度", "source": "progress", "weight": "33.33"},
        {"name": "满意度", "source": "satisfaction", "weight": "33.34"},
    ]
    scheme = create(users, places, indicators=indicators)
    assert sum(i.weight for i in scheme.indicators.all()) == 100


@pytest.mark.parametrize(
    "dimensions",
    [
        [{**DIMENSIONS[0], "weight": "50"}, *DIMENSIONS[1:]],  # 110
        DIMENSIONS[:3],  # 80
        [*DIMENSIONS, DIMENSIONS[0]],  # a dimension twice
        [{"dimension": "astrology", "weight": "100"}],
        [{**DIMENSIONS[0], "weight": "-40"}, {**DIMENSIONS[1], "weight": "140"}],
    ],
)
def test_dimension_rules_when_experts_score(users, places, dimensions):
    with pytest.raises(ValidationError) as excinfo:
        create(users, places, dimensions=dimensions)
    assert error_of(excinfo, "dimensions").startswith("评分维度")


def test_dimensions_with_weight_zero_and_no_dimensions_without_expert_indicators(users, places):
    scheme = create(
        users,
        places,
        dimensions=[{"dimension": "technical", "weight": "100"}, {"dimension": "media", "weight": "0"}],
    )
    assert scheme.dimensions.count() == 2
    feedback_only = create(
        users,
        places,
        name="只看反馈",
        indicators=[{"name": "满意度", "source": "satisfaction", "weight": "100"}],
        dimensions=[],
    )
    assert feedback_only.dimensions.count() == 0


@pytest.mark.parametrize(
    ("thresholds", "field"),
    [
        ({"five_star_min": "80", "four_star_min": "80", "three_star_min": "70", "two_star_min": "60"}, "four_star_min"),
        (
            {"five_star_min": "90", "four_star_min": "80", "three_star_min": "85", "two_star_min": "60"},
            "three_star_min",
        ),
        ({"five_star_min": "90", "four_star_min": "80", "three_star_min": "70", "two_star_min": "0"}, "two_star_min"),
        (
            {"five_star_min": "101", "four_star_min": "80", "three_star_min": "70", "two_star_min": "60"},
            "five_star_min",
        ),
        ({"five_star_min": "90", "four_star_min": "x", "three_star_min": "70", "two_star_min": "60"}, "four_star_min"),
        (
            {"five_star_min": "90.001", "four_star_min": "80", "three_star_min": "70", "two_star_min": "60"},
            "five_star_min",
        ),
    ],
)
def test_thresholds_strictly_decreasing_within_0_and_100(users, places, thresholds, field):
    with pytest.raises(ValidationError) as excinfo:
        create(users, places, thresholds=thresholds)
    assert "星" in error_of(excinfo, field)


def test_name_required_and_unique_in_the_district(users, places):
    create(users, places)
    with pytest.raises(ValidationError) as excinfo:
        create(users, places)
    assert "甲区星级评定方案" in error_of(excinfo, "name")
    with pytest.raises(ValidationError) as excinfo:
        create(users, places, name="  ")
    assert error_of(excinfo, "name").startswith("名称")


@pytest.mark.parametrize("who", ["bureau_staff", "bureau_viewer", "street_officer", "org_user", "expert"])
def test_only_the_bureau_admin_defines_schemes(users, places, who):
    with pytest.raises(PermissionDenied) as excinfo:
        create(users, places, by=users[who])
    assert "管理员" in str(excinfo.value)


def test_another_districts_admin_and_a_city_user_are_refused(users, places):
    with pytest.raises(PermissionDenied):
        create(users, places, by=users["other_district_admin"])
    with pytest.raises(ValidationError):  # a street is not a district
        create(users, places, region=places.street1)


def test_a_city_admin_is_refused(db):
    from accounts.choices import Role

    from ..accounts.factories import Jurisdiction, make_user

    city_places = Jurisdiction(city=True)
    city_admin = make_user(Role.BUREAU_ADMIN, city_places.city)
    with pytest.raises(PermissionDenied):
        scheme_create(
            by=city_admin,
            region=city_places.district,
            name="市级方案",
            indicators=INDICATORS,
            dimensions=DIMENSIONS,
        )


def test_update_replaces_parts_until_a_round_uses_it(users, places):
    scheme = create(users, places)
    assert not scheme_in_use(scheme)
    scheme = scheme_update(
        scheme,
        by=users["bureau_admin"],
        name="甲区方案（修订）",
        indicators=[
            {"name": "项目质量", "source": "expert", "weight": "60"},
            {"name": "满意度", "source": "satisfaction", "weight": "40"},
        ],
    )
    assert scheme.name == "甲区方案（修订）"
    assert [i.name for i in scheme.indicators.all()] == ["项目质量", "满意度"]
    assert AuditRecord.objects.filter(object_id=str(scheme.pk), action="update").exists()

    with pytest.raises(ValidationError) as excinfo:  # the kept dimensions still have to fit
        scheme_update(scheme, by=users["bureau_admin"], dimensions=DIMENSIONS[:2])
    assert "dimensions" in excinfo.value.message_dict

    RoundFactory(places.district, scheme=scheme)
    assert scheme_in_use(scheme)
    with pytest.raises(ValidationError) as excinfo:
        scheme_update(scheme, by=users["bureau_admin"], name="再改一次")
    assert "复制" in error_of(excinfo, "scheme")
    scheme.refresh_from_db()
    assert scheme.name == "甲区方案（修订）"


def test_the_default_scheme_is_copied_never_changed(users, places):
    with pytest.raises(PermissionDenied):
        scheme_update(default_scheme(), by=users["bureau_admin"], name="改名")
    copy = scheme_copy(default_scheme(), by=users["bureau_admin"], region=places.district)
    assert copy.name == "星级评定默认方案（副本）"
    assert copy.region == places.district
    assert copy.copied_from == default_scheme()
    assert [(i.name, i.source, i.weight, i.sequence) for i in copy.indicators.all()] == [
        (i.name, i.source, i.weight, i.sequence) for i in default_scheme().indicators.all()
    ]
    assert {(d.dimension, d.weight) for d in copy.dimensions.all()} == {
        (d.dimension, d.weight) for d in default_scheme().dimensions.all()
    }
    with pytest.raises(ValidationError):  # the same name twice in the district
        scheme_copy(default_scheme(), by=users["bureau_admin"], region=places.district)
    named = scheme_copy(copy, by=users["bureau_admin"], region=places.district, name="二〇二六年方案")
    assert named.name == "二〇二六年方案"


def test_copying_another_districts_scheme_is_refused(users, places):
    theirs = district_scheme(places.other_district)
    with pytest.raises(PermissionDenied):
        scheme_copy(theirs, by=users["bureau_admin"], region=places.district)
    with pytest.raises(PermissionDenied):
        scheme_copy(default_scheme(), by=users["bureau_staff"], region=places.district)
