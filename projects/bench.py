"""Projects benchmarks for `manage.py bench --current`: the app's beat jobs on the data in the
database (core.periodic.benchmarks)."""

from core.periodic.benchmarks import beat_job_rows

SCALE_BENCHMARKS = beat_job_rows("projects-due-reminders", "projects-rectification-reminders")
