"""Which notifications each kind of track leads to, and what a track still owes before closing.

Below the services that draft and send notifications: the case page and the investigation's
closing check read this table without depending on how a notification is written.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from deviations.authority.models import Channel, NotificationState, Recipient
from legal.rules import ClockEnd, TrackKind

AUTHORITY_CHANNELS = (Channel.E_SERVICE, Channel.EMAIL, Channel.LETTER)
PEOPLE_CHANNELS = (
    Channel.LETTER,
    Channel.EMAIL,
    Channel.PHONE,
    Channel.IN_PERSON,
    Channel.PUBLIC_NOTICE,
)


@dataclass(frozen=True)
class RecipientRule:
    recipient: str
    # Only once the track is judged serious (a serious missförhållande or injury in care, or a
    # high risk to the people a breach concerns).
    needs_serious: bool
    # Whether "do not notify, because …" is a lawful outcome that is documented instead.
    may_decline: bool
    # The rule table's `ends` that sending meets: the clocks of the track with it stop.
    clock_end: str
    channels: tuple


# Which notifications each kind of track can lead to. This is code beside the rule table, not a
# column of it: each recipient has its own form fields, package layout and sending channels,
# which only code can give. What a change of law edits stays data: the authority's name
# (TrackRule.authority), the deadlines and whether they run only for serious cases
# (DeadlineRule), whose `ends` ("notified", "people_informed") these recipients meet.
RECIPIENTS = {
    TrackKind.LEX_SARAH: (
        RecipientRule(
            Recipient.IVO_LEX_SARAH,
            needs_serious=True,
            may_decline=False,
            clock_end=ClockEnd.NOTIFIED,
            channels=AUTHORITY_CHANNELS,
        ),
    ),
    TrackKind.LEX_MARIA: (
        RecipientRule(
            Recipient.IVO_LEX_MARIA,
            needs_serious=True,
            may_decline=False,
            clock_end=ClockEnd.NOTIFIED,
            channels=AUTHORITY_CHANNELS,
        ),
    ),
    TrackKind.DATA_BREACH: (
        # Every breach is notified or documented as not notified (GDPR art 33.1 and 33.5).
        RecipientRule(
            Recipient.IMY,
            needs_serious=False,
            may_decline=True,
            clock_end=ClockEnd.NOTIFIED,
            channels=AUTHORITY_CHANNELS,
        ),
        # Art 34: when the risk is high; art 34.3 lists when they need not be told.
        RecipientRule(
            Recipient.PEOPLE_CONCERNED,
            needs_serious=True,
            may_decline=True,
            clock_end=ClockEnd.PEOPLE_INFORMED,
            channels=PEOPLE_CHANNELS,
        ),
    ),
}


def rule_for(notification):
    for rule in RECIPIENTS.get(notification.track.kind, ()):
        if rule.recipient == notification.recipient:
            return rule
    raise ValueError(f"{notification.recipient} is not a recipient of {notification.track.kind}")


def notification_gaps(track):
    """A notification the law asks for must be sent (or, where lawful, documented as not)."""
    done = {n.recipient: n.state for n in track.notifications.all()}
    gaps = []
    for rule in RECIPIENTS.get(track.kind, ()):
        if rule.needs_serious and not track.serious:
            continue
        state = done.get(rule.recipient)
        finished = {NotificationState.SENT, NotificationState.DECIDED}
        if rule.may_decline:
            finished.add(NotificationState.NOT_NOTIFIED)
        if state not in finished:
            gaps.append(
                _("the notification to %(recipient)s, sent or documented")
                % {"recipient": Recipient(rule.recipient).label}
                if rule.may_decline
                else _("the notification to %(recipient)s, sent")
                % {"recipient": Recipient(rule.recipient).label}
            )
    return gaps
