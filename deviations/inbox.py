"""Mina uppgifter (notifications/inbox.py): the deviations' sections.

The clocks the person answers for or is escalated to, the reports awaiting classification in
their units and the tracks they investigate; registered from DeviationsConfig.ready(), before
the actions' section (actions/inbox.py).
"""

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import holds, scope_q
from deviations.models import Clock, Deviation, DeviationStatus, Track, TrackState
from deviations.responsibility import NOTIFY_ENDS, STEP_KEYS, Resolver
from legal.rules import ClockEnd
from notifications.inbox import LIMIT, Item, Section, register_section
from notifications.reminders import escalation_grace

# -- the clocks --------------------------------------------------------------------------------


def clocks_for(user):
    """Open clocks the person could answer for or be escalated to, among those they may read.

    A report's classification clock is left to the section of reports to classify.
    """
    could = Q(track__investigators=user)
    for key in STEP_KEYS:
        could |= scope_q(user, key, "deviation__unit")
    return (
        Clock.objects.filter(
            met_at__isnull=True,
            deviation__in=Deviation.objects.visible_to(user),
        )
        .filter(Q(track__isnull=True) | Q(track__in=Track.objects.readable_by(user)))
        .filter(could)
        .exclude(track__isnull=True, rule__ends=ClockEnd.TRIAGED)
        .select_related("deviation__unit", "rule", "track")
        .distinct()
        .order_by("due_at", "pk")
    )


def clock_section(user, now):
    clocks = list(clocks_for(user))
    resolver = Resolver(clocks)
    grace = escalation_grace()
    items = []
    for clock in clocks:
        responsibility = resolver.resolve(clock)
        escalated = clock.due_at + grace <= now and responsibility.escalates_to(user)
        if not (responsibility.is_responsible(user) or escalated):
            continue
        rule = clock.rule
        overdue = clock.due_at <= now
        badges = [(_("Overdue"), "bad")] if overdue else [(_("Running"), "ok")]
        escalated = escalated and not responsibility.is_responsible(user)
        if escalated:
            badges.append((_("Escalated to you"), "warn"))
        detail = clock.track.get_kind_display() if clock.track_id else ""
        if rule.ends in NOTIFY_ENDS and rule.legal_wording:
            detail = f"{detail} – {rule.legal_wording}"
        items.append(
            Item(
                what=rule.name,
                url=reverse("deviations:detail", args=[clock.deviation_id]),
                case=clock.deviation.reference,
                due=timezone.localtime(clock.due_at),
                due_unit=rule.unit,
                overdue=overdue,
                escalated=escalated,
                badges=badges,
                due_note=_("Law") if rule.is_law else _("Local target"),
                detail=str(detail),
            )
        )
    if not items:
        return None
    return Section("clocks", _("Deadlines"), items)


# -- reports awaiting classification --------------------------------------------------------


def triage_section(user, now):
    if not holds(user, "deviations.triage"):
        return None
    waiting = (
        Deviation.objects.visible_to(user, "deviations.triage")
        .filter(status=DeviationStatus.REPORTED)
        .select_related("unit")
        .order_by("reported_at", "pk")
    )
    rows = list(waiting[: LIMIT + 1])
    due, unit = {}, {}
    for deviation_id, due_at, due_unit in (
        Clock.objects.filter(
            deviation__in=[d.pk for d in rows], track__isnull=True, met_at__isnull=True
        )
        .order_by("-due_at")
        .values_list("deviation_id", "due_at", "rule__unit")
    ):
        due[deviation_id], unit[deviation_id] = due_at, due_unit
    items = [
        Item(
            what=_("Classify the report"),
            url=reverse("deviations:detail", args=[d.pk]),
            case=d.reference,
            due=timezone.localtime(due[d.pk]) if d.pk in due else None,
            due_unit=unit.get(d.pk, ""),
            overdue=d.pk in due and due[d.pk] <= now,
            badges=[(_("Overdue"), "bad")] if d.pk in due and due[d.pk] <= now else [],
            detail=d.unit.name,
        )
        for d in rows[:LIMIT]
    ]
    if not items:
        return None
    more = reverse("deviations:list") + "?status=" + DeviationStatus.REPORTED
    return Section(
        "triage",
        _("Reports to classify"),
        items,
        more_url=more,
        more_count=waiting.count() if len(rows) > LIMIT else 0,
    )


# -- tracks the person investigates ------------------------------------------------------------


def investigation_section(user, now):
    first_open = Clock.objects.filter(track=OuterRef("pk"), met_at__isnull=True).order_by(
        "due_at", "pk"
    )
    tracks = (
        Track.objects.readable_by(user)
        .filter(investigators=user)
        .exclude(state=TrackState.CLOSED)
        .select_related("deviation")
        .annotate(
            next_due=Subquery(first_open.values("due_at")[:1]),
            next_unit=Subquery(first_open.values("rule__unit")[:1]),
        )
    )
    items = []
    for track in tracks:
        overdue = track.next_due is not None and track.next_due <= now
        items.append(
            Item(
                what=str(track.get_kind_display()),
                url=reverse("deviations:detail", args=[track.deviation_id]),
                case=track.deviation.reference,
                due=timezone.localtime(track.next_due) if track.next_due else None,
                due_unit=track.next_unit or "",
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=str(track.get_state_display()),
            )
        )
    items.sort(key=lambda item: item.sort_key)
    if not items:
        return None
    return Section("investigations", _("Investigations assigned to you"), items)


register_section("clocks", clock_section, order=10)
register_section("triage", triage_section, order=20)
register_section("investigations", investigation_section, order=30)
