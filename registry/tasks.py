"""Celery tasks of the registry: IDs in, a service called."""

from celery import shared_task

from . import services_import


@shared_task(name="registry.tasks.roster_import_validate")
def roster_import_validate(roster_import_id: int) -> None:
    services_import.roster_import_validate(roster_import_id)


@shared_task(name="registry.tasks.roster_import_run")
def roster_import_run(roster_import_id: int) -> None:
    services_import.roster_import_run(roster_import_id)
