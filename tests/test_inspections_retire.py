"""Taking a self-inspection off the plan and a checklist out of use: the occasions not begun go
(with their place among the planned), the results stay; a checklist out of use is offered for no
new plan item, but what was planned with it may still be done; each with the reason, kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from inspections.models import Occasion, PlanItem, TemplateChange
from inspections.services.checklist import set_in_use
from inspections.services.execution import start_execution
from inspections.services.plan import add_item, remove_item
from tests.inspections_helpers import board_member, execute, manager_b, plan_item, template

pytestmark = pytest.mark.django_db


def _quarterly(cast, checklist=None):
    item = plan_item(cast, checklist)
    return add_item(
        item.plan,
        actor=None,
        template=item.template,
        responsible=cast.manager_a,
        first_due=datetime.date(item.plan.year, 1, 15),
        frequency="quarterly",
        subject="Kvartalsvis hygienrond",
    )


def test_taking_an_item_off_the_plan_keeps_the_occasions_done(cast):
    item = _quarterly(cast)
    occasions = list(item.occasions.order_by("due_date"))
    assert len(occasions) == 4
    execute(cast, ["yes", "yes", "yes"], item=item, occasion=occasions[0])
    start_execution(actor=None, occasion=occasions[1])  # begun, not completed
    with pytest.raises(ValidationError) as error:
        remove_item(item, actor=cast.manager_a, reason="  ")
    assert "reason" in error.value.error_dict
    assert remove_item(item, actor=cast.manager_a, reason="Ersätts av länets granskning") == 2
    assert list(Occasion.objects.filter(item=item).order_by("due_date")) == occasions[:2]
    event = Event.objects.filter(verb="inspections.item_removed").get()
    assert event.params["reason"] == "Ersätts av länets granskning"


def test_an_item_with_nothing_begun_goes_altogether(cast):
    item = plan_item(cast)
    assert remove_item(item, actor=None, reason="Dubbelt planerad") == 1
    assert not PlanItem.objects.filter(pk=item.pk).exists()


def test_only_a_manager_of_the_unit_takes_an_item_off(cast, login):
    item = plan_item(cast)
    nils = board_member(cast)
    with pytest.raises(PermissionDenied):
        remove_item(item, actor=nils, reason="Nej")
    url = reverse("inspections:item_remove", args=[item.pk])
    assert login(nils).get(url).status_code == 403
    assert login(manager_b(cast)).get(url).status_code == 404
    client = login(cast.manager_a)
    page = client.get(url)
    assert page.status_code == 200 and 'id="remove-going"' in page.content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    typed = client.post(url, {"reason": "Brukaren 19121212-1212 flyttade"})
    assert typed.context["form"]["reason"].value() == "Brukaren 19121212-1212 flyttade"
    assert PlanItem.objects.filter(pk=item.pk).exists()
    done = client.post(url, {"reason": "Planerad två gånger"})
    assert done.status_code == 302 and not PlanItem.objects.filter(pk=item.pk).exists()


def test_a_checklist_out_of_use_is_offered_for_no_new_item(cast):
    checklist = template(cast)
    item = plan_item(cast, checklist)
    with pytest.raises(ValidationError):
        set_in_use(checklist, actor=cast.parent_manager, in_use=False, reason="")
    assert set_in_use(checklist, actor=cast.parent_manager, in_use=False, reason="Ny version")
    assert not set_in_use(checklist, actor=cast.parent_manager, in_use=False, reason="Igen")
    with pytest.raises(ValidationError) as error:
        add_item(
            item.plan,
            actor=None,
            template=checklist,
            responsible=cast.manager_a,
            first_due=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert "template" in error.value.error_dict
    # What was planned before may still be done.
    execution = start_execution(actor=cast.manager_a, occasion=item.occasions.get())
    assert execution.template == checklist
    set_in_use(checklist, actor=cast.parent_manager, in_use=True)
    kinds = list(TemplateChange.objects.filter(template=checklist).values_list("kind", "reason"))
    assert ("retired", "Ny version") in kinds and ("restored", "") in kinds


def test_the_checklist_page_takes_it_out_of_use_and_back(cast, login):
    checklist = template(cast)
    client = login(cast.parent_manager)
    url = reverse("inspections:template_in_use", args=[checklist.pk])
    detail = reverse("inspections:template", args=[checklist.pk])
    assert url in client.get(detail).content.decode()
    assert client.post(url, {"reason": ""}).context["form"].errors["reason"]
    assert client.post(url, {"reason": "Ersatt"}).status_code == 302
    checklist.refresh_from_db()
    assert not checklist.is_active
    assert 'id="out-of-use-note"' in client.get(detail).content.decode()
    listing = client.get(reverse("inspections:templates")).content.decode()
    assert f'data-pk="{checklist.pk}"' in listing
    assert client.post(url, {"reason": ""}).status_code == 302  # back in use: no reason asked
    checklist.refresh_from_db()
    assert checklist.is_active
    assert login(cast.manager_a).get(url).status_code == 403
    assert login(board_member(cast)).get(url).status_code == 403


def test_planned_self_inspections_keep_the_unit_open_until_done_or_taken_off(cast, login):
    from organisation.open_cases import open_cases

    item = plan_item(cast)
    found = [c for c in open_cases(cast.unit_a) if "inspections" in c.url]
    assert [c.count for c in found] == [1]
    listing = login(cast.parent_manager).get(found[0].url).content.decode()
    assert item.subject in listing
    other = plan_item(cast, unit=cast.unit_b, responsible=manager_b(cast))
    other.subject = "Enhet B:s egen rond"
    other.save(update_fields=["subject"])
    listing = login(cast.parent_manager).get(found[0].url).content.decode()
    assert item.subject in listing and other.subject not in listing
    remove_item(item, actor=None, reason="Enheten läggs ner")
    assert not [c for c in open_cases(cast.unit_a) if "inspections" in c.url]
