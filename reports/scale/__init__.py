"""`manage.py seed_scale`: a migrated, empty database filled with realistic data at national scale,
set-based (INSERT … SELECT over generate_series, COPY for the region tree), never a save per row.

Steps, each printed with its rows and seconds: regions (places), organizations with party coverage,
annual reports, listings and grades (register), funders and projects with contracts, milestones,
payments, budget lines and quarterly submissions (projects), ledger entries (ledger), the audit trail
(trail), the seeded accounts (people); then every sequence past its table's largest id and ANALYZE."""

from __future__ import annotations

import time

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from registry.models import Organization

from . import integrity, ledger, people, places, projects, register, trail
from .runner import Runner

# The project's own apps: the tables --force empties.
APPS = ("core", "accounts", "registry", "supervision", "party", "projects", "evaluation", "reports")


class NotEmpty(Exception):
    """The database already holds organizations."""


def tables() -> list[str]:
    return [model._meta.db_table for label in APPS for model in apps.get_app_config(label).get_models()] + [
        model._meta.get_field(f.name).remote_field.through._meta.db_table
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        for f in model._meta.local_many_to_many
    ]


def empty(run) -> None:
    """Empty every table of the project's apps (TRUNCATE … RESTART IDENTITY CASCADE)."""
    began = time.perf_counter()
    run.sql(f"TRUNCATE {', '.join(sorted(set(tables())))} RESTART IDENTITY CASCADE")
    run.done("emptied (--force)", 0, time.perf_counter() - began)


# A model's own table (never input): its identity sequence past the largest id, or back to 1 when empty.
SETVAL = (
    "SELECT setval(pg_get_serial_sequence(%(table)s, 'id'), GREATEST(1, (SELECT MAX(id) FROM TABLE)),"
    " (SELECT MAX(id) FROM TABLE) IS NOT NULL)"
)


def reset_sequences(run) -> None:
    began = time.perf_counter()
    count = 0
    for table in sorted(set(tables())):
        run.sql(SETVAL.replace("TABLE", table), {"table": table})
        count += 1
    run.done("sequences past the largest ids", count, time.perf_counter() - began)


def seed(*, orgs: int, ledger_entries: int, write=print, force: bool = False, today=None) -> dict:
    """Fill the database; the row counts and timings. Refuses (NotEmpty) when organizations exist,
    unless `force`, which first empties every table of the project's apps."""
    today = today or timezone.localdate()
    run = Runner(write=write, today=today)
    if Organization.objects.exists():
        if not force:
            raise NotEmpty(Organization.objects.count())
        empty(run)
    with transaction.atomic():
        checked = integrity.foreign_keys_off(run)
        places.seed(run)
        with integrity.deferred_indexes(run):
            register.seed(run, orgs)
            window = projects.quarters(today)[0][3]
            count = projects.seed(run, orgs)
            ledger_base = run.base("projects_ledgerentry")
            ledger.seed(run, ledger_entries, count, window)
            trail.seed(run, ledger_base)
        if checked:
            integrity.check_foreign_keys(run, sorted(set(tables())))
        began = time.perf_counter()
        accounts = people.seed(run)
        run.done("accounts", len(accounts), time.perf_counter() - began)
        reset_sequences(run)
        for name in ("seed_org", "seed_project", "seed_place", "seed_quarter"):
            run.sql(f"DROP TABLE {name}")
        began = time.perf_counter()
    run.done("commit", 0, time.perf_counter() - began)
    began = time.perf_counter()
    run.sql("ANALYZE")
    run.done("ANALYZE", 0, time.perf_counter() - began)
    total = time.perf_counter() - run.started
    write(f"{'total':<40} {'':>12}      {total:>8.1f} s")
    return {"timings": run.timings, "seconds": total, "accounts": accounts}
