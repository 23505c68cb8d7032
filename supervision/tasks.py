"""Celery tasks of supervision: IDs in, a service called."""

from celery import shared_task


@shared_task(name="supervision.tasks.listings_daily")
def listings_daily() -> dict:
    """List organizations past the annual-report deadline; move two-year listings to the serious list."""
    from .services import listings_daily_run

    return listings_daily_run()
