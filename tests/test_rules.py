from datetime import datetime
from zoneinfo import ZoneInfo

from legal.clocks import due_for_rule
from legal.rules import ClockUnit, DeadlineRule, Holiday, TrackKind, TrackRule


def test_every_track_has_a_rule_with_references(db):
    kinds = set(TrackRule.objects.in_force().values_list("kind", flat=True))
    assert kinds == set(TrackKind.values)
    sarah = TrackRule.objects.get(kind=TrackKind.LEX_SARAH)
    assert sarah.restricted and sarah.authority == "IVO"
    assert {s.reference for s in sarah.sections.all()} >= {"14 kap 2–7 §§", "24 a–f §§"}
    assert set(sarah.reader_roles.values_list("code", flat=True)) == {
        "department_manager",
        "quality_developer",
        "investigation_secretary",
    }
    assert set(
        TrackRule.objects.get(kind="lex_maria").reader_roles.values_list("code", flat=True)
    ) == {"mas", "health_care_manager"}


def test_the_72_hour_clock_is_law_and_the_snarast_targets_are_local(db):
    imy = DeadlineRule.objects.get(code="data-breach-imy")
    assert imy.is_law and (imy.amount, imy.unit, imy.starts) == (72, ClockUnit.HOURS, "aware")
    assert imy.section.regulation.code == "gdpr"
    ivo = DeadlineRule.objects.get(code="lex-sarah-ivo")
    assert not ivo.is_law and ivo.legal_wording == "snarast" and ivo.only_when_serious


def test_a_changed_rule_changes_the_clock(cast):
    """Law changes are data: editing the rule moves the deadline, no code involved."""
    start = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # Friday
    rule = DeadlineRule.objects.get(code="lex-sarah-investigation-start")
    assert due_for_rule(rule, start, cast.board.pk).date().isoformat() == "2026-11-24"
    Holiday.objects.create(organisation=cast.board, date="2026-11-23", name="Lokal klämdag")
    assert due_for_rule(rule, start, cast.board.pk).date().isoformat() == "2026-11-25"
    rule.amount = 3
    rule.save()
    assert due_for_rule(rule, start, cast.board.pk).date().isoformat() == "2026-11-27"
