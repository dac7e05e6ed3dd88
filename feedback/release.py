"""A copy of a feedback released as a public document (allmän handling): what was written and
the answer, with the passages the handler marked as secret or as personal data masked, and
always the person's name, contact details and any personal identity number.

A passage is found wherever it stands, in any case and however the lines break, so a name
marked once is masked in the description and in the answer alike. The copy says on which
provisions it was masked (the grounds are data: feedback/data/masking.json), as a decision to
release with masking must.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pin import find_personal_numbers
from feedback.models import DefaultFor, MaskingGround
from organisation.pdf import render_pdf


@dataclass
class Piece:
    text: str
    masked: bool = False


def _pattern(passage):
    """The passage however its lines break, as a whole word (with a genitive s: "Karls")."""
    words = passage.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    before = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    after = r"s?(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(before + body + after, re.IGNORECASE)


def spans(text, passages):
    """The (start, end) of every occurrence of the passages and of the personal identity
    numbers in `text`, overlapping ones joined, in order."""
    found = []
    for passage in passages:
        pattern = _pattern(passage)
        if pattern is not None:
            found += [match.span() for match in pattern.finditer(text)]
    for number in find_personal_numbers(text):
        start = text.find(number)
        while start != -1:
            found.append((start, start + len(number)))
            start = text.find(number, start + 1)
    joined = []
    for start, end in sorted(found):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def pieces(text, passages):
    """`text` as pieces, the masked ones marked: for the page and the copy to draw."""
    result, at = [], 0
    for start, end in spans(text, passages):
        if start > at:
            result.append(Piece(text[at:start]))
        result.append(Piece(text[start:end], masked=True))
        at = end
    if at < len(text):
        result.append(Piece(text[at:]))
    return result


def occurs(text, passage):
    pattern = _pattern(passage)
    return pattern is not None and pattern.search(text or "") is not None


def default_ground(feedback):
    """The ground names and personal identity numbers are masked on."""
    wanted = DefaultFor.HEALTH_CARE if feedback.health_care else DefaultFor.SOCIAL_CARE
    grounds = MaskingGround.objects.filter(is_active=True).select_related("section__regulation")
    return grounds.filter(default_for=wanted).first() or grounds.first()


def always_masked(feedback):
    """What is masked without being marked: the person's name as written in the text."""
    return [feedback.contact_name] if feedback.contact_name.strip() else []


@dataclass
class Copy:
    feedback: object
    description: list
    answer: list
    grounds: list  # (ground, how many passages)
    contact_withheld: bool
    attachments: int


def copy_of(feedback):
    """What the released copy shows, masked."""
    maskings = list(feedback.maskings.select_related("ground__section__regulation"))
    passages = always_masked(feedback) + [m.passage for m in maskings]
    description = pieces(feedback.description, passages)
    answer = pieces(feedback.answer, passages) if feedback.answered_at else []
    counted = Counter(m.ground for m in maskings)
    automatic = any(piece.masked for piece in description + answer) or bool(feedback.contact_name)
    grounds = list(counted.items())
    default = default_ground(feedback)
    if automatic and default is not None and default not in counted:
        grounds.insert(0, (default, 0))
    contact = any(
        (
            feedback.contact_name,
            feedback.contact_email,
            feedback.contact_phone,
            feedback.contact_address,
        )
    )
    return Copy(
        feedback=feedback,
        description=description,
        answer=answer,
        grounds=grounds,
        contact_withheld=contact,
        attachments=feedback.attachments.count(),
    )


def render_copy_pdf(feedback, actor):
    with translation.override("sv"):
        context = {
            "copy": copy_of(feedback),
            "released_by": actor.get_full_name() or actor.username,
            "released_at": timezone.localtime(),
            "title": _("Copy of a public document: feedback %(reference)s")
            % {"reference": feedback.reference},
        }
        return render_pdf("feedback/release_pdf.html", context)
