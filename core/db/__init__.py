"""Database plumbing: the PostgreSQL backend (backends/) and the read-replica router (routers).

`replica()` sends the reads made inside it to the alias `replica` — a streaming replica of default,
configured by DATABASE_REPLICA_URL — when it is configured and DATABASE_REPLICA_READS is on; else
they stay on default. Writes always go to default. Use it around long reads that tolerate a few
seconds of replication lag: the quarterly workbooks' sheets, export files.

    with replica():
        write(scope, handle)
"""

from .routers import REPLICA, ReplicaRouter, replica, replica_alias

__all__ = ["REPLICA", "ReplicaRouter", "replica", "replica_alias"]
