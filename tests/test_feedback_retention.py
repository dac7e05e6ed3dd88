"""Feedback thinned by the retention rules (gallring): a closed feedback past the rule is
anonymised, the statistics count it as before, what is still handled or held is not touched,
and the private link stops working."""

import datetime

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.urls import reverse

from feedback.models import Attachment, Feedback, Masking, MaskingGround, Note
from feedback.services import handling, release
from feedback.statistics import year_figures
from retention import engine, services
from retention.models import LegalHold, RetentionRule
from tests.feedback_helpers import public

pytestmark = pytest.mark.django_db

MARKER = "HEMLIG-SYNPUNKT-4711"


def _closed(cast, now, years_ago):
    feedback, token = public(
        cast, description=f"{MARKER} Karl Berg fick vänta.", contact_name="Karl Berg"
    )
    actor = cast.manager_a
    handling.add_note(feedback, actor=actor, text=f"{MARKER} ringde dottern")
    release.mark_passage(
        feedback, actor=actor, passage="Karl Berg", ground=MaskingGround.objects.first()
    )
    stored = Attachment(feedback=feedback, name="bild.png")
    stored.file.save("bild.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    stored.save()
    handling.answer(feedback, actor=actor, text=f"{MARKER} Vi beklagar.", sent_by="email")
    handling.close(feedback, actor=actor)
    when = now - relativedelta(years=years_ago)
    Feedback.objects.filter(pk=feedback.pk).update(
        received_at=when - datetime.timedelta(days=20),
        answered_at=when - datetime.timedelta(days=5),
        closed_at=when,
    )
    feedback.transitions.update(at=when)
    Note.objects.filter(feedback=feedback).update(at=when)
    return Feedback.objects.get(pk=feedback.pk), token


def _due(now):
    return {
        reference
        for due in engine.due_records(now=now)
        if due.record_type.code == "feedback"
        for _pk, reference, _counted_from in due.records
    }


def test_the_rule_is_data_and_thins_only_what_is_past_it(cast, client, now):
    rule = RetentionRule.objects.get(code="feedback")
    assert (rule.record_type, rule.years, rule.action) == ("feedback", 2, "anonymise")
    old, token = _closed(cast, now, 3)
    recent, _recent_token = _closed(cast, now, 1)
    handled, _t = public(cast, description=f"{MARKER} pågår")
    Feedback.objects.filter(pk=handled.pk).update(received_at=now - relativedelta(years=4))
    assert client.get(reverse("feedback_public:status", args=[token])).status_code == 200
    assert _due(now) == {old.reference}

    years = [old.received_at.year, recent.received_at.year]
    before = year_figures(cast.board, years)
    assert LogEntry.objects.filter(object_pk=str(old.pk)).exists()
    run = services.execute_run(actor=cast.quality, now=now)
    assert {line.rule.code: line.references for line in run.lines.all()}["feedback"] == [
        old.reference
    ]
    old.refresh_from_db()
    assert (old.description, old.answer, old.contact_name, old.contact_email) == ("", "", "", "")
    assert old.contact_name_hash == "" and old.registered_by_id is None
    assert (old.reference, old.kind, old.status, old.unit_id) == (
        old.reference,
        "complaint",
        "closed",
        cast.unit_a.pk,
    )
    assert not Note.objects.filter(feedback=old).exists()
    assert not Attachment.objects.filter(feedback=old).exists()
    assert not Masking.objects.filter(feedback=old).exists()
    assert not LogEntry.objects.filter(changes_text__contains=MARKER).exists()
    assert year_figures(cast.board, years) == before
    # The private link no longer opens anything.
    assert client.get(reverse("feedback_public:status", args=[token])).status_code == 404
    # The others are untouched; a second run finds nothing.
    assert Feedback.objects.get(pk=recent.pk).description.startswith(MARKER)
    assert Feedback.objects.get(pk=handled.pk).description.startswith(MARKER)
    assert services.execute_run(actor=cast.quality, now=now).total == 0


def test_a_legal_hold_on_the_unit_keeps_the_feedback(cast, now):
    old, _token = _closed(cast, now, 3)
    LegalHold.objects.create(kind="unit", unit=cast.unit_a, reason="Tillsyn från IVO")
    assert _due(now) == set()
    services.execute_run(actor=cast.quality, now=now)
    assert Feedback.objects.get(pk=old.pk).description.startswith(MARKER)
