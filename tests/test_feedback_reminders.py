"""Reminders of feedback's targets (issue 12, point 3): before and at the target to the unit's
handlers, escalated after the grace period to the level above; claimed, never sent twice; and
the open feedback in Mina uppgifter."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, Reminder
from feedback.services.handling import acknowledge
from notifications.reminders import escalation_grace, send_due_reminders
from tests.feedback_helpers import public

pytestmark = pytest.mark.django_db


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_targets_remind_their_handlers_once_and_escalate(
    cast, django_capture_on_commit_callbacks
):
    feedback, _token = public(cast)
    now = timezone.now()
    Feedback.objects.filter(pk=feedback.pk).update(acknowledge_due=now - timedelta(minutes=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(now) == 1
        assert send_due_reminders(now) == 0  # claimed: never twice
    assert _recipients() == [cast.manager_a.email]
    assert feedback.reference in mail.outbox[0].subject
    assert "Besöket" not in mail.outbox[0].body  # the reference and the unit only
    later = now + escalation_grace() + timedelta(minutes=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(later)
    assert cast.parent_manager.email in _recipients()
    assert cast.manager_a.email not in _recipients()
    # Confirmed: that target asks for nothing more; the answer's reminds before its date.
    acknowledge(feedback, actor=cast.manager_a)
    feedback.refresh_from_db()
    before_answer = feedback.answer_due - timedelta(hours=24)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(before_answer)
    assert _recipients() == [cast.manager_a.email]
    kinds = set(Reminder.objects.values_list("target", "kind"))
    assert ("answer", "before") in kinds and ("acknowledge", "escalation") in kinds


def test_mina_uppgifter_lists_the_open_feedback_with_its_next_step(cast, login):
    feedback, _token = public(cast)
    response = login(cast.manager_a).get(reverse("notifications:inbox"))
    section = {s.key: s for s in response.context["sections"]}["feedback"]
    [item] = section.items
    assert feedback.reference in item.case and item.url == feedback.get_absolute_url()
    sibling = login(cast.sibling).get(reverse("notifications:inbox"))
    assert "feedback" not in {s.key for s in sibling.context["sections"]}
