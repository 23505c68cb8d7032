"""What the party services share: refusing with a rule's reason, and reading submitted values into
model fields with messages that name the field (bounds from the model, core.bounds)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import bounds
from registry.models import Organization


def require(result: tuple[bool, str]) -> None:
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def user_or_none(user):
    return user if user is not None and getattr(user, "pk", None) else None


def assign(obj, values: dict, allowed, errors: dict, *, required=()) -> None:
    """Set `values` on `obj` (only names in `allowed`; others are a programming error), converting
    and checking each against its model field; messages go into `errors` by field."""
    model = type(obj)
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{model.__name__} fields not settable here: {sorted(unknown)}")
    for name, value in values.items():
        field = model._meta.get_field(name)
        if isinstance(value, str):
            value = value.strip()
        if field.is_relation:
            if value in (None, ""):
                value = None
            elif not isinstance(value, field.related_model):
                errors[name] = _("%(field)s: choose one of the listed entries.") % {"field": label(model, name)}
                continue
            setattr(obj, name, value)
            continue
        if value in (None, ""):
            if field.null:
                value = None
            elif isinstance(field, models.CharField | models.TextField):
                value = ""
            elif field.has_default():
                value = field.get_default()
            else:  # a required date: the required check names it
                value = None
            setattr(obj, name, value)
            continue
        try:
            value = field.to_python(value)
        except ValidationError:
            if isinstance(field, models.DateField):
                errors[name] = _("%(field)s: enter a date such as 2026-03-01.") % {"field": label(model, name)}
            elif isinstance(field, models.BooleanField):
                errors[name] = _("%(field)s: answer yes or no.") % {"field": label(model, name)}
            else:
                errors[name] = _("%(field)s: enter a whole number.") % {"field": label(model, name)}
            continue
        if field.choices and value not in dict(field.flatchoices):
            errors[name] = _("%(field)s: choose one of %(choices)s.") % {
                "field": label(model, name),
                "choices": "、".join(str(text) for _value, text in field.flatchoices),
            }
            continue
        if isinstance(field, models.CharField) and field.max_length and len(value) > field.max_length:
            errors[name] = _("%(field)s: at most %(n)d characters.") % {
                "field": label(model, name),
                "n": field.max_length,
            }
            continue
        setattr(obj, name, value)
    given = {
        name: getattr(obj, name)
        for name in values
        if name not in errors and not model._meta.get_field(name).is_relation
    }
    for name, message in bounds.field_errors(model, given).items():
        errors.setdefault(name, message)
    for name in required:
        if name not in errors and getattr(obj, name) in (None, ""):
            errors[name] = _("%(field)s: please fill this in.") % {"field": label(model, name)}


def not_in_future(obj, name: str, errors: dict) -> None:
    day = getattr(obj, name)
    if name not in errors and isinstance(day, dt.date) and day > timezone.localdate():
        errors[name] = _("%(field)s: the date cannot be in the future.") % {"field": label(type(obj), name)}


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def locked_organization(organization) -> Organization:
    """The organization's row, locked: serialises the writes about one organization (its coverage
    history, two submissions of the same contact)."""
    return Organization.objects.select_for_update(of=("self",)).select_related("region").get(pk=organization.pk)


def organizations_refusal(user, organizations, region, field: str, errors: dict, *, field_label: str, rule) -> list:
    """The organizations, each inside `region`'s subtree and allowed by `rule(user, organization)`;
    a message under `field` naming the first that is not."""
    organizations = list(dict.fromkeys(organizations))
    for organization in organizations:
        if not isinstance(organization, Organization):
            errors[field] = _("%(field)s: choose one of the listed entries.") % {"field": field_label}
            break
        if region is not None and not region.contains(organization.region):
            errors[field] = _("%(field)s: %(name)s is outside %(region)s.") % {
                "field": field_label,
                "name": organization.name,
                "region": region.name,
            }
            break
        allowed, reason = rule(user, organization)
        if not allowed:
            errors[field] = _("%(field)s: %(name)s: %(reason)s") % {
                "field": field_label,
                "name": organization.name,
                "reason": reason,
            }
            break
    return organizations
