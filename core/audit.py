"""Audit records, written by services inside their transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

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
