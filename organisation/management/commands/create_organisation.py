from django.core.management.base import BaseCommand

from organisation.models import NodeKind
from organisation.services import create_node


class Command(BaseCommand):
    help = "Create the top node of a new organisation tree (a board or an administration)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--kind", default=NodeKind.BOARD, choices=[NodeKind.BOARD, NodeKind.ADMINISTRATION]
        )

    def handle(self, name, kind, **options):
        node = create_node(actor=None, kind=kind, name=name)
        self.stdout.write(f"{node.pk}\t{node.name}")
