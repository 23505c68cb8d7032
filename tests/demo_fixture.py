"""The demo district (`manage.py seed_demo`), seeded once per test process and restored per test.

`seed_demo` takes seconds (many more on a loaded CI machine) and every app's demo tests used to run it
themselves, most of them twice. Here it runs once per process (per pytest-xdist worker): inside a
transaction that is rolled back, every table is copied out (PostgreSQL COPY) with the sequences'
positions. A test that requests `seeded_demo` then finds the database exactly as `seed_demo` left it:
its tables are emptied and the copy written back (~0.1 s), in the test's own
transaction, which pytest-django rolls back afterwards — so what one test writes, the next does not see.

In a transactional test (`django_db(transaction=True)`, e.g. with the live server) the copy is
written back and committed, and pytest-django's flush after the test empties the tables as usual.

Request `seeded_demo` before any other fixture that writes rows (factories): the restore replaces
the whole content of the database. In tests/projects and tests/registry, whose `places`, `users` and
`world` are restored the same way, do not combine it with those (their fixtures refuse). The demo's
files stay where the one seeding wrote them, under the media root of the test settings.

The same machinery serves any data built once per process: `build_once(django_db_blocker, build)`
gives the copy and what `build()` returned; a test's fixture calls `restore(copy)` and hands out
`fresh(what was returned)` — the same objects' rows read anew (see tests/projects/conftest.py).
"""

import io
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model

# The schema is the migrations' business; the demo never writes it.
_SKIPPED = {"django_migrations"}


@dataclass
class DemoSnapshot:
    tables: dict[str, bytes] = field(default_factory=dict)  # table → COPY text (b"" when empty)
    sequences: dict[str, int] = field(default_factory=dict)  # sequence → last value handed out


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables(cursor) -> list[str]:
    return sorted(set(connection.introspection.table_names(cursor)) - _SKIPPED)


def take_snapshot() -> DemoSnapshot:
    """Every table's rows and every sequence's position, as they are now (in this transaction)."""
    snapshot = DemoSnapshot()
    with connection.cursor() as cursor:
        for table in _tables(cursor):
            with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT") as copy:
                snapshot.tables[table] = b"".join(bytes(block) for block in copy)
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
        snapshot.sequences = dict(cursor.fetchall())
    return snapshot


def restore(snapshot: DemoSnapshot) -> None:
    """Replace the content of every table by the snapshot's. DELETE, not TRUNCATE: on these small
    tables it takes milliseconds where TRUNCATE takes a second. Foreign keys are checked at the end
    of the transaction (Django declares them DEFERRABLE INITIALLY DEFERRED), so the order of the
    tables does not matter."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("; ".join(f"DELETE FROM {_quote(table)}" for table in snapshot.tables))
        for table, rows in snapshot.tables.items():
            if rows:
                with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN") as copy:
                    copy.write(rows)
        # Sequences are not transactional and only move forward here: never below the snapshot's ids.
        if snapshot.sequences:
            cursor.execute(
                "SELECT "
                + ", ".join(
                    f"setval(%s, GREATEST(%s, (SELECT last_value FROM {_quote(sequence)})))"
                    for sequence in snapshot.sequences
                ),
                [value for item in snapshot.sequences.items() for value in item],
            )
    ContentType.objects.clear_cache()  # the ids of the snapshot, not those of an earlier flush


def build_once(django_db_blocker, build):
    """(snapshot, what build() returned): build() run once in a transaction rolled back, every
    table copied out before the rollback. Restore the copy with `restore`, then take fresh instances
    of the models build() returned with `fresh`."""
    with django_db_blocker.unblock():
        # Inside a wider transaction (a module's world) the copy would hold that world's rows too.
        assert not connection.in_atomic_block, "build_once: first requested inside a transaction kept open"
        with transaction.atomic():
            built = build()
            snapshot = take_snapshot()
            transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return snapshot, built


def _holder(value) -> bool:
    """An object of the tests' own classes holding fixtures' objects (Jurisdiction, a World)."""
    return type(value).__module__.startswith("tests.") and hasattr(value, "__dict__")


def fresh(template):
    """A copy of `template` (model instances in dicts, lists and the tests' objects' attributes) whose
    model instances are read anew from the database by primary key — one query per model, and
    one instance per row (two attributes naming the same row name the same instance), so nothing a
    test did to the objects in Python carries over to the next test."""
    wanted: dict[type, set] = {}

    def collect(value, seen):
        if isinstance(value, Model):
            wanted.setdefault(type(value), set()).add(value.pk)
        elif isinstance(value, dict | list | tuple):
            for item in value.values() if isinstance(value, dict) else value:
                collect(item, seen)
        elif _holder(value) and id(value) not in seen:
            seen.add(id(value))
            collect(vars(value), seen)

    collect(template, set())
    rows = {model: model._base_manager.in_bulk(pks) for model, pks in wanted.items()}
    copies: dict[int, object] = {}

    def swap(value):
        if isinstance(value, Model):
            return rows[type(value)][value.pk]
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(swap(item) for item in value)
        if _holder(value):
            if id(value) not in copies:
                copies[id(value)] = copy = object.__new__(type(value))
                copy.__dict__.update({name: swap(item) for name, item in vars(value).items()})
            return copies[id(value)]
        return value

    return swap(template)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> DemoSnapshot:
    """The database right after `manage.py seed_demo`, seeded once per process and rolled back."""
    snapshot, _ = build_once(django_db_blocker, lambda: call_command("seed_demo", stdout=io.StringIO()))
    return snapshot


@pytest.fixture
def seeded_demo(demo_snapshot, db) -> DemoSnapshot:
    """The database holds the demo district as `manage.py seed_demo` leaves it (see the module's
    docstring). `db` honours the test's `django_db(transaction=True)` mark and `live_server`."""
    restore(demo_snapshot)
    yield demo_snapshot
    ContentType.objects.clear_cache()
