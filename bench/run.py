"""Server-time benchmark of the heavy pages: `make bench`.

Runs in-process with Django's test client (no network, no web server: the figures are the time
Django spends in middleware, view, queries and template), against the database configured by
DATABASE_URL, with DEBUG off. Measure on PostgreSQL with the data of
`manage.py generate_scale_data` (the README has the steps); the people are the generated ones.
The routine pages are measured when routines exist (`manage.py generate_routine_scale_data`).

For each page: BENCH_WARMUP requests first, then BENCH_N measured ones; one line per page:

    name  p50=… ms  p95=… ms  n=…  queries=…  status=…

`queries` is the number of SQL queries of one more request of the same page (counted apart
from the timed ones); it must not grow with the data (no N+1). A trivial view (/healthz) is
measured in the same run as the floor. The report submission really files reports (BENCH_N +
BENCH_WARMUP of them, in the busiest unit) and each case page read is logged, as in real use.

Environment: DATABASE_URL, BENCH_N (200), BENCH_WARMUP (20), BENCH_YEAR (last year),
BENCH_SEED (4), BENCH_ONLY (comma-separated words: only the pages whose name contains one).
"""

import gc
import math
import os
import random
import sys
import time
import uuid
from datetime import timedelta
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjulet.settings")
os.environ.setdefault("HJULET_DEBUG", "0")

import django  # noqa: E402

django.setup()
# As the web server's process, once the application is loaded (hjulet/wsgi.py).
gc.freeze()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from deviations.models import Deviation  # noqa: E402
from organisation.models import OrgNode  # noqa: E402
from organisation.scale_data import BENCH_USERS  # noqa: E402
from routines.models import Routine  # noqa: E402
from routines.scale_data.texts import COMMON_WORD  # noqa: E402

BACKEND = "accounts.backends.RoleBackend"
# bench/<name>.py, each with lines(measure, client_for, n, warmup).
EXTRA_LINES = ("risks", "inspections", "internal_control", "feedback", "reports")


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def client_for(username):
    client = Client()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            sys.exit(f"No user {username}: run `manage.py generate_scale_data` first.")
        client.force_login(user, backend=BACKEND)
    return client


def measure(name, call, n, warmup):
    only = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
    if only and not any(w in name for w in only):
        return
    statuses = set()
    for _ in range(warmup):
        statuses.add(call().status_code)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status_code)
    with CaptureQueriesContext(connection) as queries:
        statuses.add(call().status_code)
    times.sort()
    print(
        f"{name:<36} p50={percentile(times, 0.5):7.1f} ms  p95={percentile(times, 0.95):7.1f} ms"
        f"  n={n}  queries={len(queries)}  status={','.join(map(str, sorted(statuses)))}",
        flush=True,
    )


def main():
    n = int(os.environ.get("BENCH_N", "200"))
    warmup = int(os.environ.get("BENCH_WARMUP", "20"))
    year = int(os.environ.get("BENCH_YEAR", timezone.localdate().year - 1))
    rng = random.Random(int(os.environ.get("BENCH_SEED", "4")))

    staff = User.objects.get(username=BENCH_USERS["staff"])
    unit = OrgNode.objects.get(assignments__user=staff, assignments__role__code="staff_member")
    total = Deviation.objects.count()
    print(
        f"# Hjulet bench: {connection.vendor} {settings.DATABASES['default']['NAME']}, "
        f"{total} deviations, DEBUG={settings.DEBUG}, in-process test client, "
        f"BENCH_N={n} BENCH_WARMUP={warmup} BENCH_YEAR={year}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )

    anonymous = client_for(None)
    measure("healthz (trivial view)", lambda: anonymous.get("/healthz"), n, warmup)

    reporter = client_for(BENCH_USERS["staff"])
    report_url = reverse("deviations:report")

    def submit():
        occurred = timezone.localtime() - timedelta(hours=1)
        return reporter.post(
            report_url,
            {
                "unit": unit.pk,
                "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
                "description": "Larmet fungerade inte under natten.",
                "immediate_action": "Extra tillsyn sattes in.",
                "service_user_affected": "no",
                "submission_key": str(uuid.uuid4()),
            },
        )

    measure("report submission (POST)", submit, n, warmup)

    register = reverse("deviations:list")
    filters = {
        "status": "closed",
        "reported_from": f"{year}-01-01",
        "reported_to": f"{year}-12-31",
    }
    for label, username in (
        ("register, unit manager", BENCH_USERS["unit_manager"]),
        ("register, department manager", BENCH_USERS["department_manager"]),
    ):
        client = client_for(username)
        measure(f"{label}", lambda c=client: c.get(register, filters), n, warmup)

    manager = client_for(BENCH_USERS["unit_manager"])
    cases = list(
        Deviation.objects.filter(unit__path__startswith=unit.path).values_list("pk", flat=True)
    )
    sample = [rng.choice(cases) for _ in range(n + warmup + 1)]
    pages = iter(sample)
    measure(
        "case page, unit manager",
        lambda: manager.get(reverse("deviations:detail", args=[next(pages)])),
        n,
        warmup,
    )

    statistics = reverse("analysis:statistics")
    period = {"period_from": f"{year}-01-01", "period_to": f"{year}-12-31"}
    for label, username in (
        ("statistics, department manager", BENCH_USERS["department_manager"]),
        ("statistics, quality developer", BENCH_USERS["quality_developer"]),
    ):
        client = client_for(username)
        measure(label, lambda c=client: c.get(statistics, period), n, warmup)

    # The figures are kept in the cache between visits (analysis/reading.py); a first visit, or
    # the first after a change, reads the kept counts: measured with the cache emptied each time.
    quality = client_for(BENCH_USERS["quality_developer"])

    def first_visit():
        cache.clear()
        return quality.get(statistics, period)

    measure("statistics, quality developer, uncached", first_visit, n, warmup)

    # The board member's start page: this year's figures of the whole municipality.
    if User.objects.filter(username=BENCH_USERS["board_member"]).exists():
        board = client_for(BENCH_USERS["board_member"])
        start = reverse("shell:start")
        measure("start page, board member", lambda: board.get(start), n, warmup)
    else:
        print("# no board member: generate the scale data again for that line", flush=True)

    if Routine.objects.applying_to(unit).exists():
        routines(unit, n, warmup, rng)


def routines(unit, n, warmup, rng):
    """The routine pages, on the data of `manage.py generate_routine_scale_data`."""
    staff = client_for(BENCH_USERS["staff"])
    mine = reverse("routines:mine")
    measure("routines for my unit, staff", lambda: staff.get(mine), n, warmup)
    measure("routine search, staff", lambda: staff.get(mine, {"q": COMMON_WORD}), n, warmup)
    applying = list(
        Routine.objects.applying_to(unit)
        .filter(current_version__state="published", withdrawn_at__isnull=True)
        .values_list("pk", flat=True)
    )
    pages = iter([rng.choice(applying) for _ in range(n + warmup + 1)])
    measure(
        "routine page, staff",
        lambda: staff.get(reverse("routines:read", args=[next(pages)])),
        n,
        warmup,
    )
    overview = reverse("routines:acknowledgments")
    manager = client_for(BENCH_USERS["unit_manager"])
    measure("acknowledgments, unit manager", lambda: manager.get(overview), n, warmup)
    department = client_for(BENCH_USERS["department_manager"])
    measure(
        "acknowledgments, department manager",
        lambda: department.get(overview, {"unit": unit.parent_id}),
        n,
        warmup,
    )
    quality = client_for(BENCH_USERS["quality_developer"])
    register = reverse("routines:register")
    measure("routine register, quality developer", lambda: quality.get(register), n, warmup)

    # The lines of the later modules, each measured when its scale data exists.
    for name in EXTRA_LINES:
        import_module(f"bench.{name}").lines(measure, client_for, n, warmup)


if __name__ == "__main__":
    main()
