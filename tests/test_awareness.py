"""When the organisation became aware (issue 10, point 3), and how a deadline reads.

The time is recorded at triage (the report time by default) and corrected later; the clocks that
start at it (GDPR's 72 hours, by the rule table) and the rule that a late notification gives its
reason follow it, and every package states the same time.
"""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import Event
from deviations import services
from deviations.authority import packages
from deviations.authority import services as ns
from deviations.authority.forms import NotificationContentForm
from deviations.forms import AwareForm
from deviations.models import Clock, Deviation
from legal import deadlines
from legal.rules import ClockStart, ClockUnit, DeadlineRule, TrackKind

STHLM = ZoneInfo("Europe/Stockholm")
DESCRIPTION = "En lista med brukarnas namn skickades till fel mottagare."


def report(cast, hours_ago=1, occurred_hours_ago=None, **extra):
    now = timezone.now()
    occurred = occurred_hours_ago if occurred_hours_ago is not None else hours_ago + 100
    return services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=now - timedelta(hours=occurred),
        reported_at=now - timedelta(hours=hours_ago),
        description=DESCRIPTION,
        immediate_action="Mottagaren ombads radera listan.",
        service_user_affected="yes",
        **extra,
    )


def imy_clock(deviation):
    return Clock.objects.get(deviation=deviation, rule__code="data-breach-imy")


def breach_track(deviation):
    return deviation.tracks.get(kind=TrackKind.DATA_BREACH)


def imy_draft(cast, track):
    notification, _created = ns.create_notification(track, "imy", actor=cast.parent_manager)
    return ns.save_content(
        notification,
        actor=cast.parent_manager,
        breach_confidentiality=True,
        people_categories="Brukare",
        data_kinds="Namn",
        consequences="Obehöriga kan ha sett namnen.",
        people_informed="planned",
    )


def shown(when):
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def aware_events(deviation):
    return Event.objects.filter(verb="deviations.aware_changed", object_id=str(deviation.pk))


# -- the rule table says which clocks start at awareness ----------------------------------------


def test_the_gdpr_72_hours_start_when_the_organisation_became_aware(cast):
    rule = DeadlineRule.objects.in_force().get(code="data-breach-imy")
    assert rule.starts == ClockStart.AWARE
    assert (rule.amount, rule.unit) == (72, ClockUnit.HOURS)


def test_the_report_time_is_the_aware_time_until_someone_says_otherwise(cast):
    deviation = report(cast)
    assert deviation.aware_at == deviation.reported_at
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    clock = imy_clock(deviation)
    assert clock.started_at == deviation.reported_at
    assert clock.due_at == deviation.reported_at + timedelta(hours=72)
    assert not aware_events(deviation).exists()


# -- earlier and later ---------------------------------------------------------------------------


def test_an_earlier_aware_time_moves_the_deadline_earlier_and_a_reason_is_needed(cast):
    deviation = report(cast, hours_ago=1)
    aware = timezone.now() - timedelta(hours=80)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH], aware_at=aware)
    deviation.refresh_from_db()
    assert deviation.aware_at == aware
    clock = imy_clock(deviation)
    assert clock.started_at == aware and clock.due_at == aware + timedelta(hours=72)
    assert clock.overdue
    notification = imy_draft(cast, breach_track(deviation))
    with pytest.raises(ValidationError) as refused:
        ns.record_sent(
            notification, actor=cast.parent_manager, sent_at=timezone.now(), channel="e_service"
        )
    assert "delay_reason" in refused.value.message_dict
    sent = ns.record_sent(
        notification,
        actor=cast.parent_manager,
        sent_at=timezone.now(),
        channel="e_service",
        delay_reason="Incidenten upptäcktes i en kontroll först efter tre dagar.",
    )
    assert sent.state == "sent"
    (event,) = aware_events(deviation)
    assert event.params == {"old": shown(deviation.reported_at), "new": shown(aware)}


def test_a_later_aware_time_moves_the_deadline_later_and_no_reason_is_needed(cast):
    # Filed 80 hours ago: counted from the filing, the 72 hours would have run out.
    deviation = report(cast, hours_ago=80)
    aware = timezone.now() - timedelta(hours=10)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH], aware_at=aware)
    clock = imy_clock(deviation)
    assert clock.due_at == aware + timedelta(hours=72) and not clock.overdue
    notification = imy_draft(cast, breach_track(deviation))
    assert not ns.needs_delay_reason(notification, timezone.now())
    ns.record_sent(
        notification, actor=cast.parent_manager, sent_at=timezone.now(), channel="e_service"
    )
    assert imy_clock(deviation).met_at is not None


def test_a_correction_after_triage_moves_the_running_clock_and_is_in_the_history(cast):
    deviation = report(cast, hours_ago=1)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    notification = imy_draft(cast, track)
    now = timezone.now()
    assert not ns.needs_delay_reason(notification, now)
    earlier = now - timedelta(hours=75)
    # The quality developer investigates: they may correct it too.
    assert services.change_aware_at(deviation, actor=cast.quality, aware_at=earlier)
    assert imy_clock(deviation).due_at == earlier + timedelta(hours=72)
    assert ns.needs_delay_reason(notification, now)
    (event,) = aware_events(deviation)
    assert event.actor == cast.quality
    assert event.params == {"old": shown(deviation.reported_at), "new": shown(earlier)}
    # The same minute again is no change and no event.
    assert not services.change_aware_at(
        deviation, actor=cast.quality, aware_at=earlier.replace(second=0, microsecond=0)
    )
    assert aware_events(deviation).count() == 1


def test_a_met_clock_keeps_its_deadline(cast):
    deviation = report(cast, hours_ago=1)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    ns.record_sent(
        imy_draft(cast, track),
        actor=cast.parent_manager,
        sent_at=timezone.now(),
        channel="e_service",
    )
    before = imy_clock(deviation)
    services.change_aware_at(
        deviation, actor=cast.manager_a, aware_at=timezone.now() - timedelta(hours=90)
    )
    after = imy_clock(deviation)
    assert (after.started_at, after.due_at, after.met_at) == (
        before.started_at,
        before.due_at,
        before.met_at,
    )


def test_a_clock_that_starts_later_counts_from_the_corrected_time(cast):
    deviation = report(cast, hours_ago=1)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    aware = timezone.now() - timedelta(hours=30)
    services.change_aware_at(deviation, actor=cast.manager_a, aware_at=aware)
    from deviations.investigation import services as investigation_services

    investigation_services.decide_serious(track, True, actor=cast.manager_a)
    inform = Clock.objects.get(deviation=deviation, rule__code="data-breach-inform")
    assert inform.started_at == aware


# -- what is refused -----------------------------------------------------------------------------


def test_the_time_cannot_be_in_the_future_or_before_the_event(cast):
    deviation = report(cast, hours_ago=1, occurred_hours_ago=5)
    future = timezone.now() + timedelta(hours=2)
    with pytest.raises(ValidationError) as refused:
        services.triage(
            deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH], aware_at=future
        )
    assert refused.value.message_dict["aware_at"] == ["Tidpunkten kan inte vara i framtiden."]
    assert not deviation.tracks.exists()
    before = deviation.occurred_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        services.triage(
            deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH], aware_at=before
        )
    assert shown(deviation.occurred_at) in refused.value.message_dict["aware_at"][0]
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    with pytest.raises(ValidationError):
        services.change_aware_at(deviation, actor=cast.manager_a, aware_at=future)
    # The minute of the event itself is accepted.
    assert services.change_aware_at(
        deviation,
        actor=cast.manager_a,
        aware_at=deviation.occurred_at.replace(second=0, microsecond=0),
    )


def test_only_those_who_classify_or_investigate_change_it(cast):
    deviation = report(cast)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    for person in (cast.same_unit, cast.sibling, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.change_aware_at(
                deviation, actor=person, aware_at=timezone.now() - timedelta(hours=3)
            )


def test_a_closed_case_keeps_its_time(cast):
    deviation = report(cast)
    services.triage(
        deviation, actor=cast.manager_a, kinds=[TrackKind.NOT_DEVIATION], reason="Önskemål."
    )
    with pytest.raises(ValidationError):
        services.change_aware_at(
            deviation, actor=cast.manager_a, aware_at=timezone.now() - timedelta(hours=3)
        )


# -- one value in every package ------------------------------------------------------------------


def _discovered_row(notification):
    with translation.override("en"):
        sections = packages.display_sections(notification)
    rows = dict(row for _heading, rows in sections for row in rows)
    return rows["When the breach was discovered"]


def test_the_package_states_the_case_time_and_the_draft_cannot_change_it(cast):
    deviation = report(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    notification = imy_draft(cast, track)
    aware = timezone.now() - timedelta(hours=20)
    services.change_aware_at(deviation, actor=cast.manager_a, aware_at=aware)
    notification.refresh_from_db()
    assert _discovered_row(notification) == shown(aware)
    assert shown(aware) in _docx_text(packages.render_docx_package(notification))
    form = NotificationContentForm(instance=notification, recipient="imy")
    assert "discovered_at" not in form.fields
    (shown_item,) = [
        item
        for _heading, items in form.sections()
        for item in items
        if getattr(item, "from_case", False)
    ]
    assert shown_item.value == aware
    with pytest.raises(ValueError):
        ns.save_content(notification, actor=cast.parent_manager, discovered_at=timezone.now())
    # Sent, the notification keeps the time it was sent with.
    ns.record_sent(
        notification, actor=cast.parent_manager, sent_at=timezone.now(), channel="e_service"
    )
    notification.refresh_from_db()
    assert notification.discovered_at == aware
    services.change_aware_at(deviation, actor=cast.manager_a, aware_at=aware - timedelta(hours=1))
    notification.refresh_from_db()
    assert _discovered_row(notification) == shown(aware)


def _docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_notification_page_shows_the_time_and_where_to_change_it(cast, login):
    deviation = report(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    notification = imy_draft(cast, track)
    html = login(cast.parent_manager).get(notification.get_absolute_url()).content.decode()
    assert 'id="from-case-discovered_at"' in html
    assert 'name="discovered_at"' not in html
    assert reverse("deviations:aware", args=[deviation.pk]) in html


# -- the pages -----------------------------------------------------------------------------------


def local_input(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_the_triage_form_records_the_time(cast, login):
    deviation = report(cast, hours_ago=1)
    client = login(cast.manager_a)
    url = reverse("deviations:triage", args=[deviation.pk])
    page = client.get(url).content.decode()
    assert f'value="{local_input(deviation.reported_at)}"' in page
    aware = (timezone.now() - timedelta(hours=30)).replace(second=0, microsecond=0)
    response = client.post(url, {"kinds": ["data_breach"], "aware_at": local_input(aware)})
    assert response.status_code == 302
    assert Deviation.objects.get(pk=deviation.pk).aware_at == aware
    assert imy_clock(deviation).due_at == aware + timedelta(hours=72)


def test_the_triage_form_keeps_the_input_on_error(cast, login):
    deviation = report(cast, hours_ago=1)
    client = login(cast.manager_a)
    url = reverse("deviations:triage", args=[deviation.pk])
    future = local_input(timezone.now() + timedelta(days=1))
    response = client.post(url, {"kinds": ["data_breach", "other"], "aware_at": future})
    assert response.status_code == 200
    assert response.context["form"].errors["aware_at"] == ["Tidpunkten kan inte vara i framtiden."]
    html = response.content.decode()
    assert f'value="{future}"' in html
    assert re.search(r'value="other"[^>]*checked', html)
    assert not deviation.tracks.exists()
    response = client.post(url, {"kinds": ["data_breach"], "aware_at": "i går"})
    assert response.status_code == 200 and response.context["form"].errors["aware_at"]


def test_the_aware_page_changes_the_time_with_the_version_check(cast, login):
    deviation = report(cast, hours_ago=1)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    detail = reverse("deviations:detail", args=[deviation.pk])
    url = reverse("deviations:aware", args=[deviation.pk])
    client = login(cast.manager_a)
    assert url in client.get(detail).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["record_version"].value()
    aware = (timezone.now() - timedelta(hours=50)).replace(second=0, microsecond=0)
    response = client.post(url, {"aware_at": local_input(aware), "record_version": token})
    assert response.status_code == 302
    assert imy_clock(deviation).due_at == aware + timedelta(hours=72)
    # A second page loaded before that save: refused with both versions, nothing written.
    later = aware + timedelta(hours=5)
    response = client.post(url, {"aware_at": local_input(later), "record_version": token})
    assert response.status_code == 409
    assert f'value="{local_input(later)}"' in response.content.decode()
    assert Deviation.objects.get(pk=deviation.pk).aware_at == aware
    # Errors keep the input.
    response = client.post(url, {"aware_at": "", "record_version": token})
    with translation.override("sv"):
        required = str(AwareForm.base_fields["aware_at"].error_messages["required"])
    assert response.context["form"].errors["aware_at"] == [required]
    # A reporter without the keys may not.
    assert login(cast.same_unit).get(url).status_code in (403, 404)


# -- how a deadline reads ------------------------------------------------------------------------


def _local(*args):
    return datetime(*args, tzinfo=STHLM)


def test_a_day_deadline_reads_as_its_whole_last_day():
    due = _local(2026, 12, 22, 0, 0)  # the midnight that ends 21 December
    with translation.override("en"):
        today = _local(2026, 12, 3, 9, 0).date()
        assert deadlines.deadline_text(due, ClockUnit.CALENDAR_DAYS, today) == "by 21 December"
        assert deadlines.deadline_text(due, ClockUnit.WORKING_DAYS, today) == "by 21 December"
        next_year = _local(2027, 1, 5, 9, 0).date()
        assert (
            deadlines.deadline_text(due, ClockUnit.CALENDAR_DAYS, next_year)
            == "by 21 December 2026"
        )
    with translation.override("sv"):
        assert deadlines.deadline_when(due, ClockUnit.CALENDAR_DAYS, today) == "21 december"
    assert deadlines.deadline_iso(due, ClockUnit.CALENDAR_DAYS) == "2026-12-21"


def test_an_hour_deadline_keeps_its_date_and_time():
    due = _local(2026, 12, 6, 14, 30)
    today = _local(2026, 12, 3, 9, 0).date()
    with translation.override("en"):
        assert deadlines.deadline_text(due, ClockUnit.HOURS, today) == "by 6 December at 14:30"
    assert deadlines.deadline_iso(due, ClockUnit.HOURS) == "2026-12-06T14:30:00+01:00"


def test_a_deadline_met_late_says_by_how_much():
    day_due = _local(2026, 12, 22, 0, 0)
    hour_due = _local(2026, 12, 6, 14, 30)
    with translation.override("en"):
        days = ClockUnit.CALENDAR_DAYS
        assert deadlines.lateness_text(day_due, _local(2026, 12, 21, 23, 0), days) == ""
        assert deadlines.lateness_text(day_due, _local(2026, 12, 22, 8, 0), days) == (
            "done 1 day late"
        )
        assert deadlines.lateness_text(day_due, _local(2026, 12, 23, 16, 0), days) == (
            "done 2 days late"
        )
        hours = ClockUnit.HOURS
        assert deadlines.lateness_text(hour_due, _local(2026, 12, 6, 14, 0), hours) == ""
        assert deadlines.lateness_text(hour_due, _local(2026, 12, 6, 15, 0), hours) == (
            "done 1 hour late"
        )
        assert deadlines.lateness_text(hour_due, _local(2026, 12, 6, 19, 10), hours) == (
            "done 5 hours late"
        )
        assert deadlines.lateness_text(hour_due, _local(2026, 12, 8, 15, 0), hours) == (
            "done 2 days late"
        )


def test_the_case_page_and_the_register_show_the_same_wording(cast, login):
    deviation = report(cast, hours_ago=1)
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    clock = Clock.objects.get(deviation=deviation, rule__code="other-close")
    assert clock.rule.unit == ClockUnit.CALENDAR_DAYS
    client = login(cast.manager_a)
    with translation.override("sv"):
        when = deadlines.deadline_when(clock.due_at, clock.rule.unit)
    midnight = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    for url in (reverse("deviations:detail", args=[deviation.pk]), reverse("deviations:list")):
        html = client.get(url).content.decode()
        assert when in html and midnight not in html
        assert f'datetime="{deadlines.deadline_iso(clock.due_at, clock.rule.unit)}"' in html


def test_the_case_page_says_a_clock_was_met_late(cast, login):
    deviation = report(cast, hours_ago=1)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    services.change_aware_at(
        deviation, actor=cast.manager_a, aware_at=timezone.now() - timedelta(hours=90)
    )
    ns.record_sent(
        imy_draft(cast, track),
        actor=cast.parent_manager,
        sent_at=timezone.now(),
        channel="e_service",
        delay_reason="Upptäcktes sent.",
    )
    clock = imy_clock(deviation)
    with translation.override("sv"):
        late = deadlines.clock_lateness(clock)
    assert late
    html = login(cast.parent_manager).get(reverse("deviations:detail", args=[deviation.pk]))
    assert late[0].upper() + late[1:] in html.content.decode()
