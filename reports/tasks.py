"""Celery tasks of the reports app: thin, they call the services."""

from celery import shared_task


@shared_task(name="reports.tasks.rollups_refresh")
def rollups_refresh() -> dict:
    """Nightly: refresh the rollup of every node for the current and the previous quarter."""
    from .rollups import refresh_all

    return refresh_all()


@shared_task(name="reports.tasks.workbooks_scheduled")
def workbooks_scheduled() -> dict:
    """Daily: build each district's and city's workbook of the quarter whose submission deadline
    passed, once (a second run the same day, or any later day, builds nothing new)."""
    from .services.workbooks import workbooks_build_due

    return workbooks_build_due()


@shared_task(name="reports.tasks.workbook_build")
def workbook_build(workbook_id: int) -> None:
    from .services.workbooks import workbook_build as build

    build(workbook_id)
