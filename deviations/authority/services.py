"""Every change to an authority notification goes through these functions.

A notification is drafted from the case (prefilled), edited while a draft, then either recorded
as sent (which meets the track's clock: "notified" for IVO and IMY, "people_informed" for the
people concerned) or, where the law allows it, documented as not notified with the reason.
After sending: the authority's registry number, its requests, our replies and its decision.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.scoping import can
from audit.services import record_event
from core.free_text import no_personal_number
from deviations.authority.models import (
    NOTIFICATION_TRANSITIONS,
    AuthorityContact,
    AuthorityNotification,
    ContactKind,
    NotificationState,
    NotifyDecision,
    PeopleInformed,
    Recipient,
)
from deviations.authority.recipients import RECIPIENTS, rule_for
from deviations.authority.sections import (
    BREACH_TYPES,
    FROM_CASE,
    PREFILL,
    REQUIRED_TO_SEND,
    content_fields,
    editable_fields,
    field_label,
    value_of,
)
from deviations.authority.sources import SOURCES
from deviations.clocks import stop_clocks
from deviations.models import Clock, Track
from legal.rules import TrackKind

KEY = "deviations.notify"
# The pseudonymised description of the person concerned: optional, and never anyone's identity.
PSEUDONYMISED = ("person_age_range", "person_sex", "person_service")
PSEUDONYMISED_MESSAGE = _lazy(
    "Describe the person without their identity: no name and no personal identity number."
)
# A computer's clock may run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=5)


def may_notify(user, track):
    """Notifying needs the key over the unit and the track's investigation readable."""
    return can(user, KEY, track.deviation) and (
        Track.objects.readable_by(user).filter(pk=track.pk).exists()
    )


def _check(actor, track):
    if not may_notify(actor, track):
        raise PermissionDenied


def unavailable_reason(track, rule):
    """Why this recipient cannot be notified on this track now, or "" when it can."""
    if not rule.needs_serious or track.serious:
        return ""
    breach = track.kind == TrackKind.DATA_BREACH
    if track.serious is None:
        if breach:
            return _(
                "First judge whether the risk for the people concerned is high: they are "
                "informed only then."
            )
        return _("First judge whether the case is serious: only a serious case is notified.")
    if breach:
        return _(
            "The risk for the people concerned was judged not high: they need not be "
            "informed. The breach is still documented."
        )
    return _(
        "The case was judged not serious, so it is not notified. The investigation and its "
        "decision are documented on the track."
    )


def possible_recipients(track):
    """Each recipient of the track: its rule, the existing notification, why not possible."""
    existing = {n.recipient: n for n in track.notifications.all()}
    return [
        {
            "rule": rule,
            "recipient": rule.recipient,
            "label": Recipient(rule.recipient).label,
            "notification": existing.get(rule.recipient),
            "reason": unavailable_reason(track, rule),
        }
        for rule in RECIPIENTS.get(track.kind, ())
    ]


def law_clock(notification):
    """The earliest clock set by law that sending meets (IMY's 72 hours), or None."""
    return deadline_clocks(notification).filter(rule__is_law=True).order_by("due_at").first()


def deadline_clocks(notification):
    """The track's clocks that this notification meets when sent."""
    return Clock.objects.filter(
        track=notification.track, rule__ends=rule_for(notification).clock_end
    ).select_related("rule__section__regulation")


def law_deadline(notification):
    """The earliest deadline set by law that sending meets (IMY's 72 hours), or None. It counts
    from the time the organisation became aware as the case records it now."""
    clock = law_clock(notification)
    return clock.due_at if clock else None


def needs_delay_reason(notification, sent_at):
    deadline = law_deadline(notification)
    return deadline is not None and sent_at is not None and sent_at > deadline


def send_gaps(notification):
    """The labels of what must be filled in before the notification is recorded as sent."""
    gaps = [
        str(field_label(notification.recipient, name))
        for name in REQUIRED_TO_SEND[notification.recipient]
        if value_of(notification, name) in (None, "")
    ]
    if notification.recipient == Recipient.IMY and not any(
        getattr(notification, name) for name in BREACH_TYPES
    ):
        gaps.append(_("the type of breach"))
    if (
        notification.recipient == Recipient.IMY
        and notification.people_informed == PeopleInformed.YES
        and not notification.people_informed_on
    ):
        gaps.append(str(field_label(notification.recipient, "people_informed_on")))
    if (
        notification.recipient == Recipient.IMY
        and notification.people_informed == PeopleInformed.NO
        and not notification.people_not_informed_reason
    ):
        gaps.append(str(field_label(notification.recipient, "people_not_informed_reason")))
    return gaps


# -- drafting ---------------------------------------------------------------------------------


def prefill(track, recipient, actor):
    """The fields the case already answers, each from the value source the form's data names
    (deviations/authority/sources.py); the rest is for the person to fill in."""
    used = set(content_fields(recipient))
    return {
        name: SOURCES[source](track, actor)
        for name, source in PREFILL[recipient].items()
        if name in used
    }


@transaction.atomic
def create_notification(track, recipient, *, actor):
    """Draft the notification, prefilled; the second request for it returns the first.

    Returns (notification, created).
    """
    _check(actor, track)
    rules = {r.recipient: r for r in RECIPIENTS.get(track.kind, ())}
    if recipient not in rules:
        raise ValidationError(_("This track is not notified to that recipient."), code="recipient")
    existing = AuthorityNotification.objects.filter(track=track, recipient=recipient).first()
    if existing is not None:
        return existing, False
    reason = unavailable_reason(track, rules[recipient])
    if reason:
        raise ValidationError(reason, code="not_possible")
    notification = AuthorityNotification(
        track=track, recipient=recipient, created_by=actor, **prefill(track, recipient, actor)
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        # A concurrent double submit won the race: answer with its notification.
        return AuthorityNotification.objects.get(track=track, recipient=recipient), False
    record_event(
        notification,
        "deviations.notification_created",
        actor,
        recipient=notification.get_recipient_display(),
    )
    return notification, True


def _locked(notification, actor):
    locked = (
        AuthorityNotification.objects.select_for_update()
        .select_related("track__deviation__unit")
        .get(pk=notification.pk)
    )
    _check(actor, locked.track)
    return locked


def _step(notification, action):
    source, target = NOTIFICATION_TRANSITIONS[action]
    if notification.state != source:
        raise ValidationError(
            _("The notification is %(state)s; that step is not possible now.")
            % {"state": notification.get_state_display()},
            code="state",
        )
    return target


@transaction.atomic
def save_content(notification, *, actor, **fields):
    """Save what the draft says; a sent notification is what was sent and stays as it was."""
    notification = _locked(notification, actor)
    if notification.state != NotificationState.DRAFT:
        raise ValidationError(_("Only a draft can be changed."), code="state")
    unknown = set(fields) - set(editable_fields(notification.recipient))
    if unknown:
        raise ValueError(f"not fields of this notification: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(notification, name, value.strip() if isinstance(value, str) else value)
    # The pseudonymised description never names anyone: no personal identity number either.
    for name in PSEUDONYMISED:
        try:
            no_personal_number(getattr(notification, name), PSEUDONYMISED_MESSAGE)
        except ValidationError as error:
            raise ValidationError({name: error.messages}, code="personal_number") from error
    if (
        notification.occurred_at
        and notification.ended_at
        and notification.ended_at < notification.occurred_at
    ):
        raise ValidationError(
            {"ended_at": _("The breach cannot end before it started.")}, code="order"
        )
    notification.full_clean(exclude=["track", "created_by", "sent_by"])
    notification.save()
    record_event(
        notification,
        "deviations.notification_saved",
        actor,
        recipient=notification.get_recipient_display(),
    )
    return notification


def _stop(notification, at):
    stop_clocks(
        notification.track.deviation, notification.track, rule_for(notification).clock_end, at=at
    )


@transaction.atomic
def record_sent(notification, *, actor, sent_at, channel, delay_reason=""):
    """Record when and how the notification was sent; its clocks are met at that moment."""
    notification = _locked(notification, actor)
    target = _step(notification, "send")
    rule = rule_for(notification)
    reason = unavailable_reason(notification.track, rule)
    if reason:
        raise ValidationError(reason, code="not_possible")
    if channel not in rule.channels:
        raise ValidationError({"channel": _("Choose how it was sent.")}, code="channel")
    if sent_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"sent_at": _("The time cannot be in the future.")}, code="future")
    if sent_at < notification.track.deviation.occurred_at:
        raise ValidationError(
            {"sent_at": _("The time cannot be before the event.")}, code="before_event"
        )
    gaps = send_gaps(notification)
    if gaps:
        raise ValidationError(
            _("Before recording it as sent, fill in: %(missing)s.") % {"missing": ", ".join(gaps)},
            code="gaps",
        )
    delay_reason = (delay_reason or "").strip() or notification.delay_reason
    if needs_delay_reason(notification, sent_at) and not delay_reason:
        raise ValidationError(
            {
                "delay_reason": _(
                    "Sent after the deadline set by law: give the reason for the delay "
                    "(GDPR article 33.1)."
                )
            },
            code="late",
        )
    # What the case answers is sent as the case records it now, and kept so.
    used = set(content_fields(notification.recipient))
    for name in FROM_CASE:
        if name in used:
            setattr(notification, name, value_of(notification, name))
    notification.state = target
    notification.decision = NotifyDecision.NOTIFY
    notification.sent_at = sent_at
    notification.channel = channel
    notification.sent_by = actor
    notification.delay_reason = delay_reason
    notification.save()
    _stop(notification, sent_at)
    record_event(
        notification,
        "deviations.notification_sent",
        actor,
        recipient=notification.get_recipient_display(),
        channel=notification.get_channel_display(),
    )
    return notification


@transaction.atomic
def record_not_notified(notification, *, actor, reason):
    """Document the decision not to notify, with its reason (GDPR art 33.5 and 34.3).

    The documented decision ends the obligation the clock stands for, so the clock is met now;
    reconsidering starts it again with its original deadline.
    """
    notification = _locked(notification, actor)
    target = _step(notification, "not_notify")
    if not rule_for(notification).may_decline:
        raise ValidationError(
            _("This notification cannot be declined: the case was judged serious."),
            code="not_declinable",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for not notifying.")}, code="reason")
    now = timezone.now()
    notification.state = target
    notification.decision = NotifyDecision.NOT_NOTIFY
    notification.not_notify_reason = reason
    notification.save()
    _stop(notification, now)
    record_event(
        notification,
        "deviations.notification_not_notified",
        actor,
        recipient=notification.get_recipient_display(),
    )
    return notification


@transaction.atomic
def reconsider(notification, *, actor):
    """Back to a draft after a decision not to notify; the clock runs again."""
    notification = _locked(notification, actor)
    target = _step(notification, "reconsider")
    notification.state = target
    notification.decision = ""
    notification.save()
    Clock.objects.filter(
        track=notification.track, rule__ends=rule_for(notification).clock_end
    ).update(met_at=None)
    record_event(
        notification,
        "deviations.notification_reconsidered",
        actor,
        recipient=notification.get_recipient_display(),
    )
    return notification


def _check_sent_to_authority(notification):
    if not notification.is_authority:
        raise ValidationError(_("Only a notification to an authority has this."), code="recipient")
    if notification.state not in (NotificationState.SENT, NotificationState.DECIDED):
        raise ValidationError(_("Record first that the notification was sent."), code="state")


@transaction.atomic
def set_registry_number(notification, *, actor, registry_number):
    notification = _locked(notification, actor)
    _check_sent_to_authority(notification)
    registry_number = (registry_number or "").strip()
    if not registry_number:
        raise ValidationError(
            {"registry_number": _("Give the authority's registry number.")}, code="required"
        )
    notification.registry_number = registry_number
    notification.save(update_fields=["registry_number", "updated_at"])
    record_event(
        notification,
        "deviations.notification_registry_number",
        actor,
        recipient=notification.get_recipient_display(),
        registry_number=registry_number,
    )
    return notification


@transaction.atomic
def add_contact(notification, *, actor, kind, on, text, reply_by=None):
    """A request from the authority, our reply, or its decision (which closes the matter)."""
    notification = _locked(notification, actor)
    _check_sent_to_authority(notification)
    if notification.state != NotificationState.SENT:
        raise ValidationError(_("The authority has decided; the matter is closed."), code="decided")
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose what it is.")}, code="kind")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what it contains.")}, code="required")
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")}, code="future")
    if on < timezone.localtime(notification.sent_at).date():
        raise ValidationError(
            {"on": _("The date cannot be before the notification was sent.")}, code="order"
        )
    if reply_by and kind != ContactKind.REQUEST:
        reply_by = None
    contact = AuthorityContact.objects.create(
        notification=notification,
        kind=kind,
        on=on,
        text=text,
        reply_by=reply_by,
        added_by=actor,
    )
    if kind == ContactKind.DECISION:
        notification.state = _step(notification, "authority_decision")
        notification.decided_at = on
        notification.save(update_fields=["state", "decided_at", "updated_at"])
    record_event(
        notification,
        "deviations.notification_contact",
        actor,
        recipient=notification.get_recipient_display(),
        kind=contact.get_kind_display(),
    )
    return contact
