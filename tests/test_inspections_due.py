"""Due work: plan items give occasions in Mina uppgifter, reminders before and at the date are
claimed once, and the overdue list per manager matches the start-page figures."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections import figures
from inspections.inbox import occasions_section
from inspections.models import InspectionReminder, Occasion
from inspections.services.plan import due_dates
from notifications.models import ReminderKind
from notifications.reminders import send_due_reminders
from tests.inspections_helpers import board_member, execute, manager_b, plan_item, template

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_frequencies_give_the_due_dates_of_the_year():
    assert due_dates(2026, "quarterly", datetime.date(2026, 1, 31)) == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 4, 30),
        datetime.date(2026, 7, 31),
        datetime.date(2026, 10, 31),
    ]
    assert len(due_dates(2026, "monthly", datetime.date(2026, 1, 15))) == 12
    assert due_dates(2026, "half_yearly", datetime.date(2026, 9, 1)) == [datetime.date(2026, 9, 1)]


def _late_and_soon(cast):
    checklist = template(cast)
    late = plan_item(cast, checklist)
    Occasion.objects.filter(item=late).update(due_date=_days(-3))
    soon = plan_item(cast, checklist)
    Occasion.objects.filter(item=soon).update(due_date=_days(5))
    return late, soon


def test_the_responsible_person_sees_them_in_mina_uppgifter(cast, login):
    late, soon = _late_and_soon(cast)
    section = occasions_section(cast.manager_a, timezone.now())
    assert [item.overdue for item in section.items] == [True, False]
    assert occasions_section(cast.parent_manager, timezone.now()) is None  # not responsible
    page = login(cast.manager_a).get(reverse("notifications:inbox")).content.decode()
    assert 'id="inbox-inspections"' in page
    assert late.subject in page
    execute(cast, ["yes", "yes", "yes"], item=late)
    assert len(occasions_section(cast.manager_a, timezone.now()).items) == 1


def test_reminders_before_and_at_the_date_are_sent_once(cast, django_capture_on_commit_callbacks):
    late, soon = _late_and_soon(cast)
    mail.outbox.clear()
    with_callbacks = django_capture_on_commit_callbacks
    with with_callbacks(execute=True):
        send_due_reminders()
    kinds = set(InspectionReminder.objects.values_list("occasion__item", "kind", "recipient"))
    assert (soon.pk, ReminderKind.BEFORE, cast.manager_a.pk) in kinds
    assert (late.pk, ReminderKind.DUE, cast.manager_a.pk) in kinds
    # Three days late: past the grace period, the department manager above is told.
    assert (late.pk, ReminderKind.ESCALATION, cast.parent_manager.pk) in kinds
    claimed = InspectionReminder.objects.count()
    assert any("Egenkontroll" in m.subject or "Self-inspection" in m.subject for m in mail.outbox)
    sent = len(mail.outbox)
    with with_callbacks(execute=True):
        assert send_due_reminders() == 0
    assert InspectionReminder.objects.count() == claimed
    assert len(mail.outbox) == sent


def test_the_figures_count_the_rows_of_the_overdue_list(cast, login):
    _late_and_soon(cast)
    plan_item(cast, template(cast), unit=cast.unit_b, responsible=cast.parent_manager)
    Occasion.objects.filter(item__plan__unit=cast.unit_b).update(due_date=_days(-1))
    assert figures.overdue(cast.manager_a) == 1
    assert figures.overdue(cast.parent_manager) == 2
    assert figures.due_soon(cast.manager_a) == 1
    assert figures.overdue(manager_b(cast)) == 1
    client = login(cast.parent_manager)
    response = client.get(reverse("inspections:due") + "?" + figures.OVERDUE)
    assert response.context["page"].paginator.count == 2
    response = client.get(reverse("shell:start"))
    html = response.content.decode()
    assert reverse("inspections:due") + "?" + figures.OVERDUE in html
    # The board reads, and is not asked to act: no figure.
    board_html = login(board_member(cast)).get(reverse("shell:start")).content.decode()
    assert reverse("inspections:due") + "?" not in board_html
