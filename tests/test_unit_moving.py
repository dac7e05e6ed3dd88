"""A unit's open cases are moved to the unit that takes over; then the unit closes.

Issue 8, point 7: the refusal to close names the open cases, and moving them is real.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from actions import services as action_services
from actions.models import Action
from analysis.models import ReportCount
from analysis.tasks import refresh_statistics_task
from audit.models import Event
from deviations.models import Deviation, DeviationStatus
from organisation import services as org
from organisation.models import OrgNode
from processes import services as process_services
from processes.models import Process
from tests.test_unit_closing import _deviation


def _action(cast, unit):
    return action_services.create_action(
        actor=cast.parent_manager,
        unit=unit,
        title="Nya nyckelrutiner",
        owner=cast.parent_manager,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )


def _cases_of_b(cast):
    open_deviation = _deviation(cast, cast.unit_b)
    closed_deviation = _deviation(cast, cast.unit_b)
    Deviation.objects.filter(pk=closed_deviation.pk).update(status=DeviationStatus.CLOSED)
    open_action = _action(cast, cast.unit_b)
    done_action = _action(cast, cast.unit_b)
    Action.objects.filter(pk=done_action.pk).update(status="cancelled")
    process = process_services.create_process(
        actor=None, unit=cast.unit_b, name="Inskrivning", purpose="Syfte", owner=cast.parent_manager
    )
    return open_deviation, closed_deviation, open_action, done_action, process


def _unit(model, obj):
    return model.objects.values_list("unit_id", flat=True).get(pk=obj.pk)


def test_open_cases_move_and_the_unit_then_closes(cast, login):
    open_dev, closed_dev, open_action, done_action, process = _cases_of_b(cast)
    client = login(cast.quality)
    response = client.post(
        reverse("organisation:node_move_cases", args=[cast.unit_b.pk]),
        {"target": cast.unit_a.pk},
    )
    assert response.status_code == 302
    assert _unit(Deviation, open_dev) == cast.unit_a.pk
    assert _unit(Deviation, closed_dev) == cast.unit_b.pk
    assert _unit(Action, open_action) == cast.unit_a.pk
    assert _unit(Action, done_action) == cast.unit_b.pk
    assert _unit(Process, process) == cast.unit_a.pk

    event = Event.objects.get(verb="organisation.cases_moved")
    assert event.object_id == str(cast.unit_b.pk) and event.actor == cast.quality
    assert event.params == {"target": "Enhet A", "count": "3"}
    moved = Event.objects.get(verb="deviations.unit_moved", object_id=str(open_dev.pk))
    # The event names the units only, never what the report says.
    assert "Fall" not in str(moved.params) and moved.params["target"] == "Enhet A"
    updates = LogEntry.objects.get_for_object(open_dev).filter(action=LogEntry.Action.UPDATE)
    assert any("unit" in entry.changes_dict for entry in updates)  # the change log has it

    response = client.post(reverse("organisation:node_close", args=[cast.unit_b.pk]))
    assert response.status_code == 302
    assert not OrgNode.objects.get(pk=cast.unit_b.pk).is_active


def test_the_refusal_page_offers_the_units_that_can_take_over(cast, login):
    _deviation(cast, cast.unit_b)
    page = login(cast.quality).post(reverse("organisation:node_close", args=[cast.unit_b.pk]))
    assert page.status_code == 409
    choices = page.context["form"].fields["target"].queryset
    assert cast.unit_a in choices and cast.unit_b not in choices
    assert cast.other_root_node not in choices and cast.dept not in choices
    assert reverse("organisation:node_move_cases", args=[cast.unit_b.pk]) in page.content.decode()


@pytest.mark.parametrize("where", ["below", "closed", "self"])
def test_a_target_that_cannot_take_over_is_refused(cast, where):
    _deviation(cast, cast.unit_b)
    target = {
        "below": lambda: org.create_node(actor=None, kind="unit", name="C", parent=cast.unit_b),
        "closed": lambda: org.close_node(
            org.create_node(actor=None, kind="unit", name="C", parent=cast.dept), actor=None
        ),
        "self": lambda: cast.unit_b,
    }[where]()
    with pytest.raises(ValidationError) as error:
        org.move_open_cases(cast.unit_b, target, actor=cast.quality)
    assert error.value.message_dict["target"]
    assert Deviation.objects.filter(unit=cast.unit_b).count() == 1
    assert not Event.objects.filter(verb="organisation.cases_moved").exists()


def test_a_target_outside_the_scope_is_a_form_error_not_a_leak(cast, login):
    _deviation(cast, cast.unit_b)
    foreign = org.create_node(
        actor=None, kind="unit", name="Främmande enhet", parent=cast.other_root_node
    )
    below = org.create_node(actor=None, kind="unit", name="Under B", parent=cast.unit_b)
    client = login(cast.quality)
    url = reverse("organisation:node_move_cases", args=[cast.unit_b.pk])
    for target in (foreign.pk, below.pk, 999999, "x"):
        response = client.post(url, {"target": target})
        assert response.status_code == 400
        assert response.context["form"].errors["target"] == [
            gettext("Select a valid choice. That choice is not one of the available choices.")
        ]
        assert "Främmande enhet" not in response.content.decode()
    assert Deviation.objects.filter(unit=cast.unit_b).count() == 1


def test_moving_needs_organisation_manage(cast, login):
    _deviation(cast, cast.unit_b)
    url = reverse("organisation:node_move_cases", args=[cast.unit_b.pk])
    for person in (cast.sibling, cast.manager_a):
        assert login(person).post(url, {"target": cast.unit_a.pk}).status_code in (403, 404)
    assert Deviation.objects.filter(unit=cast.unit_b).count() == 1


def test_the_statistics_count_a_moved_report_at_its_new_unit(cast, settings):
    settings.HJULET_STATISTICS_REFRESH_ON_READ = False
    _deviation(cast, cast.unit_b)
    refresh_statistics_task.call()

    def reports(unit):
        rows = ReportCount.objects.filter(unit=unit, span="m")
        return rows.aggregate(n=Sum("reports"))["n"] or 0

    assert (reports(cast.unit_a), reports(cast.unit_b)) == (0, 1)
    org.move_open_cases(cast.unit_b, cast.unit_a, actor=cast.quality)
    refresh_statistics_task.call()
    assert (reports(cast.unit_a), reports(cast.unit_b)) == (1, 0)
