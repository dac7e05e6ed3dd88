"""`manage.py generate_risks_scale_data`: risk analyses at scale on the benchmark data set
(risks.scale_data)."""

from django.core.management.base import BaseCommand

from risks.scale_data.generator import generate


class Command(BaseCommand):
    help = (
        "Generate risk analyses with events, participants and measures over five years on the "
        "Skalkommunen of generate_scale_data, for benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--per-year", type=int, default=3, help="Analyses per unit and year.")
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--clear", action="store_true", help="Replace an earlier run.")
        parser.add_argument(
            "--remove", action="store_true", help="Only remove an earlier run, then stop."
        )

    def handle(self, *args, **options):
        done = generate(
            self.stdout,
            per_year=options["per_year"],
            years=options["years"],
            seed=options["seed"],
            clear=options["clear"],
            remove=options["remove"],
        )
        if done is not None:
            self.stdout.write(self.style.SUCCESS(done))
