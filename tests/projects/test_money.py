"""Amounts are Decimals in 元 with two places; floats never pass."""

from decimal import Decimal

import pytest

from projects.money import format_yuan, percent, to_amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1200", Decimal("1200.00")),
        ("1,234.565", Decimal("1234.57")),
        (" 99.5 元", Decimal("99.50")),
        (Decimal("0.005"), Decimal("0.01")),
        (7, Decimal("7.00")),
        ("¥3，000.1", Decimal("3000.10")),
    ],
)
def test_to_amount(value, expected):
    assert to_amount(value) == expected
    assert to_amount(value).as_tuple().exponent == -2


@pytest.mark.parametrize("value", [0.1, True])
def test_floats_are_refused(value):
    with pytest.raises(TypeError):
        to_amount(value)


@pytest.mark.parametrize("value", ["abc", "", "NaN", "Infinity"])
def test_text_that_is_no_amount_is_refused(value):
    with pytest.raises(ValueError, match="Not an amount"):
        to_amount(value)


def test_format_yuan():
    assert format_yuan(Decimal("1234567.5")) == "1,234,567.50 元"
    assert format_yuan(None) == "—"


def test_percent_is_capped_and_safe_for_zero():
    assert percent(1, 3) == 33
    assert percent(5, 4) == 100
    assert percent(5, 0) == 0
