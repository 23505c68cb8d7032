"""Audit records for many objects written at once (roster import, the daily listing job).

The same record `core.audit.record` writes, one INSERT per batch instead of one per object.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from core import audit
from core.context import current_request_id
from core.models import AuditRecord
from core.scoping import resolve_region


def record_many(*, actor, action: str, objs: Sequence[models.Model], message: str = "", batch_size: int = 2000) -> int:
    if not objs:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit records are written inside the service's transaction.")
    model = type(objs[0])
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    policy = getattr(model, "access_policy", None)
    actor_known = actor is not None and getattr(actor, "pk", None) is not None
    actor_name = (actor.get_username() if actor_known else "system")[:150]
    request_id = current_request_id()
    records = []
    for obj in objs:
        region = resolve_region(obj, policy.region) if policy else None
        records.append(AuditRecord(
            actor=actor if actor_known else None, actor_name=actor_name, request_id=request_id, action=action,
            content_type=content_type, object_id=str(obj.pk), object_repr=str(obj)[:255],
            region_path=getattr(region, "path", "") or "", before=None, after=audit.snapshot(obj), message=message,
        ))  # fmt: skip
    AuditRecord.objects.bulk_create(records, batch_size=batch_size)
    return len(records)
