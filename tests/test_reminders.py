"""Who answers for a clock, the reminders about it, and the organisation's holidays."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.template import loader as real_loader
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import Event
from deviations import clock_reminders as reminders
from deviations import services
from deviations.models import Clock, Track
from deviations.responsibility import responsibility_for
from legal.deadlines import deadline_when
from legal.holidays import easter_sunday, swedish_public_holidays
from legal.rules import Holiday, TrackKind
from notifications.models import Reminder, ReminderKind
from notifications.reminders import send_due_reminders
from tests.cast import _assign, _user

STHLM = ZoneInfo("Europe/Stockholm")
DESCRIPTION = "Brukaren föll i badrummet och slog huvudet."
IDENTITY = "Anna Andersson 19121212-1212"


def file_report(cast, unit=None, actor=None, **extra):
    return services.report(
        actor=actor or cast.same_unit,
        unit=unit or cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description=DESCRIPTION,
        immediate_action="Sjuksköterska tillkallades.",
        service_user_affected="yes",
        affected_person=IDENTITY,
        **extra,
    )


def clock_of(deviation, code):
    return Clock.objects.select_related("deviation__unit", "rule", "track").get(
        deviation=deviation, rule__code=code
    )


def track_clock(cast, kind, code, investigators=()):
    deviation = file_report(cast)
    services.triage(deviation, actor=cast.manager_a, kinds=[kind], investigators=investigators)
    return clock_of(deviation, code)


def names(users):
    return {u.username for u in users}


# -- responsibility ----------------------------------------------------------------------------


def test_triage_clock_goes_to_the_unit_manager_and_escalates_to_the_department(cast):
    clock = clock_of(file_report(cast), "triage")
    found = responsibility_for(clock)
    assert names(found.people) == {"manager_a"}  # nearest level wins over the department
    assert found.level == cast.unit_a
    assert names(found.escalation) == {"parent"}
    assert found.escalation_level == cast.dept


def test_a_unit_without_a_manager_goes_to_the_nearest_level_above(cast):
    clock = clock_of(file_report(cast, unit=cast.unit_b, actor=cast.sibling), "triage")
    found = responsibility_for(clock)
    assert names(found.people) == {"parent"}
    assert names(found.escalation) == {"quality"}  # the administration, one level up
    assert found.escalation_level == cast.administration


def test_investigators_come_first(cast):
    secretary = _user("secretary", "Stina", "Sekreterare")
    _assign(secretary, "investigation_secretary", cast.unit_a)
    clock = track_clock(cast, TrackKind.OTHER, "other-close", investigators=[secretary])
    found = responsibility_for(clock)
    assert found.by_investigators and names(found.people) == {"secretary"}
    assert names(found.escalation) == {"parent"}  # one level above the investigator's


def test_an_investigator_without_the_key_escalates_to_the_nearest_holders(cast):
    from accounts.models import Permission, Role

    reader_role = Role.objects.create(code="case_reader", name="Läsare")
    reader_role.permissions.add(Permission.objects.get(key="deviations.view"))
    reader = _user("reader")
    _assign(reader, "case_reader", cast.unit_a)
    clock = track_clock(cast, TrackKind.OTHER, "other-close", investigators=[reader])
    found = responsibility_for(clock)
    assert names(found.people) == {"reader"}
    assert names(found.escalation) == {"manager_a"}


def test_an_investigator_who_may_not_see_the_case_is_passed_over(cast):
    # A staff member holds no key to see cases: the unit's own manager answers instead.
    clock = track_clock(cast, TrackKind.OTHER, "other-close", investigators=[cast.same_unit])
    found = responsibility_for(clock)
    assert not found.by_investigators and names(found.people) == {"manager_a"}


def test_an_investigating_manager_escalates_one_level_up(cast):
    clock = track_clock(cast, TrackKind.OTHER, "other-close", investigators=[cast.manager_a])
    found = responsibility_for(clock)
    assert names(found.people) == {"manager_a"}
    assert names(found.escalation) == {"parent"}


def test_restricted_track_only_readers_are_responsible(cast):
    clock = track_clock(cast, TrackKind.LEX_SARAH, "lex-sarah-investigation-start")
    found = responsibility_for(clock)
    # The unit manager investigates at the unit but does not read lex Sarah.
    assert "manager_a" not in names(found.people)
    assert names(found.people) == {"parent"}
    assert names(found.escalation) == {"quality"}
    for person in (*found.people, *found.escalation):
        assert Track.objects.readable_by(person).filter(pk=clock.track_id).exists()


def test_restricted_track_a_reader_at_the_unit_comes_before_the_department(cast):
    secretary = _user("secretary", "Stina", "Sekreterare")
    _assign(secretary, "investigation_secretary", cast.unit_a)
    clock = track_clock(cast, TrackKind.LEX_SARAH, "lex-sarah-investigation-start")
    found = responsibility_for(clock)
    assert names(found.people) == {"secretary"}
    assert names(found.escalation) == {"parent"}


def test_notification_clocks_go_to_those_who_notify(cast):
    clock = track_clock(cast, TrackKind.DATA_BREACH, "data-breach-imy")
    found = responsibility_for(clock)
    assert found.key == "deviations.notify"
    assert names(found.people) == {"parent"}  # a unit manager does not notify IMY
    assert names(found.escalation) == {"quality"}


def test_ended_assignments_do_not_count(cast):
    from accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=cast.manager_a).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    found = responsibility_for(clock_of(file_report(cast), "triage"))
    assert names(found.people) == {"parent"}


def test_nobody_outside_the_tree_is_responsible(cast):
    other_manager = _user("other_manager")
    _assign(other_manager, "unit_manager", cast.other_root_node, subtree=True)
    found = responsibility_for(clock_of(file_report(cast), "triage"))
    assert not names(found.people + found.escalation) & {"other_manager", "other", "outsider"}


# -- reminders ---------------------------------------------------------------------------------


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the reminders with the on-commit e-mail queue executed; returns the run's count."""

    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(now=now)

    return _run


def mails_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@cast.test"]]


def test_before_due_and_escalation_at_the_right_times(cast, sent):
    clock = clock_of(file_report(cast), "triage")
    due = clock.due_at
    assert sent(due - timedelta(hours=25)) == 0  # before the first reminder
    assert sent(due - timedelta(hours=1)) == 1
    assert [r.kind for r in Reminder.objects.all()] == [ReminderKind.BEFORE]
    assert len(mails_to("manager_a")) == 1
    assert sent(due) == 1
    assert set(Reminder.objects.values_list("kind", "recipient__username")) == {
        (ReminderKind.BEFORE, "manager_a"),
        (ReminderKind.DUE, "manager_a"),
    }
    assert sent(due + timedelta(hours=23)) == 0  # within the grace period
    assert sent(due + timedelta(hours=24)) == 1
    assert Reminder.objects.get(kind=ReminderKind.ESCALATION).recipient == cast.parent_manager
    assert len(mails_to("parent")) == 1 and len(mails_to("manager_a")) == 2


def test_grace_period_is_a_setting(cast, sent, settings):
    settings.HJULET_ESCALATION_GRACE_HOURS = 2
    clock = clock_of(file_report(cast), "triage")
    sent(clock.due_at + timedelta(hours=2))
    assert Reminder.objects.filter(kind=ReminderKind.ESCALATION).exists()


def test_a_late_run_sends_no_before_reminder(cast, sent):
    clock = clock_of(file_report(cast), "triage")
    sent(clock.due_at + timedelta(minutes=5))
    assert list(Reminder.objects.values_list("kind", flat=True)) == [ReminderKind.DUE]


def test_running_twice_sends_nothing_twice(cast, sent):
    clock = clock_of(file_report(cast), "triage")
    late = clock.due_at + timedelta(days=2)
    first = sent(late)
    outbox = len(mail.outbox)
    assert first == 2 and outbox == 2  # due to the manager, escalation to the department
    assert sent(late) == 0
    assert len(mail.outbox) == outbox


def test_a_claim_already_taken_is_not_sent_again(cast, sent):
    clock = clock_of(file_report(cast), "triage")
    Reminder.objects.create(clock=clock, kind=ReminderKind.DUE, recipient=cast.manager_a)
    assert sent(clock.due_at) == 0
    assert mail.outbox == []


def test_a_concurrent_worker_that_claimed_first_wins(cast, sent, monkeypatch):
    # The other worker inserted its claim after this run read the claims: the insert fails.
    clock = clock_of(file_report(cast), "triage")
    Reminder.objects.create(clock=clock, kind=ReminderKind.DUE, recipient=cast.manager_a)
    monkeypatch.setattr(reminders, "already_claimed", lambda now: set())
    assert sent(clock.due_at) == 0
    assert mail.outbox == []
    assert Reminder.objects.count() == 1


def test_nothing_is_sent_for_a_met_clock(cast, sent):
    deviation = file_report(cast)
    clock = clock_of(deviation, "triage")
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    assert sent(clock.due_at + timedelta(days=3)) == 0
    assert not Reminder.objects.filter(clock=clock).exists()


def test_no_reminder_is_sent_without_a_transaction_commit(cast, django_capture_on_commit_callbacks):
    clock = clock_of(file_report(cast), "triage")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_due_reminders(now=clock.due_at)
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_person_without_an_address_is_claimed_but_not_mailed(cast, sent):
    cast.manager_a.email = ""
    cast.manager_a.save()
    clock = clock_of(file_report(cast), "triage")
    assert sent(clock.due_at) == 1
    reminder = Reminder.objects.get()
    assert reminder.recipient == cast.manager_a and reminder.sent_at is None
    assert mail.outbox == []


def test_the_email_names_the_case_by_reference_only(cast, sent, settings):
    settings.SITE_URL = "https://hjulet.kommun.test"
    deviation = file_report(cast)
    clock = clock_of(deviation, "triage")
    sent(clock.due_at)
    (message,) = mail.outbox
    text = message.subject + message.body
    assert deviation.reference in message.subject
    assert deviation.reference in message.body
    assert f"https://hjulet.kommun.test/deviations/{deviation.pk}/" in message.body
    assert clock.rule.name in message.body
    with translation.override("sv"):
        assert deadline_when(clock.due_at, clock.rule.unit) in message.body
    assert DESCRIPTION not in text
    assert "Anna" not in text and "19121212" not in text


def test_the_link_falls_back_to_localhost(cast, sent, settings):
    settings.SITE_URL = ""
    deviation = file_report(cast)
    sent(clock_of(deviation, "triage").due_at)
    assert f"http://127.0.0.1:8000/deviations/{deviation.pk}/" in mail.outbox[0].body


def test_the_email_is_in_the_organisations_language(cast, sent, monkeypatch):
    languages = []

    class Recording:
        @staticmethod
        def render_to_string(name, context):
            languages.append(translation.get_language())
            return real_loader.render_to_string(name, context)

    monkeypatch.setattr(reminders, "loader", Recording)
    clock = clock_of(file_report(cast), "triage")
    with translation.override("en"):
        sent(clock.due_at)
    assert languages and set(languages) == {"sv"}
    assert len(mail.outbox) == 1


def test_escalation_of_a_restricted_track_reaches_only_readers(cast, sent):
    clock = track_clock(cast, TrackKind.LEX_SARAH, "lex-sarah-investigation-start")
    sent(clock.due_at + timedelta(days=2))
    recipients = set(Reminder.objects.values_list("recipient__username", "kind"))
    assert recipients == {("parent", ReminderKind.DUE), ("quality", ReminderKind.ESCALATION)}
    assert mails_to("manager_a") == []


def test_send_reminders_command(cast, django_capture_on_commit_callbacks, capsys):
    deviation = file_report(cast, reported_at=timezone.now() - timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert "2 reminder(s) sent" in capsys.readouterr().out
    assert {m.to[0] for m in mail.outbox} == {"manager_a@cast.test", "parent@cast.test"}
    assert Reminder.objects.filter(clock__deviation=deviation).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert len(mail.outbox) == 2


def test_the_reminder_task_and_the_scheduler_run_the_same_job(transactional_db, capsys):
    from analysis.tasks import refresh_statistics_task
    from notifications.reminders import send_reminders_task
    from notifications.tasks import PERIODIC_TASKS

    assert PERIODIC_TASKS["send_reminders"] is send_reminders_task
    assert PERIODIC_TASKS["refresh_statistics"] is refresh_statistics_task
    call_command("run_scheduler", iterations=1, inline=True)
    out = capsys.readouterr().out
    assert "send_reminders: 0" in out and "refresh_statistics:" in out
    call_command("run_scheduler", iterations=1)  # queued; the immediate backend runs it
    assert "send_reminders: queued" in capsys.readouterr().out


# -- holidays ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year, easter",
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
     (2027, date(2027, 3, 28)), (2000, date(2000, 4, 23)), (2038, date(2038, 4, 25))],
)  # fmt: skip
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_swedish_holidays_2026():
    days = dict(swedish_public_holidays(2026))
    assert days[date(2026, 4, 3)] == "Långfredagen"
    assert days[date(2026, 4, 6)] == "Annandag påsk"
    assert days[date(2026, 5, 14)] == "Kristi himmelsfärdsdag"
    assert days[date(2026, 6, 19)] == "Midsommarafton"
    assert days[date(2026, 6, 20)] == "Midsommardagen"
    assert days[date(2026, 10, 31)] == "Alla helgons dag"
    for fixed in [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]:
        assert date(2026, *fixed) in days
    assert len(days) == 16


def test_movable_holidays_2027():
    days = {name: day for day, name in swedish_public_holidays(2027)}
    assert days["Midsommarafton"] == date(2027, 6, 25)
    assert days["Alla helgons dag"] == date(2027, 11, 6)
    assert days["Långfredagen"] == date(2027, 3, 26)


def test_load_swedish_holidays_command_is_idempotent(cast):
    call_command("load_swedish_holidays", "2026", verbosity=0)
    roots = [cast.board, cast.other_root_node]
    assert [Holiday.objects.filter(organisation=r).count() for r in roots] == [16, 16]
    assert not Holiday.objects.exclude(organisation__in=roots).exists()
    call_command("load_swedish_holidays", "2026", verbosity=0)
    assert Holiday.objects.count() == 32
    assert Event.objects.filter(verb="legal.holidays_loaded").count() == 2


def test_load_swedish_holidays_for_one_organisation_keeps_its_own_days(cast):
    Holiday.objects.create(organisation=cast.board, date=date(2027, 1, 1), name="Egen ledighet")
    call_command("load_swedish_holidays", "2027", organisation=cast.board.pk, verbosity=0)
    assert Holiday.objects.get(date=date(2027, 1, 1)).name == "Egen ledighet"
    assert Holiday.objects.filter(organisation=cast.board).count() == 16
    assert not Holiday.objects.filter(organisation=cast.other_root_node).exists()
    with pytest.raises(CommandError):
        call_command("load_swedish_holidays", "2027", organisation=cast.unit_a.pk)


def test_a_working_day_clock_skips_the_organisations_holiday(cast):
    friday = datetime(2026, 12, 4, 10, 0, tzinfo=STHLM)
    Holiday.objects.create(organisation=cast.board, date=date(2026, 12, 7), name="Lokal ledighet")
    clock = clock_of(file_report(cast, reported_at=friday), "triage")
    assert clock.due_at == datetime(2026, 12, 9, 0, 0, tzinfo=STHLM)  # Tuesday, all of it


def test_a_holiday_set_after_the_clock_started_moves_its_deadline(cast):
    from legal.holidays import add_holiday, remove_holiday

    friday = datetime(2026, 12, 4, 10, 0, tzinfo=STHLM)
    clock = clock_of(file_report(cast, reported_at=friday), "triage")
    assert clock.due_at == datetime(2026, 12, 8, 0, 0, tzinfo=STHLM)  # all of Monday
    holiday = add_holiday(cast.board, actor=cast.quality, day=date(2026, 12, 7), name="Lokal")
    clock.refresh_from_db()
    assert clock.due_at == datetime(2026, 12, 9, 0, 0, tzinfo=STHLM)  # all of Tuesday
    remove_holiday(holiday, actor=cast.quality)
    clock.refresh_from_db()
    assert clock.due_at == datetime(2026, 12, 8, 0, 0, tzinfo=STHLM)
    # A holiday of another organisation, or one outside the clock's span, changes nothing.
    add_holiday(cast.other_root_node, actor=None, day=date(2026, 12, 7), name="Annan")
    add_holiday(cast.board, actor=cast.quality, day=date(2026, 12, 21), name="Senare")
    clock.refresh_from_db()
    assert clock.due_at == datetime(2026, 12, 8, 0, 0, tzinfo=STHLM)


# -- the holidays page -------------------------------------------------------------------------

URL = reverse("legal:holidays")


def _add(client, cast, day="2026-12-23", name="Lillejulafton"):
    return client.post(
        URL, {"organisation": cast.board.pk, "year": 2026, "date": day, "name": name, "add": ""}
    )


def test_holiday_page_needs_a_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_outsider_is_refused_and_another_tree_is_not_found(cast, login):
    assert login(cast.outsider).get(URL).status_code == 403
    client = login(cast.other_root)
    assert client.get(URL, {"organisation": cast.board.pk}).status_code == 404
    response = client.get(URL)
    assert response.status_code == 200 and response.context["root"] == cast.other_root_node


def test_staff_see_the_holidays_but_may_not_change_them(cast, login):
    Holiday.objects.create(organisation=cast.board, date=date(2026, 12, 24), name="Julafton")
    client = login(cast.same_unit)
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    assert 'data-date="2026-12-24"' in response.content.decode()
    assert not response.context["can_edit"]
    assert 'id="holiday-add"' not in response.content.decode()
    assert _add(client, cast).status_code == 403
    holiday = Holiday.objects.get()
    response = client.post(URL, {"organisation": cast.board.pk, "remove": holiday.pk})
    assert response.status_code == 403
    assert login(cast.parent_manager).post(URL, {"load": "", "year": 2026}).status_code == 403
    assert Holiday.objects.count() == 1


def test_the_administration_adds_and_removes_a_day(cast, login):
    client = login(cast.quality)
    response = _add(client, cast)
    assert response.status_code == 302
    holiday = Holiday.objects.get(organisation=cast.board)
    assert (holiday.date, holiday.name) == (date(2026, 12, 23), "Lillejulafton")
    assert Event.objects.filter(verb="legal.holiday_added", object_id=str(cast.board.pk)).exists()
    response = _add(client, cast, name="Igen")
    assert response.status_code == 200 and response.context["form"].errors
    assert Holiday.objects.count() == 1
    response = _add(client, cast, day="", name="")
    assert response.status_code == 200 and set(response.context["form"].errors) == {"date", "name"}
    response = client.post(URL, {"organisation": cast.board.pk, "remove": holiday.pk})
    assert response.status_code == 302 and not Holiday.objects.exists()
    assert Event.objects.filter(verb="legal.holiday_removed").exists()


def test_the_administration_loads_the_swedish_list(cast, login):
    client = login(cast.admin)
    response = client.post(URL, {"organisation": cast.board.pk, "year": 2027, "load": ""})
    assert response.status_code == 302 and "year=2027" in response.url
    assert Holiday.objects.filter(organisation=cast.board, date__year=2027).count() == 16


def test_a_day_of_another_tree_cannot_be_removed(cast, login):
    other = Holiday.objects.create(
        organisation=cast.other_root_node, date=date(2026, 12, 24), name="Julafton"
    )
    response = login(cast.quality).post(URL, {"organisation": cast.board.pk, "remove": other.pk})
    assert response.status_code == 404
    assert Holiday.objects.filter(pk=other.pk).exists()


def test_add_holiday_service_refuses_a_node_below_the_top(cast):
    from legal.holidays import add_holiday

    with pytest.raises(ValueError):
        add_holiday(cast.unit_a, actor=None, day=date(2026, 1, 2), name="x")
    with pytest.raises(ValidationError):
        add_holiday(cast.board, actor=None, day=date(2026, 1, 2), name="  ")


def test_register_links_to_the_holidays_for_those_who_may_edit(cast, login):
    register = reverse("legal:register")
    assert 'id="holidays-link"' in login(cast.quality).get(register).content.decode()
    assert 'id="holidays-link"' not in login(cast.same_unit).get(register).content.decode()
