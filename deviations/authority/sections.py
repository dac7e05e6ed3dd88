"""What each recipient's form asks for: its parts, its wording and what must be filled in.

The notification page, the edit form, the package (PDF and Word) and the check before sending
all read these tables, so each authority's form is described once.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from deviations.authority.models import AuthorityNotification, Recipient

# The parts of each recipient's form, in the order of the authority's own form: the notification
# page, the edit form and the package (PDF and Word) all follow this table.
SECTIONS = {
    Recipient.IVO_LEX_SARAH: [
        (
            _("Provider"),
            [
                "organisation_name",
                "organisation_number",
                "address",
                "unit_name",
                "legal_area",
                "own_reference",
            ],
        ),
        (_("Contact person"), ["contact_name", "contact_phone", "contact_email"]),
        (
            _("The missförhållande"),
            ["event_kind", "occurred_at", "discovered_at", "what_happened", "consequences"],
        ),
        (_("Measures"), ["measures_taken", "measures_planned"]),
        (_("The investigation"), ["investigation_status"]),
    ],
    Recipient.IVO_LEX_MARIA: [
        (
            _("Care provider"),
            ["organisation_name", "organisation_number", "address", "unit_name", "own_reference"],
        ),
        (_("Contact person"), ["contact_name", "contact_phone", "contact_email"]),
        (
            _("The event"),
            [
                "event_kind",
                "occurred_at",
                "discovered_at",
                "what_happened",
                "consequences",
                "patient_age",
                "patient_sex",
            ],
        ),
        (_("Measures"), ["measures_taken", "measures_planned"]),
        (_("The investigation"), ["investigation_status"]),
    ],
    Recipient.IMY: [
        (
            _("Controller"),
            ["organisation_name", "organisation_number", "address", "own_reference"],
        ),
        (_("Contact point"), ["contact_name", "contact_phone", "contact_email"]),
        (_("When"), ["occurred_at", "discovered_at", "ended_at"]),
        (
            _("The breach"),
            [
                "what_happened",
                "breach_confidentiality",
                "breach_integrity",
                "breach_availability",
            ],
        ),
        (
            _("People and data concerned"),
            [
                "people_categories",
                "people_count",
                "data_kinds",
                "special_categories",
                "records_count",
            ],
        ),
        (_("Consequences"), ["consequences", "severity"]),
        (_("Measures"), ["measures_taken", "measures_planned"]),
        (
            _("Information to the people concerned"),
            ["people_informed", "people_informed_on", "people_not_informed_reason"],
        ),
        (_("Late notification"), ["delay_reason"]),
    ],
    Recipient.PEOPLE_CONCERNED: [
        (_("Sender"), ["organisation_name", "own_reference"]),
        (_("Contact point"), ["contact_name", "contact_phone", "contact_email"]),
        (_("The message"), ["message"]),
        (_("Who is informed"), ["people_categories", "people_count"]),
    ],
}

# Labels that differ from the field's own by recipient: each form uses its authority's words.
LABELS = {
    Recipient.IVO_LEX_SARAH: {
        "event_kind": _("A missförhållande or a real risk of one"),
        "consequences": _("Consequences for the person or people concerned"),
    },
    Recipient.IVO_LEX_MARIA: {
        "organisation_name": _("Care provider"),
        "event_kind": _("A serious injury in care or a risk of one"),
        "consequences": _("The injury, or the risk of injury"),
        "patient_age": _("The patient's age (optional)"),
        "patient_sex": _("The patient's sex (optional)"),
    },
    Recipient.IMY: {
        "organisation_name": _("Controller"),
        "occurred_at": _("When the breach started"),
        "discovered_at": _("When the breach was discovered"),
        "ended_at": _("When the breach ended"),
        "what_happened": _("What happened"),
        "consequences": _("Likely consequences for the people concerned"),
    },
    Recipient.PEOPLE_CONCERNED: {
        "organisation_name": _("Controller"),
        "people_categories": _("Who is informed"),
        "people_count": _("Approximate number of people informed"),
    },
}

# What must be filled in before a notification can be recorded as sent.
REQUIRED_TO_SEND = {
    Recipient.IVO_LEX_SARAH: [
        "organisation_name",
        "unit_name",
        "contact_name",
        "event_kind",
        "occurred_at",
        "what_happened",
        "consequences",
        "measures_taken",
        "investigation_status",
    ],
    Recipient.IVO_LEX_MARIA: [
        "organisation_name",
        "unit_name",
        "contact_name",
        "event_kind",
        "occurred_at",
        "what_happened",
        "consequences",
        "measures_taken",
        "investigation_status",
    ],
    Recipient.IMY: [
        "organisation_name",
        "contact_name",
        "discovered_at",
        "what_happened",
        "people_categories",
        "data_kinds",
        "consequences",
        "measures_taken",
        "people_informed",
    ],
    Recipient.PEOPLE_CONCERNED: ["organisation_name", "contact_name", "message"],
}

BREACH_TYPES = ("breach_confidentiality", "breach_integrity", "breach_availability")


# Fields the case answers, never typed into the notification: one value for the case and every
# package, changed on the case. Until the notification is sent it shows the case's value; sending
# keeps the value it was sent with. Field -> the deviation's field.
FROM_CASE = {"discovered_at": "aware_at"}


def value_of(notification, name):
    """A field's value as the notification states it (see FROM_CASE)."""
    if name in FROM_CASE and (notification.sent_at is None or getattr(notification, name) is None):
        return getattr(notification.track.deviation, FROM_CASE[name])
    return getattr(notification, name)


def editable_fields(recipient):
    """The fields a draft's form edits: all but those the case answers."""
    return [name for name in content_fields(recipient) if name not in FROM_CASE]


def field_label(recipient, name):
    label = LABELS.get(recipient, {}).get(name)
    if label is None:
        label = capfirst(AuthorityNotification._meta.get_field(name).verbose_name)
    return label


def content_fields(recipient):
    return [name for _heading, names in SECTIONS[recipient] for name in names]
