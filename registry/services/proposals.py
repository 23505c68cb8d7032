"""The values an application proposes: which fields, read from a form or a JSON body, checked by
the rules the register applies, and compared with the organization's current ones."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region, User
from core import bounds

from .. import uscc as uscc_rules
from ..choices import ApplicationKind, Category, LegalForm
from ..models import Organization
from .organizations import district_of

# Values an application may propose, and how each is read from a form or JSON body.
TEXT_FIELDS = (
    "name",
    "legal_representative",
    "phone",
    "address",
    "supervising_unit",
    "business_scope",
    "activity_area",
    "uscc",
)
COUNT_FIELDS = ("member_count", "staff_count", "volunteer_count")
NEW_ORGANIZATION_FIELDS = (
    "name",
    "legal_form",
    "category",
    "region",
    "uscc",
    "supervising_unit",
    "legal_representative",
    "phone",
    "address",
    "established_on",
    "funds",
    "business_scope",
    "activity_area",
    *COUNT_FIELDS,
)
CHANGEABLE_FIELDS = (
    "name",
    "category",
    "region",
    "supervising_unit",
    "legal_representative",
    "phone",
    "address",
    "funds",
    "business_scope",
    "activity_area",
    *COUNT_FIELDS,
)
REQUIRED_FOR_NEW = ("name", "legal_form", "category", "region", "legal_representative", "phone", "address")


def field_label(field: str) -> str:
    return str(Organization._meta.get_field(field).verbose_name)


def _to_python(field: str, value, errors: dict):
    """One proposed value as the model holds it (None for empty), recording a field error."""
    if value in (None, ""):
        return None
    try:
        if field in TEXT_FIELDS:
            text = str(value).strip()
            limit = Organization._meta.get_field(field).max_length
            if limit and len(text) > limit and field != "uscc":
                errors[field] = _("%(field)s: at most %(n)d characters.") % {"field": field_label(field), "n": limit}
                return None
            return text or None
        if field in ("legal_form", "category"):
            choices = LegalForm.values if field == "legal_form" else Category.values
            if value not in choices:
                raise ValueError
            return value
        if field == "region":
            return Region.objects.get(pk=getattr(value, "pk", value))
        if field == "established_on":
            return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
        if field == "funds":
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
            if amount < 0 or amount >= Decimal("1e10"):
                raise ValueError
            return amount
        if field in COUNT_FIELDS:
            number = int(value)
            if number < 0:
                raise ValueError
            return number
    except (ValueError, TypeError, ArithmeticError, Region.DoesNotExist):
        errors[field] = _("%(field)s: the value “%(value)s” is not valid.") % {
            "field": field_label(field),
            "value": value,
        }
        return None
    raise TypeError(f"{field} cannot be proposed")


def to_json(value):
    if isinstance(value, Region):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def proposed_values(application) -> dict:
    """The application's proposed values as Python values (regions as Region objects)."""
    errors: dict = {}
    return {field: _to_python(field, value, errors) for field, value in application.data.items()}


def clean_data(kind: str, data: dict, organization: Organization | None, by: User) -> tuple[dict, dict]:
    """Validate proposed values; returns (proposed JSON, current JSON). For a change only the
    values that differ from the organization are kept, with the organization's current ones."""
    allowed = (
        NEW_ORGANIZATION_FIELDS if kind in (ApplicationKind.ESTABLISH, ApplicationKind.FILE) else CHANGEABLE_FIELDS
    )
    errors: dict = {}
    values = {field: _to_python(field, data.get(field), errors) for field in allowed if field in data}
    # The rules the approval applies to the organization, applied now to what is proposed, so a
    # value the register cannot take is refused when it is typed, not at the bureau's approval.
    bounded = {f: v for f, v in values.items() if f not in errors and f not in ("region", "uscc")}
    for field, message in bounds.field_errors(Organization, bounded).items():
        errors[field] = message
    established_on = values.get("established_on")
    if established_on is not None and "established_on" not in errors and established_on > timezone.localdate():
        errors["established_on"] = _("The date of establishment cannot be in the future.")
    region = values.get("region")
    if region is not None and "region" not in errors:
        if region.level in (RegionLevel.CITY, RegionLevel.DISTRICT):
            errors["region"] = _("Region: an organization belongs to a street or a community, not a district.")
        elif (
            by.region is not None
            and not by.is_superuser
            and district_of(region).pk != (by.region.district_id or by.region.pk)
        ):
            errors["region"] = _("Region: choose a street or community of your own district.")
        elif organization is not None and district_of(region).pk != organization.district_id:
            errors["region"] = _("Region: an organization cannot move to another district.")
    if values.get("uscc") and "uscc" not in errors:
        # Well formed, and beginning as the proposed legal form's code does (an administrator may
        # accept another at the approval, with a reason).
        legal_form = values.get("legal_form") or (organization.legal_form if organization is not None else None)
        try:
            values["uscc"] = uscc_rules.validate(values["uscc"])
            if legal_form:
                uscc_rules.check_positions(values["uscc"], legal_form)
        except ValidationError as error:
            errors["uscc"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    if organization is None:
        return {k: to_json(v) for k, v in values.items() if v is not None}, {}
    proposed, current = {}, {}
    for field, value in values.items():
        now = getattr(organization, field)
        if field in TEXT_FIELDS and value is None:
            value = ""
        if field in COUNT_FIELDS and value is None:
            value = 0
        if value != now:
            proposed[field], current[field] = to_json(value), to_json(now)
    return proposed, current
