"""Loggkontroll (issue 8, point 9): refused attempts are logged, the reviewer sees unusual
patterns per person and period, draws samples and marks them reviewed; nobody else reads the
access log, the system administrator included."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit import reviews
from audit.models import AccessLog, AccessReview, Event, ReviewState
from audit.patterns import person_patterns, rules
from audit.services import log_read
from deviations import services

REVIEW = reverse("audit:review")


@pytest.fixture
def deviation(cast):
    deviation = services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now(),
        description="Fall i korridoren",
        immediate_action="Hjälpte upp",
        service_user_affected="yes",
    )
    services.triage(deviation, actor=cast.manager_a, kinds=["lex_sarah"])
    return deviation


def _read_at(user, obj, when, denied=False):
    request = RequestFactory().get("/record/")
    row = log_read(user, obj, request=request, denied=denied)
    AccessLog.objects.filter(pk=row.pk).update(at=when)
    return row


def _local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# Refused attempts ------------------------------------------------------------------------------


def test_a_refused_attempt_is_logged_and_answers_like_an_unknown_record(cast, login, deviation):
    client = login(cast.sibling)
    refused = client.get(reverse("deviations:detail", args=[deviation.pk]))
    unknown = client.get(reverse("deviations:detail", args=[deviation.pk + 1000]))
    assert refused.status_code == unknown.status_code == 403
    client = login(cast.parent_manager)
    client.get(reverse("deviations:detail", args=[deviation.pk]))
    outside = _outside_reader(cast)
    response = login(outside).get(reverse("deviations:detail", args=[deviation.pk]))
    unknown = login(outside).get(reverse("deviations:detail", args=[deviation.pk + 1000]))
    assert response.status_code == unknown.status_code == 404
    assert _without_nonces(response) == _without_nonces(unknown)
    row = AccessLog.objects.get(user=outside)
    assert row.denied and row.object_id == str(deviation.pk) and row.unit_id == cast.unit_a.pk
    assert AccessLog.objects.filter(user=cast.parent_manager, denied=False).exists()


def _outside_reader(cast):
    """A manager of the second tree: holds deviations.view, but not over unit A."""
    from accounts.models import Role, RoleAssignment, User

    user = User.objects.create(username="manager_other", first_name="Mona", last_name="Annan")
    RoleAssignment.objects.create(
        user=user,
        role=Role.objects.get(code="unit_manager"),
        node=cast.other_root_node,
        include_subtree=True,
    )
    return user


def test_require_logs_a_refused_action_on_a_sensitive_record(cast, deviation):
    from django.core.exceptions import PermissionDenied

    from accounts.access import require

    with pytest.raises(PermissionDenied):
        require(cast.same_unit, "deviations.investigate", deviation)
    assert AccessLog.objects.filter(user=cast.same_unit, denied=True).count() == 1
    with pytest.raises(PermissionDenied):
        require(cast.same_unit, "organisation.manage", cast.unit_a)
    assert AccessLog.objects.filter(user=cast.same_unit, denied=True).count() == 1


# Patterns --------------------------------------------------------------------------------------


def test_patterns_find_night_reads_busy_days_and_unusual_units(cast, deviation):
    monday = datetime.date(2026, 3, 2)
    assert monday.isoweekday() == 1
    # manager_a has a role at unit A: reads there in office hours are usual.
    for hour in (9, 10, 11):
        _read_at(cast.manager_a, deviation, _local(monday, hour))
    # parent_manager reads at night, on a Sunday, and a unit they never read before.
    _read_at(cast.parent_manager, deviation, _local(monday, 23))
    _read_at(cast.parent_manager, deviation, _local(monday - datetime.timedelta(days=1), 12))
    # quality reads a lot in one day.
    for _n in range(rules()["many_reads_per_day"] + 1):
        _read_at(cast.quality, deviation, _local(monday, 13))
    _read_at(cast.sibling, deviation, _local(monday, 10), denied=True)

    people = {p.user_id: p for p in person_patterns(monday - datetime.timedelta(days=6), monday)}
    manager = people[cast.manager_a.pk]
    assert (manager.reads, manager.outside_hours, manager.outside_units) == (3, 0, 0)
    assert not manager.unusual
    night = people[cast.parent_manager.pk]
    assert night.outside_hours == 2 and night.outside_units == 2 and night.unusual
    busy = people[cast.quality.pk]
    assert busy.many_reads and busy.busiest_day == monday and busy.outside_hours == 0
    assert people[cast.sibling.pk].denied == 1 and people[cast.sibling.pk].reads == 0

    # A unit read in the weeks before the period is usual.
    _read_at(cast.parent_manager, deviation, _local(monday - datetime.timedelta(days=30), 10))
    night = {p.user_id: p for p in person_patterns(monday, monday)}[cast.parent_manager.pk]
    assert night.outside_units == 0


def test_a_holiday_is_outside_working_hours(cast, deviation):
    from legal.rules import Holiday

    day = datetime.date(2026, 3, 3)
    Holiday.objects.create(organisation=cast.board, date=day, name="Testdagen")
    _read_at(cast.manager_a, deviation, _local(day, 10))
    assert person_patterns(day, day)[0].outside_hours == 1


# The page and its samples ----------------------------------------------------------------------


def test_review_page_shows_people_and_flags(cast, login, deviation):
    monday = datetime.date(2026, 3, 2)
    _read_at(cast.parent_manager, deviation, _local(monday, 23))
    period = {"period_from": "2026-03-01", "period_to": "2026-03-31"}
    response = login(cast.log_reviewer).get(REVIEW, period)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Per Avdelning" in body and 'id="review-draw"' in body
    assert response.context["people"][0].unusual
    response = login(cast.log_reviewer).get(REVIEW)
    assert response.status_code == 200  # last month by default


def test_review_period_the_wrong_way_round_keeps_what_was_typed(cast, login):
    response = login(cast.log_reviewer).get(
        REVIEW, {"period_from": "2026-03-31", "period_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_to"]
    assert 'value="2026-03-31"' in response.content.decode()


@pytest.mark.parametrize("who", ["admin", "quality", "manager_a", "outsider"])
def test_only_the_log_reviewer_reaches_loggkontroll(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(REVIEW).status_code == 403
    assert client.post(reverse("audit:review_draw")).status_code == 403
    assert client.get(reverse("audit:access_log")).status_code == 403


def test_the_system_administrator_no_longer_holds_the_access_log_key():
    from accounts.keys import DEFAULT_ROLE_PERMISSIONS

    assert "audit.review_access_log" not in DEFAULT_ROLE_PERMISSIONS["system_administrator"]
    assert "audit.review_access_log" in DEFAULT_ROLE_PERMISSIONS["quality_auditor"]


def test_draw_a_sample_and_mark_it_reviewed(cast, login, deviation):
    monday = datetime.date(2026, 3, 2)
    for hour in range(8, 16):
        _read_at(cast.manager_a, deviation, _local(monday, hour))
    _read_at(cast.quality, deviation, _local(monday, 9))
    client = login(cast.log_reviewer)
    response = client.post(
        reverse("audit:review_draw"),
        {"period_from": "2026-03-01", "period_to": "2026-03-31", "user": cast.manager_a.pk},
    )
    sample = AccessReview.objects.get()
    assert response.url == reverse("audit:review_detail", args=[sample.pk])
    assert sample.entries.count() == 8
    assert set(sample.entries.values_list("user_id", flat=True)) == {cast.manager_a.pk}
    page = client.get(response.url)
    assert page.status_code == 200 and "Maja Chef" in page.content.decode()

    response = client.post(response.url, {"comment": "  "})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        reverse("audit:review_detail", args=[sample.pk]), {"comment": "Alla läsningar i tjänst."}
    )
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.state == ReviewState.REVIEWED and sample.reviewed_by == cast.log_reviewer
    assert Event.objects.filter(verb="audit.sample_reviewed", actor=cast.log_reviewer).exists()
    with pytest.raises(ValidationError):
        reviews.mark_reviewed(sample, actor=cast.log_reviewer, comment="Igen")
    # The system administrator does not read the review through the admin's change log.
    found = login(cast.admin).get("/admin/auditlog/logentry/", {"q": "Alla läsningar"})
    assert found.status_code == 200 and found.context["cl"].result_count == 0


def test_an_empty_period_draws_no_sample(cast, login):
    response = login(cast.log_reviewer).post(
        reverse("audit:review_draw"), {"period_from": "2020-01-01", "period_to": "2020-01-31"}
    )
    assert response.status_code == 302 and "period_from=2020-01-01" in response.url
    assert not AccessReview.objects.exists()
    with pytest.raises(ValidationError):
        reviews.draw_sample(
            actor=cast.admin,
            period_from=datetime.date(2026, 1, 1),
            period_to=datetime.date(2026, 1, 2),
        )


def _without_nonces(response):
    import re

    return re.sub(rb'(nonce|value)="[^"]*"', b"", response.content)
