"""The authority notifications of the generated tracks judged serious (or, for a breach,
judged not serious)."""

from deviations.authority.models import (
    AuthorityNotification,
    Channel,
    NotificationState,
    NotifyDecision,
    Recipient,
)
from legal.rules import TrackKind


def notifications(
    run,
    rows,
    case,
    track_id,
    kind,
    investigator,
    serious,
    serious_at,
    notified_at,
    informed_at,
):
    """The notification register as the notification services would leave it: IVO notified
    of a serious lex Sarah or lex Maria case, IMY of a serious breach (and the people it
    concerns informed), a breach judged not serious documented as not notified."""
    wanted = []  # (recipient, sent at or None, not notified)
    if kind == TrackKind.LEX_SARAH and serious:
        wanted.append((Recipient.IVO_LEX_SARAH, notified_at, False))
    elif kind == TrackKind.LEX_MARIA and serious:
        wanted.append((Recipient.IVO_LEX_MARIA, notified_at, False))
    elif kind == TrackKind.DATA_BREACH:
        wanted.append((Recipient.IMY, notified_at, not serious))
        if serious:
            wanted.append((Recipient.PEOPLE_CONCERNED, informed_at, False))
    ids = run.writer.ids(AuthorityNotification, len(wanted))
    ct = run.ct[AuthorityNotification]
    for pk, (recipient, sent_at, declined) in zip(ids, wanted, strict=True):
        sent = sent_at is not None and sent_at <= run.now
        if declined:
            state, decision, reason = (
                NotificationState.NOT_NOTIFIED,
                NotifyDecision.NOT_NOTIFY,
                "Incidenten bedöms inte medföra någon risk för de registrerade.",
            )
            verb, at = "deviations.notification_not_notified", serious_at
        elif sent:
            state, decision, reason = NotificationState.SENT, NotifyDecision.NOTIFY, ""
            verb, at = "deviations.notification_sent", sent_at
        else:
            state, decision, reason, verb, at = NotificationState.DRAFT, "", "", None, None
        people = recipient == Recipient.PEOPLE_CONCERNED
        channel = (Channel.LETTER if people else Channel.E_SERVICE) if sent else ""
        rows["notifications"].append(
            (
                pk,
                track_id,
                recipient,
                state,
                decision,
                reason,
                serious_at,
                investigator,
                sent_at if sent and not declined else None,
                channel if not declined else "",
                investigator if sent and not declined else None,
                case.unit.name,
                case.reference,
            )
        )
        if verb:
            params = {"recipient": run.recipient_label[recipient]}
            if not declined:
                params["channel"] = run.channel_label[channel]
            rows["events"].append((ct, str(pk), verb, params, investigator, at))
