"""Demo data: one realistic district, contributed by each app's demo.py in dependency order.

Idempotent: each app's seed looks records up by natural key before creating them.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or complete) the demo district: regions, one user per role, and each app's data."

    def handle(self, *args, **options):
        context: dict = {"stdout": self.stdout}
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
