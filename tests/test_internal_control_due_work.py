"""Due work of the internal control: Mina uppgifter, reminders claimed once, the overdue list
and its start-page figure, the demo."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from internal_control.models import (
    ControlReminder,
    ControlResult,
    Outcome,
    ReportingDate,
)
from internal_control.reminders import send_control_reminders
from notifications.inbox import sections_for
from tests.internal_control_helpers import add_point, approve, make_plan


def _plan_with_dates(cast, *days):
    today = timezone.localdate()
    plan = make_plan(cast)
    point = add_point(plan, cast, dates=[date(plan.year, 1, 2)])
    ReportingDate.objects.filter(control_point=point).delete()
    ReportingDate.objects.bulk_create(
        [ReportingDate(control_point=point, due_on=today + timedelta(days=d)) for d in days]
    )
    return plan, point


def test_my_tasks_list_the_near_and_overdue_reporting_dates(cast):
    plan, point = _plan_with_dates(cast, -3, 5, 60)
    assert "internal_control" not in {s.key for s in sections_for(cast.manager_a)}  # a draft
    approve(plan)
    section = {s.key: s for s in sections_for(cast.manager_a)}["internal_control"]
    assert [i.due for i in section.items] == [
        timezone.localdate() - timedelta(days=3),
        timezone.localdate() + timedelta(days=5),
    ]
    assert section.items[0].overdue and not section.items[1].overdue
    assert "internal_control" not in {s.key for s in sections_for(cast.parent_manager)}


def test_reminders_before_and_at_the_date_are_claimed_once(
    cast, django_capture_on_commit_callbacks
):
    plan, point = _plan_with_dates(cast, 5, -1)
    approve(plan)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_control_reminders()
    # Before the date in 5 days; at the date passed yesterday (its escalation after 24 h grace
    # goes to the quality developer who manages the plan).
    kinds = sorted(ControlReminder.objects.values_list("kind", "recipient__username"))
    assert ("before", "manager_a") in kinds and ("due", "manager_a") in kinds
    assert sent == len(kinds)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_control_reminders() == 0
    assert ControlReminder.objects.count() == len(kinds)
    # A recorded result ends the reminders.
    ControlReminder.objects.all().delete()
    for row in point.reporting_dates.all():
        ControlResult.objects.create(reporting_date=row, outcome=Outcome.WITHOUT_REMARK)
    assert send_control_reminders() == 0


def test_the_overdue_list_and_its_figure_agree(cast, login):
    plan, point = _plan_with_dates(cast, -3, -1, 10)
    approve(plan)
    client = login(cast.manager_a)
    shown = {
        f.name: f
        for group in client.get(reverse("shell:start")).context["figure_groups"]
        for f in group.figures
    }
    figure = shown["internal_control.mine_overdue"]
    assert figure.count == 2
    page = client.get(figure.url)
    assert len(page.context["rows"]) == 2
    # The quality developer sees everyone's on the list; the figure counts only her own.
    client = login(cast.quality)
    assert len(client.get(reverse("internal_control:overdue")).context["rows"]) == 2
    assert len(client.get(reverse("internal_control:overdue") + "?mine=1").context["rows"]) == 0
