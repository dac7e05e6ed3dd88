"""Bench lines of self-inspection, hooked into bench/run.py by the lead:

    from bench import inspections
    inspections.lines(measure, client_for, n, warmup)

Needs `manage.py generate_inspection_scale_data` (five years on Skalkommunen); without it the
lines are skipped with a note. The department manager of the benchmark opens this year's
inspection plans of the department and the compliance over time of the department (five
years of kept counts per execution, a roll-up per unit below).
"""

from django.urls import reverse

from accounts.models import User
from inspections.models import Execution
from organisation.scale_data import BENCH_USERS


def lines(measure, client_for, n, warmup):
    if not Execution.objects.exists():
        print("# inspections: no data (manage.py generate_inspection_scale_data)", flush=True)
        return
    username = BENCH_USERS["department_manager"]
    manager = User.objects.get(username=username)
    department = manager.assignments.select_related("node").first().node
    client = client_for(username)
    plans = reverse("inspections:plans")
    measure("inspection plan, department manager", lambda: client.get(plans), n, warmup)
    results = reverse("inspections:results")
    query = {"node": department.pk}
    measure(
        "compliance over time, department manager",
        lambda: client.get(results, query),
        n,
        warmup,
    )
