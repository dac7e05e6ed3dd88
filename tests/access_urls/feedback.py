"""Object URLs of feedback: a complaint about unit A."""

from feedback.models import Feedback


def _feedback(c):
    from tests.feedback_helpers import public

    return Feedback.objects.filter(unit=c.unit_a).first() or public(c)[0]


def _attachment(c):
    from django.core.files.base import ContentFile

    from feedback.models import Attachment

    feedback = _feedback(c)
    found = feedback.attachments.first()
    if found is None:
        found = Attachment(feedback=feedback, name="bild.png")
        found.file.save("bild.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        found.save()
    return {"pk": feedback.pk, "attachment_pk": found.pk}


def _pk(c):
    return {"pk": _feedback(c).pk}


def _letter(c):
    from tests.feedback_helpers import public

    feedback = Feedback.objects.filter(unit=c.unit_a, answer__gt="").first()
    if feedback is None:
        feedback, _token = public(c, contact_address="Storgatan 1\n123 45 Exempelstad")
        Feedback.objects.filter(pk=feedback.pk).update(answer="Svar")
    return {"pk": feedback.pk, "fmt": "pdf"}


def _masking(c):
    from feedback.models import Masking, MaskingGround

    feedback = _feedback(c)
    found = feedback.maskings.first() or Masking.objects.create(
        feedback=feedback, passage="timmar", ground=MaskingGround.objects.first()
    )
    return {"pk": feedback.pk, "masking_pk": found.pk}


OBJECT_URLS = {
    "feedback:letter": (_letter, "get", True),
    "feedback:detail": (_pk, "get", True),
    "feedback:attachment": (_attachment, "get", True),
    "feedback:acknowledge": (_pk, "get", True),
    "feedback:forward": (_pk, "get", True),
    "feedback:note": (_pk, "get", True),
    "feedback:theme": (_pk, "get", True),
    "feedback:answer": (_pk, "get", True),
    "feedback:praise": (_pk, "get", True),
    "feedback:close": (_pk, "get", True),
    "feedback:reopen": (_pk, "get", True),
    "feedback:deviation": (_pk, "get", True),
    "feedback:action": (_pk, "get", True),
    "feedback:release": (_pk, "post", True),
    "feedback:discard": (_pk, "get", True),
    "feedback:masking": (_pk, "get", True),
    "feedback:unmask": (_masking, "post", True),
    "feedback:copy": (_pk, "get", True),
}
