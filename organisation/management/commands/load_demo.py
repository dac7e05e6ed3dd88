from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from deviations.demo import load_demo_deviations
from organisation.demo import DEMO_PASSWORD, load_demo
from routines.demo import load_demo_routines


class Command(BaseCommand):
    help = "Create the demo organisation and one demo user per role (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo is for development only; it never runs in production.")
        users = load_demo()
        # Cases at several stages, so every part of the deviation flow has something to show.
        load_demo_deviations()
        # Routines at every stage of their workflow, and processes that link to them.
        load_demo_routines()
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Demo logins:"))
        width = max(len(u) for u, _, _ in users)
        for username, role, node in users:
            self.stdout.write(f"  {username.ljust(width)}  {role} – {node}")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
