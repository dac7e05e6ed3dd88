"""The shared action register (balanslista): transitions, owners, scope, list, export, forms.

Who holds what by default (accounts/keys.py): unit, department and provider managers, the
quality developer, the investigation secretary and the administrator hold actions.view and
actions.manage; the quality representative and the auditor only actions.view; staff members
hold neither and reach an action only as its owner.
"""

import csv
import datetime
import io
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from actions import services
from actions.models import Action, ActionTransition, EffectOutcome, Status
from audit.models import Event

WEEK = datetime.timedelta(days=7)


def make(cast, *, unit=None, owner=None, actor=None, title="Ny rutin för läkemedel", **extra):
    extra.setdefault("due_date", timezone.localdate() + WEEK)
    return services.create_action(
        actor=actor or cast.parent_manager,
        unit=unit or cast.unit_a,
        title=title,
        owner=owner or cast.manager_a,
        **extra,
    )


def events(action, verb=None):
    rows = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=str(action.pk)
    )
    return rows.filter(verb=verb) if verb else rows


def manager_b(cast):
    """A unit manager of the sibling unit B (holds actions.* there only)."""
    user = User.objects.create(username="manager_b", first_name="Bo", email="b@cast.test")
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(code="unit_manager"), node=cast.unit_b
    )
    return user


def detail_url(action, name="detail"):
    return reverse(f"actions:{name}", args=[action.pk])


def listed(response):
    return [a.pk for a in response.context["page"].object_list]


# -- the transition table ----------------------------------------------------------------------


def test_transition_outside_the_table_is_refused_and_nothing_is_saved(cast):
    action = make(cast)
    before_events = events(action).count()
    for to in (Status.DONE, Status.EFFECT_CHECKED, "nonsense"):
        with pytest.raises(ValidationError):
            services.change_status(action, to, actor=cast.manager_a)
    action.refresh_from_db()
    assert action.status == Status.PLANNED
    assert action.completed_at is None
    assert not ActionTransition.objects.filter(action=action).exists()
    assert events(action).count() == before_events


def test_a_cancelled_action_cannot_move(cast):
    action = make(cast)
    services.change_status(action, Status.CANCELLED, actor=cast.manager_a, reason="Dubblett")
    for to in (Status.PLANNED, Status.IN_PROGRESS, Status.DONE):
        with pytest.raises(ValidationError):
            services.change_status(action, to, actor=cast.manager_a)
    assert Action.objects.get(pk=action.pk).status == Status.CANCELLED
    assert ActionTransition.objects.filter(action=action).count() == 1


def test_the_effect_check_is_only_recorded_on_a_done_action(cast, today):
    action = make(cast)
    with pytest.raises(ValidationError):
        services.record_effect_check(
            action, actor=cast.manager_a, checked_on=today, result="Bra", outcome="yes"
        )
    assert Action.objects.get(pk=action.pk).effect_checked_at is None


def test_every_transition_writes_a_row_and_an_event(cast, today):
    action = make(cast)
    steps = [
        (Status.IN_PROGRESS, "", "actions.started"),
        (Status.DONE, "", "actions.completed"),
        (Status.IN_PROGRESS, "Rutinen saknar nattpersonalen", "actions.reopened"),
        (Status.DONE, "", "actions.completed"),
    ]
    for count, (to, reason, verb) in enumerate(steps, start=1):
        services.change_status(action, to, actor=cast.manager_a, reason=reason)
        assert ActionTransition.objects.filter(action=action).count() == count
        assert events(action, verb).exists()
        assert action.status == to
    services.record_effect_check(
        action,
        actor=cast.manager_a,
        checked_on=today,
        result="Inga fler missade doser",
        outcome=EffectOutcome.YES,
    )
    rows = list(ActionTransition.objects.filter(action=action).order_by("at", "pk"))
    assert [(r.from_status, r.to_status) for r in rows] == [
        ("planned", "in_progress"),
        ("in_progress", "done"),
        ("done", "in_progress"),
        ("in_progress", "done"),
        ("done", "effect_checked"),
    ]
    assert all(r.actor == cast.manager_a for r in rows)
    assert rows[2].reason == "Rutinen saknar nattpersonalen"
    assert events(action, "actions.effect_checked").count() == 1
    stored = Action.objects.get(pk=action.pk)
    assert stored.status == Status.EFFECT_CHECKED
    assert stored.effect_ok == "yes"
    assert stored.effect_checked_at == today
    assert stored.completed_at is not None


def test_reopening_clears_the_completion_time(cast):
    action = make(cast)
    services.change_status(action, Status.IN_PROGRESS, actor=cast.manager_a)
    services.change_status(action, Status.DONE, actor=cast.manager_a)
    assert Action.objects.get(pk=action.pk).completed_at is not None
    services.change_status(action, Status.IN_PROGRESS, actor=cast.manager_a, reason="Ej klar")
    assert Action.objects.get(pk=action.pk).completed_at is None


@pytest.mark.parametrize("start", [Status.PLANNED, Status.IN_PROGRESS])
def test_cancelling_needs_a_reason(cast, start):
    action = make(cast)
    if start == Status.IN_PROGRESS:
        services.change_status(action, Status.IN_PROGRESS, actor=cast.manager_a)
    rows = ActionTransition.objects.filter(action=action).count()
    with pytest.raises(ValidationError) as error:
        services.change_status(action, Status.CANCELLED, actor=cast.manager_a, reason="   ")
    assert "reason" in error.value.message_dict
    assert Action.objects.get(pk=action.pk).status == start
    assert ActionTransition.objects.filter(action=action).count() == rows
    services.change_status(action, Status.CANCELLED, actor=cast.manager_a, reason="Dubblett")
    assert ActionTransition.objects.get(action=action, to_status="cancelled").reason == "Dubblett"
    assert events(action, "actions.cancelled").get().params["reason"] == "Dubblett"


def test_reopening_needs_a_reason(cast):
    action = make(cast)
    services.change_status(action, Status.IN_PROGRESS, actor=cast.manager_a)
    services.change_status(action, Status.DONE, actor=cast.manager_a)
    with pytest.raises(ValidationError):
        services.change_status(action, Status.IN_PROGRESS, actor=cast.manager_a)
    assert Action.objects.get(pk=action.pk).status == Status.DONE


def test_a_missing_reason_in_the_page_keeps_the_action_and_shows_the_form(cast, login):
    action = make(cast)
    response = login(cast.manager_a).post(
        detail_url(action, "transition"), {"to": "cancelled", "reason": ""}
    )
    assert response.status_code == 200
    assert b'id="reason-cancelled"' in response.content
    assert b'aria-invalid="true"' in response.content
    assert Action.objects.get(pk=action.pk).status == Status.PLANNED


def test_a_move_not_offered_is_refused_in_the_page(cast, login):
    action = make(cast)
    response = login(cast.manager_a).post(detail_url(action, "transition"), {"to": "done"})
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).status == Status.PLANNED


# -- owners and managers ---------------------------------------------------------------------


def test_the_owner_without_any_key_follows_up_their_own_action(cast, login, today):
    own = make(cast, owner=cast.same_unit, actor=cast.manager_a)
    client = login(cast.same_unit)
    assert client.get(reverse("actions:list")).status_code == 200
    assert client.get(detail_url(own)).status_code == 200
    for to in ("in_progress", "done"):
        assert client.post(detail_url(own, "transition"), {"to": to}).status_code == 302
    assert Action.objects.get(pk=own.pk).status == Status.DONE
    assert client.get(detail_url(own, "effect")).status_code == 200
    response = client.post(
        detail_url(own, "effect"),
        {"checked_on": today.isoformat(), "outcome": "partly", "result": "Bättre, inte bra"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Status.EFFECT_CHECKED
    assert own.effect_ok == "partly"
    assert ActionTransition.objects.filter(action=own, actor=cast.same_unit).count() == 3
    # The owner may follow up, not edit or create.
    assert client.get(detail_url(own, "edit")).status_code == 403
    assert client.get(reverse("actions:create")).status_code == 403


def test_the_owner_cannot_touch_anyone_elses_action(cast, login, today):
    make(cast, owner=cast.same_unit, actor=cast.manager_a)
    other = make(cast, owner=cast.manager_a, actor=cast.manager_a, title="Annan åtgärd")
    client = login(cast.same_unit)
    assert client.get(detail_url(other)).status_code == 404
    assert client.post(detail_url(other, "transition"), {"to": "in_progress"}).status_code == 404
    assert client.get(detail_url(other, "effect")).status_code == 404
    response = client.get(reverse("actions:list"), {"status": "all"})
    assert other.pk not in listed(response)
    with pytest.raises(PermissionDenied):
        services.change_status(other, Status.IN_PROGRESS, actor=cast.same_unit)
    services.change_status(other, Status.IN_PROGRESS, actor=cast.manager_a)
    services.change_status(other, Status.DONE, actor=cast.manager_a)
    with pytest.raises(PermissionDenied):
        services.record_effect_check(
            other, actor=cast.same_unit, checked_on=today, result="x", outcome="yes"
        )
    assert Action.objects.get(pk=other.pk).status == Status.DONE


def test_a_viewer_without_manage_sees_but_cannot_change(cast, login):
    viewer = User.objects.create(username="ombud", email="ombud@cast.test")
    RoleAssignment.objects.create(
        user=viewer, role=Role.objects.get(code="quality_representative"), node=cast.unit_a
    )
    action = make(cast)
    client = login(viewer)
    assert client.get(detail_url(action)).status_code == 200
    assert client.post(detail_url(action, "transition"), {"to": "in_progress"}).status_code == 403
    assert client.get(detail_url(action, "effect")).status_code == 403
    assert client.get(detail_url(action, "edit")).status_code == 403
    assert Action.objects.get(pk=action.pk).status == Status.PLANNED


def test_a_manager_moves_an_action_through_the_page(cast, login):
    action = make(cast, owner=cast.same_unit)
    client = login(cast.manager_a)
    page = client.get(detail_url(action))
    assert b'id="move-in_progress"' in page.content
    assert b'id="move-cancelled"' in page.content
    assert b'id="history"' in page.content
    client.post(detail_url(action, "transition"), {"to": "cancelled", "reason": "Ingår i annan"})
    assert Action.objects.get(pk=action.pk).status == Status.CANCELLED


# -- scope -----------------------------------------------------------------------------------


def test_a_sibling_unit_sees_nothing_of_unit_a(cast, login):
    in_a = make(cast)
    in_b = make(cast, unit=cast.unit_b, owner=cast.sibling, title="Åtgärd på B")
    boss_b = manager_b(cast)
    client = login(boss_b)
    response = client.get(reverse("actions:list"), {"status": "all"})
    assert listed(response) == [in_b.pk]
    for name in ("detail", "edit", "effect"):
        assert client.get(detail_url(in_a, name)).status_code == 404
    assert client.post(detail_url(in_a, "transition"), {"to": "in_progress"}).status_code == 404
    export = client.get(reverse("actions:export"), {"status": "all"})
    body = b"".join(export.streaming_content).decode("utf-8")
    assert "Åtgärd på B" in body and "Ny rutin" not in body
    # The sibling staff member sees their own action in B and nothing else.
    own = login(cast.sibling).get(reverse("actions:list"), {"status": "all"})
    assert listed(own) == [in_b.pk]


def test_staff_with_no_action_of_their_own_are_refused_the_list(cast, login):
    make(cast)
    assert login(cast.sibling).get(reverse("actions:list")).status_code == 403
    assert login(cast.sibling).get(reverse("actions:export")).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "other_root", "sibling", "provider_staff"])
def test_people_outside_the_unit_get_404_on_every_action_url(cast, login, who):
    action = make(cast)
    client = login(getattr(cast, who))
    assert client.get(detail_url(action)).status_code == 404
    assert client.get(detail_url(action, "edit")).status_code == 404
    assert client.post(detail_url(action, "edit"), {"title": "x"}).status_code == 404
    assert client.post(detail_url(action, "transition"), {"to": "in_progress"}).status_code == 404
    assert client.get(detail_url(action, "effect")).status_code == 404
    assert client.post(detail_url(action, "effect"), {}).status_code == 404
    assert Action.objects.get(pk=action.pk).status == Status.PLANNED


def test_unknown_and_invisible_actions_answer_alike(cast, login):
    action = make(cast)
    client = login(cast.other_root)
    assert client.get(detail_url(action)).status_code == 404
    assert client.get(reverse("actions:detail", args=[action.pk + 999])).status_code == 404


def test_a_department_manager_sees_the_units_below(cast, login):
    in_a = make(cast)
    in_b = make(cast, unit=cast.unit_b, owner=cast.sibling, title="Åtgärd på B")
    response = login(cast.parent_manager).get(reverse("actions:list"))
    assert set(listed(response)) == {in_a.pk, in_b.pk}


def test_anonymous_people_are_sent_to_login(cast, client):
    action = make(cast)
    urls = [
        reverse("actions:list"),
        reverse("actions:export"),
        reverse("actions:create"),
        detail_url(action),
        detail_url(action, "edit"),
        detail_url(action, "effect"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(detail_url(action, "transition"), {"to": "in_progress"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Action.objects.get(pk=action.pk).status == Status.PLANNED


# -- the list ----------------------------------------------------------------------------------


def _spread(cast, today):
    """One action of each kind, in units A and B."""
    a = {}
    a["planned"] = make(cast, title="Planerad")
    a["late"] = make(cast, title="Försenad", due_date=today - WEEK, owner=cast.same_unit)
    a["started"] = make(cast, title="Pågår", owner=cast.same_unit)
    services.change_status(a["started"], Status.IN_PROGRESS, actor=cast.manager_a)
    a["done"] = make(cast, title="Klar", planned_effect_check_date=today + WEEK)
    for to in (Status.IN_PROGRESS, Status.DONE):
        services.change_status(a["done"], to, actor=cast.manager_a)
    a["checked"] = make(cast, title="Effekt följd")
    for to in (Status.IN_PROGRESS, Status.DONE):
        services.change_status(a["checked"], to, actor=cast.manager_a)
    services.record_effect_check(
        a["checked"], actor=cast.manager_a, checked_on=today, result="Bra", outcome="yes"
    )
    a["cancelled"] = make(cast, title="Struken")
    services.change_status(a["cancelled"], Status.CANCELLED, actor=cast.manager_a, reason="Nej")
    a["in_b"] = make(cast, title="På B", unit=cast.unit_b, owner=cast.sibling)
    return a


def test_the_list_shows_open_actions_by_due_date(cast, login, today):
    a = _spread(cast, today)
    response = login(cast.parent_manager).get(reverse("actions:list"))
    assert response.status_code == 200
    shown = listed(response)
    assert set(shown) == {a[k].pk for k in ("planned", "late", "started", "done", "in_b")}
    assert shown[0] == a["late"].pk  # the earliest due date first
    dues = [x.due_date for x in response.context["page"].object_list]
    assert dues == sorted(dues)


def test_the_list_filters(cast, login, today):
    a = _spread(cast, today)
    client = login(cast.parent_manager)
    url = reverse("actions:list")
    assert listed(client.get(url, {"status": "cancelled"})) == [a["cancelled"].pk]
    assert listed(client.get(url, {"status": "effect_checked"})) == [a["checked"].pk]
    assert len(listed(client.get(url, {"status": "all"}))) == len(a)
    assert listed(client.get(url, {"unit": cast.unit_b.pk})) == [a["in_b"].pk]
    dept = set(listed(client.get(url, {"unit": cast.dept.pk})))
    assert a["in_b"].pk in dept and a["planned"].pk in dept
    assert listed(client.get(url, {"overdue": "on"})) == [a["late"].pk]
    mine = login(cast.same_unit).get(url, {"mine": "on"})
    assert set(listed(mine)) == {a["late"].pk, a["started"].pk}


def test_an_overdue_action_says_so_in_text(cast, login, today):
    a = _spread(cast, today)
    response = login(cast.manager_a).get(reverse("actions:list"))
    content = response.content.decode()
    assert content.count('class="badge badge--bad action-overdue"') == 1
    row = content.split(f'data-pk="{a["late"].pk}"')[1].split("</tr>")[0]
    assert "action-overdue" in row
    detail = login(cast.manager_a).get(detail_url(a["late"]))
    assert b"action-overdue" in detail.content


def test_a_late_effect_check_counts_as_overdue(cast, login, today):
    action = make(cast, due_date=today - WEEK, planned_effect_check_date=today - WEEK)
    for to in (Status.IN_PROGRESS, Status.DONE):
        services.change_status(action, to, actor=cast.manager_a)
    response = login(cast.manager_a).get(reverse("actions:list"), {"overdue": "on"})
    assert listed(response) == [action.pk]
    assert b"action-check-overdue" in response.content


def test_the_unit_filter_offers_only_visible_units(cast, login):
    response = login(cast.manager_a).get(reverse("actions:list"))
    units = set(response.context["form"].fields["unit"].queryset)
    assert cast.unit_a in units and cast.unit_b not in units


def test_the_list_is_paginated_and_needs_no_query_per_row(
    cast, login, django_assert_max_num_queries
):
    for i in range(55):
        make(cast, title=f"Åtgärd {i:02}", owner=cast.same_unit if i % 2 else cast.manager_a)
    client = login(cast.parent_manager)
    client.get(reverse("actions:list"))  # warm the session and content-type caches
    # 8, plus 4 for the rule of the restricted tracks the actions may come from (the track
    # rules, their reader roles, the person's reader roles per track): one subquery after that.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("actions:list"))
    assert len(listed(response)) == 50
    assert response.context["page"].paginator.count == 55
    with django_assert_max_num_queries(12):
        second = client.get(reverse("actions:list"), {"page": 2})
    assert len(listed(second)) == 5
    with django_assert_max_num_queries(10):
        export = client.get(reverse("actions:export"))
        assert len(b"".join(export.streaming_content).splitlines()) == 56


def test_the_export_has_the_current_filter_and_safe_cells(cast, login, today):
    a = _spread(cast, today)
    formula = make(cast, title='=HYPERLINK("http://x")', owner=cast.same_unit)
    client = login(cast.manager_a)
    response = client.get(reverse("actions:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    numbers = {int(r[0]) for r in rows[1:]}
    assert numbers == {a[k].pk for k in ("planned", "late", "started", "done")} | {formula.pk}
    assert a["in_b"].pk not in numbers  # unit B is outside manager_a's scope
    cell = next(r[1] for r in rows[1:] if int(r[0]) == formula.pk)
    assert cell.startswith("'=")
    cancelled = client.get(reverse("actions:export"), {"status": "cancelled"})
    rows = list(
        csv.reader(
            io.StringIO(b"".join(cancelled.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [int(r[0]) for r in rows[1:]] == [a["cancelled"].pk]


# -- creating and editing ------------------------------------------------------------------------


def _create_data(cast, **changes):
    due = timezone.localdate() + WEEK
    data = {
        "unit": cast.unit_a.pk,
        "title": "Ny rutin för nattpersonal",
        "description": "Efter avvikelse",
        "owner": cast.same_unit.pk,
        "due_date": due.isoformat(),
        "planned_effect_check_date": (due + datetime.timedelta(days=30)).isoformat(),
        "form_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_a_manager_creates_an_action(cast, login, django_capture_on_commit_callbacks):
    client = login(cast.manager_a)
    page = client.get(reverse("actions:create"), {"unit": cast.unit_a.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == cast.unit_a.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:create"), _create_data(cast))
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.owner == cast.same_unit
    assert action.created_by == cast.manager_a
    assert action.status == Status.PLANNED
    assert events(action, "actions.created").exists()
    assert [m.to for m in mail.outbox] == [[cast.same_unit.email]]


def test_the_unit_is_preselected_only_where_the_manager_may_create(cast, login):
    client = login(cast.parent_manager)
    page = client.get(reverse("actions:create"), {"unit": cast.unit_b.pk})
    assert page.context["form"].initial["unit"] == cast.unit_b.pk
    assert "unit" not in client.get(reverse("actions:create")).context["form"].initial
    page = login(cast.manager_a).get(reverse("actions:create"), {"unit": cast.unit_b.pk})
    assert "unit" not in page.context["form"].initial


def test_a_follow_up_of_an_invisible_action_is_refused(cast, login):
    action = make(cast)
    client = login(manager_b(cast))
    assert client.get(reverse("actions:create"), {"follow_up": action.pk}).status_code == 404
    data = _create_data(cast, unit=cast.unit_b.pk, owner=cast.sibling.pk, follow_up_of=action.pk)
    response = client.post(reverse("actions:create"), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["follow_up_of"]
    assert Action.objects.count() == 1
    data["follow_up_of"] = ""
    assert client.post(reverse("actions:create"), data).status_code == 302
    assert Action.objects.count() == 2


def test_a_create_form_failing_validation_keeps_what_was_typed(cast, login):
    client = login(cast.manager_a)
    data = _create_data(cast, due_date="", description="Bakgrund som ska finnas kvar")
    response = client.post(reverse("actions:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"]
    assert b"Ny rutin f\xc3\xb6r nattpersonal" in response.content
    assert b"Bakgrund som ska finnas kvar" in response.content
    assert data["form_token"].encode() in response.content
    assert not Action.objects.exists()


def test_the_same_create_form_sent_twice_makes_one_action(cast, login):
    client = login(cast.manager_a)
    data = _create_data(cast)
    first = client.post(reverse("actions:create"), data)
    second = client.post(reverse("actions:create"), data)
    assert Action.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == Action.objects.get().get_absolute_url()
    # A new form (a new token) makes a new action.
    client.post(reverse("actions:create"), _create_data(cast))
    assert Action.objects.count() == 2


def test_each_create_form_gets_its_own_token(cast, login):
    client = login(cast.manager_a)
    one = client.get(reverse("actions:create")).context["form"].initial["form_token"]
    two = client.get(reverse("actions:create")).context["form"].initial["form_token"]
    assert one != two


def test_someone_elses_form_token_is_refused(cast):
    token = uuid.uuid4()
    make(cast, form_token=token)
    with pytest.raises(ValidationError):
        make(cast, actor=cast.quality, form_token=token)
    assert Action.objects.count() == 1


def test_units_and_owners_are_limited_to_the_managers_scope(cast, login):
    client = login(cast.manager_a)
    form = client.get(reverse("actions:create")).context["form"]
    assert set(form.fields["unit"].queryset) == {cast.unit_a}
    owners = set(form.fields["owner"].queryset)
    assert {cast.same_unit, cast.manager_a} <= owners
    assert not owners & {cast.sibling, cast.other_root, cast.outsider}
    for changes in ({"unit": cast.unit_b.pk}, {"owner": cast.sibling.pk}):
        response = client.post(reverse("actions:create"), _create_data(cast, **changes))
        assert response.status_code == 200
    assert not Action.objects.exists()
    with pytest.raises(ValidationError):
        make(cast, actor=cast.manager_a, unit=cast.unit_b, owner=cast.sibling)
    with pytest.raises(ValidationError):
        make(cast, actor=cast.manager_a, owner=cast.sibling)


def test_the_effect_check_cannot_be_planned_before_the_due_date(cast, login, today):
    data = _create_data(cast, planned_effect_check_date=today.isoformat())
    response = login(cast.manager_a).post(reverse("actions:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["planned_effect_check_date"]
    with pytest.raises(ValidationError):
        make(cast, planned_effect_check_date=today)


def test_a_manager_edits_and_reassigns(cast, login, django_capture_on_commit_callbacks, today):
    action = make(cast, owner=cast.same_unit, actor=cast.manager_a)
    mail.outbox.clear()
    client = login(cast.manager_a)
    assert client.get(detail_url(action, "edit")).status_code == 200
    data = {
        "unit": cast.unit_a.pk,
        "title": "Ändrad titel",
        "description": "",
        "owner": cast.manager_a.pk,
        "due_date": (today + WEEK).isoformat(),
        "planned_effect_check_date": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(action, "edit"), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Ändrad titel" and action.owner == cast.manager_a
    assert events(action, "actions.owner_changed").exists()
    assert mail.outbox == []  # the manager gave it to themself


def test_a_closed_action_cannot_be_edited(cast, login):
    action = make(cast)
    services.change_status(action, Status.CANCELLED, actor=cast.manager_a, reason="Nej")
    client = login(cast.manager_a)
    assert client.get(detail_url(action, "edit")).status_code == 302
    with pytest.raises(ValidationError):
        services.update_action(action, actor=cast.manager_a, title="Ny")
    assert Action.objects.get(pk=action.pk).title == action.title


# -- sources, follow-ups and evidence ----------------------------------------------------------


def test_actions_of_one_source(cast):
    source = make(cast, title="Källa")  # any model can be a source; an action will do here
    first = make(cast, source=source, title="Första")
    second = make(cast, source=source, title="Andra")
    make(cast, title="Fristående")
    assert set(services.actions_for(source)) == {first, second}
    assert first.source_label == "Källa" and first.source == source
    services.change_status(second, Status.CANCELLED, actor=cast.manager_a, reason="Nej")
    assert list(services.open_actions_for(source)) == [first]


def test_the_source_is_linked_for_those_who_may_see_it(cast, login):
    source = make(cast, title="Källa")
    action = make(cast, source=source, owner=cast.same_unit)
    linked = login(cast.manager_a).get(detail_url(action))
    assert f'href="{source.get_absolute_url()}"'.encode() in linked.content
    # The owner does not see the source action: its label, no link.
    unlinked = login(cast.same_unit).get(detail_url(action))
    assert f'href="{source.get_absolute_url()}"'.encode() not in unlinked.content
    assert "Källa".encode() in unlinked.content


def test_an_effect_not_reached_leads_to_a_follow_up_for_the_same_source(cast, login, today):
    source = make(cast, title="Källa")
    action = make(cast, source=source, owner=cast.same_unit)
    for to in (Status.IN_PROGRESS, Status.DONE):
        services.change_status(action, to, actor=cast.same_unit)
    services.record_effect_check(
        action,
        actor=cast.same_unit,
        checked_on=today,
        result="Samma fel igen",
        outcome=EffectOutcome.NO,
    )
    action.refresh_from_db()
    assert action.status == Status.EFFECT_CHECKED and action.effect_result == "Samma fel igen"
    client = login(cast.manager_a)
    page = client.get(detail_url(action))
    assert b'id="action-follow-up"' in page.content
    form = client.get(reverse("actions:create"), {"follow_up": action.pk}).context["form"]
    assert form.initial["follow_up_of"] == action.pk
    data = _create_data(cast, follow_up_of=action.pk, title="Ny åtgärd efter uppföljning")
    response = client.post(reverse("actions:create"), data)
    follow_up = Action.objects.get(title="Ny åtgärd efter uppföljning")
    assert response["Location"] == follow_up.get_absolute_url()
    assert follow_up.follow_up_of == action
    assert follow_up.source == source and follow_up.source_label == "Källa"
    assert list(services.open_actions_for(source)) == [follow_up]
    # The owner without actions.manage is offered no follow-up.
    assert b'id="action-follow-up"' not in login(cast.same_unit).get(detail_url(action)).content


def test_complete_with_evidence(cast):
    evidence = make(cast, title="Rutin version 2")  # stands in for a routine version
    action = make(cast)
    services.complete_with_evidence(action, evidence, actor=cast.manager_a)
    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.evidence == evidence and action.evidence_label == "Rutin version 2"
    moves = ActionTransition.objects.filter(action=action).order_by("at", "pk")
    assert [m.to_status for m in moves] == ["in_progress", "done"]
    assert events(action, "actions.completed_with_evidence").exists()
    cancelled = make(cast, title="Struken")
    services.change_status(cancelled, Status.CANCELLED, actor=cast.manager_a, reason="Nej")
    with pytest.raises(ValidationError):
        services.complete_with_evidence(cancelled, evidence, actor=cast.manager_a)
    with pytest.raises(PermissionDenied):
        services.complete_with_evidence(make(cast, title="X"), evidence, actor=cast.sibling)


def test_an_effect_check_in_the_future_is_refused(cast, login, today):
    action = make(cast)
    for to in (Status.IN_PROGRESS, Status.DONE):
        services.change_status(action, to, actor=cast.manager_a)
    tomorrow = today + datetime.timedelta(days=1)
    response = login(cast.manager_a).post(
        detail_url(action, "effect"),
        {"checked_on": tomorrow.isoformat(), "outcome": "yes", "result": "Kvar i formuläret"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["checked_on"]
    assert b"Kvar i formul\xc3\xa4ret" in response.content
    assert Action.objects.get(pk=action.pk).status == Status.DONE
