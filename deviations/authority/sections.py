"""What each recipient's form asks for: its parts, its wording and what must be filled in.

The notification page, the edit form, the package (PDF and Word) and the check before sending
all read these tables, so each authority's form is described once: as data, in
deviations/data/authority_forms.json, so that a new version of a form is an edit there.
"""

import json
from pathlib import Path

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from deviations.authority.models import AuthorityNotification, Recipient

FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "authority_forms.json"


def load_forms(data):
    """(SECTIONS, LABELS, REQUIRED_TO_SEND, PREFILL, VERSIONS) from the forms' data.

    SECTIONS: recipient -> [(heading, [field])] in the order of the authority's own form: the
    notification page, the edit form and the package (PDF and Word) all follow it.
    LABELS: recipient -> {field: label} where the form's words differ from the field's own.
    REQUIRED_TO_SEND: recipient -> the fields that must be filled in before sending.
    PREFILL: recipient -> {field: the name of its value source in sources.SOURCES}, for every
    field the case, the organisation or the person drafting answers.
    """
    sections, labels, required, prefill, versions = {}, {}, {}, {}, {}
    for recipient, form in data["forms"].items():
        recipient = Recipient(recipient)
        sections[recipient] = [
            (_(part["heading"]), list(part["fields"])) for part in form["sections"]
        ]
        labels[recipient] = {name: _(text) for name, text in form.get("labels", {}).items()}
        required[recipient] = list(form.get("required_to_send", ()))
        prefill[recipient] = dict(form.get("prefill", {}))
        versions[recipient] = form.get("version", data.get("version", ""))
    return sections, labels, required, prefill, versions


with FORMS_FILE.open(encoding="utf-8") as forms_file:
    FORMS = json.load(forms_file)

SECTIONS, LABELS, REQUIRED_TO_SEND, PREFILL, VERSIONS = load_forms(FORMS)

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
