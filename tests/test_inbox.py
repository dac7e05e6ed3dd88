"""Mina uppgifter: the person's clocks, reports to classify, investigations and actions."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.services import change_status, create_action
from deviations import services
from legal.rules import Holiday, TrackKind
from tests.cast import _assign, _user

STHLM = ZoneInfo("Europe/Stockholm")
URL = reverse("notifications:inbox")


def file_report(cast, unit=None, actor=None, **extra):
    return services.report(
        actor=actor or cast.same_unit,
        unit=unit or cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Brukaren föll i badrummet.",
        immediate_action="Sjuksköterska tillkallades.",
        service_user_affected="yes",
        affected_person="Anna Andersson",
        **extra,
    )


def sections(response):
    return {s.key: s for s in response.context["sections"]}


def cases(response, key):
    found = sections(response).get(key)
    return [item.case for item in found.items] if found else []


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_everyone_has_an_inbox_even_without_a_role(cast, login):
    response = login(cast.outsider).get(URL)
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert 'id="inbox-empty"' in response.content.decode()


def test_the_unit_manager_sees_clocks_reports_investigations_and_actions(cast, login):
    waiting = file_report(cast)
    handled = file_report(cast)
    services.triage(handled, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    investigated = file_report(cast)
    services.triage(
        investigated, actor=cast.manager_a, kinds=[TrackKind.OTHER], investigators=[cast.manager_a]
    )
    action = create_action(
        actor=cast.manager_a,
        unit=cast.unit_a,
        title="Byt halkmattor",
        owner=cast.manager_a,
        due_date=timezone.localdate() + timedelta(days=7),
    )
    response = login(cast.manager_a).get(URL)
    assert response.status_code == 200
    assert cases(response, "triage") == [waiting.reference]
    assert set(cases(response, "clocks")) == {handled.reference, investigated.reference}
    assert cases(response, "investigations") == [investigated.reference]
    assert cases(response, "actions") == [action.title]
    html = response.content.decode()
    assert reverse("deviations:detail", args=[waiting.pk]) in html
    assert reverse("actions:detail", args=[action.pk]) in html
    assert "Brukaren föll" not in html and "Anna Andersson" not in html


def test_clocks_are_ordered_by_due_time_and_overdue_is_marked(cast, login):
    later = file_report(cast)
    services.triage(later, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    sooner = file_report(cast, reported_at=timezone.now() - timedelta(days=40))
    services.triage(sooner, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    from deviations.models import Clock

    # Classified long ago: the 30-day target has passed.
    Clock.objects.filter(deviation=sooner).update(due_at=timezone.now() - timedelta(days=2))
    response = login(cast.manager_a).get(URL)
    items = sections(response)["clocks"].items
    assert [i.case for i in items] == [sooner.reference, later.reference]
    assert [i.overdue for i in items] == [True, False]
    assert response.content.decode().count("inbox-item--overdue") == 1


def test_staff_see_only_their_own_actions(cast, login):
    file_report(cast)
    create_action(
        actor=None,
        unit=cast.unit_a,
        title="Läs rutinen",
        owner=cast.same_unit,
        due_date=timezone.localdate(),
    )
    create_action(
        actor=None, unit=cast.unit_a, title="Annans", owner=cast.manager_a, due_date=date.today()
    )
    response = login(cast.same_unit).get(URL)
    assert set(sections(response)) == {"actions"}
    assert cases(response, "actions") == ["Läs rutinen"]


def test_closed_actions_leave_the_inbox(cast, login):
    action = create_action(
        actor=None, unit=cast.unit_a, title="Åtgärd", owner=cast.same_unit, due_date=date.today()
    )
    change_status(action, "cancelled", actor=cast.manager_a, reason="Behövs inte")
    assert login(cast.same_unit).get(URL).context["sections"] == []


def test_a_sibling_unit_does_not_see_the_other_units_cases(cast, login):
    manager_b = _user("manager_b", "Bo", "Chef")
    _assign(manager_b, "unit_manager", cast.unit_b, subtree=True)
    a_report = file_report(cast)
    handled = file_report(cast)
    services.triage(handled, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    b_report = file_report(cast, unit=cast.unit_b, actor=cast.sibling)
    response = login(manager_b).get(URL)
    assert cases(response, "triage") == [b_report.reference]
    assert cases(response, "clocks") == []
    html = response.content.decode()
    assert a_report.reference not in html and handled.reference not in html
    assert login(cast.other_root).get(URL).context["sections"] == []


def test_the_department_sees_its_units_reports_and_the_lex_sarah_clock(cast, login):
    a_report = file_report(cast)
    b_report = file_report(cast, unit=cast.unit_b, actor=cast.sibling)
    sarah = file_report(cast)
    services.triage(sarah, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    response = login(cast.parent_manager).get(URL)
    assert set(cases(response, "triage")) == {a_report.reference, b_report.reference}
    assert cases(response, "clocks") == [sarah.reference]
    # The unit manager does not read lex Sarah: no clock of it in the unit manager's inbox.
    assert sarah.reference not in login(cast.manager_a).get(URL).content.decode()


def test_an_overdue_clock_is_escalated_to_the_next_manager_up(cast, login, settings):
    settings.HJULET_ESCALATION_GRACE_HOURS = 24
    from deviations.models import Clock

    handled = file_report(cast)
    services.triage(handled, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    response = login(cast.parent_manager).get(URL)
    assert cases(response, "clocks") == []  # not late: the unit manager's alone
    Clock.objects.filter(deviation=handled).update(due_at=timezone.now() - timedelta(hours=25))
    response = login(cast.parent_manager).get(URL)
    (item,) = sections(response)["clocks"].items
    assert item.case == handled.reference and item.escalated
    assert 'class="inbox-item inbox-item--overdue inbox-item--escalated"' in (
        response.content.decode()
    )


def test_clock_over_a_holiday_and_the_end_of_summer_time(cast, login):
    # Friday 23 October 2026 in summer time; Monday 26 October is the organisation's day off and
    # summer time ends on Sunday 25 October.
    Holiday.objects.create(organisation=cast.board, date=date(2026, 10, 26), name="Lokal ledighet")
    friday = datetime(2026, 10, 23, 10, 0, tzinfo=STHLM)
    report = file_report(
        cast, reported_at=friday, aware_at=datetime(2026, 10, 24, 12, 0, tzinfo=STHLM)
    )
    services.triage(report, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    waiting = file_report(cast, reported_at=friday)
    # One working day after Friday, skipping the weekend and Monday: all of Tuesday 27 October,
    # due at midnight in winter time.
    html = login(cast.manager_a).get(URL).content.decode()
    assert waiting.reference in html
    # It reads as the whole of its last day (legal/deadlines.py), not as the midnight after it.
    assert 'datetime="2026-10-27"' in html
    assert "27 oktober" in html and "2026-10-28 00:00" not in html
    # The 72 hours of a breach are elapsed time: 12:00 summer time + 72 h = 11:00 winter time.
    html = login(cast.parent_manager).get(URL).content.decode()
    assert 'datetime="2026-10-27T11:00:00+01:00"' in html
    assert "27 oktober" in html and "11:00" in html


def _fill(cast, n):
    for i in range(n):
        file_report(cast)
        handled = file_report(cast)
        services.triage(
            handled,
            actor=cast.manager_a,
            kinds=[TrackKind.OTHER, TrackKind.LEX_SARAH],
            investigators=[cast.manager_a],
        )
        create_action(
            actor=None,
            unit=cast.unit_a,
            title=f"Åtgärd {i}",
            owner=cast.manager_a,
            due_date=date.today() + timedelta(days=i),
        )


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_inbox_reads_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    client = login(cast.manager_a)
    _fill(cast, 1)
    few = _count_queries(client)
    _fill(cast, 4)
    response = client.get(URL)
    assert len(sections(response)["clocks"].items) >= 10
    assert len(sections(response)["actions"].items) == 5
    assert _count_queries(client) == few
    with django_assert_max_num_queries(30):
        client.get(URL)


def test_the_start_page_links_to_the_inbox(cast, login):
    urls = [s["url"] for s in login(cast.outsider).get("/").context["sections"]]
    assert URL in urls
