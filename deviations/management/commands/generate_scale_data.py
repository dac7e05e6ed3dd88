"""`manage.py generate_scale_data`: the benchmark data set (deviations.scale_data)."""

from django.core.management.base import BaseCommand

from deviations.scale_data.generator import generate


class Command(BaseCommand):
    help = (
        "Generate a large, realistic data set under the organisation 'Skalkommunen' for "
        "benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deviations", type=int, default=500_000)
        parser.add_argument("--units", type=int, default=500)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument(
            "--clear", action="store_true", help="Remove an earlier Skalkommunen first."
        )

    def handle(self, *args, **options):
        done = generate(
            self.stdout,
            deviations=options["deviations"],
            units=options["units"],
            years=options["years"],
            seed=options["seed"],
            clear=options["clear"],
        )
        self.stdout.write(self.style.SUCCESS(done))
