"""Connections of the routines module to the rest: signal receivers and inbox sections.

- version_published: the version goes into the search index (SQLite; PostgreSQL indexes by
  itself), the one it superseded leaves it, and the acknowledgment round starts when the routine
  asks for acknowledgment. Both run inside the publishing transaction.
- version_ended: the version leaves the search index.
- RoleAssignment saved: the person gets the acknowledgment tasks for the routines in force
  where the role applies (a new employee gets the current set of their unit).
- Mina uppgifter: routines to acknowledge, drafts the person is a named reviewer of, and the
  reviews due of the routines they own. Each builder shows only routines visible to the person
  and reads a fixed number of queries.
"""

from datetime import timedelta

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleAssignment
from audit.verbs import register as register_verb
from notifications.inbox import LIMIT, Item, Section, register_section
from routines import acknowledgments, reminders, search
from routines.models import Reviewer, Routine, VersionState
from routines.signals import version_ended, version_published

register_verb(
    "routines.acknowledgment_round",
    gettext_lazy("Version %(version)s: %(count)s people asked to acknowledge it"),
)
register_verb("routines.acknowledged", gettext_lazy("Acknowledged by %(actor)s"))
register_verb(
    "routines.acknowledgment_reminded",
    gettext_lazy("Reminder to acknowledge sent to %(count)s people by %(actor)s"),
)
register_verb(
    "routines.reviewed",
    gettext_lazy("Reviewed without change by %(actor)s; next review %(next)s"),
)
register_verb(
    "routines.review_revise",
    gettext_lazy("Reviewed by %(actor)s: needs revision, a new version was started"),
)


# -- receivers ---------------------------------------------------------------------------------


@receiver(version_published, dispatch_uid="routines.staff.published")
def on_published(sender, version, previous=None, actor=None, **kwargs):
    if previous is not None:
        search.unindex_version(previous)
    search.index_version(version)
    if version.routine.requires_acknowledgment:
        acknowledgments.start_round(version, actor)


@receiver(version_ended, dispatch_uid="routines.staff.ended")
def on_ended(sender, version, actor=None, **kwargs):
    search.unindex_version(version)


@receiver(post_save, sender=RoleAssignment, dispatch_uid="routines.staff.assignment")
def on_assignment_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    acknowledgments.give_current_set(instance)


# -- Mina uppgifter ----------------------------------------------------------------------------


def acknowledgment_section(user, now):
    visible = Routine.objects.visible_to(user)
    rows = list(
        acknowledgments.open_tasks(user)
        .filter(version__routine__in=visible)
        .select_related("version__routine", "unit")
        .order_by("assigned_at", "pk")[: LIMIT + 1]
    )
    if not rows:
        return None
    wait = timedelta(days=reminders.acknowledge_days())
    items = []
    for ack in rows[:LIMIT]:
        routine = ack.version.routine
        due = timezone.localtime(ack.assigned_at + wait).date()
        overdue = due < timezone.localtime(now).date()
        items.append(
            Item(
                what=_("Read and acknowledge: %(title)s") % {"title": routine.title},
                url=reverse("routines:read", args=[routine.pk]),
                case=routine.reference,
                due=due,
                overdue=overdue,
                badges=[(_("Not acknowledged yet"), "warn" if overdue else "muted")],
                detail=_("Version %(number)s, %(unit)s")
                % {"number": ack.version.number, "unit": ack.unit.name},
            )
        )
    return Section(
        "routine_acknowledgments",
        _("Routines to acknowledge"),
        items,
        more_url=reverse("routines:mine") + "?todo=on",
    )


def reviewer_section(user, now):
    rows = list(
        Reviewer.objects.filter(
            user=user,
            done_at__isnull=True,
            version__state=VersionState.REVIEW,
            version__routine__in=Routine.objects.visible_to(user),
        )
        .select_related("version__routine__unit")
        .order_by("requested_at", "pk")[:LIMIT]
    )
    if not rows:
        return None
    items = [
        Item(
            what=_("Give your view on the draft: %(title)s")
            % {"title": reviewer.version.routine.title},
            url=reverse("routines:version", args=[reviewer.version_id]),
            case=reviewer.version.routine.reference,
            detail=reviewer.version.routine.unit.name,
        )
        for reviewer in rows
    ]
    return Section("routine_reviewer", _("Routine drafts to review"), items)


def review_due_section(user, now):
    today = timezone.localtime(now).date()
    rows = list(
        Routine.objects.visible_to(user)
        .filter(
            owner=user,
            current_version__state=VersionState.PUBLISHED,
            withdrawn_at__isnull=True,
            next_review_on__lte=today + timedelta(days=reminders.notice_days()),
        )
        .select_related("unit")
        .order_by("next_review_on", "pk")[:LIMIT]
    )
    if not rows:
        return None
    items = []
    for routine in rows:
        overdue = routine.next_review_on < today
        items.append(
            Item(
                what=_("Review the routine: %(title)s") % {"title": routine.title},
                url=reverse("routines:review", args=[routine.pk]),
                case=routine.reference,
                due=routine.next_review_on,
                overdue=overdue,
                badges=[(_("Overdue"), "bad")] if overdue else [],
                detail=routine.unit.name,
            )
        )
    return Section(
        "routine_reviews",
        _("Routine reviews due"),
        items,
        more_url=reverse("routines:reviews") + "?mine=on",
    )


register_section("routine_acknowledgments", acknowledgment_section, order=50)
register_section("routine_reviewer", reviewer_section, order=55)
register_section("routine_reviews", review_due_section, order=60)
