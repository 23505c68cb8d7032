"""Celery tasks of supervision: IDs in, a service called."""

from celery import shared_task


@shared_task(name="supervision.tasks.listings_daily")
def listings_daily() -> dict:
    """List organizations past the annual-report deadline; move two-year listings to the serious list."""
    from .services import listings_daily_run

    return listings_daily_run()


@shared_task(name="supervision.tasks.send_reminders")
def send_reminders() -> dict:
    """Daily: remind of annual reports due or overdue, listings eligible for removal, and listings
    approaching the serious-violation list (supervision.reminders)."""
    from .reminders import reminders_send

    return reminders_send()
