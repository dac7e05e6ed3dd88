from django.core.management.base import BaseCommand

from notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the deadline reminders that are due now, once (for cron or a systemd timer, every "
        "15 minutes). Running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = send_due_reminders()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{sent} reminder(s) sent")
