"""One step from a complaint to a deviation report (issue 12, point 4): the report is filed in
the chosen unit with the text the handler keeps, through the deviations' own service; the two
link to each other, and the report's need-to-know decides who follows the link."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deviations.models import Deviation
from deviations.origins import origins
from feedback.services.deviation import open_deviation
from tests.cast import _assign, _user
from tests.feedback_helpers import public

pytestmark = pytest.mark.django_db


def test_a_complaint_opens_a_lex_sarah_report_linked_both_ways(cast, login):
    feedback, _token = public(cast)
    client = login(cast.manager_a)
    url = reverse("feedback:deviation", args=[feedback.pk])
    page = client.get(url)
    assert page.context["form"]["description"].value() == feedback.description
    refused = client.post(url, {"unit": cast.unit_a.pk, "description": "Nils 19121212-1212"})
    assert refused.status_code == 200 and not Deviation.objects.exists()
    response = client.post(
        url,
        {
            "unit": cast.unit_a.pk,
            "description": "Kvällsbesöket uteblev; brukaren lagade mat själv och brände sig.",
            "lex_sarah": "on",
        },
    )
    assert response.status_code == 302
    report = Deviation.objects.get()
    feedback.refresh_from_db()
    assert feedback.deviation == report
    assert (report.unit, report.hint_lex_sarah, report.reported_by) == (
        cast.unit_a,
        True,
        cast.manager_a,
    )
    assert feedback.reference in report.immediate_action
    detail = client.get(reverse("feedback:detail", args=[feedback.pk])).content.decode()
    assert report.get_absolute_url() in detail
    case = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{feedback.get_absolute_url()}"' in case
    with pytest.raises(ValidationError):
        open_deviation(feedback, actor=cast.manager_a, unit=cast.unit_a, description="Igen")


def test_who_reads_the_report_but_not_the_feedback_sees_its_name_without_a_link(cast):
    feedback, _token = public(cast)
    report = open_deviation(
        feedback, actor=cast.manager_a, unit=cast.unit_a, description="Fel medicin gavs."
    )
    secretary = _user("secretary", "Sekreterare", "Utredning")
    _assign(secretary, "investigation_secretary", cast.unit_a)
    [origin] = origins(report, secretary)
    assert feedback.reference in origin.label and origin.url == ""
    [origin] = origins(report, cast.manager_a)
    assert origin.url == feedback.get_absolute_url()


def test_what_the_feedback_showed_becomes_an_action_once(cast, login):
    import datetime
    import uuid

    from actions.models import Action

    feedback, _token = public(cast)
    client = login(cast.manager_a)
    url = reverse("feedback:action", args=[feedback.pk])
    data = {
        "title": "Ring brukaren när besöket blir sent",
        "owner": cast.manager_a.pk,
        "due_date": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
        "form_token": str(uuid.uuid4()),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: one action
    action = Action.objects.get()
    assert (action.unit, action.source) == (cast.unit_a, feedback)
    detail = client.get(reverse("feedback:detail", args=[feedback.pk])).content.decode()
    assert action.get_absolute_url() in detail
