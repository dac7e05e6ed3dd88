"""Demo feedback for `load_demo`, made through the services (idempotent: each item has its own
submission key, and a step is taken only from the state before it).

Hemtjänst Norr (Eva): a complaint through the web form, confirmed and answered; praise to
pass on; an opinion registered by phone, waiting for its receipt to be confirmed. Hemsjukvården:
a health-care complaint past its four weeks. Unknown operation: a suggestion at the
coordinators'. And one submission the honeypot held.
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from feedback.models import AnswerBy, Feedback, Kind, Status, Theme
from feedback.services import handling
from feedback.services.intake import register, submit
from organisation.models import OrgNode

NAMESPACE = uuid.UUID("8b0f7c1e-3a52-4c1e-9d61-5f0b6a2f7c10")


def _key(name):
    return uuid.uuid5(NAMESPACE, name)


def _back(feedback, days):
    """Demo history: the item as received `days` ago, its targets counted from then."""
    from feedback.services.common import next_reference, set_targets

    feedback.received_at = timezone.now() - timedelta(days=days)
    set_targets(feedback)
    if timezone.localtime(feedback.received_at).year != timezone.localdate().year:
        # The reference says the year it was received, as it would have.
        feedback.reference = next_reference(feedback.received_at)
    Feedback.objects.filter(pk=feedback.pk).update(
        reference=feedback.reference,
        received_at=feedback.received_at,
        acknowledge_due=feedback.acknowledge_due,
        answer_due=feedback.answer_due,
    )


def _public(name, days, health_care=False, trapped=False, **fields):
    existing = Feedback.objects.filter(submission_key=_key(name)).first()
    if existing is not None:
        return existing
    feedback, _token = submit(fields=fields, submission_key=_key(name), trapped=trapped)
    if health_care:
        Feedback.objects.filter(pk=feedback.pk).update(health_care=True)
        feedback.health_care = True
    _back(feedback, days)
    feedback.refresh_from_db()
    return feedback


def _contact(**values):
    base = {
        "anonymous": False,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "contact_address": "",
        "on_behalf": False,
        "relation": "",
    }
    return dict(base, **values)


def load_demo_feedback():
    north = OrgNode.objects.filter(name="Hemtjänst Norr").first()
    nursing = OrgNode.objects.filter(name="Hemsjukvården").first()
    eva = User.objects.filter(username="eva").first()
    anna = User.objects.filter(username="anna").first()
    if None in (north, nursing, eva, anna):
        return
    complaint = _public(
        "complaint-north",
        12,
        kind=Kind.COMPLAINT,
        about=north,
        description=(
            "Min pappa fick vänta nästan två timmar på kvällsbesöket i tisdags och ingen hörde "
            "av sig. Han blev orolig och försökte laga mat själv."
        ),
        wants_answer=True,
        answer_by=AnswerBy.EMAIL,
        **_contact(
            contact_name="Lena Svensson",
            contact_email="lena.svensson@example.se",
            on_behalf=True,
            relation="Dotter",
        ),
    )
    if complaint.status == Status.RECEIVED:
        handling.acknowledge(
            complaint, actor=eva, message="Jag tar reda på vad som hände och återkommer."
        )
    if complaint.status == Status.ACKNOWLEDGED:
        handling.add_note(
            complaint,
            actor=eva,
            text="Två i kvällsgruppen var sjuka; ingen ringde brukaren om förseningen.",
            form_token=_key("complaint-north-note"),
        )
        handling.answer(
            complaint,
            actor=eva,
            sent_by=AnswerBy.EMAIL,
            text=(
                "Tack för att du hörde av dig. Besöket blev sent eftersom två i personalen var "
                "sjuka, och vi ringde inte som vi ska. Från och med nu ringer vi alltid när ett "
                "besök blir mer än en halvtimme sent. Vi ber om ursäkt."
            ),
        )
    _mark(complaint, eva, "försökte laga mat själv")
    _public(
        "praise-north",
        3,
        kind=Kind.PRAISE,
        about=north,
        description="Stort tack till personalen som hjälpte mamma efter fallet i helgen.",
        wants_answer=False,
        answer_by="",
        **_contact(anonymous=True),
    )
    register(
        actor=anna,
        unit=north,
        submission_key=_key("opinion-phone"),
        fields=dict(
            kind=Kind.OPINION,
            channel="phone",
            received_at=timezone.now() - timedelta(days=1),
            health_care=False,
            description="Brukaren vill att hemtjänsten kommer samma tid varje morgon.",
            wants_answer=True,
            answer_by=AnswerBy.PHONE,
            **_contact(contact_name="Karl Berg", contact_phone="070-123 45 67"),
        ),
    )
    _public(
        "complaint-health-care",
        35,
        health_care=True,
        kind=Kind.COMPLAINT,
        about=nursing,
        description="Sjuksköterskan kom inte med de nya ögondropparna som var ordinerade.",
        wants_answer=True,
        answer_by=AnswerBy.LINK,
        **_contact(anonymous=True),
    )
    _public(
        "suggestion-unknown",
        6,
        kind=Kind.SUGGESTION,
        about=None,
        description="Det borde finnas en broschyr om vad man kan få hjälp med, på flera språk.",
        wants_answer=False,
        answer_by="",
        **_contact(),
    )
    _public(
        "held-spam",
        0,
        trapped=True,
        **dict(
            kind=Kind.OPINION,
            about=None,
            description="Billiga klockor på www.example.com",
            wants_answer=False,
            answer_by="",
            **_contact(),
        ),
    )
    _last_year(north, nursing, eva, User.objects.filter(username="henrik").first())
    _themes()


def _mark(feedback, actor, passage):
    """A passage about the person's circumstances, marked before a copy is released."""
    from feedback.models import MaskingGround
    from feedback.services import release

    ground = MaskingGround.objects.filter(code="osl-26-1").first()
    if ground is not None and not feedback.maskings.exists():
        release.mark_passage(feedback, actor=actor, passage=passage, ground=ground)


def _finished(feedback, actor, answer, days_to_answer):
    """Answered and closed, dated as it happened: `days_to_answer` after it was received."""
    if feedback.status == Status.RECEIVED:
        handling.acknowledge(feedback, actor=actor)
    if feedback.status == Status.ACKNOWLEDGED:
        handling.answer(feedback, actor=actor, text=answer, sent_by=AnswerBy.LINK)
    if feedback.status == Status.ANSWERED:
        handling.close(feedback, actor=actor)
        received = feedback.received_at
        Feedback.objects.filter(pk=feedback.pk).update(
            acknowledged_at=received + timedelta(days=1),
            answered_at=received + timedelta(days=days_to_answer),
            closed_at=received + timedelta(days=days_to_answer),
        )
        feedback.transitions.update(at=received + timedelta(days=days_to_answer))


def _last_year(north, nursing, eva, henrik):
    """Feedback of the year before, finished: what the statistics' year-on-year and the
    yearly quality report read."""
    days = (timezone.localdate() - timezone.localdate().replace(month=1, day=1)).days
    themes = {theme.code: theme for theme in Theme.objects.all()}
    for name, theme, back, unit, kind, text, answer, to_answer in (
        (
            "last-year-late",
            "insatser",
            days + 200,
            north,
            Kind.COMPLAINT,
            "Hemtjänsten kom inte alls på lördagen och ingen ringde.",
            "Besöket föll bort när schemat ändrades. Vi kontrollerar nu helgschemat varje fredag.",
            9,
        ),
        (
            "last-year-medication",
            "lakemedel",
            days + 120,
            nursing,
            Kind.COMPLAINT,
            "Mamma fick sina kvällstabletter två timmar för sent flera dagar i rad.",
            "Vi har gått igenom rutinen för läkemedel på kvällen med all personal.",
            16,
        ),
        (
            "last-year-suggestion",
            "kontinuitet",
            days + 60,
            north,
            Kind.SUGGESTION,
            "Det vore bra med samma personal på morgonen så långt det går.",
            "Tack för förslaget. Vi planerar nu morgonbesöken i mindre grupper.",
            6,
        ),
    ):
        feedback = _public(
            name,
            back,
            health_care=unit == nursing,
            kind=kind,
            about=unit,
            description=text,
            wants_answer=True,
            answer_by=AnswerBy.LINK,
            **_contact(anonymous=True),
        )
        actor = eva if unit == north else henrik
        if feedback.is_open and feedback.theme_id is None and theme in themes:
            handling.set_theme(feedback, actor=actor, theme=themes[theme])
        _finished(feedback, actor, answer, to_answer)


def _themes():
    """What each demo item is about (set once; an organisation's later change stays)."""
    themes = {theme.code: theme for theme in Theme.objects.all()}
    for name, code in (
        ("complaint-north", "insatser"),
        ("praise-north", "bemotande"),
        ("opinion-phone", "insatser"),
        ("complaint-health-care", "lakemedel"),
        ("suggestion-unknown", "information"),
    ):
        feedback = Feedback.objects.filter(submission_key=_key(name)).first()
        if feedback is not None and feedback.theme_id is None and code in themes:
            handling.set_theme(feedback, actor=None, theme=themes[code])
