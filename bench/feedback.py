"""Bench lines of complaints and opinions, hooked into bench/run.py by `lines`.

Needs `manage.py generate_feedback_scale_data` (100,000 items over ten years on Skalkommunen);
without it the lines are skipped with a note. A member of the public sends the public form (no
login); the unit manager and the department manager of the benchmark open their list of open
feedback, the department manager this year's statistics of the department, and the unit manager
one feedback's page.
"""

import uuid

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.kept import changed
from feedback.models import Feedback
from feedback.statistics import year_topic
from organisation.models import OrgNode
from organisation.scale_data import BENCH_USERS


def lines(measure, client_for, n, warmup):
    if not Feedback.objects.exists():
        print("# feedback: no data (manage.py generate_feedback_scale_data)", flush=True)
        return
    manager = client_for(BENCH_USERS["unit_manager"])
    unit = OrgNode.objects.get(
        assignments__user__username=BENCH_USERS["unit_manager"],
        assignments__role__code="unit_manager",
    )
    form = reverse("feedback_public:form")
    public = Client()

    def send():
        return public.post(
            form,
            {
                "kind": "complaint",
                "about": unit.pk,
                "description": "Besöket kom två timmar för sent och ingen ringde.",
                "wants_answer": "yes",
                "answer_by": "link",
                "anonymous": "on",
                "submission_key": str(uuid.uuid4()),
            },
        )

    measure("feedback public submission (POST)", send, n, warmup)
    listing = reverse("feedback:list")
    measure("feedback list, unit manager", lambda: manager.get(listing), n, warmup)
    department = client_for(BENCH_USERS["department_manager"])
    measure("feedback list, department manager", lambda: department.get(listing), n, warmup)
    statistics = reverse("feedback:statistics")
    measure(
        "feedback statistics, department manager",
        lambda: department.get(statistics),
        n,
        warmup,
    )
    # Kept a year at a time (core/kept.py): the first visit after a change of this year's
    # feedback counts this year again; with nothing kept every year is counted.
    this_year = year_topic(timezone.localdate().year)

    def after_a_change():
        changed(this_year)
        return department.get(statistics)

    measure("feedback statistics, after a change", after_a_change, n, warmup)

    def nothing_kept():
        cache.clear()
        return department.get(statistics)

    measure("feedback statistics, nothing kept", nothing_kept, n, warmup)
    one = Feedback.objects.filter(unit=unit).order_by("-received_at").first()
    page = reverse("feedback:detail", args=[one.pk])
    measure("feedback page, unit manager", lambda: manager.get(page), n, warmup)
