"""Supervision benchmarks for `manage.py bench`: the daily listing job over a district's worth of
organizations none of which has filed its annual report (imported as the registry's benchmark does:
half registered, listed; half filed, reminded — these have no accounts)."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.utils import timezone

from core.periodic.benchmarks import beat_job_rows
from registry.bench import ROSTER_ROWS, import_generated_roster

from .services import listings_daily_run


def bench_listings_daily(measure, scale: float = 1.0):
    rows = max(1, int(ROSTER_ROWS * scale))
    # The import is the registry's row; here it only sets the stage.
    roster_import = import_generated_roster(lambda **kwargs: contextlib.nullcontext(), rows)
    try:
        today = timezone.localdate()
        with measure(rows=rows, label="Daily listing job over them",
                     note="lists the registered without a work report, reminds the filed"):  # fmt: skip
            listings_daily_run(today=dt.date(today.year, 6, 1) if today.month < 6 else today)
    finally:
        roster_import.file.delete(save=False)


BENCHMARKS = [("Daily listing job: 20,000 imported organizations", bench_listings_daily)]

# `manage.py bench --current`: the beat jobs on the data in the database (core.periodic.benchmarks).
SCALE_BENCHMARKS = beat_job_rows("supervision-listings-daily", "supervision-reminders")
