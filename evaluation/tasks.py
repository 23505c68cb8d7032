"""Celery tasks of the evaluation app: thin, they call services."""

from celery import shared_task


@shared_task(name="evaluation.tasks.send_reminders")
def send_reminders() -> dict:
    """Daily: remind experts of scoring due, and of organization grades lapsing."""
    from .reminders import reminders_send

    return reminders_send()
