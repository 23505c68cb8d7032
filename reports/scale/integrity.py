"""What makes bulk loading fast without giving up the schema's guarantees.

- `deferred_indexes`: the big tables' indexes that back no constraint (plain, partial and GIN ones,
  including the bigram search indexes) are dropped before the load and built again after it, each
  in one pass; a unique one that would be violated fails the build and so the seed.
- `foreign_keys_off` / `check_foreign_keys`: a superuser session skips the per-row foreign-key
  triggers (session_replication_role = replica; CHECK and UNIQUE constraints still apply) and then
  checks every single-column foreign key of the loaded tables set-based, one anti-join each.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

BIG_TABLES = (
    "registry_organization", "party_partycoverage", "supervision_annualreport", "projects_project",
    "projects_contract", "projects_milestone", "projects_payment", "projects_budgetline",
    "projects_quarterlysubmission", "projects_ledgerentry", "core_auditrecord",
)  # fmt: skip

PLAIN_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indrelid::regclass::text
FROM pg_index i
WHERE i.indrelid = ANY(%(tables)s::regclass[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 3, 1
"""

FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid = ANY(%(tables)s::regclass[])
ORDER BY 1, 2
"""

# Names from the catalogue (never input).
ORPHANS = (
    "SELECT count(*) FROM CHILD c WHERE c.COLUMN IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM PARENT p WHERE p.TARGET = c.COLUMN)"
)


@contextmanager
def deferred_indexes(run, tables=BIG_TABLES):
    indexes = []
    run.cursor.execute(PLAIN_INDEXES, {"tables": list(tables)})
    indexes = run.cursor.fetchall()
    for name, _definition, _table in indexes:
        run.sql(f"DROP INDEX {name}")
    yield
    spent: dict[str, float] = {}
    for _name, definition, table in indexes:
        began = time.perf_counter()
        run.sql(definition)
        spent[table] = spent.get(table, 0.0) + time.perf_counter() - began
    for table, seconds in spent.items():
        run.done(f"indexes of {table}", sum(1 for index in indexes if index[2] == table), seconds)


def foreign_keys_off(run) -> bool:
    """Skip the per-row foreign-key triggers if this session may; whether it did."""
    if not run.value("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        return False
    run.sql("SET session_replication_role = replica")
    return True


def check_foreign_keys(run, tables) -> None:
    """Raise if any row of `tables` names a row that does not exist; restore the triggers."""
    began = time.perf_counter()
    run.sql("SET session_replication_role = DEFAULT")
    run.cursor.execute(FOREIGN_KEYS, {"tables": list(tables)})
    keys = run.cursor.fetchall()
    for child, column, parent, target in keys:
        statement = ORPHANS.replace("CHILD", child).replace("COLUMN", column)
        orphans = run.value(statement.replace("PARENT", parent).replace("TARGET", target))
        if orphans:
            raise AssertionError(f"{orphans} rows of {child}.{column} name no row of {parent}")
    run.done("foreign keys checked", len(keys), time.perf_counter() - began)
