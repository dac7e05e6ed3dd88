"""E-mail about new reports: each person's choice, and the daily summary's claim.

The engine knows no domain app. The deviations tell the people who classify a report of it
(deviations/arrival.py): at once when the reporter suspects something serious (which hints
count is data, deviations/data/arrival_notice.json), otherwise at once to those who chose
EVERY, and in one daily summary to those who chose DIGEST. The e-mails name a report by its
reference and unit only.

This module holds the person's choice (`ArrivalSetting`, default SERIOUS), the service that
changes it, and the claim of a daily summary: a `DigestClaim` row per person and day under a
unique constraint, inserted in the transaction that queues the e-mail on commit, so a retry or
an overlapping run sends nothing twice.
"""

import os
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from notifications.models import ArrivalChoice, ArrivalSetting, DigestClaim
from notifications.services import queue_email

DEFAULT_CHOICE = ArrivalChoice.SERIOUS
DEFAULT_DIGEST_HOUR = 6
# A summary never reaches further back than this, however long ago the last one was.
LONGEST_DIGEST = timedelta(days=7)


def choice_of(user):
    """The person's choice, or the default."""
    setting = ArrivalSetting.objects.filter(user=user).first()
    return setting.choice if setting else DEFAULT_CHOICE


def choices_for(user_ids):
    """user id → choice, for many people in one query; the default where none is stored."""
    stored = dict(
        ArrivalSetting.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "choice")
    )
    return {user_id: stored.get(user_id, DEFAULT_CHOICE) for user_id in user_ids}


def hears_at_once(choice, serious):
    """Whether a person with `choice` is e-mailed at once about a new report."""
    return serious or choice == ArrivalChoice.EVERY


@transaction.atomic
def set_choice(user, choice, *, actor):
    """Store a person's choice; only the person themself changes it. Returns whether it changed."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied
    if choice not in ArrivalChoice.values:
        raise ValidationError(_("Choose one of the alternatives."), code="invalid_choice")
    setting, created = ArrivalSetting.objects.select_for_update().get_or_create(
        user=user, defaults={"choice": choice}
    )
    before = DEFAULT_CHOICE if created else setting.choice
    if before == choice:
        return False
    if not created:
        setting.choice = choice
        setting.changed_at = timezone.now()
        setting.save(update_fields=["choice", "changed_at"])
    record_event(
        user,
        "notifications.arrival_choice_changed",
        actor,
        choice=ArrivalChoice(choice).label,
    )
    return True


# -- the daily summary ---------------------------------------------------------------------------


def digest_hour():
    """From which local hour of the day the summary goes out: the setting, or the environment."""
    hour = getattr(settings, "HJULET_DIGEST_HOUR", None)
    if hour is None:
        hour = os.environ.get("HJULET_DIGEST_HOUR", DEFAULT_DIGEST_HOUR)
    return int(hour)


def digest_day(now):
    """The local day whose summary is due at `now`, or None before the hour has come."""
    local = timezone.localtime(now)
    if local.hour < digest_hour():
        return None
    return local.date()


def digest_windows(day, now):
    """user id → the time the person's next summary starts from, for everyone who chose the
    summary and has none claimed for `day`: the end of their last summary, or when they chose it,
    at most LONGEST_DIGEST back."""
    settings_rows = (
        ArrivalSetting.objects.filter(choice=ArrivalChoice.DIGEST, user__is_active=True)
        .exclude(user__digest_claims__day=day)
        .values_list("user_id", "changed_at")
    )
    chosen = dict(settings_rows)
    if not chosen:
        return {}
    last = dict(
        DigestClaim.objects.filter(recipient_id__in=list(chosen))
        .values("recipient_id")
        .annotate(until=Max("until"))
        .values_list("recipient_id", "until")
    )
    earliest = now - LONGEST_DIGEST
    return {
        user_id: max(d for d in (changed, last.get(user_id), earliest) if d is not None)
        for user_id, changed in chosen.items()
    }


def claim_and_send_digest(recipient, day, *, since, until, count, subject, body):
    """Claim the person's summary of `day` and queue it; False when it is claimed already."""
    claimed = timezone.now()
    try:
        with transaction.atomic():
            DigestClaim.objects.create(
                recipient=recipient,
                day=day,
                since=since,
                until=until,
                count=count,
                claimed_at=claimed,
                sent_at=claimed if recipient.email else None,
            )
            if recipient.email:
                queue_email(subject=subject, body=body, to=[recipient.email])
    except IntegrityError:
        return False
    return True
