"""`manage.py generate_inspection_scale_data`: five years of self-inspection on the benchmark
organisation (inspections.scale_data)."""

from django.core.management.base import BaseCommand

from inspections.scale_data.generator import generate


class Command(BaseCommand):
    help = (
        "Generate five years of self-inspection plans, executions and answers on the "
        "Skalkommunen of generate_scale_data, for benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--clear", action="store_true", help="Replace an earlier run.")
        parser.add_argument(
            "--remove", action="store_true", help="Only remove an earlier run, then stop."
        )

    def handle(self, *args, **options):
        done = generate(
            self.stdout,
            years=options["years"],
            seed=options["seed"],
            clear=options["clear"],
            remove=options["remove"],
        )
        if done is not None:
            self.stdout.write(self.style.SUCCESS(done))
