"""Amounts in 元: Decimals with two places, parsed from text or numbers, never from floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_amount(value) -> Decimal:
    """A Decimal rounded half-up to the cent. Text may carry thousands separators and 元.

    Floats are refused: 0.1 + 0.2 is not 0.3, and money must not pass through binary fractions.
    """
    if isinstance(value, bool | float):
        raise TypeError("Amounts are never floats; pass a Decimal, int or text.")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(f"Not an amount: {value!r}") from error
    if not amount.is_finite():
        raise ValueError(f"Not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(amount) -> str:
    """1234.5 → '1,234.50 元'."""
    if amount is None:
        return "—"
    return f"{to_amount(amount):,.2f} 元"


def percent(part, whole) -> int:
    """Whole percent of part in whole, 0 when whole is 0, capped to 0..100 for progress bars."""
    if not whole:
        return 0
    value = int((Decimal(part) * 100 / Decimal(whole)).to_integral_value(rounding=ROUND_HALF_UP))
    return max(0, min(100, value))
