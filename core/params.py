"""URL path and query parameters read into bounded values: the one way views read a number, a year,
a quarter or an id that a person typed or a link carried.

A bad path parameter is a 404 (no such page); a bad query parameter is a 400 whose Chinese message
names the parameter (`InvalidParameter`, shown by core.views.pages.bad_request and, in the API, by
core.api.exceptions). Only ASCII digits count as digits: `"²".isdigit()` is true but `int("²")`
fails, and `int("２０２６")` succeeds where the database and the links expect "2026".
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .bounds import DATE_MAX, DATE_MIN, QUARTER_MAX, QUARTER_MIN, YEAR_MAX, YEAR_MIN

# Primary keys are BigAutoFields; anything longer cannot name a row.
ID_MAX = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}")

YEAR_LABEL = gettext_lazy("year")
QUARTER_LABEL = gettext_lazy("quarter")
DATE_LABEL = gettext_lazy("date")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class InvalidParameter(BadRequest):
    """A query parameter that is not what the page accepts: answered with 400 and `message`."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name, self.message = name, message


def parse_int(value, minimum: int, maximum: int) -> int | None:
    """The whole number in `value` when it lies in [minimum, maximum], else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():  # a spreadsheet's number cell
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not _INTEGER.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A primary key as typed or linked, or None when `value` cannot be one."""
    return parse_int(value, 1, ID_MAX)


def _out_of_range(label, minimum: int, maximum: int) -> str:
    return _("%(field)s: enter a whole number from %(min)d to %(max)d.") % {
        "field": capfirst(label),
        "min": minimum,
        "max": maximum,
    }


def query_int(request, name: str, *, minimum: int, maximum: int, label, default=None):
    """The query parameter `name` as a whole number in [minimum, maximum]; `default` when it is
    absent or empty; InvalidParameter (400) otherwise."""
    raw = request.GET.get(name, "")
    if raw.strip() == "":
        return default
    number = parse_int(raw, minimum, maximum)
    if number is None:
        raise InvalidParameter(name, _out_of_range(label, minimum, maximum))
    return number


def query_year(request, name: str = "year", *, default=None, label=YEAR_LABEL):
    return query_int(request, name, minimum=YEAR_MIN, maximum=YEAR_MAX, label=label, default=default)


def query_quarter(request, name: str = "quarter", *, default=None, label=QUARTER_LABEL):
    return query_int(request, name, minimum=QUARTER_MIN, maximum=QUARTER_MAX, label=label, default=default)


def query_date(request, name: str = "date", *, default=None, label=DATE_LABEL) -> dt.date | None:
    """The query parameter `name` as a day written YYYY-MM-DD (what a date input sends) within the
    platform's dates; `default` when it is absent or empty; InvalidParameter (400) otherwise."""
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return default
    day = None
    if _DATE.fullmatch(raw):
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            day = None
    if day is None or not DATE_MIN <= day <= DATE_MAX:
        message = _("%(field)s: enter a date from %(min)s to %(max)s, written as 2026-03-31.") % {
            "field": capfirst(label),
            "min": DATE_MIN.isoformat(),
            "max": DATE_MAX.isoformat(),
        }
        raise InvalidParameter(name, message)
    return day


def query_id(request, name: str, *, label, default=None):
    """An id carried by a link (e.g. ?organization=12); whether the user may see that row is the
    caller's question."""
    return require_id(request.GET.get(name, ""), name, label=label, default=default)


def require_id(raw, name: str, *, label, default=None):
    """`raw` (from a query or a posted form) as an id; `default` when empty; else a 400."""
    if str(raw if raw is not None else "").strip() == "":
        return default
    number = parse_id(raw)
    if number is None:
        message = _("%(field)s: “%(value)s” is not a valid number.") % {"field": capfirst(label), "value": raw}
        raise InvalidParameter(name, message)
    return number


def path_int(value, *, minimum: int, maximum: int) -> int:
    """A number from the URL path: in range, or the page does not exist."""
    number = parse_int(value, minimum, maximum)
    if number is None:
        raise Http404
    return number


def path_year(value) -> int:
    return path_int(value, minimum=YEAR_MIN, maximum=YEAR_MAX)


def path_quarter(value) -> int:
    return path_int(value, minimum=QUARTER_MIN, maximum=QUARTER_MAX)


def path_pk(model, value):
    """`value` as the model's primary key (an int for most, text for some), or 404."""
    field = model._meta.pk
    if isinstance(field, models.IntegerField):
        pk = parse_id(value)
        if pk is None:
            raise Http404
        return pk
    try:
        return field.to_python(value)
    except ValidationError as error:
        raise Http404 from error
