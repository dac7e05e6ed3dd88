"""Closing a unit with open cases is refused until they are moved; a closed unit reopens.

Issue 8, point 7. The organisation asks the domain apps through organisation/open_cases.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from actions import services as action_services
from audit.models import Event
from deviations import services as deviation_services
from organisation import services as org
from organisation.models import OrgNode
from processes import services as process_services
from tests.test_routines_w_helpers import published


def _deviation(cast, unit):
    return deviation_services.report(
        actor=cast.same_unit if unit == cast.unit_a else cast.sibling,
        unit=unit,
        occurred_at=timezone.now(),
        description="Fall i korridoren",
        immediate_action="Hjälp upp",
        service_user_affected="yes",
    )


def _label(singular, plural, count):
    """The wording the page shows, in Swedish once the translations are merged."""
    with translation.override("sv"):
        return ngettext(singular, plural, count) % {"count": count}


DEVIATIONS = ("%(count)d open deviation", "%(count)d open deviations")


def _reload(node):
    return OrgNode.objects.get(pk=node.pk)


def test_a_unit_with_open_cases_is_not_closed_and_the_message_names_them(cast):
    _deviation(cast, cast.unit_b)
    _deviation(cast, cast.unit_b)
    with pytest.raises(ValidationError) as error:
        org.close_node(cast.unit_b, actor=cast.quality)
    with translation.override("sv"):
        [message] = error.value.messages
    assert "Enhet B" in message and _label(*DEVIATIONS, 2) in message
    assert _reload(cast.unit_b).is_active
    assert not Event.objects.filter(verb="organisation.node_closed").exists()


def test_every_kind_of_open_case_holds_the_unit(cast):
    published(cast)  # a routine of unit A in force
    action_services.create_action(
        actor=cast.manager_a,
        unit=cast.unit_a,
        title="Ny rutin för nycklar",
        owner=cast.manager_a,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    process_services.create_process(
        actor=None, unit=cast.unit_a, name="Inskrivning", purpose="Syfte", owner=cast.manager_a
    )
    _deviation(cast, cast.unit_a)
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        org.close_node(cast.unit_a, actor=cast.quality)
    [message] = error.value.messages
    for words in (
        DEVIATIONS,
        ("%(count)d open action", "%(count)d open actions"),
        (
            "%(count)d routine in force or being written",
            "%(count)d routines in force or being written",
        ),
        ("%(count)d process in use", "%(count)d processes in use"),
    ):
        assert _label(*words, 1) in message, words


def test_the_refusal_page_links_to_where_the_cases_are_moved(cast, login):
    _deviation(cast, cast.unit_b)
    response = login(cast.quality).post(reverse("organisation:node_close", args=[cast.unit_b.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert _label(*DEVIATIONS, 1) in page
    assert f'href="{reverse("deviations:list")}?unit={cast.unit_b.pk}"' in page
    assert _reload(cast.unit_b).is_active


def test_a_finished_unit_closes_and_reopens_with_events(cast, login):
    client = login(cast.quality)
    response = client.post(reverse("organisation:node_close", args=[cast.unit_b.pk]))
    assert response.status_code == 302
    assert not _reload(cast.unit_b).is_active
    page = client.get(reverse("organisation:node_detail", args=[cast.unit_b.pk])).content
    assert b'id="node-reopen"' in page

    response = client.post(reverse("organisation:node_reopen", args=[cast.unit_b.pk]))
    assert response.status_code == 302
    unit = _reload(cast.unit_b)
    assert unit.is_active and unit.closed_on is None
    event = Event.objects.get(verb="organisation.node_reopened")
    assert event.actor == cast.quality


def test_reopening_needs_the_unit_above_open_and_the_key(cast, login):
    org.close_node(cast.unit_b, actor=cast.quality)
    assert login(cast.same_unit).post(
        reverse("organisation:node_reopen", args=[cast.unit_b.pk])
    ).status_code in (403, 404)
    assert login(cast.manager_a).post(
        reverse("organisation:node_reopen", args=[cast.unit_b.pk])
    ).status_code in (403, 404)
    assert not _reload(cast.unit_b).is_active
    with pytest.raises(ValidationError):
        org.reopen_node(cast.unit_a, actor=cast.quality)  # not closed


def test_a_unit_below_a_closed_one_waits_for_it(cast):
    leaf = org.create_node(actor=None, kind="unit", name="Enhet C", parent=cast.dept)
    org.close_node(leaf, actor=cast.quality)
    # Close the department directly in the database: its other units still have nothing open.
    OrgNode.objects.filter(parent=cast.dept).update(is_active=False)
    OrgNode.objects.filter(pk=cast.dept.pk).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        org.reopen_node(leaf, actor=cast.quality)
    assert error.value.code == "closed_parent"
