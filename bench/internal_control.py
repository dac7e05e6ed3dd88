"""Benchmark lines of the internal control, hooked into bench/run.py by `lines`.

Measured when plans exist (`manage.py generate_internal_control_scale_data`): the plan
register and this year's plan as the quality developer, and the plan as the board member.
"""

from django.urls import reverse

from internal_control.models import InternalControlPlan
from organisation.scale_data import BENCH_USERS, find_root


def lines(measure, client_for, n, warmup):
    root = find_root()
    plan = (
        InternalControlPlan.objects.filter(board=root).order_by("-year").first() if root else None
    )
    if plan is None:
        print("internal control: no plans (run manage.py generate_internal_control_scale_data)")
        return
    quality = client_for(BENCH_USERS["quality_developer"])
    register = reverse("internal_control:list")
    detail = reverse("internal_control:detail", args=[plan.pk])
    measure(
        "internal control register, quality developer", lambda: quality.get(register), n, warmup
    )
    measure("internal control plan, quality developer", lambda: quality.get(detail), n, warmup)
    board = client_for(BENCH_USERS["board_member"])
    measure("internal control plan, board member", lambda: board.get(detail), n, warmup)
