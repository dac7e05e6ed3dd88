"""Retention (gallring): the dry run lists what the rules say, holds stop it, the executed run
thins exactly that and logs it, and the statistics do not move."""

import datetime

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, Event
from audit.services import log_read
from deviations.investigation.models import Cause, Investigation, TimelineEntry
from deviations.models import Deviation, Track
from retention import engine, services
from retention.models import (
    LegalHold,
    RetentionRule,
    RetentionRun,
    RetentionSetting,
    ThinnedRecord,
)

DAY = datetime.timedelta(days=1)
MARKER = "HEMLIG-BESKRIVNING-4711"


def make_deviation(unit, reference, *, closed_at, kind="lex_sarah", serious=True):
    """A closed report with one closed track, an investigation naming a cause and a timeline."""
    deviation = Deviation.objects.create(
        reference=reference,
        unit=unit,
        reported_at=closed_at - 30 * DAY,
        aware_at=closed_at - 30 * DAY,
        occurred_at=closed_at - 31 * DAY,
        description=f"{MARKER} {reference}",
        immediate_action="Hjälpte upp",
        service_user_affected="yes",
        affected_person="Namn 19121212-1212",
        status="closed",
        closed_at=closed_at,
    )
    track = Track.objects.create(
        deviation=deviation,
        kind=kind,
        state="closed",
        serious=serious,
        created_at=closed_at - 29 * DAY,
        closed_at=closed_at,
    )
    investigation = Investigation.objects.create(
        track=track, cause_analysis=f"{MARKER} orsak", decision="Beslut"
    )
    Investigation.objects.filter(pk=investigation.pk).update(updated_at=closed_at)
    cause = Cause.objects.order_by("pk").first() or Cause.objects.create(code="c", name="Orsak")
    investigation.causes.add(cause)
    TimelineEntry.objects.create(
        investigation=investigation,
        at=closed_at - 30 * DAY,
        text=f"{MARKER} tidslinje",
        added_at=closed_at - 20 * DAY,
    )
    return deviation


def listed(now, user=None):
    return {
        due.rule.code: [ref for _pk, ref, _d in due.records]
        for due in engine.due_records(user=user, now=now)
    }


@pytest.fixture
def five_years_ago(now):
    return now - relativedelta(years=5)


@pytest.fixture
def cases(cast, five_years_ago):
    """Around the five-year boundary, at the private provider and in own management."""
    return {
        "private_old": make_deviation(
            cast.provider_node, "AV-2020-000001", closed_at=five_years_ago - DAY
        ),
        "private_new": make_deviation(
            cast.provider_node, "AV-2021-000002", closed_at=five_years_ago + DAY
        ),
        "own_old": make_deviation(
            cast.unit_a, "AV-2020-000003", closed_at=five_years_ago - DAY, kind="other"
        ),
        "own_new": make_deviation(
            cast.unit_a, "AV-2021-000004", closed_at=five_years_ago + DAY, kind="other"
        ),
    }


def test_seeded_rules_cite_the_law_and_the_document_plan(db):
    rule = RetentionRule.objects.get(code="private-lex-sarah")
    assert rule.section.regulation.code == "sol-2025"
    assert rule.section.reference == "17 kap 10 §"
    assert (rule.years, rule.runs_from, rule.applies_to) == (5, "last_entry", "private")
    own = RetentionRule.objects.get(code="own-deviations")
    assert own.section is None and "Dokumenthanteringsplan" in own.reference_text
    assert RetentionRule.objects.get(code="access-log").years == 2


def test_dry_run_lists_what_the_rules_say_around_the_boundary(cast, cases, now):
    found = listed(now)
    assert found["private-lex-sarah"] == ["AV-2020-000001"]
    assert found["own-deviations"] == ["AV-2020-000003"]
    assert found["private-deviations"] == []
    # A dry run changes nothing.
    assert Deviation.objects.get(reference="AV-2020-000001").description.startswith(MARKER)
    assert not RetentionRun.objects.exists()


def test_the_last_entry_counts_not_the_closing(cast, cases, now, five_years_ago):
    # A timeline entry added later moves the private provider's five years on.
    entry = TimelineEntry.objects.get(investigation__track__deviation=cases["private_old"])
    TimelineEntry.objects.filter(pk=entry.pk).update(added_at=five_years_ago + DAY)
    assert listed(now)["private-lex-sarah"] == []


def test_own_management_rule_does_not_reach_the_provider(cast, cases, now):
    RetentionRule.objects.filter(code__startswith="private-").update(is_active=False)
    found = listed(now)
    assert "AV-2020-000001" not in sum(found.values(), [])
    assert found["own-deviations"] == ["AV-2020-000003"]


def test_when_rules_overlap_the_longest_period_governs(cast, cases, now):
    RetentionRule.objects.filter(code="private-deviations").update(years=10)
    found = listed(now)
    assert found["private-lex-sarah"] == []
    assert found["private-deviations"] == []


def test_open_cases_are_never_thinned(cast, cases, now):
    Deviation.objects.filter(pk=cases["own_old"].pk).update(status="triaged")
    assert listed(now)["own-deviations"] == []


def test_a_legal_hold_stops_the_dry_run_and_the_run(cast, cases, now):
    hold = services.set_hold(
        actor=cast.quality, kind="deviation", deviation=cases["private_old"], reason="IVO-ärende"
    )
    services.set_hold(actor=cast.quality, kind="unit", unit=cast.unit_a, reason="Klagomål")
    assert listed(now)["private-lex-sarah"] == []
    assert listed(now)["own-deviations"] == []
    run = services.execute_run(actor=cast.quality, now=now)
    assert run.total == 0
    assert Deviation.objects.get(pk=cases["private_old"].pk).description.startswith(MARKER)
    services.lift_hold(hold, actor=cast.quality, reason="Ärendet avslutat")
    assert listed(now)["private-lex-sarah"] == ["AV-2020-000001"]
    assert Event.objects.filter(verb="retention.hold_lifted").count() == 1


def test_a_hold_whose_end_date_has_passed_no_longer_holds(cast, cases, now):
    LegalHold.objects.create(
        kind="deviation",
        deviation=cases["private_old"],
        reason="Gammal",
        until=timezone.localdate() - DAY,
    )
    assert listed(now)["private-lex-sarah"] == ["AV-2020-000001"]


def test_hold_needs_a_reason_and_a_target(cast):
    with pytest.raises(Exception) as error:
        services.set_hold(actor=cast.quality, kind="deviation", reason=" ")
    assert set(error.value.error_dict) == {"reason", "deviation"}


def test_executed_run_anonymises_exactly_those_and_logs(cast, cases, now):
    old = cases["private_old"]
    track = old.tracks.get()
    deviation_type = ContentType.objects.get_for_model(Deviation)
    assert any(
        getattr(old, f.attname)
        for f in Deviation._meta.concrete_fields
        if f.name.startswith("affected_person_")
    ), "the identity's search hashes were expected to be filled before thinning"
    assert LogEntry.objects.filter(content_type=deviation_type, object_pk=str(old.pk)).exists()
    run = services.execute_run(actor=cast.quality, now=now)

    assert run.total == 2
    lines = {line.rule.code: line for line in run.lines.all()}
    assert lines["private-lex-sarah"].references == ["AV-2020-000001"]
    assert lines["own-deviations"].references == ["AV-2020-000003"]
    assert run.actor == cast.quality
    assert Event.objects.filter(verb="retention.run", object_id=str(run.pk)).exists()

    old.refresh_from_db()
    assert (old.description, old.affected_person, old.reported_by_id) == ("", "", None)
    assert old.reference == "AV-2020-000001" and old.status == "closed"
    # The protected identity goes whole, with any keyed hash kept beside it for search.
    identity = [f for f in Deviation._meta.concrete_fields if f.name.startswith("affected_person")]
    assert all(getattr(old, f.attname) in ("", None) for f in identity)
    investigation = Investigation.objects.get(track=track)
    assert investigation.cause_analysis == "" and investigation.causes.exists()
    assert not TimelineEntry.objects.filter(investigation=investigation).exists()
    assert not LogEntry.objects.filter(content_type=deviation_type, object_pk=str(old.pk)).exists()
    assert not LogEntry.objects.filter(changes_text__contains=MARKER).exists()
    # The others are untouched.
    for key in ("private_new", "own_new"):
        assert Deviation.objects.get(pk=cases[key].pk).description.startswith(MARKER)
    # Thinned once: a second run finds nothing.
    assert ThinnedRecord.objects.filter(record_type="deviation").count() == 2
    assert services.execute_run(actor=cast.quality, now=now).total == 0


def _count_rows():
    from analysis.models import CauseCount, ReportCount, TrackCount

    def rows(model):
        fields = [f.name for f in model._meta.fields if f.name != "id"]
        return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields))

    return [rows(m) for m in (ReportCount, TrackCount, CauseCount)]


def test_statistics_stay_the_same_after_thinning(cast, cases, now, five_years_ago):
    from actions.models import Action
    from analysis import buckets, stats

    track = cases["private_old"].tracks.get()
    Action.objects.create(
        source_type=ContentType.objects.get_for_model(Track),
        source_id=track.pk,
        source_label=str(track),
        unit=cast.provider_node,
        title=f"{MARKER} åtgärd",
        owner=cast.manager_a,
        due_date=five_years_ago.date(),
        status="effect_checked",
    )
    Action.objects.filter(source_id=track.pk).update(created_at=five_years_ago - 10 * DAY)

    def figures():
        scope = Deviation.objects.all()
        start = (now - relativedelta(years=7)).date()
        computed = stats.compute(scope, start=start, end=now.date(), nodes=[cast.board], kept=False)
        return computed.as_snapshot()

    buckets.rebuild()
    before_rows, before = _count_rows(), figures()
    run = services.execute_run(actor=cast.quality, now=now)
    assert {line.record_type for line in run.lines.all()} >= {"deviation", "action"}
    buckets.refresh()
    assert _count_rows() == before_rows
    buckets.rebuild()
    assert _count_rows() == before_rows
    assert figures() == before
    assert Action.objects.get(source_id=track.pk).title == "–"


def test_access_log_is_thinned_by_its_own_rule(cast, cases, now):
    young = log_read(cast.quality, cases["own_new"])
    old = log_read(cast.quality, cases["own_new"])
    AccessLog.objects.filter(pk=old.pk).update(at=now - relativedelta(years=2) - DAY)
    assert listed(now)["access-log"] == [f"#{old.pk}"]

    services.set_hold(actor=cast.quality, kind="access_log", reason="Loggkontroll pågår")
    assert listed(now)["access-log"] == []
    LegalHold.objects.update(lifted_at=now)
    run = services.execute_run(actor=cast.quality, now=now)
    assert run.lines.get(record_type="access_log").references == [f"#{old.pk}"]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [young.pk]


def test_scheduled_run_does_nothing_until_turned_on(cast, cases):
    from notifications.tasks import PERIODIC_TASKS

    assert "thin_records" in PERIODIC_TASKS
    assert services.run_if_enabled() is None
    assert not RetentionRun.objects.exists()
    services.set_automatic(actor=cast.quality, automatic=True)
    assert RetentionSetting.current().automatic
    run = services.run_if_enabled()
    assert run.automatic and run.actor is None and run.total == 2


def test_command_dry_run_lists_and_execute_thins(cast, cases, capsys):
    call_command("thin_records", "--list")
    out = capsys.readouterr().out
    assert "AV-2020-000001" in out and "AV-2021-000002" not in out
    assert not RetentionRun.objects.exists()
    call_command("thin_records", "--execute")
    assert RetentionRun.objects.get().total == 2


def test_rule_needs_a_combination_that_makes_sense(cast):
    rule = RetentionRule.objects.get(code="own-deviations")
    with pytest.raises(Exception) as error:
        services.save_rule(rule, actor=cast.quality, action="delete", years=0, months=0)
    assert set(error.value.error_dict) == {"action", "years"}


# --- Pages ------------------------------------------------------------------------------------


def test_dry_run_page_shows_references_not_content(cast, cases, login):
    for who in (cast.quality, cast.admin):
        client = login(who)
        for name in ("retention:overview", "retention:print"):
            response = client.get(reverse(name))
            body = response.content.decode()
            assert response.status_code == 200
            assert "AV-2020-000001" in body
            assert MARKER not in body and "19121212" not in body
    assert login(cast.manager_a).get(reverse("retention:overview")).status_code == 403


def test_quality_developer_sees_only_own_units(cast, cases, login):
    from accounts.models import Role

    role = Role.objects.get(code="unit_manager")
    role.permissions.add(role.permissions.model.objects.get(key="retention.manage"))
    body = login(cast.manager_a).get(reverse("retention:overview")).content.decode()
    assert "AV-2020-000003" in body and "AV-2020-000001" not in body


def test_run_from_the_page_is_logged(cast, cases, login):
    response = login(cast.quality).post(reverse("retention:execute"))
    run = RetentionRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    page = login(cast.quality).get(run.get_absolute_url()).content.decode()
    assert "AV-2020-000001" in page and MARKER not in page


def test_rule_form_keeps_input_on_error(cast, login):
    rule = RetentionRule.objects.get(code="own-deviations")
    client = login(cast.quality)
    form = client.get(reverse("retention:rule_edit", args=[rule.pk]))
    assert form.status_code == 200
    data = {
        "name": "Ändrat namn",
        "record_type": "deviation",
        "applies_to": "own",
        "runs_from": "closed",
        "years": "3",
        "months": "0",
        "action": "delete",
        "order": "30",
        "is_active": "on",
    }
    response = client.post(reverse("retention:rule_edit", args=[rule.pk]), data)
    assert response.status_code == 200 and "Ändrat namn" in response.content.decode()
    rule.refresh_from_db()
    assert rule.years == 5
    data["action"] = "anonymise"
    assert client.post(reverse("retention:rule_edit", args=[rule.pk]), data).status_code == 302
    rule.refresh_from_db()
    assert (rule.years, rule.name) == (3, "Ändrat namn")


def test_holds_page_sets_and_lifts(cast, cases, login):
    client = login(cast.quality)
    response = client.post(
        reverse("retention:holds"),
        {
            "kind": "deviation",
            "deviation": "AV-2020-000003",
            "reason": "Begäran om allmän handling",
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.deviation == cases["own_old"]
    # A reference outside the person's units is not found, and what was typed stays.
    response = client.post(
        reverse("retention:holds"), {"kind": "deviation", "deviation": "AV-9999", "reason": "X"}
    )
    assert response.status_code == 200 and "AV-9999" in response.content.decode()
    lift = reverse("retention:hold_lift", args=[hold.pk])
    assert client.post(lift, {"lift_reason": ""}).status_code == 200
    assert client.post(lift, {"lift_reason": "Klart"}).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == cast.quality


def test_menu_entry_for_the_role(cast):
    from shell.navigation import menu_for

    assert "retention:overview" in [name for name, _l, _c in menu_for(cast.quality)]
    assert "retention:overview" not in [name for name, _l, _c in menu_for(cast.manager_a)]
