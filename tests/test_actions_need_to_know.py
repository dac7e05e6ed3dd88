"""Need-to-know follows the record: an action made in a lex Sarah investigation is read only by
those who may read the track (accounts/need_to_know.py), and by its owner without its source.

In the cast, the unit manager of unit A holds actions.view and audit.view_history there but is
no reader of lex Sarah (the rule table names the department manager, the quality developer and
the investigation secretary); the department manager and the quality developer are readers.
"""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.need_to_know import hidden_q, source_readable
from actions import services
from actions.models import Action, ActionTransition, Status
from audit.models import AccessLog
from deviations import services as deviation_services
from legal.rules import TrackKind

MARKER = "Hemlig-lexsarah-åtgärd"


def in_a_week():
    return timezone.localdate() + datetime.timedelta(days=7)


def _track(cast, kind=TrackKind.LEX_SARAH):
    deviation = deviation_services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        description="Brukaren fick fel läkemedel.",
        immediate_action="Läkare kontaktades.",
        service_user_affected="yes",
    )
    (track,) = deviation_services.triage(deviation, actor=cast.manager_a, kinds=[kind])
    return track


@pytest.fixture
def restricted(cast):
    """An action of a lex Sarah track in unit A owned by the department manager, one owned by
    a staff member, and an ordinary action of the unit."""
    track = _track(cast)
    made = {
        "track": track,
        "action": services.create_action(
            actor=cast.quality,
            unit=cast.unit_a,
            title=MARKER,
            owner=cast.parent_manager,
            due_date=in_a_week(),
            source=track,
        ),
        "owned_by_staff": services.create_action(
            actor=cast.quality,
            unit=cast.unit_a,
            title="Gå utbildningen i läkemedelshantering",
            owner=cast.same_unit,
            due_date=in_a_week(),
            source=track,
        ),
        "plain": services.create_action(
            actor=cast.quality,
            unit=cast.unit_a,
            title="Vanlig åtgärd",
            owner=cast.manager_a,
            due_date=in_a_week(),
        ),
    }
    services.change_status(made["action"], Status.IN_PROGRESS, actor=cast.parent_manager)
    return made


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def _history_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("audit:history", args=[ct.pk, obj.pk])


def test_a_non_reader_of_the_track_finds_the_action_nowhere(cast, login, restricted):
    action, track = restricted["action"], restricted["track"]
    client = login(cast.manager_a)
    listed = client.get(reverse("actions:list"), {"status": "all"})
    assert listed.status_code == 200
    pks = [a.pk for a in listed.context["page"].object_list]
    assert action.pk not in pks and restricted["plain"].pk in pks
    assert MARKER.encode() not in listed.content
    assert track.deviation.reference.encode() not in listed.content
    rows = _csv(client.get(reverse("actions:export"), {"status": "all"}))
    assert action.pk not in {int(r[0]) for r in rows[1:]}
    assert MARKER not in str(rows)
    for name in ("detail", "edit", "effect"):
        assert client.get(reverse(f"actions:{name}", args=[action.pk])).status_code == 404
    assert client.post(reverse("actions:transition", args=[action.pk])).status_code == 404
    assert client.get(_history_url(action)).status_code == 404
    transition = ActionTransition.objects.get(action=action)
    assert client.get(_history_url(transition)).status_code == 404
    # A follow-up of it cannot be started either.
    created = client.get(reverse("actions:create"), {"follow_up": action.pk})
    assert created.status_code == 404
    inbox = client.get(reverse("notifications:inbox"))
    assert MARKER.encode() not in inbox.content
    start = client.get("/")
    assert MARKER.encode() not in start.content


def test_the_readers_of_the_track_see_it_and_the_read_is_logged(cast, login, restricted):
    action, track = restricted["action"], restricted["track"]
    for reader in (cast.parent_manager, cast.quality):
        client = login(reader)
        listed = client.get(reverse("actions:list"), {"status": "all"})
        assert action.pk in [a.pk for a in listed.context["page"].object_list]
        before = AccessLog.objects.filter(user=reader, object_id=str(action.pk)).count()
        page = client.get(reverse("actions:detail", args=[action.pk]))
        assert page.status_code == 200
        assert str(track).encode() in page.content
        assert client.get(reverse("actions:edit", args=[action.pk])).status_code == 200
        assert client.get(_history_url(action)).status_code == 200
        logged = AccessLog.objects.filter(
            user=reader,
            content_type=ContentType.objects.get_for_model(Action),
            object_id=str(action.pk),
        )
        assert logged.count() >= before + 2  # the page and the history page


def test_an_ordinary_action_is_no_logged_read(cast, login, restricted):
    login(cast.manager_a).get(reverse("actions:detail", args=[restricted["plain"].pk]))
    assert not AccessLog.objects.filter(object_id=str(restricted["plain"].pk)).exists()


def test_the_owner_does_the_work_without_seeing_the_source(cast, login, restricted):
    action, track = restricted["owned_by_staff"], restricted["track"]
    client = login(cast.same_unit)
    listed = client.get(reverse("actions:list"), {"mine": "on"})
    assert [a.pk for a in listed.context["page"].object_list] == [action.pk]
    assert str(track).encode() not in listed.content
    assert track.deviation.reference.encode() not in listed.content
    rows = _csv(client.get(reverse("actions:export"), {"mine": "on"}))
    assert [int(r[0]) for r in rows[1:]] == [action.pk]
    assert track.deviation.reference not in str(rows)
    page = client.get(reverse("actions:detail", args=[action.pk]))
    assert page.status_code == 200
    assert track.deviation.reference.encode() not in page.content
    assert b'id="move-in_progress"' in page.content
    moved = client.post(reverse("actions:transition", args=[action.pk]), {"to": "in_progress"})
    assert moved.status_code == 302
    assert Action.objects.get(pk=action.pk).status == Status.IN_PROGRESS
    inbox = client.get(reverse("notifications:inbox"))
    assert action.title.encode() in inbox.content
    assert track.deviation.reference.encode() not in inbox.content


def test_an_owner_who_may_not_read_the_source_may_not_edit_it(cast, login, restricted):
    # The unit manager holds actions.manage in unit A and is given the action: she does the
    # work but reassigning and copying stay with the readers of the track.
    action = restricted["action"]
    services.update_action(action, actor=cast.quality, owner=cast.manager_a)
    client = login(cast.manager_a)
    page = client.get(reverse("actions:detail", args=[action.pk]))
    assert page.status_code == 200
    assert b'id="action-edit"' not in page.content
    assert restricted["track"].deviation.reference.encode() not in page.content
    # Her history panel shows the events but not the source label.
    assert str(restricted["track"]).encode() not in page.content
    assert client.get(reverse("actions:edit", args=[action.pk])).status_code == 403
    assert client.get(reverse("actions:create"), {"follow_up": action.pk}).status_code == 403


def test_the_assignment_e_mail_names_the_source_only_to_a_reader(
    cast, restricted, django_capture_on_commit_callbacks
):
    track = restricted["track"]
    with django_capture_on_commit_callbacks(execute=True):
        services.create_action(
            actor=cast.quality,
            unit=cast.unit_a,
            title="Till en som inte läser",
            owner=cast.same_unit,
            due_date=in_a_week(),
            source=track,
        )
        services.create_action(
            actor=cast.quality,
            unit=cast.unit_a,
            title="Till en som läser",
            owner=cast.parent_manager,
            due_date=in_a_week(),
            source=track,
        )
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert track.deviation.reference not in bodies[cast.same_unit.email]
    assert track.deviation.reference in bodies[cast.parent_manager.email]


def test_an_investigator_reads_the_actions_of_their_track(cast, restricted):
    track = restricted["track"]
    assert not source_readable(cast.manager_a, restricted["action"])
    track.investigators.add(cast.manager_a)
    cast.manager_a.__dict__.pop("_hjulet_unreadable", None)
    assert source_readable(cast.manager_a, restricted["action"])
    assert restricted["action"] in Action.objects.visible_to(cast.manager_a)


def test_actions_of_an_unrestricted_track_follow_the_unit(cast, restricted):
    other = services.create_action(
        actor=cast.quality,
        unit=cast.unit_a,
        title="Från en vanlig avvikelse",
        owner=cast.quality,
        due_date=in_a_week(),
        source=_track(cast, TrackKind.OTHER),
    )
    assert other in Action.objects.visible_to(cast.manager_a)


def test_the_rule_is_one_subquery(cast, restricted, django_assert_num_queries):
    user = cast.manager_a
    hidden_q(Action, user)  # builds the rule once per person and request
    with django_assert_num_queries(1):
        pks = list(Action.objects.visible_to(user).values_list("pk", flat=True))
    assert restricted["action"].pk not in pks


def test_the_list_needs_no_query_per_hidden_row(
    cast, login, restricted, django_assert_max_num_queries
):
    track = restricted["track"]
    for i in range(30):
        services.create_action(
            actor=cast.quality,
            unit=cast.unit_a,
            title=f"Åtgärd {i}",
            owner=cast.same_unit if i % 2 else cast.parent_manager,
            due_date=in_a_week(),
            source=track,
        )
    for user, count in ((cast.same_unit, 16), (cast.manager_a, 1), (cast.parent_manager, 33)):
        client = login(user)
        client.get(reverse("actions:list"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse("actions:list"))
        assert response.context["page"].paginator.count == count, user


def test_a_routine_version_names_the_action_only_to_its_readers(cast, login, restricted):
    from routines.services.loop import revise_from_action
    from routines.services.publish import publish
    from routines.services.review import approve
    from tests.test_routines_w_helpers import published

    routine = published(cast)
    version = revise_from_action(
        restricted["action"], routine, actor=cast.parent_manager, change_summary="Ny ordning"
    )
    edit_url = reverse("routines:edit", args=[version.pk])
    assert MARKER.encode() in login(cast.parent_manager).get(edit_url).content
    edit = login(cast.manager_a).get(edit_url)
    assert edit.status_code == 200 and MARKER.encode() not in edit.content
    # The unit manager approves and publishes her unit's routine; the action is completed by it.
    approve(version, actor=cast.manager_a)
    publish(version, actor=cast.manager_a)
    assert Action.objects.get(pk=restricted["action"].pk).status == Status.DONE
    url = reverse("routines:version", args=[version.pk])
    assert MARKER.encode() in login(cast.parent_manager).get(url).content
    for user in (cast.manager_a, cast.same_unit):
        page = login(user).get(url)
        assert page.status_code == 200
        assert MARKER.encode() not in page.content


def test_a_routine_revised_from_a_restricted_action_does_not_copy_its_title(cast, restricted):
    from routines.services.loop import revise_from_action
    from tests.test_routines_w_helpers import published

    version = revise_from_action(restricted["action"], published(cast), actor=cast.parent_manager)
    assert MARKER not in version.change_summary
    assert version.change_summary == "Reviderad efter en åtgärd."
