"""A report form's submission key coming back (deviations/reporting/keys.py), and the 503 page a
database failure answers with (core/unavailable.py)."""

import uuid
from datetime import timedelta

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import unavailable
from deviations import services
from deviations.models import Deviation
from deviations.reporting.keys import SubmissionKeyReused


@pytest.fixture
def fields():
    """A report's fields, the event an hour before the test starts. Read once per test: the same
    content sent twice must be the same, the time of the event included."""
    return {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "description": "Brukaren föll i badrummet.",
        "immediate_action": "Sjuksköterskan tillkallades.",
        "service_user_affected": "yes",
    }


def post_data(cast, fields, key, **extra):
    data = {
        "unit": cast.unit_a.pk,
        "occurred_at": timezone.localtime(fields["occurred_at"]).strftime("%Y-%m-%dT%H:%M"),
        "description": fields["description"],
        "immediate_action": fields["immediate_action"],
        "service_user_affected": "yes",
        "submission_key": str(key),
    }
    data.update(extra)
    return data


# -- the rules, in the service -------------------------------------------------------------


def test_the_same_key_and_content_give_the_first_report_marked_repeated(cast, fields):
    key = uuid.uuid4()
    first = services.report(actor=cast.same_unit, unit=cast.unit_a, submission_key=key, **fields)
    again = services.report(actor=cast.same_unit, unit=cast.unit_a, submission_key=key, **fields)
    assert again.pk == first.pk and again.repeated and not first.repeated
    assert Deviation.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [{"description": "Något helt annat hände."}, {"place": "Köket"}, {"hint_lex_sarah": True}],
)
def test_the_same_key_with_other_content_is_refused_never_dropped(cast, fields, change):
    key = uuid.uuid4()
    first = services.report(actor=cast.same_unit, unit=cast.unit_a, submission_key=key, **fields)
    with pytest.raises(SubmissionKeyReused) as reused:
        services.report(
            actor=cast.same_unit, unit=cast.unit_a, submission_key=key, **{**fields, **change}
        )
    assert reused.value.existing.pk == first.pk
    assert Deviation.objects.count() == 1


def test_another_persons_key_files_a_new_report_under_a_fresh_key(cast, fields):
    key = uuid.uuid4()
    first = services.report(actor=cast.same_unit, unit=cast.unit_a, submission_key=key, **fields)
    other = services.report(actor=cast.manager_a, unit=cast.unit_a, submission_key=key, **fields)
    assert other.pk != first.pk and other.submission_key not in (None, key)
    assert other.reported_by == cast.manager_a


# -- the rules, in the form ------------------------------------------------------------------


def test_sending_the_same_form_again_shows_the_receipt_with_already_sent(cast, login, fields):
    client = login(cast.same_unit)
    key = uuid.uuid4()
    first = client.post(reverse("deviations:report"), post_data(cast, fields, key))
    again = client.post(reverse("deviations:report"), post_data(cast, fields, key))
    deviation = Deviation.objects.get()
    receipt = reverse("deviations:received", kwargs={"pk": deviation.pk})
    assert first["Location"] == receipt
    assert again["Location"] == f"{receipt}?again=1"
    page = client.get(again["Location"]).content.decode()
    assert 'id="sent-again"' in page
    assert reverse("deviations:mine_detail", kwargs={"pk": deviation.pk}) in page
    assert f'data-sent-key="{key}"' in page


def test_a_changed_form_under_a_used_key_keeps_the_text_under_a_new_key(cast, login, fields):
    client = login(cast.same_unit)
    key = uuid.uuid4()
    client.post(reverse("deviations:report"), post_data(cast, fields, key))
    response = client.post(
        reverse("deviations:report"),
        post_data(cast, fields, key, description="En ny händelse i köket."),
    )
    assert response.status_code == 200 and Deviation.objects.count() == 1
    first = Deviation.objects.get()
    assert response.context["already_sent"] == first
    form = response.context["form"]
    assert form["description"].value() == "En ny händelse i köket."
    new_key = form["submission_key"].value()
    assert new_key != str(key)
    page = response.content.decode()
    assert 'id="already-sent"' in page and first.reference in page
    assert reverse("deviations:mine_detail", kwargs={"pk": first.pk}) in page
    # Sent as a new report, it is one.
    sent = client.post(
        reverse("deviations:report"),
        post_data(cast, fields, new_key, description="En ny händelse i köket."),
    )
    assert sent.status_code == 302 and Deviation.objects.count() == 2


def test_the_form_is_never_stored_by_the_browser(cast, login):
    response = login(cast.same_unit).get(reverse("deviations:report"))
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert 'autocomplete="off"' in page and "data-draft-restore" in page
    assert f'data-draft="{cast.same_unit.pk}:{reverse("deviations:report")}"' in page
    assert "js/report-draft.js" in page


# -- 503 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_failure_while_sending_answers_503_and_files_nothing(
    cast, login, monkeypatch, error, fields
):
    def broken(**kwargs):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "report", broken)
    client = login(cast.same_unit)
    response = client.post(reverse("deviations:report"), post_data(cast, fields, uuid.uuid4()))
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert f'href="{reverse("deviations:report")}"' in page  # back to the form, draft restored
    assert "<main" in page and "<h1>" in page
    assert Deviation.objects.count() == 0


def test_other_errors_are_not_turned_into_503(cast, login, monkeypatch, fields):
    def broken(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(services, "report", broken)
    client = login(cast.same_unit)
    with pytest.raises(ValueError):
        client.post(reverse("deviations:report"), post_data(cast, fields, uuid.uuid4()))


def test_the_error_handler_answers_503_for_a_failure_outside_the_views():
    request = RequestFactory().get("/deviations/report/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = unavailable.server_error(request)
    assert response.status_code == 503
    try:
        raise KeyError("other")
    except KeyError:
        response = unavailable.server_error(request)
    assert response.status_code == 500


def test_the_503_page_needs_no_database():
    # No database fixture: any query here would fail the test.
    request = RequestFactory().post("/deviations/report/")
    response = unavailable.unavailable_response(request)
    assert response.status_code == 503
