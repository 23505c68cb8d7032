"""Celery tasks of the projects app: thin, they call services."""

from celery import shared_task

from . import services


@shared_task
def send_due_reminders() -> dict:
    """Daily: remind organizations of quarterly submissions and contract milestones due or overdue,
    and the bureau of major-activity reports awaiting its decision (projects.services.reminders)."""
    return services.due_reminders_send()


@shared_task
def send_rectification_reminders() -> int:
    """Daily: remind the organization and the supervisor of rectifications due in 3 days or overdue."""
    return services.rectification_reminders_send()
