"""Reminders about routines, by e-mail: review dates and acknowledgments not yet given.

`send_routine_reminders(now)` (the periodic task `routine_reminders`) sends:

- REVIEW_BEFORE to the owner, from `HJULET_ROUTINE_REVIEW_NOTICE_DAYS` (default 30) days before
  the review date until the date (a run that misses the window sends no late one: the next
  stage follows);
- REVIEW_DUE to the owner, from the review date on;
- REVIEW_ESCALATION to the manager(s) above, from `HJULET_ROUTINE_REVIEW_GRACE_DAYS` (default
  14) days after the review date on: the holders of routines.manage over the routine's node at
  the nearest level above it that has any (the department's manager for a unit's routine);
- ACKNOWLEDGE to each person who has not acknowledged a version in force
  `HJULET_ACKNOWLEDGE_REMINDER_DAYS` (default 14) days after being asked: one e-mail per
  person listing their routines.

Each reminder is claimed first by inserting its RoutineReminder row under the unique constraint
(routine, kind, about, recipient), in the transaction that queues the e-mail on commit: a retry,
or a second worker at the same moment, meets the constraint and sends nothing. `about` is the
review date for review reminders (a new date gives new reminders) and the day the reminder is
for on acknowledgment reminders, which a manager's "send a reminder now" also claims
(`remind_now`): a person hears about a routine at most once a day.

The settings are read from Django's settings first, then from the environment.
"""

import logging
import os
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import RoleAssignment
from audit.services import record_event
from core.site import site_url
from notifications.services import queue_email
from routines.models import Acknowledgment, Routine, RoutineReminder, VersionState

log = logging.getLogger(__name__)

MANAGE = "routines.manage"
Kind = RoutineReminder.Kind
DEFAULTS = {
    "HJULET_ROUTINE_REVIEW_NOTICE_DAYS": 30,
    "HJULET_ROUTINE_REVIEW_GRACE_DAYS": 14,
    "HJULET_ACKNOWLEDGE_REMINDER_DAYS": 14,
}
# A role assignment that became valid this many days ago or less still gets its tasks from the
# reminder run (the save receiver only sees assignments valid when they are saved).
CATCH_UP_DAYS = 7


def days(name):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return int(value)


def notice_days():
    return days("HJULET_ROUTINE_REVIEW_NOTICE_DAYS")


def grace_days():
    return days("HJULET_ROUTINE_REVIEW_GRACE_DAYS")


def acknowledge_days():
    return days("HJULET_ACKNOWLEDGE_REMINDER_DAYS")


# -- review dates ------------------------------------------------------------------------------


def review_stages(review_on, today, notice=None, grace=None):
    """The review reminders a routine has reached on `today`, in order."""
    notice = notice_days() if notice is None else notice
    grace = grace_days() if grace is None else grace
    reached = []
    if review_on - timedelta(days=notice) <= today < review_on:
        reached.append(Kind.REVIEW_BEFORE)
    if today >= review_on:
        reached.append(Kind.REVIEW_DUE)
    if today >= review_on + timedelta(days=grace):
        reached.append(Kind.REVIEW_ESCALATION)
    return reached


def routines_for_review(today, notice=None):
    notice = notice_days() if notice is None else notice
    return (
        Routine.objects.filter(
            current_version__state=VersionState.PUBLISHED,
            withdrawn_at__isnull=True,
            next_review_on__isnull=False,
            next_review_on__lte=today + timedelta(days=notice),
        )
        .select_related("unit", "owner")
        .order_by("next_review_on", "pk")
    )


def managers_above(routines):
    """{routine pk: [managers]}: holders of routines.manage over the routine's node at the
    nearest level above it that has any, the owner left out. Two queries for the batch."""
    from accounts.models import User

    above = {r.pk: list(reversed(r.unit.ancestor_ids()[:-1])) for r in routines}
    node_ids = {n for ids in above.values() for n in ids}
    holders = defaultdict(set)
    rows = (
        RoleAssignment.objects.active()
        .filter(
            node_id__in=node_ids,
            include_subtree=True,
            node__is_active=True,
            user__is_active=True,
            role__permissions__key=MANAGE,
        )
        .values_list("node_id", "user_id")
    )
    for node_id, user_id in rows:
        holders[node_id].add(user_id)
    users = User.objects.in_bulk({u for ids in holders.values() for u in ids})
    found = {}
    for routine in routines:
        people = set()
        for node_id in above[routine.pk]:
            people = holders.get(node_id, set()) - {routine.owner_id}
            if people:
                break
        found[routine.pk] = sorted(
            (users[u] for u in people if u in users),
            key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.username),
        )
    return found


def render(template, context):
    """Subject and body, in the organisation's language whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = loader.render_to_string(f"routines/staff_{template}_subject.txt", context)
        body = loader.render_to_string(f"routines/staff_{template}_email.txt", context)
    return " ".join(subject.split()), body


def _claim(routine, kind, about, recipient, now):
    """Insert the reminder's row; False when it was claimed before (by anyone)."""
    try:
        with transaction.atomic():
            RoutineReminder.objects.create(
                routine=routine,
                kind=kind,
                about=about,
                recipient=recipient,
                claimed_at=now,
                sent_at=now if recipient.email else None,
            )
    except IntegrityError:
        return False
    return True


def _send(recipient, template, context):
    if not recipient.email:
        log.warning("routine reminder not sent: user %s has no e-mail", recipient.pk)
        return
    subject, body = render(template, context)
    queue_email(subject=subject, body=body, to=[recipient.email])


def claim_and_send_review(routine, kind, recipient, now):
    context = {
        "kind": kind,
        "kinds": Kind,
        "routine": routine,
        "unit": routine.unit.name,
        "owner": routine.owner,
        "review_on": routine.next_review_on,
        "link": site_url() + reverse("routines:review", args=[routine.pk]),
    }
    with transaction.atomic():
        if not _claim(routine, kind, routine.next_review_on, recipient, now):
            return False
        _send(recipient, "review", context)
    return True


def send_review_reminders(now, today):
    notice, grace = notice_days(), grace_days()
    routines = list(routines_for_review(today, notice))
    if not routines:
        return 0
    claimed = set(
        RoutineReminder.objects.filter(
            routine__in=routines,
            kind__in=[Kind.REVIEW_BEFORE, Kind.REVIEW_DUE, Kind.REVIEW_ESCALATION],
        ).values_list("routine_id", "kind", "about", "recipient_id")
    )
    escalate_to = managers_above(
        [
            r
            for r in routines
            if Kind.REVIEW_ESCALATION in review_stages(r.next_review_on, today, notice, grace)
        ]
    )
    sent = 0
    for routine in routines:
        for kind in review_stages(routine.next_review_on, today, notice, grace):
            people = (
                escalate_to.get(routine.pk, [])
                if kind == Kind.REVIEW_ESCALATION
                else [routine.owner]
                if routine.owner.is_active
                else []
            )
            for person in people:
                if (routine.pk, kind, routine.next_review_on, person.pk) in claimed:
                    continue
                if claim_and_send_review(routine, kind, person, now):
                    sent += 1
    return sent


# -- acknowledgments ---------------------------------------------------------------------------


def _remind_person(person, acks, about, now, reason):
    """Claim one reminder per routine for the person, and send one e-mail naming those claimed.
    Returns the acknowledgments reminded of."""
    with transaction.atomic():
        claimed = [
            ack for ack in acks if _claim(ack.version.routine, Kind.ACKNOWLEDGE, about, person, now)
        ]
        if claimed:
            _send(
                person,
                "acknowledge",
                {
                    "person": person,
                    "reason": reason,
                    "routines": [
                        {
                            "routine": ack.version.routine,
                            "link": site_url()
                            + reverse("routines:read", args=[ack.version.routine_id]),
                        }
                        for ack in claimed
                    ],
                    "mine_link": site_url() + reverse("routines:mine"),
                },
            )
    return claimed


def _open_acknowledgments():
    return (
        Acknowledgment.objects.filter(
            acknowledged_at__isnull=True,
            version__state=VersionState.PUBLISHED,
            user__is_active=True,
            version__routine__withdrawn_at__isnull=True,
        )
        .select_related("user", "version__routine")
        .order_by("user_id", "version__routine__title", "pk")
    )


def send_acknowledgment_reminders(now, today):
    """One reminder per task, `HJULET_ACKNOWLEDGE_REMINDER_DAYS` days after it was given."""
    wait = acknowledge_days()
    cutoff = now - timedelta(days=wait)
    acks = list(_open_acknowledgments().filter(assigned_at__lte=cutoff))
    if not acks:
        return 0
    claimed = set(
        RoutineReminder.objects.filter(
            kind=Kind.ACKNOWLEDGE, routine__in={a.version.routine_id for a in acks}
        ).values_list("routine_id", "about", "recipient_id")
    )
    by_person = defaultdict(lambda: defaultdict(list))
    for ack in acks:
        about = timezone.localtime(ack.assigned_at).date() + timedelta(days=wait)
        if (ack.version.routine_id, about, ack.user_id) in claimed:
            continue
        by_person[ack.user][about].append(ack)
    sent = 0
    for person, groups in by_person.items():
        for about, group in groups.items():
            sent += len(_remind_person(person, group, about, now, "due"))
    return sent


def remind_now(acks, *, actor, now=None):
    """A manager's "send a reminder now" for the given open acknowledgments (already limited
    to the manager's scope by the caller): each person is reminded of each routine at most once
    a day, whoever asks. Returns the number of reminders sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    by_person = defaultdict(list)
    for ack in acks:
        if ack.acknowledged_at is None and ack.user.is_active:
            by_person[ack.user].append(ack)
    sent = []
    for person, group in by_person.items():
        sent += _remind_person(person, group, today, now, "manager")
    with transaction.atomic():
        for version, count in _count_by_version(sent).items():
            record_event(version, "routines.acknowledgment_reminded", actor, count=count)
    return len(sent)


def _count_by_version(acks):
    counts = {}
    for ack in acks:
        counts[ack.version] = counts.get(ack.version, 0) + 1
    return counts


# -- new assignments ---------------------------------------------------------------------------


def catch_up_new_assignments(today):
    """Assignments that became valid lately get their tasks (idempotent)."""
    from routines.acknowledgments import give_current_set

    recent = (
        RoleAssignment.objects.active(today)
        .filter(
            valid_from__gt=today - timedelta(days=CATCH_UP_DAYS),
            valid_from__lte=today,
        )
        .filter(Q(user__is_active=True))
        .select_related("user", "role", "node")
    )
    return sum(give_current_set(assignment) for assignment in recent)


def send_routine_reminders(now=None):
    """Send every routine reminder due at `now` and not sent before; returns how many."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    catch_up_new_assignments(today)
    return send_review_reminders(now, today) + send_acknowledgment_reminders(now, today)
