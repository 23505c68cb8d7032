"""Periodic housekeeping tasks of the frame."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired sessions (they are credentials, not records); returns how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
