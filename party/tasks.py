"""Celery tasks of the party app: thin, they call services."""

from celery import shared_task


@shared_task(name="party.tasks.send_reminders")
def send_reminders() -> dict:
    """Daily: remind party secretaries of organizations overdue for a contact, and of terms ending."""
    from .reminders import reminders_send

    return reminders_send()
