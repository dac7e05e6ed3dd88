"""Feedback arriving: through the public form (no login) or registered by staff who received it
by phone, letter, in person or through Patientnämnden.

The public form never loses a genuine submission: what the honeypot catches, and what comes
from an address past its hourly limit, is stored all the same but held for a coordinator to
release or discard, and the person gets the same receipt. The address itself is never stored,
only a keyed hash of it counted per hour, apart from the feedback.
"""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from core.crypto import keyed_hash
from core.site import absolute_url
from deviations.reporting.attachments import attachment_name, check_attachment
from feedback.models import (
    HANDLE,
    REGISTER,
    Attachment,
    Channel,
    Feedback,
    Status,
    SubmissionCount,
)
from feedback.seed import intake_limits
from feedback.services.common import handling_unit, holders, next_reference, set_targets
from notifications.services import queue_email

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "contact_address")


def token_hash(token):
    return keyed_hash(f"feedback-link:{token}")


def _count_address(address, now):
    """Count a submission from `address` this hour; returns how many there have been."""
    if not address:
        return 0
    hour = now.replace(minute=0, second=0, microsecond=0)
    key = keyed_hash(f"feedback-address:{address}")
    _row, new_hour = SubmissionCount.objects.get_or_create(address_hash=key, hour=hour)
    SubmissionCount.objects.filter(address_hash=key, hour=hour).update(count=F("count") + 1)
    if new_hour:  # old hours are of no use to the limit: they go as new ones come
        SubmissionCount.objects.filter(hour__lt=hour - timedelta(days=1)).delete()
    return SubmissionCount.objects.get(address_hash=key, hour=hour).count


def _create(fields, attachment, *, submission_key):
    """Store the feedback with its reference, link token and targets; returns (feedback, token,
    created)."""
    if submission_key is not None:
        earlier = Feedback.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier, earlier.public_token, False
    if fields.get("anonymous"):
        for name in CONTACT_FIELDS:
            fields[name] = ""
    token = secrets.token_urlsafe(24)
    feedback = Feedback(
        submission_key=submission_key,
        public_token_hash=token_hash(token),
        public_token=token,
        **fields,
    )
    feedback.unit = handling_unit(feedback.about) if "unit" not in fields else fields["unit"]
    feedback.reference = next_reference(feedback.received_at)
    set_targets(feedback)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        # A concurrent double submit won the race: the first one stands.
        earlier = Feedback.objects.get(submission_key=submission_key)
        return earlier, earlier.public_token, False
    if attachment is not None:
        check_attachment(attachment)
        name = attachment_name(attachment)
        stored = Attachment(feedback=feedback, name=name)
        stored.file.save(name, attachment, save=False)
        stored.save()
    return feedback, token, True


@transaction.atomic
def submit(*, fields, attachment=None, address=None, trapped=False, submission_key=None):
    """Feedback through the public form. `fields`: the form's cleaned values; `trapped`: the
    honeypot was filled in. Returns (feedback, token of the private link); the same submission
    sent again gives the first one back."""
    now = timezone.now()
    held = ""
    if trapped:
        held = _("A field hidden from people was filled in.")
    elif _count_address(address, now) > intake_limits()["submissions_per_address_per_hour"]:
        held = _("Many submissions from the same address within an hour.")
    fields = dict(fields, channel=Channel.WEB, received_at=now)
    fields["language"] = (translation.get_language() or "sv")[:2]
    if held:
        fields.update(status=Status.HELD, held_reason=held)
    feedback, token, created = _create(fields, attachment, submission_key=submission_key)
    if not created:
        return feedback, token
    record_event(feedback, "feedback.submitted", None, reference=feedback.reference)
    if not held:
        _tell_handlers(feedback)
    if feedback.contact_email:
        _send_receipt(feedback, token)
    return feedback, token


@transaction.atomic
def register(*, actor, unit, fields, attachment=None, submission_key=None):
    """Feedback received by staff (phone, letter, in person, Patientnämnden), registered on the
    same record as the public form's. Returns (feedback, token)."""
    if not can(actor, REGISTER, unit):
        raise PermissionDenied
    fields = dict(fields, unit=unit, registered_by=actor)
    feedback, token, created = _create(fields, attachment, submission_key=submission_key)
    if not created:
        return feedback, token
    record_event(
        feedback,
        "feedback.registered",
        actor,
        reference=feedback.reference,
        channel=feedback.get_channel_display(),
    )
    _tell_handlers(feedback, besides=actor)
    if feedback.contact_email:
        _send_receipt(feedback, token)
    return feedback, token


def status_url(token, request=None):
    """The private link: the feedback's status and answer, without an account."""
    return absolute_url(reverse("feedback_public:status", args=[token]), request)


def _send_receipt(feedback, token):
    context = {"feedback": feedback, "link": status_url(token)}
    with translation.override(feedback.language or "sv"):
        subject = _("Your feedback has been received: %(reference)s") % {
            "reference": feedback.reference
        }
        body = render_to_string("feedback/receipt_email.txt", context)
    queue_email(subject=subject, body=body, to=[feedback.contact_email])


def _tell_handlers(feedback, besides=None):
    """The people who handle the unit's feedback hear of it at once, by reference and unit
    only: what was written stays behind the login."""
    people = [
        person
        for person in holders(feedback.unit, HANDLE)
        if person.email and (besides is None or person.pk != besides.pk)
    ]
    if not people:
        return 0
    context = {
        "feedback": feedback,
        "link": absolute_url(feedback.get_absolute_url()),
    }
    subject = _("New feedback to handle: %(reference)s") % {"reference": feedback.reference}
    body = render_to_string("feedback/arrival_email.txt", context)
    for person in people:
        queue_email(subject=subject, body=body, to=[person.email])
    return len(people)
