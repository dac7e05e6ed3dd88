"""Shared pieces of the feedback tests: feedback given through the public form and
registered by staff, in the cast's units."""

from feedback.models import AnswerBy, Kind
from feedback.services.intake import register, submit


def fields(**values):
    base = {
        "kind": Kind.COMPLAINT,
        "description": "Besöket kom två timmar för sent och ingen ringde.",
        "wants_answer": True,
        "answer_by": AnswerBy.EMAIL,
        "anonymous": False,
        "contact_name": "Lena Svensson",
        "contact_email": "lena@example.se",
        "contact_phone": "",
        "contact_address": "",
        "on_behalf": False,
        "relation": "",
    }
    return dict(base, **values)


def public(cast, about=None, **values):
    """Feedback about unit A (or `about`) through the public form: (feedback, token)."""
    return submit(fields=fields(about=about or cast.unit_a, **values))


def registered(cast, actor=None, unit=None, **values):
    from django.utils import timezone

    values.setdefault("channel", "phone")
    values.setdefault("received_at", timezone.now())
    values.setdefault("health_care", False)
    feedback, _token = register(
        actor=actor or cast.same_unit, unit=unit or cast.unit_a, fields=fields(**values)
    )
    return feedback
