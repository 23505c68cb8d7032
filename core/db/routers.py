"""The read-replica router (DATABASE_ROUTERS = ["core.db.routers.ReplicaRouter"]).

Reads go to `replica` only inside `replica()`, only when that alias is configured and
DATABASE_REPLICA_READS is on, and only while default is not inside a transaction (a read that follows
a write in the same transaction must see it, and a replica does not have it yet). Everything else —
every write, select_for_update, migrations — is default's.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_replica", default=False)


def replica_alias() -> str:
    """The alias reads go to now: `replica` inside replica() when it may be used, else default."""
    if not _reading_replica.get() or REPLICA not in settings.DATABASES:
        return DEFAULT_DB_ALIAS
    if not getattr(settings, "DATABASE_REPLICA_READS", True):
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextlib.contextmanager
def replica() -> Iterator[str]:
    """Route the reads inside the block to the replica (when there is one); yields the alias read
    from at the start."""
    token = _reading_replica.set(True)
    try:
        yield replica_alias()
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return replica_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
