from django.core.management.base import BaseCommand

from analysis import buckets
from analysis.models import ReportCount, Span
from core.scale_data import analyse


class Command(BaseCommand):
    help = (
        "Count the statistics again from the register (run it after loading reports, tracks "
        "or investigations in bulk straight into the tables)."
    )

    def handle(self, *args, **options):
        buckets.rebuild()
        # On PostgreSQL, the visibility map too, so that the statistics read the counts from
        # their indexes alone from the first request (analysis/models.py).
        analyse(buckets.COUNTS)
        self.stdout.write(
            f"Counted {ReportCount.objects.filter(span=Span.MONTH).count()} units × months."
        )
