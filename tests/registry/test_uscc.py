"""GB 32100-2015 credit codes: valid codes, each kind of invalid, normalisation, override."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.choices import Role
from registry import services, uscc
from registry.choices import Category, LegalForm

from ..accounts.factories import make_user
from .factories import make_organization, make_uscc

# The second is the example code printed in GB 32100-2015 commentaries; the first a civil-affairs code.
KNOWN_VALID = ["51330106MJ0000001T", "91350100M000100Y43"]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def message(error):
    return " ".join(error.messages)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_are_valid(code):
    assert uscc.validate(code) == code


def test_check_character_maps_31_to_zero():
    # Σ ≡ 0 (mod 31) → 31 − 0 = 31 → "0"
    assert uscc.check_character("0" * 17) == "0"


def test_completed_codes_validate():
    for _ in range(20):
        code = make_uscc()
        assert uscc.validate(code) == code


def test_normalises_lower_case_and_full_width():
    code = make_uscc()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert uscc.validate(f"  {full_width} ") == code


def test_wrong_length_says_so():
    with pytest.raises(ValidationError) as error:
        uscc.validate("5133010612345")
    assert "18位" in message(error.value)
    assert "13" in message(error.value)
    assert error.value.code == uscc.LENGTH_ERROR


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-"])
def test_bad_character_names_position_and_character(bad):
    code = make_uscc()
    with pytest.raises(ValidationError) as error:
        uscc.validate(code[:9] + bad + code[10:])
    assert "第10位" in message(error.value)
    assert bad in message(error.value)
    assert error.value.code == uscc.CHARACTER_ERROR


def test_wrong_check_character_names_expected():
    code = make_uscc()
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValidationError) as error:
        uscc.validate(code[:17] + wrong)
    assert f"校验码应为{code[-1]}" in message(error.value)
    assert error.value.code == uscc.CHECK_ERROR


def _bad_check(code):
    return code[:17] + ("0" if code[-1] != "0" else "1")


def test_service_rejects_bad_code_on_field(places):
    with pytest.raises(ValidationError) as error:
        make_organization(places.community11, uscc=_bad_check(make_uscc()))
    assert "校验码应为" in message(error.value)
    assert "uscc" in error.value.error_dict


def test_service_stores_normalised_code(places):
    code = make_uscc()
    org = make_organization(places.community11, uscc=code.lower())
    assert org.uscc == code


def test_bureau_admin_may_accept_failing_check_with_reason(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    code = _bad_check(make_uscc())
    org = make_organization(places.community11, uscc=code, uscc_override_reason="试点期间发放的代码", by=admin)
    assert org.uscc == code
    assert org.uscc_override_reason == "试点期间发放的代码"


def test_override_needs_reason(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    with pytest.raises(ValidationError):
        make_organization(places.community11, uscc=_bad_check(make_uscc()), by=admin)


def test_staff_may_not_override(places):
    staff = make_user(Role.BUREAU_STAFF, places.district)
    with pytest.raises(ValidationError) as error:
        make_organization(places.community11, uscc=_bad_check(make_uscc()), uscc_override_reason="试点", by=staff)
    assert "管理员" in message(error.value)


def test_override_never_accepts_malformed_code(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    with pytest.raises(ValidationError) as error:
        services.organization_create(
            by=admin,
            region=places.community11,
            name="某协会",
            legal_form=LegalForm.SOCIAL_GROUP,
            category=Category.CHARITY,
            legal_representative="李四",
            uscc="123",
            uscc_override_reason="试点",
        )
    assert "18位" in message(error.value)
