"""The seed's runner: one database session, timed steps, id offsets and the SQL helpers the steps use."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import connection

from registry.uscc import CHARSET, WEIGHTS

# SQL helpers of the session (pg_temp: they vanish with it). h(g, salt) is a well-mixed number in
# [0, 1) from an integer and a salt, the same on every call, so two rows that must agree (a ledger
# entry and its corrected version) draw the same values; uscc(first17) appends the check character.
HELPERS = """
CREATE OR REPLACE FUNCTION pg_temp.h(g bigint, salt int) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (hashint8extended(g, salt) & 2147483647)::double precision / 2147483648.0 $$;

CREATE OR REPLACE FUNCTION pg_temp.pick(words text[], r double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT words[1 + floor(r * cardinality(words))::int] $$;

CREATE OR REPLACE FUNCTION pg_temp.uscc(first17 text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT first17 || substr('{CHARSET}', (31 - (
     SELECT sum((strpos('{CHARSET}', substr(first17, i, 1)) - 1) * (ARRAY{WEIGHTS})[i]) FROM generate_series(1, 17) i
   )::int % 31) % 31 + 1, 1) $$;
""".replace("{CHARSET}", CHARSET).replace("{WEIGHTS}", str(WEIGHTS))


@dataclass
class Runner:
    """Runs the seed's SQL on Django's connection, prints each step with its rows and seconds."""

    write: callable
    today: dt.date
    timings: list = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def __post_init__(self):
        self.cursor = connection.cursor()
        # Nothing here needs to survive a crash of the server more than the seed itself: a lost
        # commit is re-run. Sorting and index builds get more memory than the default.
        self.cursor.execute("SET synchronous_commit = off")
        self.cursor.execute("SET maintenance_work_mem = '512MB'")
        self.cursor.execute("SET work_mem = '128MB'")
        self.cursor.execute(HELPERS)

    def sql(self, statement: str, params: dict | None = None) -> int:
        self.cursor.execute(statement, params)
        return self.cursor.rowcount

    def value(self, statement: str, params: dict | None = None):
        self.cursor.execute(statement, params)
        row = self.cursor.fetchone()
        return row[0] if row else None

    def base(self, table: str) -> int:
        """The largest id of `table` (0 when empty): new rows take ids above it."""
        return self.value(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (a model's table)

    def step(self, label: str, statement: str, params: dict | None = None) -> int:
        began = time.perf_counter()
        rows = self.sql(statement, params)
        self.done(label, rows, time.perf_counter() - began)
        return rows

    def done(self, label: str, rows: int, seconds: float) -> None:
        self.timings.append((label, rows, seconds))
        total = time.perf_counter() - self.started
        self.write(f"{label:<40} {rows:>12,} rows {seconds:>8.1f} s   (total {total:7.1f} s)")

    def copy(self, table: str, columns: tuple[str, ...], rows) -> int:
        """COPY rows (tuples in `columns` order) into `table`."""
        count = 0
        with self.cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
