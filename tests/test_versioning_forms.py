"""Every edit form of an existing record carries the version check: a page loaded before a
colleague's save gets the conflict page with both values, and keeps what was typed; a page
loaded after it saves. Each case: who edits, the page, one text field, how the colleague saves
it (through the service) and how to read it back."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import Role, User
from actions import services as action_services
from actions.models import Action
from analysis import services as analysis_services
from analysis.models import AggregatedAnalysis
from deviations.authority import services as ns
from deviations.authority.models import AuthorityNotification
from legal.models import Applicability, Regulation
from legal.services import state_applicability, update_regulation
from organisation import services as org
from organisation.models import OrgNode, Provider, RoleDuty
from people import services as account_services
from processes import services as process_services
from processes.models import Activity, Collaboration, Process
from tests.analysis_helpers import new_analysis
from tests.test_actions import make as make_action
from tests.test_authority_notifications import lex_sarah
from tests.versioning_helpers import assert_conflict, opened


def _action(cast):
    action = make_action(cast)
    return SimpleNamespace(
        user=cast.parent_manager,
        url=reverse("actions:edit", args=[action.pk]),
        field="title",
        save=lambda v: action_services.update_action(action, actor=cast.parent_manager, title=v),
        read=lambda: Action.objects.get(pk=action.pk).title,
    )


def _analysis_case(cast):
    analysis = new_analysis(cast)
    return SimpleNamespace(
        user=cast.quality,
        url=reverse("analysis:analysis_edit", args=[analysis.pk]),
        field="findings",
        save=lambda v: analysis_services.update_analysis(analysis, actor=cast.quality, findings=v),
        read=lambda: AggregatedAnalysis.objects.get(pk=analysis.pk).findings,
    )


def _process(cast):
    return process_services.create_process(
        actor=cast.manager_a,
        unit=cast.unit_a,
        name="Läkemedel",
        purpose="Säker hantering",
        owner=cast.manager_a,
    )


def _process_case(cast):
    process = _process(cast)
    return SimpleNamespace(
        user=cast.manager_a,
        url=reverse("processes:edit", args=[process.pk]),
        field="purpose",
        save=lambda v: process_services.update_process(process, actor=cast.manager_a, purpose=v),
        read=lambda: Process.objects.get(pk=process.pk).purpose,
    )


def _activity_case(cast):
    activity = process_services.add_activity(
        _process(cast), actor=cast.manager_a, name="Steg", responsible_note="Enhetschefen"
    )
    return SimpleNamespace(
        user=cast.manager_a,
        url=reverse("processes:activity_edit", args=[activity.pk]),
        field="description",
        save=lambda v: process_services.update_activity(
            activity, actor=cast.manager_a, description=v
        ),
        read=lambda: Activity.objects.get(pk=activity.pk).description,
    )


def _collaboration_case(cast):
    collaboration = process_services.add_collaboration(
        _process(cast), actor=cast.manager_a, kind="region", partner="Vårdcentralen"
    )
    return SimpleNamespace(
        user=cast.manager_a,
        url=reverse("processes:collaboration_edit", args=[collaboration.pk]),
        field="purpose",
        save=lambda v: process_services.update_collaboration(
            collaboration, actor=cast.manager_a, purpose=v
        ),
        read=lambda: Collaboration.objects.get(pk=collaboration.pk).purpose,
    )


def _node_case(cast):
    return SimpleNamespace(
        user=cast.admin,
        url=reverse("organisation:node_edit", args=[cast.unit_a.pk]),
        field="description",
        save=lambda v: org.update_node(
            OrgNode.objects.get(pk=cast.unit_a.pk), actor=cast.admin, description=v
        ),
        read=lambda: OrgNode.objects.get(pk=cast.unit_a.pk).description,
    )


def _provider_case(cast):
    node = cast.provider_node
    return SimpleNamespace(
        user=cast.admin,
        url=reverse("organisation:node_provider", args=[node.pk]),
        field="contract_reference",
        save=lambda v: org.set_provider(node, actor=cast.admin, contract_reference=v),
        read=lambda: Provider.objects.get(node=node).contract_reference,
    )


def _duties_case(cast):
    role = Role.objects.get(code="unit_manager")
    return SimpleNamespace(
        user=cast.admin,
        url=reverse("organisation:duties_edit", kwargs={"pk": cast.unit_a.pk, "role_pk": role.pk}),
        field="duties",
        save=lambda v: org.save_duties(cast.board, role, [v], actor=cast.admin),
        read=lambda: "\n".join(
            RoleDuty.objects.filter(organisation=cast.board, role=role)
            .order_by("order")
            .values_list("text", flat=True)
        ),
    )


def _user_case(cast):
    person = cast.same_unit
    return SimpleNamespace(
        user=cast.admin,
        url=reverse("accounts:user_edit", args=[person.pk]),
        field="title",
        save=lambda v: account_services.update_user(
            User.objects.get(pk=person.pk), actor=cast.admin, title=v
        ),
        read=lambda: User.objects.get(pk=person.pk).title,
    )


def _regulation_case(cast):
    regulation = Regulation.objects.get(code="lss")
    return SimpleNamespace(
        user=cast.quality,
        url=reverse("legal:regulation_edit", args=[regulation.pk]),
        field="notes",
        save=lambda v: update_regulation(
            Regulation.objects.get(pk=regulation.pk), actor=cast.quality, notes=v
        ),
        read=lambda: Regulation.objects.get(pk=regulation.pk).notes,
    )


def _laws_case(cast):
    regulation = Regulation.objects.get(code="lss")
    node = cast.unit_a
    return SimpleNamespace(
        user=cast.manager_a,
        url=reverse("legal:node_laws_edit", args=[node.pk]),
        field=f"comment_{regulation.pk}",
        before=lambda data: data.update({f"applies_{regulation.pk}": ["on"]}),
        save=lambda v: state_applicability(
            node, [regulation.pk], {regulation.pk: v}, actor=cast.manager_a
        ),
        read=lambda: Applicability.objects.get(node=node, regulation=regulation).comment,
    )


def _notification_case(cast):
    notification, _created = ns.create_notification(
        lex_sarah(cast), "ivo_lex_sarah", actor=cast.quality
    )
    return SimpleNamespace(
        user=cast.quality,
        url=reverse("deviations:notification_detail", args=[notification.pk]),
        field="what_happened",
        save=lambda v: ns.save_content(notification, actor=cast.quality, what_happened=v),
        read=lambda: AuthorityNotification.objects.get(pk=notification.pk).what_happened,
    )


CASES = {
    "action": _action,
    "analysis": _analysis_case,
    "process": _process_case,
    "activity": _activity_case,
    "collaboration": _collaboration_case,
    "org_node": _node_case,
    "provider": _provider_case,
    "duties": _duties_case,
    "user": _user_case,
    "regulation": _regulation_case,
    "node_laws": _laws_case,
    "notification": _notification_case,
}


def _typed(case, data, value):
    if getattr(case, "before", None):
        case.before(data)
    data[case.field] = [value]
    return data


@pytest.mark.parametrize("name", CASES)
def test_a_stale_page_gets_the_conflict_and_loses_nothing(name, cast, login):
    case = CASES[name](cast)
    client = login(case.user)
    data = opened(client, case.url)
    case.save("Kollegans version")
    response = client.post(case.url, _typed(case, data, "Min version"))
    again = assert_conflict(response, "Kollegans version", "Min version")
    assert case.read() == "Kollegans version"
    # Sent again from the conflict page, with its new fingerprint, the person's version wins.
    assert client.post(case.url, again).status_code == 302
    assert case.read() == "Min version"


@pytest.mark.parametrize("name", CASES)
def test_a_fresh_page_saves(name, cast, login):
    case = CASES[name](cast)
    client = login(case.user)
    response = client.post(case.url, _typed(case, opened(client, case.url), "Ny version"))
    assert response.status_code == 302
    assert case.read() == "Ny version"
