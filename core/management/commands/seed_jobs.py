"""Create the beat schedule of every declared periodic job that has none (core.periodic); a
schedule that exists, perhaps edited by the bureau administrator, is left as it is."""

from django.core.management.base import BaseCommand

from core.periodic import seed


class Command(BaseCommand):
    help = "Create the missing periodic job schedules; never change an existing one."

    def handle(self, *args, **options):
        created = seed()
        if created:
            self.stdout.write("Created: " + ", ".join(created))
        else:
            self.stdout.write("Every periodic job already has its schedule.")
