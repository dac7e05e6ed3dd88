"""Benchmark lines of the risk analyses, hooked into bench/run.py by `lines`.

Measured when risk analyses exist (`manage.py generate_risks_scale_data`): the risk register
as the department manager and as the unit manager of the benchmark organisation, the first page
and the page of analyses past their review date, and the risk statistics of the department
manager (this year, the department and the units below): as most visits find them (kept), as
the first visit after a change of this year's analyses does, and with nothing kept.
"""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.kept import changed
from organisation.scale_data import BENCH_USERS
from risks.models import RiskAnalysis
from risks.statistics_data import year_topic


def lines(measure, client_for, n, warmup):
    if not RiskAnalysis.objects.exists():
        print("risk register: no risk analyses (run manage.py generate_risks_scale_data)")
        return
    register = reverse("risks:register")
    department = client_for(BENCH_USERS["department_manager"])
    measure("risk register, department manager", lambda: department.get(register), n, warmup)
    measure(
        "risk register past review, department manager",
        lambda: department.get(register + "?overdue=1"),
        n,
        warmup,
    )
    statistics = reverse("risks:statistics")
    measure(
        "risk statistics, department manager",
        lambda: department.get(statistics),
        n,
        warmup,
    )
    # The figures are kept a year at a time until something of that year changes (core/kept.py):
    # the first visit after a change of this year's analyses counts this year again; when
    # nothing is kept (a new day, a change of the rules), every year is counted.
    this_year = year_topic(timezone.localdate().year)

    def after_a_change():
        changed(this_year)
        return department.get(statistics)

    measure("risk statistics, department manager, after a change", after_a_change, n, warmup)

    def nothing_kept():
        cache.clear()
        return department.get(statistics)

    measure("risk statistics, department manager, nothing kept", nothing_kept, n, warmup)
    unit = client_for(BENCH_USERS["unit_manager"])
    measure("risk register, unit manager", lambda: unit.get(register), n, warmup)
