"""The answer to a feedback as a letter, for the person who asked to be answered by post: PDF to
print and send, or Word for the handler to edit first. The sender is the handling unit with the
nearest postal address in the tree; the recipient is the person's name and postal address."""

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisation.pdf import render_pdf


def letter_context(feedback, handler=None):
    unit = feedback.unit
    day = timezone.localtime(feedback.answered_at or timezone.now()).date()
    return {
        "feedback": feedback,
        "sender": unit.name,
        "sender_address": unit.address(),
        "recipient": feedback.contact_name,
        "recipient_address": [line for line in feedback.contact_address.splitlines() if line],
        "date": date_format(day, "j F Y"),
        "subject": _("Answer to your feedback %(reference)s") % {"reference": feedback.reference},
        "paragraphs": [p.strip() for p in feedback.answer.split("\n\n") if p.strip()],
        "signature": (handler.get_full_name() or handler.username) if handler else "",
    }


def render_letter_pdf(feedback, handler=None):
    with translation.override(feedback.language or "sv"):
        return render_pdf("feedback/letter_pdf.html", letter_context(feedback, handler))


def render_letter_docx(feedback, handler=None):
    import io

    from docx import Document
    from docx.shared import Pt

    with translation.override(feedback.language or "sv"):
        ctx = letter_context(feedback, handler)
        doc = Document()
        doc.styles["Normal"].font.size = Pt(11)
        doc.core_properties.title = ctx["subject"]
        doc.core_properties.author = ctx["sender"]
        doc.add_paragraph(
            ctx["sender"] + ("\n" + ctx["sender_address"] if ctx["sender_address"] else "")
        )
        doc.add_paragraph("\n".join([ctx["recipient"], *ctx["recipient_address"]]))
        doc.add_paragraph(ctx["date"])
        doc.add_heading(ctx["subject"], level=1)
        for paragraph in ctx["paragraphs"]:
            doc.add_paragraph(paragraph)
        doc.add_paragraph(
            _("Kind regards") + "\n" + "\n".join(v for v in (ctx["signature"], ctx["sender"]) if v)
        )
        buffer = io.BytesIO()
        doc.save(buffer)
    return buffer.getvalue()
