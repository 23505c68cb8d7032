"""Audit records, written by services inside their transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from .context import current_request_id
from .models import AuditRecord
from .scoping import resolve_region

# Never copied into the audit trail.
_SECRET_FIELDS = {"password"}


def snapshot(obj: models.Model) -> dict:
    """The object's concrete field values as JSON-ready data (foreign keys as ids)."""
    exclude = _SECRET_FIELDS | set(getattr(obj, "audit_exclude", ()))
    data = {}
    for f in obj._meta.concrete_fields:
        if f.attname in exclude or f.name in exclude:
            continue
        value = getattr(obj, f.attname)
        # A stored file is recorded by its name; its content is not audit data.
        data[f.attname] = value.name if isinstance(f, models.FileField) else value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _require_transaction():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit records are written inside the service's transaction.")


def _build(*, actor, action: str, obj: models.Model, before, after, message: str) -> AuditRecord:
    policy = getattr(type(obj), "access_policy", None)
    region = resolve_region(obj, policy.region) if policy else None
    actor_known = actor is not None and getattr(actor, "pk", None) is not None
    return AuditRecord(
        actor=actor if actor_known else None,
        actor_name=(actor.get_username() if actor_known else "system")[:150],
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        region_path=getattr(region, "path", "") or "",
        before=before,
        after=snapshot(obj) if after is True else (after or None),
        message=message,
    )


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | bool | None = True,
    message: str = "",
) -> AuditRecord:
    """Write one audit record. `after=True` snapshots the object as it is now."""
    _require_transaction()
    entry = _build(actor=actor, action=action, obj=obj, before=before, after=after, message=message)
    entry.save()
    return entry


def record_many(*, actor, action: str, objs: Sequence[models.Model], message: str = "", batch_size: int = 2000) -> int:
    """The records `record` would write for each of many new objects (imports, daily jobs), inserted
    in batches; each snapshots its object as it is now."""
    _require_transaction()
    entries = [_build(actor=actor, action=action, obj=obj, before=None, after=True, message=message) for obj in objs]
    AuditRecord.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)


def history(obj: models.Model):
    """The object's audit records, newest first."""
    return AuditRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")


def _readable_value(field, value, related: dict) -> str | None:
    """A recorded value as a person reads it: a choice by its label, yes/no, a local date and time,
    a related object by its name."""
    if value is None or value == "":
        return None
    if field is None:
        return str(value)
    if field.is_relation and field.many_to_one:
        return related.get((field.related_model, value), str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "DATE_FORMAT")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def readable_history(records: Sequence[AuditRecord], model) -> list[tuple[AuditRecord, list[tuple[str, str, str]]]]:
    """Each record with its changes as (field's verbose name, before, after) in the reader's words;
    the objects named by foreign keys are fetched once per related model for the whole page."""
    fields = {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}
    wanted: dict = {}
    for record in records:
        for key, before, after in record.changes:
            field = fields.get(key)
            if field is not None and field.is_relation and field.many_to_one:
                wanted.setdefault(field.related_model, set()).update(v for v in (before, after) if v is not None)
    related = {}
    for related_model, ids in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(list(ids)[:500]).items():
            related[(related_model, pk)] = str(obj)
    result = []
    for record in records:
        changes = []
        for key, before, after in record.changes:
            field = fields.get(key)
            label = str(field.verbose_name) if field is not None else key
            changes.append((label, _readable_value(field, before, related), _readable_value(field, after, related)))
        result.append((record, changes))
    return result
