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


# --- positions 1 and 2 (registered by civil affairs, and as what) --------------------------------

# (legal form, the first two characters of a code that fits it)
FITTING = [
    (LegalForm.SOCIAL_GROUP, "51"),
    (LegalForm.SOCIAL_SERVICE, "52"),
    (LegalForm.FOUNDATION, "53"),
]
# (legal form, the first two characters, what the refusal must say): each code is well formed and
# passes its check character, so only its beginning is wrong.
MISFITTING = [
    (LegalForm.SOCIAL_GROUP, "52", "第2位应为1（社会团体），而不是2"),
    (LegalForm.SOCIAL_GROUP, "59", "第2位应为1（社会团体），而不是9"),
    (LegalForm.SOCIAL_SERVICE, "51", "第2位应为2（社会服务机构（民办非企业单位）），而不是1"),
    (LegalForm.SOCIAL_SERVICE, "53", "第2位应为2（社会服务机构（民办非企业单位）），而不是3"),
    (LegalForm.FOUNDATION, "51", "第2位应为3（基金会），而不是1"),
    (LegalForm.FOUNDATION, "59", "第2位应为3（基金会），而不是9"),
    (LegalForm.SOCIAL_GROUP, "91", "第1位应为5（民政部门登记），而不是9"),
    (LegalForm.SOCIAL_SERVICE, "12", "第1位应为5（民政部门登记），而不是1"),
    (LegalForm.FOUNDATION, "Y3", "第1位应为5（民政部门登记），而不是Y"),
]


def _code(first_two: str) -> str:
    return uscc.complete(f"{first_two}{make_uscc()[2:17]}")


@pytest.mark.parametrize(("legal_form", "first_two"), FITTING)
def test_a_code_fitting_its_legal_form_passes(legal_form, first_two):
    code = _code(first_two)
    assert uscc.check_positions(code, legal_form) == code


@pytest.mark.parametrize(("legal_form", "first_two", "said"), MISFITTING)
def test_a_code_not_fitting_its_legal_form_is_refused_naming_what_was_expected(legal_form, first_two, said):
    code = _code(first_two)
    assert uscc.validate(code) == code  # well formed: only its beginning is wrong
    with pytest.raises(ValidationError) as error:
        uscc.check_positions(code, legal_form)
    assert error.value.code == uscc.POSITION_ERROR
    assert "统一社会信用代码" in message(error.value)
    assert said in message(error.value)


def test_a_filed_organization_is_not_held_to_the_positions():
    code = _code("91")
    assert uscc.check_positions(code, LegalForm.COMMUNITY_FILED) == code


@pytest.mark.parametrize(("legal_form", "first_two", "said"), MISFITTING)
def test_the_register_refuses_a_misfitting_code_on_its_field(places, legal_form, first_two, said):
    with pytest.raises(ValidationError) as error:
        make_organization(places.community11, legal_form=legal_form, uscc=_code(first_two))
    assert list(error.value.error_dict) == ["uscc"]
    assert said in message(error.value)


@pytest.mark.parametrize(("legal_form", "first_two"), FITTING)
def test_the_register_takes_a_fitting_code(places, legal_form, first_two):
    code = _code(first_two)
    assert make_organization(places.community11, legal_form=legal_form, uscc=code.lower()).uscc == code


def test_a_bureau_admin_may_accept_a_misfitting_code_with_a_recorded_reason(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    code = _code("52")
    org = make_organization(
        places.community11,
        legal_form=LegalForm.SOCIAL_GROUP,
        uscc=code,
        uscc_override_reason="原为民办非企业单位，变更为社会团体后代码未换发",
        by=admin,
    )
    assert (org.uscc, org.uscc_override_reason) == (code, "原为民办非企业单位，变更为社会团体后代码未换发")


def test_a_misfitting_code_needs_the_reason_and_an_administrator(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    staff = make_user(Role.BUREAU_STAFF, places.district)
    with pytest.raises(ValidationError) as error:
        make_organization(places.community11, legal_form=LegalForm.FOUNDATION, uscc=_code("51"), by=admin)
    assert "第2位应为3" in message(error.value)
    with pytest.raises(ValidationError) as error:
        make_organization(
            places.community11, legal_form=LegalForm.FOUNDATION, uscc=_code("51"), uscc_override_reason="试点", by=staff
        )
    assert "管理员" in message(error.value)


def test_one_reason_accepts_a_code_failing_both_its_check_and_its_positions(places):
    admin = make_user(Role.BUREAU_ADMIN, places.district)
    code = _bad_check(_code("91"))
    org = make_organization(
        places.community11, legal_form=LegalForm.SOCIAL_GROUP, uscc=code, uscc_override_reason="试点代码", by=admin
    )
    assert org.uscc == code
    with pytest.raises(ValidationError) as error:
        make_organization(places.community12, legal_form=LegalForm.SOCIAL_GROUP, uscc=_bad_check(_code("91")))
    assert "校验码应为" in message(error.value)


def test_an_establishment_proposing_a_misfitting_code_is_refused_when_typed(users, places):
    from registry.choices import ApplicationKind

    from .factories import make_application

    with pytest.raises(ValidationError) as error:
        make_application(
            users["bureau_staff"],
            ApplicationKind.ESTABLISH,
            region=places.community11,
            legal_form=LegalForm.SOCIAL_SERVICE,
            uscc=_code("51"),
        )
    assert "第2位应为2" in message(error.value)


def test_approval_holds_the_code_to_the_legal_form_and_the_admin_may_override(users, places):
    from registry.choices import ApplicationKind, ApplicationState

    from .factories import make_application

    application = make_application(
        users["bureau_staff"], ApplicationKind.ESTABLISH, region=places.community11, legal_form=LegalForm.SOCIAL_GROUP
    )
    services.application_submit(application=application, by=users["bureau_staff"])
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, by=users["bureau_admin"], uscc=_code("53"))
    assert "第2位应为1（社会团体）" in message(error.value)
    application.refresh_from_db()
    assert application.state == ApplicationState.BUREAU_REVIEW
    code = _code("53")
    other_clerk = make_user(Role.BUREAU_STAFF, places.district)
    with pytest.raises(ValidationError) as error:  # a clerk may not override
        services.application_approve(
            application=application, by=other_clerk, uscc=code, uscc_override_reason="批准文件如此"
        )
    assert "管理员" in message(error.value)
    application = services.application_approve(
        application=application, by=users["bureau_admin"], uscc=code, uscc_override_reason="批准文件如此"
    )
    assert (application.organization.uscc, application.organization.uscc_override_reason) == (code, "批准文件如此")


def test_a_roster_row_goes_through_the_same_check(users):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from registry import services_import

    book = Workbook()
    book.active.append(["名称", "统一社会信用代码", "类型", "类别", "所属街道", "负责人"])
    book.active.append(["甲协会", _code("51"), "社会团体", "公益慈善", "一街道", "张三"])
    book.active.append(["乙中心", _code("51"), "民办非企业单位", "为民服务", "一街道", "李四"])
    book.active.append(["丙基金会", _code("93"), "基金会", "公益慈善", "一街道", "王五"])
    buffer = io.BytesIO()
    book.save(buffer)
    roster_import = services_import.roster_import_start(
        file=SimpleUploadedFile("名册.xlsx", buffer.getvalue()), by=users["bureau_staff"]
    )
    assert roster_import.valid_rows == 1
    errors = {row: text for row, column, text in roster_import.errors}
    assert [column for _row, column, _text in roster_import.errors] == ["统一社会信用代码", "统一社会信用代码"]
    assert "第2位应为2" in errors[3]
    assert "第1位应为5" in errors[4]
