import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from notifications.tasks import PERIODIC_TASKS


class Command(BaseCommand):
    help = (
        "Run the periodic tasks (deadline reminders) every N minutes until stopped: each run "
        "puts the named tasks on the task queue, which `manage.py db_worker` works through. "
        "Use --inline to run them in this process instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15, help="Minutes between runs.")
        parser.add_argument(
            "--inline", action="store_true", help="Run the tasks here instead of queueing them."
        )
        parser.add_argument(
            "--iterations", type=int, default=0, help="Stop after this many runs (0: never)."
        )

    def handle(self, *args, interval, inline, iterations, **options):
        if interval <= 0:
            raise CommandError("The interval must be positive.")
        stop = threading.Event()

        def _stop(signum, frame):
            stop.set()

        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, _stop)
        try:
            self._loop(stop, interval, inline, iterations, options)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            close_old_connections()

    def _loop(self, stop, interval, inline, iterations, options):
        runs = 0
        while not stop.is_set():
            close_old_connections()
            for name, periodic in PERIODIC_TASKS.items():
                try:
                    if inline:
                        result = periodic.call()
                        self._say(options, f"{name}: {result}")
                    else:
                        result = periodic.enqueue()
                        self._say(options, f"{name}: queued {result.id}")
                except Exception as error:  # one failing run must not stop the scheduler
                    self.stderr.write(f"{name}: {error!r}")
            runs += 1
            if iterations and runs >= iterations:
                break
            stop.wait(interval * 60)

    def _say(self, options, text):
        if options["verbosity"] >= 1:
            self.stdout.write(text)
