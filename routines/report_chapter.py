"""Routines in the yearly quality report: chapter 4 (the routines the management system rests
on, SOSFS 2011:9 4 kap 2–4 §§) and chapter 6 (staff acknowledging them, 6 kap). Registered in
routines/registrations.py (core/chapters.py). Both cover the routines of the scope and every
node below it; the routines of the levels above, which also apply there, count in those
levels' reports.

The register keeps the dates that make a year-end view possible, so chapter 4 is read as of
the end of the year (today, for the year not yet over: `as_of`):

- in force: a version published in Hjulet whose "in force from" date had come and which was not
  superseded or withdrawn by then. An imported document counts from the date recorded for it;
- past review: the review date the routine had then was before that day. That date is the one
  the register holds now when the version is still in force and no review of it came later;
  otherwise the date its last review up to that day set, or, without one, its publication date
  plus today's review interval. For the current year it is the register's own date;
- approved: versions approved in the year (an approval revoked before publication is cleared);
- reviews: periodic reviews dated in the year.

Chapter 6 counts the acknowledgment tasks given in the year to the people of the scope (the
unit each task was given in), and how many were acknowledged before the year ended: a task of
December acknowledged in January counts as not acknowledged in that year's report.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.chapters import Figure, Part, Table, share
from organisation.models import OrgNode
from routines.models import Acknowledgment, RoutineReview, RoutineVersion
from routines.services.base import add_months

NO_CHANGE = RoutineReview.Outcome.NO_CHANGE


def _percent(value):
    return "–" if value is None else f"{round(value * 100)} %"


def as_of(year):
    """The day a year's report looks at: the year's last, or today while the year runs."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _midnight(day):
    """The moment `day` begins, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def units_below(scope, rows, width):
    """Table rows [name, *sums] of the nodes right below `scope`, from (unit path, numbers)
    pairs of its subtree; what lies at the scope itself gets a row of its own first. Nodes that
    are closed and have nothing are left out; a scope without nodes below gives no rows."""
    children = list(OrgNode.objects.filter(parent=scope).order_by("name", "pk"))
    if not children:
        return []
    sums = {child.path: [0] * width for child in children}
    own = [0] * width
    for path, numbers in rows:
        rest = path[len(scope.path) :]
        target = sums[scope.path + rest.split("/", 1)[0] + "/"] if rest else own
        for i, number in enumerate(numbers):
            target[i] += number
    table = [[_("%(unit)s (its own level)") % {"unit": scope.name}, *own]] if any(own) else []
    return table + [
        [child.name, *sums[child.path]]
        for child in children
        if child.is_active or any(sums[child.path])
    ]


def _in_force(scope, day):
    """{routine id: (unit path, review date then)} of the routines in force on `day`."""
    reviews = RoutineReview.objects.filter(version=OuterRef("pk"), outcome=NO_CHANGE)
    versions = (
        RoutineVersion.objects.filter(
            routine__unit__path__startswith=scope.path,
            published_at__isnull=False,
            effective_from__lte=day,
        )
        # Still in force that evening: not ended before the next day began.
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=_midnight(day + datetime.timedelta(1))))
        .annotate(
            reviewed_next=Subquery(
                reviews.filter(reviewed_on__lte=day)
                .order_by("-reviewed_on", "-pk")
                .values("next_review_on")[:1]
            ),
            reviewed_later=Exists(reviews.filter(reviewed_on__gt=day)),
        )
        .values_list(
            "pk",
            "routine_id",
            "effective_from",
            "reviewed_next",
            "reviewed_later",
            "routine__current_version_id",
            "routine__next_review_on",
            "routine__review_interval_months",
            "routine__unit__path",
        )
        .order_by("routine_id", "number")
    )
    found = {}
    # Ordered by number: should two versions overlap (an import dated back), the later decides.
    for pk, routine_id, start, reviewed, later, current, stored, months, path in versions:
        still_as_then = pk == current and not later
        due = stored if still_as_then else (reviewed or add_months(start, months))
        found[routine_id] = (path, due)
    return found


def _register_link(scope, day, state):
    """The register filtered to the scope's routines in `state`: only today's state is there."""
    if day != timezone.localdate():
        return ""
    return reverse("routines:register") + "?" + urlencode({"unit": scope.pk, "state": state})


def routine_register(scope, year):
    """Chapter 4: the routines in force, their review dates, approvals and reviews."""
    day = as_of(year)
    in_force = _in_force(scope, day)
    past = {pk for pk, (_path, due) in in_force.items() if due is not None and due < day}
    approved = RoutineVersion.objects.filter(
        routine__unit__path__startswith=scope.path, approved_at__year=year
    ).aggregate(all=Count("pk"), new=Count("pk", filter=Q(number=1)))
    reviews = RoutineReview.objects.filter(
        routine__unit__path__startswith=scope.path, reviewed_on__year=year
    ).count()
    date = {"date": day.isoformat()}
    part = Part(heading=_("Routines"))
    part.figures = [
        Figure(
            _("Routines in force on %(date)s") % date,
            len(in_force),
            url=_register_link(scope, day, "published"),
        ),
        Figure(_("Within their review date"), len(in_force) - len(past)),
        Figure(_("Past their review date"), len(past), url=_register_link(scope, day, "overdue")),
        Figure(_("Share past their review date"), share(len(past), len(in_force)), share=True),
        Figure(
            _("Versions approved in the year"),
            approved["all"],
            note=_("%(new)s of them new routines") % {"new": approved["new"]},
        ),
        Figure(_("Periodic reviews recorded in the year"), reviews),
    ]
    rows = units_below(scope, [(path, (1, pk in past)) for pk, (path, _due) in in_force.items()], 2)
    if rows:
        part.tables = [
            Table(
                caption=_("Routines in force on %(date)s per unit, including the units below")
                % date,
                columns=[_("Unit"), _("In force"), _("Past their review date")],
                rows=rows,
            )
        ]
    part.facts = {
        "routines_in_force": len(in_force),
        "routines_past_review": len(past),
        "routines_past_review_share": share(len(past), len(in_force)),
        "routine_versions_approved": approved["all"],
        "routine_reviews": reviews,
    }
    return part


def staff_acknowledgment(scope, year):
    """Chapter 6: the acknowledgment tasks of the year and how many were acknowledged in it."""
    end = _midnight(datetime.date(year + 1, 1, 1))
    tasks = Acknowledgment.objects.filter(unit__path__startswith=scope.path, assigned_at__year=year)
    per_unit = list(
        tasks.values_list("unit__path")
        .annotate(asked=Count("pk"), done=Count("pk", filter=Q(acknowledged_at__lt=end)))
        .order_by()
    )
    asked = sum(row[1] for row in per_unit)
    done = sum(row[2] for row in per_unit)
    people = tasks.values("user_id").distinct().count()
    rate = share(done, asked)
    part = Part(heading=_("Staff acknowledging the routines"))
    part.figures = [
        Figure(_("People asked to acknowledge a routine"), people),
        Figure(_("Acknowledgment tasks given in the year"), asked),
        Figure(_("Acknowledged within the year"), done),
        Figure(_("Not acknowledged within the year"), asked - done),
        Figure(
            _("Share acknowledged within the year"),
            rate,
            share=True,
            note=_("%(done)s of %(all)s") % {"done": done, "all": asked},
        ),
    ]
    rows = units_below(scope, [(path, (n, d)) for path, n, d in per_unit], 2)
    if rows:
        part.tables = [
            Table(
                caption=_("Acknowledgments of the year per unit, including the units below"),
                columns=[_("Unit"), _("Asked"), _("Acknowledged"), _("Share")],
                rows=[[*row, _percent(share(row[2], row[1]))] for row in rows],
            )
        ]
    part.facts = {
        "acknowledgment_tasks": asked,
        "acknowledged": done,
        "acknowledgment_rate": rate,
    }
    return part
