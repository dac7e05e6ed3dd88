"""The regulation's improvement loop, end to end, through the services the pages call:

a care worker reports a deviation → the unit manager investigates it and finds its cause → an
action "revise the routine" → the revised routine is published → the staff are asked to read
it and acknowledge it → the next self-inspection answers the question the action's effect was
handed to → the action's effect is recorded, and each step can be traced from the next.
"""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from actions.models import EffectOutcome, Status
from deviations import services as deviation_services
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Cause
from inspections.models import EffectFollowUp
from inspections.services.follow_up import hand_over
from legal.rules import TrackKind
from routines.acknowledgments import acknowledge
from routines.models import Acknowledgment, VersionState
from routines.services.draft import update_draft
from routines.services.loop import revise_from_action
from routines.services.publish import publish
from routines.services.review import approve
from tests.inspections_helpers import execute, plan_item, template
from tests.routines_s_helpers import routine_in_force


def test_a_deviation_leads_to_a_revised_routine_read_by_staff_and_an_effect_confirmed(cast, login):
    routine = routine_in_force(cast, title="Läkemedelshantering", body="<p>Gammal ordning.</p>")
    # Reported on the phone by the care worker, triaged by the unit manager.
    deviation = deviation_services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        description="Kvällsdosen gavs två gånger.",
        immediate_action="Sjuksköterskan kontaktades.",
        service_user_affected="yes",
    )
    (track,) = deviation_services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    investigation_services.move_track(track, "start_investigation", actor=cast.manager_a)
    track.refresh_from_db()
    cause = Cause.objects.filter(is_active=True).first()
    investigation_services.save_investigation(
        track,
        actor=cast.manager_a,
        causes=[cause],
        conclusion="Signeringslistan följde inte med dosetten.",
        decision="Rutinen ändras.",
    )
    action = investigation_services.add_track_action(
        track,
        actor=cast.manager_a,
        title="Revidera läkemedelsrutinen",
        owner=cast.manager_a,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert action.source == track and action.status == Status.PLANNED

    # The action opens the routine's next version; publishing it completes the action.
    draft = revise_from_action(action, routine, actor=cast.manager_a)
    update_draft(draft, actor=cast.manager_a, body="<p>Signeringslistan följer dosetten.</p>")
    approve(draft, actor=cast.manager_a)
    publish(draft, actor=cast.manager_a)
    action.refresh_from_db()
    draft.refresh_from_db()
    assert draft.state == VersionState.PUBLISHED
    assert action.status == Status.DONE and action.evidence == draft

    # The staff are asked to read the new version; the care worker acknowledges it.
    task = Acknowledgment.objects.get(version=draft, user=cast.same_unit)
    assert task.acknowledged_at is None
    acknowledge(task, cast.same_unit)
    task.refresh_from_db()
    assert task.acknowledged_at is not None

    # The effect is handed to the self-inspection's question and confirmed by its next answer.
    checklist = template(cast)
    question = checklist.questions.order_by("order")[1]
    hand_over(action, actor=cast.manager_a, question=question)
    execution = execute(cast, ["yes", "yes", "yes"], item=plan_item(cast, checklist))
    action.refresh_from_db()
    assert action.status == Status.EFFECT_CHECKED
    assert action.effect_ok == EffectOutcome.YES
    # What showed the action done stays the revised routine; the execution is on the follow-up.
    assert action.evidence == draft
    assert EffectFollowUp.objects.get(action=action).execution == execution

    # Each step leads to the next on the pages: the case to its investigation, which lists the
    # action; the action to its routine version and the self-inspection that confirmed it.
    client = login(cast.manager_a)
    investigation = reverse("deviations:investigation", args=[track.pk])
    case = client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert investigation in case
    assert action.get_absolute_url() in client.get(investigation).content.decode()
    page = client.get(action.get_absolute_url()).content.decode()
    assert reverse("routines:version", args=[draft.pk]) in page
    assert execution.get_absolute_url() in page
    # And back from the other end: the self-inspection names the action, which leads to the
    # case it came from.
    inspection = client.get(execution.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in inspection
    source = re.search(r'id="action-source"><a href="([^"]+)"', page).group(1)
    assert source == reverse("deviations:detail", args=[deviation.pk]) + f"#track-{track.pk}"
    assert f'id="track-{track.pk}"' in case
