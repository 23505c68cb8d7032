"""What the evaluation services share: the party services' helpers (refusing with a rule's reason,
reading values into model fields with messages naming the field), decimals with bounds, and the
district a record belongs to."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from party.services.common import assign, label, raise_errors, require, user_or_none

__all__ = ["assign", "decimal_in", "district_error", "label", "raise_errors", "require", "user_or_none"]

HUNDRED = Decimal(100)


def decimal_in(value, *, field: str, what: str, errors: dict, low=Decimal(0), high=HUNDRED, places: int = 2):
    """`value` as a Decimal between `low` and `high` with at most `places` decimals; otherwise a
    message under `field` naming `what`, and None."""
    try:
        number = Decimal(str(value).strip()) if value is not None and not isinstance(value, bool) else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(field, _("%(what)s: enter a number such as 85 or 85.5.") % {"what": what})
        return None
    if number < low or number > high:
        errors.setdefault(
            field, _("%(what)s: enter a number from %(low)s to %(high)s.") % {"what": what, "low": low, "high": high}
        )
        return None
    if -number.as_tuple().exponent > places and number != number.quantize(Decimal(1).scaleb(-places)):
        errors.setdefault(field, _("%(what)s: at most %(n)d decimal places.") % {"what": what, "n": places})
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def district_error(region) -> str:
    """A message when `region` is not a district ("" when it is)."""
    if region is None or getattr(region, "level", None) != RegionLevel.DISTRICT:
        return _("District: choose a district.")
    return ""
