"""The unified social credit code (统一社会信用代码) of GB 32100-2015: normalising and checking.

18 characters from CHARSET (values 0–30); the 18th is a check character over the first 17 with
weights 3^(i−1) mod 31. Early pilot codes may fail the check; a bureau administrator may accept
such a code with a recorded reason (see services.organization_create).

The first two characters say who registered the organization and as what: for an organization
registered by civil affairs the first is 5 and the second its legal form (1 social group, 2 social
service organization, 3 foundation, 9 other). `check_positions` holds a code to the legal form the
register gives it; a mismatch is overridable like the check character.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import LegalForm

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18

# Error codes, so callers can tell a failed check (overridable) from a malformed code (never).
LENGTH_ERROR = "uscc_length"
CHARACTER_ERROR = "uscc_character"
CHECK_ERROR = "uscc_check"
POSITION_ERROR = "uscc_position"
# Errors a bureau administrator may override with a recorded reason (the code is well formed).
OVERRIDABLE = frozenset({CHECK_ERROR, POSITION_ERROR})

# Position 1: the registering department; position 2: the category within civil affairs.
CIVIL_AFFAIRS = "5"
FORM_CHARACTERS = {LegalForm.SOCIAL_GROUP: "1", LegalForm.SOCIAL_SERVICE: "2", LegalForm.FOUNDATION: "3"}


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


def check_positions(code: str, legal_form: str) -> str:
    """Raise ValidationError (POSITION_ERROR) unless the well-formed `code` begins as an
    organization of `legal_form` registered by civil affairs would: 5, then the form's character.
    Forms not registered by civil affairs here (a filed community organization) are not held to it."""
    expected = FORM_CHARACTERS.get(legal_form)
    if expected is None:
        return code
    if code[:1] != CIVIL_AFFAIRS:
        raise ValidationError(
            _("Character 1 of the unified social credit code should be 5 (registered by civil affairs), not %(given)s.")
            % {"given": code[:1]},
            code=POSITION_ERROR,
        )
    if code[1:2] != expected:
        raise ValidationError(
            _("Character 2 of the unified social credit code should be %(expected)s (%(form)s), not %(given)s.")
            % {"expected": expected, "form": LegalForm(legal_form).label, "given": code[1:2]},
            code=POSITION_ERROR,
        )
    return code


def complete(first17: str) -> str:
    """The full 18-character code for 17 characters (demo data and tests)."""
    first17 = normalize(first17)
    return first17 + check_character(first17)
