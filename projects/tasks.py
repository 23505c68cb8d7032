"""Celery tasks of the projects app: thin, they call services."""

from celery import shared_task

from . import services


@shared_task
def send_due_reminders() -> int:
    """Daily: remind organizations of quarterly submissions due within days or overdue."""
    return services.reminders_send()
