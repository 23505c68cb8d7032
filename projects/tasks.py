"""Celery tasks of the projects app: thin, they call services."""

from celery import shared_task

from . import services


@shared_task
def send_due_reminders() -> int:
    """Daily: remind organizations of quarterly submissions due within days or overdue."""
    return services.reminders_send()


@shared_task
def send_rectification_reminders() -> int:
    """Daily: remind the organization and the supervisor of rectifications past their due date."""
    return services.rectification_reminders_send()
