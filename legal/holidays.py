"""The organisation's holidays: the days off that working-day clocks skip.

Each organisation tree (its root node) keeps its own list (legal.rules.Holiday), because the
days off are the employer's decision: a municipality may treat midsummer eve, Christmas eve and
New Year's eve as days off, and may add its own. `swedish_public_holidays(year)` computes the
usual Swedish list, which `load_swedish_holidays` (the service and the management command of the
same name) copies into an organisation; after that the organisation edits its own list.

A change applies to clocks started after it: a running clock keeps the due time it got.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import can, grants
from audit import verbs
from audit.services import record_event
from legal.rules import Holiday
from legal.signals import holidays_changed
from organisation.models import OrgNode

MANAGE = "legal.manage_holidays"
FRIDAY, SATURDAY = 4, 5

verbs.register(
    "legal.holiday_added", gettext_lazy("Holiday %(date)s (%(name)s) added by %(actor)s")
)
verbs.register(
    "legal.holiday_removed", gettext_lazy("Holiday %(date)s (%(name)s) removed by %(actor)s")
)
verbs.register(
    "legal.holidays_loaded",
    gettext_lazy("Swedish public holidays of %(year)s loaded by %(actor)s (%(count)s new)"),
)


# -- computing the Swedish list ----------------------------------------------------------------


def easter_sunday(year):
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_weekday_from(day, weekday):
    """The first date on or after `day` that falls on `weekday` (Monday = 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def swedish_public_holidays(year):
    """The Swedish public holidays (allmänna helgdagar) and the usual eves off, by date.

    Returns a list of (date, name) sorted by date. Names are Swedish: they are data, the
    organisation's own list, not interface text.
    """
    easter = easter_sunday(year)
    days = [
        (date(year, 1, 1), "Nyårsdagen"),
        (date(year, 1, 6), "Trettondedag jul"),
        (easter - timedelta(days=2), "Långfredagen"),
        (easter, "Påskdagen"),
        (easter + timedelta(days=1), "Annandag påsk"),
        (date(year, 5, 1), "Första maj"),
        (easter + timedelta(days=39), "Kristi himmelsfärdsdag"),
        (easter + timedelta(days=49), "Pingstdagen"),
        (date(year, 6, 6), "Sveriges nationaldag"),
        # Midsommarafton is no public holiday by law, but a day off in practice.
        (_first_weekday_from(date(year, 6, 19), FRIDAY), "Midsommarafton"),
        (_first_weekday_from(date(year, 6, 20), SATURDAY), "Midsommardagen"),
        # The Saturday between 31 October and 6 November.
        (_first_weekday_from(date(year, 10, 31), SATURDAY), "Alla helgons dag"),
        (date(year, 12, 24), "Julafton"),
        (date(year, 12, 25), "Juldagen"),
        (date(year, 12, 26), "Annandag jul"),
        (date(year, 12, 31), "Nyårsafton"),
    ]
    return sorted(days)


# -- who may change them -----------------------------------------------------------------------


def roots_visible_to(user):
    """The organisation trees the person sees holidays of: every tree they hold a view key in."""
    roots = {int(g.path[:8]) for g in grants(user, Holiday.view_permission)}
    return OrgNode.objects.filter(pk__in=roots, parent__isnull=True).order_by("name")


def may_edit_holidays(user, root):
    """Holidays are set for the whole organisation by whoever manages it as a whole.

    That is the key at the root, or over the whole administration directly below it (the same
    rule as for the duties of the responsibility matrix).
    """
    return can(user, MANAGE, root) or any(
        g.subtree and g.path.startswith(root.path) and g.path.count("/") == 2
        for g in grants(user, MANAGE)
    )


# -- changes -----------------------------------------------------------------------------------


def _check_root(root):
    if root.parent_id is not None:
        raise ValueError("holidays belong to the root of an organisation tree")


@transaction.atomic
def add_holiday(root, *, actor, day, name):
    _check_root(root)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the day a name.")}, code="required")
    try:
        with transaction.atomic():
            holiday = Holiday.objects.create(organisation=root, date=day, name=name)
    except IntegrityError:
        raise ValidationError(
            {"date": _("That day is already a holiday.")}, code="duplicate"
        ) from None
    record_event(root, "legal.holiday_added", actor, date=day.isoformat(), name=name)
    holidays_changed.send(sender=Holiday, root=root, days=[day])
    return holiday


@transaction.atomic
def remove_holiday(holiday, *, actor):
    root = holiday.organisation
    day, name = holiday.date, holiday.name
    holiday.delete()
    record_event(root, "legal.holiday_removed", actor, date=day.isoformat(), name=name)
    holidays_changed.send(sender=Holiday, root=root, days=[day])


@transaction.atomic
def load_swedish_holidays(root, year, *, actor=None):
    """Add the year's Swedish holidays the organisation does not have yet; returns how many.

    Idempotent: a day already in the list (also under another name) is left as it is.
    """
    _check_root(root)
    existing = set(
        Holiday.objects.filter(organisation=root, date__year=year).values_list("date", flat=True)
    )
    new = [
        Holiday(organisation=root, date=day, name=name)
        for day, name in swedish_public_holidays(year)
        if day not in existing
    ]
    added = []
    for holiday in new:
        # One by one, so the change log records each day (bulk_create sends no signals).
        try:
            with transaction.atomic():
                holiday.save()
        except IntegrityError:
            continue  # added at the same moment by another run
        added.append(holiday.date)
    if added:
        record_event(root, "legal.holidays_loaded", actor, year=year, count=len(added))
        holidays_changed.send(sender=Holiday, root=root, days=added)
    return len(added)
