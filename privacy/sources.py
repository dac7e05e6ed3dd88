"""The records about a person held by the deviations and feedback modules, for the register
extract.

What the extract holds of a report (docs/registerutdrag.md): the report as filed with the
protected identity, the legal tracks it took with their state and dates, and the authorities it
was sent to. Of an investigation only what concerns the person as such: when they were informed
and heard, and their own view, and only to those who may read the track. The rest of an
investigation (analysis, conclusions) is handed out by those who handle the case, after a
secrecy review; the extract says so under each restricted track.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can, scope_q
from deviations.authority.models import AuthorityNotification
from deviations.models import Deviation, Track
from feedback.models import Feedback
from legal.rules import TrackKind
from privacy.models import KEY, SearchKind
from privacy.registry import Part, Record, register_finder

HASH_FIELD = {
    SearchKind.PERSONAL_NUMBER: "affected_person_pin_hash",
    SearchKind.NAME: "affected_person_name_hash",
}


def _day(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _date(value):
    return value.isoformat() if value else ""


def _facts(pairs):
    return [(label, value) for label, value in pairs if value not in (None, "")]


def _report_facts(deviation):
    return _facts(
        [
            (_("Who was affected (protected)"), deviation.affected_person),
            (_("Unit"), deviation.unit.name),
            (_("When it happened"), _day(deviation.occurred_at)),
            (_("Reported"), _day(deviation.reported_at)),
            (_("Where it happened"), deviation.place),
            (_("What happened"), deviation.description),
            (_("What was done at once"), deviation.immediate_action),
            (_("Status"), deviation.get_status_display()),
            (_("Attachments"), str(deviation.attachments.count() or "")),
        ]
    )


def _track_part(track, readable):
    facts = [
        (_("Classified"), _day(track.created_at)),
        (_("Investigation started"), _day(track.investigation_started_at)),
        (_("Closed"), _day(track.closed_at)),
    ]
    note = ""
    if track.kind == TrackKind.NOT_DEVIATION:
        facts.append((_("Reason"), track.reason))
    elif readable:
        investigation = getattr(track, "investigation", None)
        if investigation is not None:
            facts += [
                (
                    _("The person concerned was informed on"),
                    _date(investigation.person_informed_on),
                ),
                (
                    _("The person concerned could give their view on"),
                    _date(investigation.person_heard_on),
                ),
                (_("The person's view"), investigation.person_view),
            ]
    else:
        note = _(
            "The investigation is restricted. Its documentation is handed out by those who "
            "handle the case, after a secrecy review."
        )
    heading = f"{track.get_kind_display()}: {track.get_state_display()}"
    return Part(heading=heading, facts=_facts(facts), note=note)


def deviation_records(user, kind, digest):
    deviations = list(
        Deviation.objects.filter(scope_q(user, KEY, "unit"), **{HASH_FIELD[kind]: digest})
        .select_related("unit")
        .prefetch_related("tracks__investigation")
        .order_by("reported_at", "pk")
    )
    readable = set(
        Track.objects.readable_by(user)
        .filter(deviation__in=deviations)
        .values_list("pk", flat=True)
    )
    sent = {}
    for notification in (
        AuthorityNotification.objects.filter(track__deviation__in=deviations, sent_at__isnull=False)
        .select_related("track")
        .order_by("sent_at")
    ):
        sent.setdefault(notification.track.deviation_id, []).append(
            (notification.get_recipient_display(), _day(notification.sent_at))
        )
    return [
        Record(
            obj=deviation,
            record_type="deviation",
            title=_("Deviation %(reference)s") % {"reference": deviation.reference},
            unit=deviation.unit.name,
            facts=_report_facts(deviation),
            parts=[_track_part(t, t.pk in readable) for t in deviation.tracks.all()],
            recipients=sent.get(deviation.pk, []),
            url=deviation.get_absolute_url() if can(user, "deviations.view", deviation) else "",
        )
        for deviation in deviations
    ]


register_finder(deviation_records)


def _feedback_facts(feedback):
    return _facts(
        [
            (_("Kind"), feedback.get_kind_display()),
            (_("Received"), _day(feedback.received_at)),
            (_("Received through"), feedback.get_channel_display()),
            (_("What it is about"), feedback.about.name if feedback.about else ""),
            (_("Handled by"), feedback.unit.name),
            (_("What was written"), feedback.description),
            (_("Name"), feedback.contact_name),
            (_("E-mail"), feedback.contact_email),
            (_("Phone"), feedback.contact_phone),
            (_("Postal address"), feedback.contact_address),
            (_("Relation to the person"), feedback.relation),
            (_("Status"), feedback.get_status_display()),
            (_("The answer"), feedback.answer),
        ]
    )


def feedback_records(user, kind, digest):
    """Feedback where the person gave their name (contact details; anonymous feedback keeps
    none, and personal identity numbers are kept out of it)."""
    if kind != SearchKind.NAME:
        return []
    found = (
        Feedback.objects.filter(scope_q(user, KEY, "unit"), contact_name_hash=digest)
        .select_related("unit", "about")
        .order_by("received_at", "pk")
    )
    return [
        Record(
            obj=feedback,
            record_type="feedback",
            title=_("Feedback %(reference)s") % {"reference": feedback.reference},
            unit=feedback.unit.name,
            facts=_feedback_facts(feedback),
            url=feedback.get_absolute_url() if can(user, "feedback.view", feedback) else "",
        )
        for feedback in found
    ]


register_finder(feedback_records)
