from django.core.management.base import BaseCommand, CommandError

from legal.holidays import load_swedish_holidays
from organisation.models import OrgNode


class Command(BaseCommand):
    help = (
        "Add a year's Swedish public holidays (and the usual eves off) to each organisation's "
        "list of holidays. Running it again adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--organisation",
            type=int,
            help="The id of one organisation's top node; all organisations when left out.",
        )

    def handle(self, year, organisation=None, **options):
        if not 1900 <= year <= 2200:
            raise CommandError(f"{year} is not a plausible year.")
        roots = OrgNode.objects.filter(parent__isnull=True).order_by("pk")
        if organisation is not None:
            roots = roots.filter(pk=organisation)
            if not roots.exists():
                raise CommandError(f"No organisation with the top node {organisation}.")
        for root in roots:
            added = load_swedish_holidays(root, year, actor=None)
            self.stdout.write(f"{root.pk}\t{root.name}\t{year}\t{added} added")
