from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organisation.demo import DEMO_PASSWORD, load_demo
from organisation.demo_registry import demo_loaders


class Command(BaseCommand):
    help = "Create the demo organisation and one demo user per role (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo is for development only; it never runs in production.")
        users = load_demo()
        # Then the apps' own demo data (deviations at several stages, routines at every stage
        # of their workflow, processes that link to them), in the order they registered.
        for _name, load in demo_loaders():
            load()
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Demo logins:"))
        width = max(len(u) for u, _, _ in users)
        for username, role, node in users:
            self.stdout.write(f"  {username.ljust(width)}  {role} – {node}")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
