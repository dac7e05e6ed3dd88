"""Benchmark lines of the risk analyses, hooked into bench/run.py by `lines`.

Measured when risk analyses exist (`manage.py generate_risks_scale_data`): the risk register
as the department manager and as the unit manager of the benchmark organisation, the first page
and the page of analyses past their review date, and the risk statistics of the department
manager (this year, the department and the units below).
"""

from django.urls import reverse

from organisation.scale_data import BENCH_USERS
from risks.models import RiskAnalysis


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
    unit = client_for(BENCH_USERS["unit_manager"])
    measure("risk register, unit manager", lambda: unit.get(register), n, warmup)
