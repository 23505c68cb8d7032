"""`manage.py refresh_rollups [--quarters N]`: refresh the rollups of every active city and district
for the last N quarters (default 8, what the dashboard's trend reads). The nightly job refreshes the
current and the previous quarter; run this once after installing, or after correcting old data."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.choices import RegionLevel
from accounts.models import Region
from reports import quarters
from reports.rollups import refresh


class Command(BaseCommand):
    help = "Refresh the dashboard rollups of every active city and district for the last N quarters."

    def add_arguments(self, parser):
        parser.add_argument("--quarters", type=int, default=8, help="How many quarters, the current one included.")

    def handle(self, *args, quarters: int = 8, **options):
        if not 1 <= quarters <= 40:
            raise CommandError("--quarters must be between 1 and 40.")
        written = refresh_quarters(quarters)
        self.stdout.write(f"Rollups refreshed for {quarters} quarters: {written} node-quarters written.")


def refresh_quarters(count: int, today=None) -> int:
    """Refresh every root node (a city with its districts, or a district without a city) for the last
    `count` quarters; how many node-quarters were written."""
    today = today or timezone.localdate()
    roots = Region.objects.filter(
        is_active=True, parent__isnull=True, level__in=(RegionLevel.CITY, RegionLevel.DISTRICT)
    ).order_by("code")
    written = 0
    for root in roots:
        for year, quarter in quarters.last_quarters(*quarters.current_quarter(today), n=count):
            written += refresh(root, year, quarter, today)
    return written
