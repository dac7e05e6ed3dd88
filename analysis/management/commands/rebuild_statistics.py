from django.core.management.base import BaseCommand

from analysis import buckets
from analysis.models import ReportCount, Span


class Command(BaseCommand):
    help = (
        "Count the statistics again from the register (run it after loading reports, tracks "
        "or investigations in bulk straight into the tables)."
    )

    def handle(self, *args, **options):
        buckets.rebuild()
        self.stdout.write(
            f"Counted {ReportCount.objects.filter(span=Span.MONTH).count()} units × months."
        )
