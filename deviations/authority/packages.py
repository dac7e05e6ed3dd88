"""The notification package: the authority's form filled in, as PDF and as Word.

The PDF is for the file and for reading; the Word document has the same headings and tables so
that staff can edit it before copying it into the authority's e-service (signed with BankID or
SITHS, outside Hjulet). No package carries anyone's identity: personal identity numbers that
slipped into a free text are removed, and the affected person's protected field is never read.
"""

import io
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.pin import find_personal_numbers
from deviations.authority.models import AuthorityNotification, Recipient
from deviations.authority.sections import SECTIONS, field_label, value_of
from deviations.citations import CaseLaw
from deviations.investigation.models import Investigation
from legal.rules import TrackRule
from organisation.pdf import render_pdf

FORMATS = ("pdf", "docx")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def redact(text):
    """The text without personal identity numbers."""
    for number in find_personal_numbers(text):
        text = text.replace(number, _("[personal identity number removed]"))
    return text


def display_value(notification, name):
    """A field's value as a person reads it: choice labels, yes/no, local times."""
    field = AuthorityNotification._meta.get_field(name)
    value = value_of(notification, name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(notification, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return redact(str(value))


def display_sections(notification):
    """[(heading, [(label, value)])] in the order of the authority's form."""
    recipient = notification.recipient
    return [
        (
            str(heading),
            [(str(field_label(recipient, n)), display_value(notification, n)) for n in names],
        )
        for heading, names in SECTIONS[recipient]
    ]


def title_of(notification):
    if notification.recipient == Recipient.PEOPLE_CONCERNED:
        return _("Information to the people concerned by a personal data breach")
    if notification.recipient == Recipient.IMY:
        return _("Notification of a personal data breach to IMY")
    if notification.recipient == Recipient.IVO_LEX_MARIA:
        return _("Notification to IVO: lex Maria")
    return _("Notification to IVO: lex Sarah")


def filename_of(notification, fmt):
    """E.g. ivo-lex-sarah-AV-2026-000123.pdf"""
    kind = notification.recipient.replace("_", "-")
    return f"{kind}-{notification.track.deviation.reference}.{fmt}"


def _handling(notification):
    rows = [(_("State"), notification.get_state_display())]
    if notification.sent_at:
        rows.append((_("Sent"), display_value(notification, "sent_at")))
        rows.append((_("How"), notification.get_channel_display()))
        if notification.sent_by:
            rows.append((_("Sent by"), str(notification.sent_by)))
    if notification.not_notify_reason:
        rows.append((_("Why no notification is made"), redact(notification.not_notify_reason)))
    if notification.registry_number:
        rows.append((_("The authority's registry number"), notification.registry_number))
    if notification.decided_at:
        rows.append((_("The authority decided on"), notification.decided_at.isoformat()))
    return rows


def package_context(notification):
    track = notification.track
    deviation = track.deviation
    rule = TrackRule.objects.in_force().filter(kind=track.kind).first()
    investigation = None
    if notification.is_authority:
        investigation = Investigation.objects.filter(track=track).prefetch_related("causes").first()
    if notification.recipient == Recipient.PEOPLE_CONCERNED:
        identity_note = _(
            "The letter names no one: add each recipient's name and address when it is sent."
        )
    else:
        identity_note = _(
            "The identity of the person concerned is not part of this package. Where the "
            "authority needs it, give it in the authority's e-service, which is signed with "
            "BankID or SITHS."
        )
    return {
        "notification": notification,
        "title": title_of(notification),
        "reference": deviation.reference,
        "organisation": notification.organisation_name,
        "authority": rule.authority if rule and notification.is_authority else "",
        # The law in force on the case's date for the unit's law areas (deviations/citations.py).
        "references": [str(c) for c in CaseLaw(deviation).track(track.kind)],
        "sections": display_sections(notification),
        "conclusion": redact(investigation.conclusion) if investigation else "",
        "investigation_decision": redact(investigation.decision) if investigation else "",
        "causes": [c.name for c in investigation.causes.all()] if investigation else [],
        "handling": _handling(notification),
        "contacts": [
            (c.on.isoformat(), c.get_kind_display(), redact(c.text))
            for c in notification.contacts.all()
        ],
        "identity_note": identity_note,
        "generated_at": timezone.localtime(),
    }


def render_pdf_package(notification, request=None):
    return render_pdf("deviations/package_pdf.html", package_context(notification), request)


def _table(doc, rows, not_stated):
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = str(label)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
        cells[1].text = value or not_stated
    return table


def render_docx_package(notification):
    """The same content as the PDF, as headings and two-column tables, to edit in Word."""
    from docx import Document
    from docx.shared import Pt

    context = package_context(notification)
    not_stated = _("Not stated")
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = str(context["title"])
    doc.core_properties.author = context["organisation"]
    doc.core_properties.comments = "Hjulet"
    doc.add_heading(str(context["title"]), level=0)
    intro = [(_("Our reference"), context["reference"])]
    if context["authority"]:
        intro.append((_("To"), context["authority"]))
    if context["references"]:
        intro.append((_("Legal basis"), "; ".join(context["references"])))
    intro.append(
        (_("Prepared"), context["generated_at"].strftime("%Y-%m-%d %H:%M")),
    )
    _table(doc, intro, not_stated)
    doc.add_paragraph(str(context["identity_note"]))
    for heading, rows in context["sections"]:
        doc.add_heading(heading, level=1)
        _table(doc, rows, not_stated)
    if context["conclusion"] or context["causes"] or context["investigation_decision"]:
        doc.add_heading(_("From the investigation"), level=1)
        rows = []
        if context["causes"]:
            rows.append((_("Causes at system level"), "\n".join(context["causes"])))
        if context["conclusion"]:
            rows.append((_("Conclusion"), context["conclusion"]))
        if context["investigation_decision"]:
            rows.append((_("Decision"), context["investigation_decision"]))
        _table(doc, rows, not_stated)
    doc.add_heading(_("Handling"), level=1)
    _table(doc, context["handling"], not_stated)
    if context["contacts"]:
        doc.add_heading(_("Contacts with the authority"), level=2)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, (_("Date"), _("What"), _("Content")), strict=True
        ):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in context["contacts"]:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = str(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
