"""The unified social credit code (统一社会信用代码) of GB 32100-2015: normalising and checking.

18 characters from CHARSET (values 0–30); the 18th is a check character over the first 17 with
weights 3^(i−1) mod 31. Early pilot codes may fail the check; a bureau administrator may accept
such a code with a recorded reason (see services.organization_create).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18

# Error codes, so callers can tell a failed check (overridable) from a malformed code (never).
LENGTH_ERROR = "uscc_length"
CHARACTER_ERROR = "uscc_character"
CHECK_ERROR = "uscc_check"


def normalize(value: str | None) -> str:
    """Full-width to half-width, upper case, whitespace removed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", str(value))
    return "".join(value.split()).upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (which must come from CHARSET)."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate(value: str) -> str:
    """Return the normalised code, or raise ValidationError saying exactly what is wrong."""
    code = normalize(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; %(n)d were given.") % {"n": len(code)},
            code=LENGTH_ERROR,
        )
    for position, char in enumerate(code, start=1):
        if char not in VALUES:
            raise ValidationError(
                _(
                    "Character %(position)d of the unified social credit code, “%(char)s”, is not allowed "
                    "(digits and capital letters except I, O, Z, S, V)."
                )
                % {"position": position, "char": char},
                code=CHARACTER_ERROR,
            )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character of the unified social credit code should be %(expected)s, not %(given)s.")
            % {"expected": expected, "given": code[17]},
            code=CHECK_ERROR,
        )
    return code


def complete(first17: str) -> str:
    """The full 18-character code for 17 characters (demo data and tests)."""
    first17 = normalize(first17)
    return first17 + check_character(first17)
