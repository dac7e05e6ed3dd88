"""Mina uppgifter: what is waiting for one person, gathered from the modules.

The inbox is a list of sections. Each section is built by a function `builder(user, now)`
returning a `Section`, or None when it does not apply to the person; `register_section` adds
one. The built-in sections are the clocks the person answers for, reports awaiting
classification in their units, the tracks they investigate and the actions they own.

Extension point: a later module (e.g. routines, for read acknowledgments) registers its own
section from its AppConfig.ready():

    from notifications.inbox import Item, Section, register_section

    def acknowledgments(user, now):
        return Section("acknowledgments", _("Routines to acknowledge"), [Item(...), ...])

    register_section("acknowledgments", acknowledgments, order=50)

Every builder must show only what the person may see (visible_to / readable_by) and read a
fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import holds, scope_q
from legal.rules import ClockEnd
from notifications.reminders import escalation_grace
from notifications.responsibility import NOTIFY_ENDS, STEP_KEYS, Resolver

# How many rows a section shows; the rest is reached through the section's link.
LIMIT = 50


@dataclass
class Item:
    """One thing to do: what, for which case, by when, and where to do it."""

    what: str
    url: str
    case: str = ""
    due: object = None  # datetime, date or None
    overdue: bool = False
    escalated: bool = False  # overdue and reached the person as the next manager up
    badges: list = field(default_factory=list)  # [(text, css modifier)]
    detail: str = ""

    @property
    def due_is_date(self):
        return isinstance(self.due, date) and not isinstance(self.due, datetime)

    @property
    def sort_key(self):
        if self.due is None:
            return (1, datetime.max.replace(tzinfo=timezone.get_current_timezone()))
        if self.due_is_date:
            due = timezone.make_aware(datetime.combine(self.due, datetime.min.time()))
        else:
            due = self.due
        return (0, due)


@dataclass
class Section:
    key: str
    title: str
    items: list
    more_url: str = ""
    more_count: int = 0


_SECTIONS = {}


def register_section(key, builder, order=100):
    """Add a section to every person's inbox (built only when the builder returns one)."""
    _SECTIONS[key] = (order, builder)


def sections_for(user, now=None):
    now = now or timezone.now()
    built = []
    for _order, builder in sorted(_SECTIONS.values(), key=lambda pair: pair[0]):
        section = builder(user, now)
        if section is not None:
            built.append(section)
    return built


# -- the clocks --------------------------------------------------------------------------------


def clocks_for(user):
    """Open clocks the person could answer for or be escalated to, among those they may read.

    A report's classification clock is left to the section of reports to classify.
    """
    from deviations.models import Clock, Deviation, Track

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
        badges = [
            (_("Law"), "bad") if rule.is_law else (_("Local target"), "muted"),
        ]
        overdue = clock.due_at <= now
        if overdue:
            badges.append((_("Overdue"), "bad"))
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
                overdue=overdue,
                escalated=escalated,
                badges=badges,
                detail=str(detail),
            )
        )
    if not items:
        return None
    return Section("clocks", _("Deadlines"), items)


# -- reports awaiting classification --------------------------------------------------------


def triage_section(user, now):
    from deviations.models import Clock, Deviation, DeviationStatus

    if not holds(user, "deviations.triage"):
        return None
    waiting = (
        Deviation.objects.visible_to(user, "deviations.triage")
        .filter(status=DeviationStatus.REPORTED)
        .select_related("unit")
        .order_by("reported_at", "pk")
    )
    rows = list(waiting[: LIMIT + 1])
    due = dict(
        Clock.objects.filter(
            deviation__in=[d.pk for d in rows], track__isnull=True, met_at__isnull=True
        )
        .order_by("-due_at")
        .values_list("deviation_id", "due_at")
    )
    items = [
        Item(
            what=_("Classify the report"),
            url=reverse("deviations:detail", args=[d.pk]),
            case=d.reference,
            due=timezone.localtime(due[d.pk]) if d.pk in due else None,
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
    from django.db.models import Min

    from deviations.models import Track, TrackState

    tracks = (
        Track.objects.readable_by(user)
        .filter(investigators=user)
        .exclude(state=TrackState.CLOSED)
        .select_related("deviation")
        .annotate(next_due=Min("clocks__due_at", filter=Q(clocks__met_at__isnull=True)))
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
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=str(track.get_state_display()),
            )
        )
    items.sort(key=lambda item: item.sort_key)
    if not items:
        return None
    return Section("investigations", _("Investigations assigned to you"), items)


# -- actions the person owns -------------------------------------------------------------------


def action_section(user, now):
    from actions.models import Action, Status

    actions = (
        Action.objects.visible_to(user)
        .filter(owner=user)
        .exclude(status__in=[Status.CANCELLED, Status.EFFECT_CHECKED])
        .select_related("unit")
        .order_by("due_date", "pk")
    )
    today = timezone.localtime(now).date()
    items = []
    for action in actions:
        effect_check = action.status == Status.DONE
        due = action.planned_effect_check_date if effect_check else action.due_date
        overdue = action.is_overdue(today)
        badges = [(_("Overdue"), "bad")] if overdue else []
        items.append(
            Item(
                what=_("Check the effect") if effect_check else _("Carry out the action"),
                url=action.get_absolute_url(),
                case=action.title,
                due=due,
                overdue=overdue,
                badges=badges,
                detail=action.unit.name,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    if not items:
        return None
    return Section(
        "actions",
        _("Your actions"),
        items,
        more_url=reverse("actions:list") + "?mine=on",
    )


register_section("clocks", clock_section, order=10)
register_section("triage", triage_section, order=20)
register_section("investigations", investigation_section, order=30)
register_section("actions", action_section, order=40)
