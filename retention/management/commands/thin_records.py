"""`manage.py thin_records`: the dry run (default) or, with --execute, the executed run."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from retention import engine
from retention.services import execute_run


class Command(BaseCommand):
    help = "List what the retention rules would thin now; with --execute, thin it and log it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--execute", action="store_true", help="Thin for real (cannot be undone)."
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="references",
            help="List the references, not only the counts.",
        )

    def handle(self, *args, execute=False, references=False, **options):
        if execute:
            run = execute_run(actor=None)
            for line in run.lines.all():
                self.stdout.write(f"{line.rule_name}: {line.count}")
            self.stdout.write(f"Thinned {run.total} records (run {run.pk}).")
            return
        self.stdout.write(f"Dry run {timezone.localtime():%Y-%m-%d %H:%M}; nothing is changed.")
        for due in engine.due_records():
            rule = due.rule
            self.stdout.write(
                f"{rule.name} [{due.record_type.code}, {rule.action}, "
                f"{rule.legal_reference or '-'}]: {due.count}"
            )
            if references:
                for _pk, reference, counted_from in due.records:
                    self.stdout.write(f"  {reference}  {counted_from:%Y-%m-%d}")
