"""`manage.py generate_feedback_scale_data`: complaints and opinions at scale on the benchmark
data set (feedback.scale_data)."""

from django.core.management.base import BaseCommand

from feedback.scale_data.generator import generate


class Command(BaseCommand):
    help = (
        "Generate feedback (complaints, opinions, praise, suggestions) over ten years on the "
        "Skalkommunen of generate_scale_data, for benchmarks (not in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=12)
        parser.add_argument("--clear", action="store_true", help="Replace an earlier run.")
        parser.add_argument(
            "--remove", action="store_true", help="Only remove an earlier run, then stop."
        )

    def handle(self, *args, **options):
        done = generate(
            self.stdout,
            total=options["total"],
            years=options["years"],
            seed=options["seed"],
            clear=options["clear"],
            remove=options["remove"],
        )
        if done is not None:
            self.stdout.write(self.style.SUCCESS(done))
