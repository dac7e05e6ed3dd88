"""Authority notifications: IVO (lex Sarah, lex Maria), IMY and the people a breach concerns."""

import io
from datetime import datetime, timedelta

import docx
import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from audit.models import Event
from deviations import services
from deviations.authority import packages
from deviations.authority import services as ns
from deviations.authority.forms import NotificationContentForm
from deviations.authority.models import AuthorityContact, AuthorityNotification
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Cause
from deviations.models import Clock, Track
from legal.rules import ClockEnd, TrackKind
from tests.cast import _user

DESCRIPTION = "Brukaren fick fel insats under kvällen."


def report(cast, aware_hours_ago=2, **extra):
    now = timezone.now()
    return services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=now - timedelta(hours=aware_hours_ago + 1),
        aware_at=now - timedelta(hours=aware_hours_ago),
        description=DESCRIPTION,
        immediate_action="Samtal med brukaren.",
        service_user_affected="yes",
        affected_person="Greta Gustafsson",
        **extra,
    )


def lex_sarah(cast, serious=True):
    (track,) = services.triage(report(cast), actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    track = investigation_services.move_track(track, "start_investigation", actor=cast.quality)
    if serious is not None:
        investigation_services.decide_serious(track, serious, actor=cast.quality)
    return Track.objects.select_related("deviation__unit").get(pk=track.pk)


def breach(cast, aware_hours_ago=2, serious=None):
    deviation = report(cast, aware_hours_ago=aware_hours_ago)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.DATA_BREACH])
    if serious is not None:
        investigation_services.decide_serious(track, serious, actor=cast.manager_a)
    return Track.objects.select_related("deviation__unit").get(pk=track.pk)


def imy_ready(notification, actor):
    return ns.save_content(
        notification,
        actor=actor,
        breach_confidentiality=True,
        people_categories="Brukare",
        people_count=12,
        data_kinds="Namn och insatser",
        special_categories=True,
        consequences="Obehöriga kan ha sett uppgifterna.",
        people_informed="planned",
    )


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def content_post(notification, **changes):
    """What a browser posts for the content form: every field as it stands, then the changes."""
    form = NotificationContentForm(instance=notification, recipient=notification.recipient)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, datetime):  # the form gives local wall-clock time
            value = value.strftime("%Y-%m-%dT%H:%M")
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def clock(track, end):
    return Clock.objects.get(track=track, rule__ends=end)


# -- IVO: lex Sarah, the whole path ------------------------------------------------------------


def test_the_ivo_path_from_draft_to_the_authority_decision(cast, login):
    track = lex_sarah(cast)
    deviation = track.deviation
    investigation_services.save_investigation(
        track,
        actor=cast.quality,
        conclusion="Rutinen för kvällsinsatser var okänd.",
        causes=[Cause.objects.get(code="routine-not-known")],
    )
    client = login(cast.quality)
    new_url = reverse("deviations:notification_new", args=[track.pk])
    assert client.get(new_url).status_code == 200
    response = client.post(new_url, {"recipient": "ivo_lex_sarah"})
    notification = AuthorityNotification.objects.get(track=track)
    assert response.status_code == 302 and response["Location"] == notification.get_absolute_url()
    # Prefilled from the case, the unit's tree and the person drafting it.
    assert notification.state == "draft"
    assert notification.own_reference == deviation.reference
    assert notification.organisation_name == "Kommunen"
    assert notification.unit_name == "Enhet A"
    assert notification.what_happened == DESCRIPTION
    assert notification.contact_email == cast.quality.email
    assert notification.investigation_status == "to_follow"

    url = notification.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200 and page.context["gaps"]  # consequences etc. still missing
    response = client.post(
        url,
        content_post(
            notification,
            event_kind="occurred",
            consequences="Brukaren blev utan kvällsmat.",
            measures_taken="Rutinen är genomgången med all personal.",
        ),
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.consequences == "Brukaren blev utan kvällsmat."
    assert notification.occurred_at == deviation.occurred_at.replace(second=0, microsecond=0)
    assert ns.send_gaps(notification) == []

    pdf = client.get(reverse("deviations:notification_package", args=[notification.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert f"ivo-lex-sarah-{deviation.reference}.pdf" in pdf["Content-Disposition"]
    word = client.get(reverse("deviations:notification_package", args=[notification.pk, "docx"]))
    assert f"ivo-lex-sarah-{deviation.reference}.docx" in word["Content-Disposition"]
    text = docx_text(word.content)
    assert deviation.reference in text
    assert "Rutinen för kvällsinsatser var okänd." in text  # the investigation's conclusion
    assert Cause.objects.get(code="routine-not-known").name in text
    assert "Greta Gustafsson" not in text  # the protected identity never leaves

    sent_at = timezone.now().replace(second=0, microsecond=0)
    record = reverse("deviations:notification_record", args=[notification.pk])
    response = client.post(
        record, {"step": "send", "send-sent_at": local(sent_at), "send-channel": "e_service"}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.state, notification.decision) == ("sent", "notify")
    assert notification.sent_by == cast.quality and notification.sent_at == sent_at
    assert clock(track, ClockEnd.NOTIFIED).met_at == sent_at  # the lex-sarah-ivo clock is met
    assert clock(track, ClockEnd.NOTIFIED).rule.code == "lex-sarah-ivo"

    client.post(record, {"step": "registry_number", "case-registry_number": "3.1.1-12345/2026"})
    today = timezone.localdate()
    client.post(
        record,
        {
            "step": "contact",
            "contact-kind": "request",
            "contact-on": today.isoformat(),
            "contact-text": "IVO begär utredningen.",
            "contact-reply_by": (today + timedelta(days=14)).isoformat(),
        },
    )
    client.post(
        record,
        {
            "step": "contact",
            "contact-kind": "decision",
            "contact-on": today.isoformat(),
            "contact-text": "IVO avslutar ärendet.",
        },
    )
    notification.refresh_from_db()
    assert notification.registry_number == "3.1.1-12345/2026"
    assert (notification.state, notification.decided_at) == ("decided", today)
    assert list(notification.contacts.values_list("kind", flat=True)) == ["request", "decision"]
    assert notification.contacts.get(kind="request").reply_by == today + timedelta(days=14)
    # The decision closes the matter.
    client.post(
        record,
        {"step": "contact", "contact-kind": "reply", "contact-on": today, "contact-text": "X"},
    )
    assert notification.contacts.count() == 2
    verbs = set(
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(AuthorityNotification),
            object_id=str(notification.pk),
        ).values_list("verb", flat=True)
    )
    assert {
        "deviations.notification_created",
        "deviations.notification_saved",
        "deviations.notification_sent",
        "deviations.notification_registry_number",
        "deviations.notification_contact",
    } <= verbs
    final = client.get(url)
    assert final.status_code == 200 and b"3.1.1-12345/2026" in final.content
    assert "content_form" not in final.context  # what was sent stays as it was


def test_not_serious_or_unjudged_lex_sarah_is_not_notified(cast, login):
    client = login(cast.quality)
    for serious in (None, False):
        track = lex_sarah(cast, serious=serious)
        url = reverse("deviations:notification_new", args=[track.pk])
        options = client.get(url).context["options"]
        assert options[0]["reason"]
        assert client.post(url, {"recipient": "ivo_lex_sarah"}).status_code == 200
        assert not AuthorityNotification.objects.filter(track=track).exists()
        with pytest.raises(ValidationError):
            ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)


def test_a_track_is_notified_only_to_its_own_recipients(cast):
    track = lex_sarah(cast)
    for recipient in ("imy", "people_concerned", "ivo_lex_maria", "bogus"):
        with pytest.raises(ValidationError):
            ns.create_notification(track, recipient, actor=cast.quality)
    (other,) = services.triage(report(cast), actor=cast.manager_a, kinds=[TrackKind.OTHER])
    assert ns.possible_recipients(other) == []


def test_a_serious_ivo_notification_cannot_be_declined(cast):
    track = lex_sarah(cast)
    notification, _ = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    with pytest.raises(ValidationError):
        ns.record_not_notified(notification, actor=cast.quality, reason="Vi avstår.")
    assert AuthorityNotification.objects.get(pk=notification.pk).state == "draft"


def test_lex_maria_to_ivo_with_the_patient_anonymous(cast):
    deviation = report(cast, hint_health_care=True)
    (track,) = services.triage(
        deviation,
        actor=cast.manager_a,
        kinds=[TrackKind.LEX_MARIA],
        investigators=[cast.parent_manager],
    )
    investigation_services.decide_serious(track, True, actor=cast.parent_manager)
    notification, created = ns.create_notification(
        track, "ivo_lex_maria", actor=cast.parent_manager
    )
    assert created and notification.what_happened == DESCRIPTION
    ns.save_content(
        notification,
        actor=cast.parent_manager,
        event_kind="risk",
        consequences="Risk för allvarlig vårdskada.",
        patient_age=84,
        patient_sex="female",
    )
    with pytest.raises(ValueError):  # an IMY field is not part of IVO's lex Maria form
        ns.save_content(notification, actor=cast.parent_manager, data_kinds="Namn")
    notification.refresh_from_db()
    assert packages.filename_of(notification, "docx") == f"ivo-lex-maria-{deviation.reference}.docx"
    text = docx_text(packages.render_docx_package(notification))
    assert "84" in text and deviation.reference in text and "Greta Gustafsson" not in text


def test_the_package_removes_personal_identity_numbers(cast):
    track = lex_sarah(cast)
    notification, _ = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    AuthorityNotification.objects.filter(pk=notification.pk).update(
        what_happened="Gällde brukaren 19121212-1212 på rum 4."
    )
    notification.refresh_from_db()
    text = docx_text(packages.render_docx_package(notification))
    assert "1212-1212" not in text and "rum 4" in text


def test_unknown_package_formats_are_not_found(cast, login):
    track = lex_sarah(cast)
    notification, _ = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    url = reverse("deviations:notification_package", args=[notification.pk, "txt"])
    assert login(cast.quality).get(url).status_code == 404


# -- IMY: the 72-hour clock set by law ---------------------------------------------------------


def test_imy_notified_within_72_hours(cast, login):
    track = breach(cast, aware_hours_ago=2)
    notification, _ = ns.create_notification(track, "imy", actor=cast.parent_manager)
    imy_ready(notification, cast.parent_manager)
    client = login(cast.parent_manager)
    page = client.get(notification.get_absolute_url())
    imy_clock = clock(track, ClockEnd.NOTIFIED)
    assert imy_clock.rule.is_law and page.context["law_deadline"] == imy_clock.due_at
    assert imy_clock.due_at == track.deviation.aware_at + timedelta(hours=72)
    assert page.context["clock_rows"][0]["remaining"] > timedelta(hours=69)
    response = client.post(
        reverse("deviations:notification_record", args=[notification.pk]),
        {"step": "send", "send-sent_at": local(timezone.now()), "send-channel": "e_service"},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == "sent" and notification.delay_reason == ""
    assert clock(track, ClockEnd.NOTIFIED).met_at == notification.sent_at


def test_imy_notified_late_needs_the_reason_for_the_delay(cast, login):
    track = breach(cast, aware_hours_ago=80)
    notification, _ = ns.create_notification(track, "imy", actor=cast.parent_manager)
    imy_ready(notification, cast.parent_manager)
    client = login(cast.parent_manager)
    record = reverse("deviations:notification_record", args=[notification.pk])
    sent = local(timezone.now())
    response = client.post(record, {"step": "send", "send-sent_at": sent, "send-channel": "letter"})
    assert response.status_code == 200  # refused, the form is shown again
    form = response.context["send_form"]
    assert "delay_reason" in form.errors
    assert form.data["send-channel"] == "letter" and form.data["send-sent_at"] == sent
    assert AuthorityNotification.objects.get(pk=notification.pk).state == "draft"
    assert clock(track, ClockEnd.NOTIFIED).met_at is None
    response = client.post(
        record,
        {
            "step": "send",
            "send-sent_at": sent,
            "send-channel": "letter",
            "send-delay_reason": "Incidenten upptäcktes i samband med en helg.",
        },
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == "sent"
    assert notification.delay_reason == "Incidenten upptäcktes i samband med en helg."
    assert clock(track, ClockEnd.NOTIFIED).met_at is not None


def test_imy_cannot_be_sent_incomplete_or_in_the_future(cast):
    track = breach(cast)
    notification, _ = ns.create_notification(track, "imy", actor=cast.parent_manager)
    with pytest.raises(ValidationError):  # no type of breach, categories, ...
        ns.record_sent(
            notification, actor=cast.parent_manager, sent_at=timezone.now(), channel="e_service"
        )
    imy_ready(notification, cast.parent_manager)
    with pytest.raises(ValidationError):
        ns.record_sent(
            notification,
            actor=cast.parent_manager,
            sent_at=timezone.now() + timedelta(days=1),
            channel="e_service",
        )
    with pytest.raises(ValidationError):  # a letter to the people is no way to notify IMY
        ns.record_sent(
            notification,
            actor=cast.parent_manager,
            sent_at=timezone.now(),
            channel="public_notice",
        )
    assert AuthorityNotification.objects.get(pk=notification.pk).state == "draft"


def test_a_breach_not_notified_is_documented_with_its_reason(cast, login):
    track = breach(cast, serious=False)
    client = login(cast.parent_manager)
    client.post(reverse("deviations:notification_new", args=[track.pk]), {"recipient": "imy"})
    notification = AuthorityNotification.objects.get(track=track, recipient="imy")
    assert notification.people_informed == "no"  # prefilled: the risk was judged not high
    record = reverse("deviations:notification_record", args=[notification.pk])
    response = client.post(record, {"step": "not_notify", "decline-reason": "  "})
    assert response.status_code == 200 and response.context["not_notify_form"].errors
    assert AuthorityNotification.objects.get(pk=notification.pk).state == "draft"
    response = client.post(
        record,
        {"step": "not_notify", "decline-reason": "Uppgifterna var krypterade; ingen risk."},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.state, notification.decision) == ("not_notified", "not_notify")
    assert notification.not_notify_reason == "Uppgifterna var krypterade; ingen risk."
    assert clock(track, ClockEnd.NOTIFIED).met_at is not None
    # New facts: the decision is reconsidered and the clock runs again.
    assert client.post(record, {"step": "reconsider"}).status_code == 302
    notification.refresh_from_db()
    assert notification.state == "draft" and notification.decision == ""
    assert clock(track, ClockEnd.NOTIFIED).met_at is None


def test_informing_the_people_concerned_stops_their_clock(cast, login):
    track = breach(cast, serious=True)
    before = len(
        investigation_services.closing_gaps(track)
    )  # among them: the people must be informed
    client = login(cast.parent_manager)
    client.post(
        reverse("deviations:notification_new", args=[track.pk]), {"recipient": "people_concerned"}
    )
    notification = AuthorityNotification.objects.get(track=track, recipient="people_concerned")
    assert track.deviation.description in notification.message
    with pytest.raises(ValidationError):  # IMY's e-service is not how people are told
        ns.record_sent(
            notification, actor=cast.parent_manager, sent_at=timezone.now(), channel="e_service"
        )
    response = client.post(
        reverse("deviations:notification_record", args=[notification.pk]),
        {"step": "send", "send-sent_at": local(timezone.now()), "send-channel": "letter"},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == "sent" and notification.channel == "letter"
    informed = clock(track, ClockEnd.PEOPLE_INFORMED)
    assert informed.met_at == notification.sent_at
    assert clock(track, ClockEnd.NOTIFIED).met_at is None  # IMY's clock runs on
    assert len(investigation_services.closing_gaps(Track.objects.get(pk=track.pk))) == before - 1
    # IMY's form is then prefilled with the date the people were informed.
    imy, _ = ns.create_notification(track, "imy", actor=cast.parent_manager)
    assert imy.people_informed == "yes"
    assert imy.people_informed_on == timezone.localtime(notification.sent_at).date()
    # No registry number or authority decision for a letter to the people.
    with pytest.raises(ValidationError):
        ns.set_registry_number(notification, actor=cast.parent_manager, registry_number="1")


def test_the_people_are_informed_only_when_the_risk_is_high(cast, login):
    track = breach(cast, serious=False)
    client = login(cast.parent_manager)
    response = client.post(
        reverse("deviations:notification_new", args=[track.pk]), {"recipient": "people_concerned"}
    )
    assert response.status_code == 200
    assert not AuthorityNotification.objects.filter(track=track).exists()


# -- forms ------------------------------------------------------------------------------------


def test_an_invalid_draft_keeps_what_was_typed(cast, login):
    track = lex_sarah(cast)
    notification, _ = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    client = login(cast.quality)
    response = client.post(
        notification.get_absolute_url(),
        content_post(
            notification,
            consequences="Brukaren 19121212-1212 blev ledsen.",
            measures_planned="Ny rutin för kvällen.",
            contact_email="inte-en-adress",
        ),
    )
    assert response.status_code == 200
    form = response.context["content_form"]
    assert {"consequences", "contact_email"} <= set(form.errors)
    assert "Ny rutin för kvällen." in response.content.decode()
    notification.refresh_from_db()
    assert notification.consequences == "" and "Ny rutin" not in notification.measures_planned


def test_double_submit_creates_one_notification(cast, login):
    track = breach(cast)
    client = login(cast.parent_manager)
    url = reverse("deviations:notification_new", args=[track.pk])
    first = client.post(url, {"recipient": "imy"})
    second = client.post(url, {"recipient": "imy"})
    assert first["Location"] == second["Location"]
    assert AuthorityNotification.objects.filter(track=track).count() == 1
    with pytest.raises(IntegrityError):
        AuthorityNotification.objects.create(track=track, recipient="imy")


# -- who may do what ---------------------------------------------------------------------------


def _urls(notification):
    return [
        ("get", reverse("deviations:notification_detail", args=[notification.pk])),
        ("post", reverse("deviations:notification_detail", args=[notification.pk])),
        ("get", reverse("deviations:notification_package", args=[notification.pk, "pdf"])),
        ("get", reverse("deviations:notification_package", args=[notification.pk, "docx"])),
        ("post", reverse("deviations:notification_record", args=[notification.pk])),
        ("get", reverse("deviations:notification_new", args=[notification.track_id])),
        ("post", reverse("deviations:notification_new", args=[notification.track_id])),
    ]


def test_a_unit_manager_without_the_notify_key_reads_but_may_not_notify(cast, login):
    track = breach(cast)
    notification, _ = ns.create_notification(track, "imy", actor=cast.parent_manager)
    client = login(cast.manager_a)
    assert client.get(notification.get_absolute_url()).status_code == 200
    assert "content_form" not in client.get(notification.get_absolute_url()).context
    new = reverse("deviations:notification_new", args=[track.pk])
    assert client.get(new).status_code == 403
    assert client.post(new, {"recipient": "people_concerned"}).status_code == 403
    record = reverse("deviations:notification_record", args=[notification.pk])
    assert client.post(record, {"step": "not_notify", "decline-reason": "X"}).status_code == 403
    assert client.post(notification.get_absolute_url(), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        ns.record_not_notified(notification, actor=cast.manager_a, reason="X")
    assert AuthorityNotification.objects.get(pk=notification.pk).state == "draft"


def test_other_units_and_trees_do_not_see_notifications(cast, login):
    track = lex_sarah(cast)
    notification, _ = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    # A department manager of the sibling unit: holds every key, but not over unit A.
    notifier_b = _user("notifier_b")
    RoleAssignment.objects.create(
        user=notifier_b,
        role=Role.objects.get(code="department_manager"),
        node=cast.unit_b,
        include_subtree=True,
    )
    for method, url in _urls(notification):
        response = getattr(login(notifier_b), method)(url)
        assert response.status_code == 404, url
    for who in (cast.sibling, cast.other_root, cast.outsider):
        client = login(who)
        for method, url in _urls(notification):
            assert getattr(client, method)(url).status_code in (403, 404), (who, url)
    assert AuthorityNotification.objects.get(pk=notification.pk).state == "draft"


def test_non_readers_of_lex_sarah_never_see_its_notification(cast, login):
    track = lex_sarah(cast)
    notification, _ = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    ns.save_content(notification, actor=cast.quality, consequences="Hemlig konsekvens.")
    # The unit manager sees the report, not the restricted investigation nor its notification.
    client = login(cast.manager_a)
    for method, url in _urls(notification)[:4]:
        response = getattr(client, method)(url)
        assert response.status_code == 404 and b"Hemlig" not in response.content
    ct = ContentType.objects.get_for_model(AuthorityNotification)
    assert client.get(reverse("audit:history", args=[ct.pk, notification.pk])).status_code == 404
    deviation_page = client.get(reverse("deviations:detail", args=[track.deviation_id]))
    assert notification.get_absolute_url().encode() not in deviation_page.content
    # A health-care manager holds the notify key but reads lex Maria, not lex Sarah.
    hsl = _user("hsl")
    RoleAssignment.objects.create(
        user=hsl,
        role=Role.objects.get(code="health_care_manager"),
        node=cast.dept,
        include_subtree=True,
    )
    client = login(hsl)
    for method, url in _urls(notification):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404) and b"Hemlig" not in response.content
    assert not ns.may_notify(hsl, track)


def test_the_case_page_lists_notifications_without_a_query_per_track(cast, login):
    def case(kinds):
        deviation = report(cast)
        for track in services.triage(
            deviation, actor=cast.manager_a, kinds=kinds, investigators=[cast.parent_manager]
        ):
            investigation_services.decide_serious(track, True, actor=cast.parent_manager)
            track = Track.objects.get(pk=track.pk)
            for option in ns.possible_recipients(track):
                ns.create_notification(track, option["recipient"], actor=cast.parent_manager)
        return reverse("deviations:detail", args=[deviation.pk])

    small = case([TrackKind.DATA_BREACH])
    large = case([TrackKind.LEX_SARAH, TrackKind.LEX_MARIA, TrackKind.DATA_BREACH])
    client = login(cast.parent_manager)
    client.get(small), client.get(large)
    with CaptureQueriesContext(connection) as one_track:
        client.get(small)
    with CaptureQueriesContext(connection) as three_tracks:
        page = client.get(large)
    assert len(three_tracks.captured_queries) == len(one_track.captured_queries)
    listed = AuthorityNotification.objects.filter(track__deviation_id=page.context["deviation"].pk)
    assert listed.count() == 4
    for notification in listed:
        assert notification.get_absolute_url().encode() in page.content
    track = listed.first().track
    assert reverse("deviations:notification_new", args=[track.pk]).encode() in page.content


def test_the_notification_page_is_bounded_with_many_contacts(
    cast, login, django_assert_max_num_queries
):
    track = breach(cast)
    notification, _ = ns.create_notification(track, "imy", actor=cast.parent_manager)
    imy_ready(notification, cast.parent_manager)
    ns.record_sent(
        notification, actor=cast.parent_manager, sent_at=timezone.now(), channel="e_service"
    )
    for i in range(8):
        ns.add_contact(
            notification,
            actor=cast.parent_manager if i % 2 else cast.quality,
            kind="request" if i % 2 else "reply",
            on=timezone.localdate(),
            text=f"Kontakt {i}",
        )
    client = login(cast.parent_manager)
    client.get(notification.get_absolute_url())
    with django_assert_max_num_queries(30):
        response = client.get(notification.get_absolute_url())
    assert response.status_code == 200 and len(response.context["contacts"]) == 8
    with CaptureQueriesContext(connection) as eight:
        client.get(notification.get_absolute_url())
    AuthorityContact.objects.filter(notification=notification)[0].delete()
    with CaptureQueriesContext(connection) as seven:
        client.get(notification.get_absolute_url())
    assert len(eight.captured_queries) == len(seven.captured_queries)
