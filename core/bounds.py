"""Bounds on the numbers, dates and text a person could mean, declared once on a model field.

A model field lists one of the validator sets below (and, where the invariant must never break, its
table carries a CheckConstraint from `check_between`). `full_clean`, model forms, DRF
ModelSerializers and django-filter read the validators from the field; plain forms and input
serializers take the field's `limits()`; services that receive values any other way (proposed values
kept as JSON, workbook rows) ask `field_errors()`. So the page, the API and a workbook's dry run
refuse the same values, with a message naming the field, before the database would.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# More people than any community activity or organization has, yet far inside an integer column.
HEAD_COUNT_MAX = 1_000_000
YEAR_MIN, YEAR_MAX = 2000, 2100
QUARTER_MIN, QUARTER_MAX = 1, 4
# Planned and recorded dates of the platform's own work.
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
# Organizations entered from older registers were founded long before the platform.
FOUNDING_DATE_MIN = dt.date(1900, 1, 1)
HOURS_MAX = Decimal("1000000")
# A reason or remark, and a summary, narrative or report: enough for any honest text, not a megabyte.
SHORT_TEXT_MAX = 2000
LONG_TEXT_MAX = 5000


def between(minimum, maximum) -> list:
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]


HEAD_COUNT = between(0, HEAD_COUNT_MAX)
YEAR = between(YEAR_MIN, YEAR_MAX)
PLAUSIBLE_DATE = between(DATE_MIN, DATE_MAX)
FOUNDING_DATE = between(FOUNDING_DATE_MIN, DATE_MAX)
NOT_NEGATIVE = [MinValueValidator(0)]
HOURS = between(0, HOURS_MAX)
SHORT_TEXT = [MaxLengthValidator(SHORT_TEXT_MAX)]
LONG_TEXT = [MaxLengthValidator(LONG_TEXT_MAX)]


def check_between(field: str, minimum, maximum, *, name: str) -> models.CheckConstraint:
    """The database's own guard for a bound declared on `field`."""
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": minimum, f"{field}__lte": maximum}), name=name)


def limits(model, name: str) -> dict:
    """Keyword arguments that give a form or serializer field the model field's bounds
    (min_value / max_value for numbers, max_length for text, the validators for dates)."""
    field = model._meta.get_field(name)
    validators = field.validators
    if isinstance(field, models.DateField):
        return {"validators": [v for v in validators if isinstance(v, MinValueValidator | MaxValueValidator)]}
    if isinstance(field, models.CharField | models.TextField):
        lengths = [v.limit_value for v in validators if isinstance(v, MaxLengthValidator)]
        lengths += [field.max_length] if field.max_length else []
        return {"max_length": min(lengths)} if lengths else {}
    kwargs = {}
    minimums = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    maximums = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    if minimums:
        kwargs["min_value"] = max(minimums)
    if maximums:
        kwargs["max_value"] = min(maximums)
    return kwargs


def field_errors(model, values: dict) -> dict[str, str]:
    """For each value its model field refuses, one message that names the field, e.g.
    "参加人数：确保该值小于或等于1000000。". Empty values are left to the caller's own rules."""
    errors = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if value in field.empty_values:
            continue
        try:
            field.run_validators(field.to_python(value))
        except ValidationError as error:
            errors[name] = _("%(field)s: %(message)s") % {
                "field": capfirst(field.verbose_name),
                "message": " ".join(error.messages),
            }
    return errors


def validate(model, values: dict) -> None:
    """Raise a ValidationError (by field) when any value is out of its field's bounds."""
    errors = field_errors(model, values)
    if errors:
        raise ValidationError(errors)
