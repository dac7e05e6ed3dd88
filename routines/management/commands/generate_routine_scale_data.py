"""`manage.py generate_routine_scale_data`: routines at scale on the benchmark data set
(routines.scale_data)."""

from django.core.management.base import BaseCommand

from routines.scale_data.generator import generate


class Command(BaseCommand):
    help = (
        "Generate routines, versions and acknowledgments at scale on the Skalkommunen of "
        "generate_scale_data, for benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", type=int, default=300, help="Board-to-department.")
        parser.add_argument("--per-unit", type=int, default=2)
        parser.add_argument("--staff-per-unit", type=int, default=5)
        parser.add_argument("--seed", type=int, default=4)
        parser.add_argument("--clear", action="store_true", help="Replace an earlier run.")
        parser.add_argument(
            "--remove", action="store_true", help="Only remove an earlier run, then stop."
        )

    def handle(self, *args, **options):
        done = generate(
            self.stdout,
            organisation=options["organisation"],
            per_unit=options["per_unit"],
            staff_per_unit=options["staff_per_unit"],
            seed=options["seed"],
            clear=options["clear"],
            remove=options["remove"],
        )
        if done is not None:
            self.stdout.write(self.style.SUCCESS(done))
