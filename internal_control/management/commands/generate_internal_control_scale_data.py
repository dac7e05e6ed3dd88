"""`manage.py generate_internal_control_scale_data`: internal control plans on the benchmark
data set (internal_control.scale_data)."""

from django.core.management.base import BaseCommand

from internal_control.scale_data.generator import generate


class Command(BaseCommand):
    help = (
        "Generate one internal control plan a year with control points and results on the "
        "Skalkommunen of generate_scale_data, for benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--points", type=int, default=30, help="Control points a plan.")
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--clear", action="store_true", help="Replace an earlier run.")
        parser.add_argument(
            "--remove", action="store_true", help="Only remove an earlier run, then stop."
        )

    def handle(self, *args, **options):
        generate(
            self.stdout,
            years=options["years"],
            points=options["points"],
            seed=options["seed"],
            clear=options["clear"],
            remove=options["remove"],
        )
