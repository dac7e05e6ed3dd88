"""The balanslista and one action's page. State changes: actions/services.py.

Owners of an action need no key to follow it up: the list, the export, the action page, the
status change and the effect check are open to logged-in people (`login_only`) and show only
what `Action.objects.visible_to` lets through (actions of units in scope for `actions.view`
whose source the person may read, and one's own). A person with neither is refused the list
(403) and every action (404); reads of an action of a sensitive source (a deviation's track)
are logged. An owner who may not read the source sees no source label (actions/models.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, login_only, requires
from accounts.need_to_know import source_readable
from accounts.scoping import can, holds
from actions import services
from actions.effect_providers import effect_links
from actions.forms import (
    ActionCreateForm,
    ActionFilterForm,
    ActionForm,
    EffectCheckForm,
    TransitionForm,
    manageable_units,
)
from actions.models import MANAGE, VIEW, Action, EffectOutcome, Status, needs_reason
from core import versioning
from core.csv import writer as csv_writer
from core.forms import add_service_errors

PAGE_SIZE = 50
FORM_FIELDS = services.EDITABLE_FIELDS


def _require_view_or_own(user):
    if not holds(user, VIEW) and not Action.objects.filter(owner=user).exists():
        raise PermissionDenied


def _require_manage(user, action):
    """403 for a person who sees the action but may not manage it (an owner who may not read
    its source sees it, and may not reassign or copy it)."""
    if not services.may_manage(user, action):
        raise PermissionDenied


def _visible_action(request, pk, queryset=None):
    return get_visible_or_404(
        queryset if queryset is not None else Action.objects.select_related("unit", "owner"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def _filtered(request):
    form = ActionFilterForm(request.GET or None, user=request.user)
    rows = form.filter(Action.objects.visible_to(request.user), request.user)
    rows = rows.select_related("unit", "owner").with_source_hidden(request.user)
    return form, rows.order_by("due_date", "pk")


# -- the balanslista -------------------------------------------------------------------------


@login_only
def action_list(request):
    _require_view_or_own(request.user)
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for action in page.object_list:
        action.is_late = action.is_overdue(today)
        action.check_late = action.is_effect_check_overdue(today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(request.GET.get("status") or form.has_changed()),
            "export_query": query.urlencode(),
            "may_create": holds(request.user, MANAGE),
            "today": today,
        },
    )


def _csv_safe(value):
    """Keep spreadsheet programs from reading a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


def _date(value):
    return value.strftime("%Y-%m-%d") if value else ""


@login_only
def action_export(request):
    """The current filter of the balanslista as CSV (UTF-8 with BOM, semicolons)."""
    _require_view_or_own(request.user)
    _form, rows = _filtered(request)
    writer = csv_writer()
    today = timezone.localdate()

    def lines():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Number"),
                _("What is to be done"),
                _("Unit"),
                _("Owner"),
                _("Due date"),
                _("Status"),
                _("Overdue"),
                _("Comes from"),
                _("Planned effect check"),
                _("Effect checked on"),
                _("Intended effect reached"),
                _("Result of the effect check"),
                _("Completed"),
                _("Created"),
            ]
        )
        for action in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    action.pk,
                    _csv_safe(action.title),
                    _csv_safe(action.unit.name),
                    _csv_safe(action.owner),
                    _date(action.due_date),
                    _csv_safe(action.get_status_display()),
                    _("Yes") if action.is_overdue(today) else "",
                    "" if action.source_hidden else _csv_safe(action.source_label),
                    _date(action.planned_effect_check_date),
                    _date(action.effect_checked_at),
                    _csv_safe(action.get_effect_ok_display()),
                    _csv_safe(action.effect_result),
                    _date(action.completed_at and timezone.localtime(action.completed_at)),
                    _date(timezone.localtime(action.created_at)),
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="actions-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# -- one action ------------------------------------------------------------------------------


def _object_link(user, obj):
    """The object's page, if it has one and the person may see the object."""
    if obj is None:
        return None
    try:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    except NoReverseMatch:
        return None
    key = getattr(type(obj), "view_permission", None)
    if url and key and not can(user, key, obj):
        return None
    return url


MOVE_KINDS = {
    (Status.PLANNED, Status.IN_PROGRESS): "start",
    (Status.IN_PROGRESS, Status.DONE): "done",
    (Status.PLANNED, Status.CANCELLED): "cancel",
    (Status.IN_PROGRESS, Status.CANCELLED): "cancel",
    (Status.DONE, Status.IN_PROGRESS): "reopen",
}


def _moves(action, bound=None):
    """The moves the person may make from the action's status; the submitted one keeps what
    was typed and its errors."""
    moves = []
    for to in services.allowed_targets(action.status):
        submitted = bound is not None and bound.data.get("to") == to
        moves.append(
            {
                "to": to,
                "kind": MOVE_KINDS.get((action.status, to), to),
                "needs_reason": needs_reason(action.status, to),
                "reason": bound.data.get("reason", "") if submitted else "",
                "errors": [e for errors in bound.errors.values() for e in errors]
                if submitted
                else [],
            }
        )
    return moves


def _render_detail(request, action, transition_form=None, effect_form=None):
    user = request.user
    may_progress = services.may_progress(user, action)
    may_manage = services.may_manage(user, action)
    transitions = action.transitions.select_related("actor")
    follow_ups = Action.objects.visible_to(user).filter(follow_up_of=action).select_related("owner")
    # An owner who may not read the source sees the action but not where it comes from.
    source_shown = source_readable(user, action)
    show_effect_form = may_progress and action.status == Status.DONE
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "source_shown": source_shown,
            "source_link": (
                _object_link(user, action.source) if action.source_id and source_shown else None
            ),
            "evidence_link": _object_link(user, action.evidence) if action.evidence_id else None,
            "follow_up_of": (
                action.follow_up_of
                if action.follow_up_of_id and services.may_view(user, action.follow_up_of)
                else None
            ),
            "follow_ups": follow_ups,
            "transitions": transitions,
            "moves": _moves(action, transition_form) if may_progress else [],
            "effect_form": (effect_form or EffectCheckForm()) if show_effect_form else None,
            "may_edit": may_manage and not action.is_closed,
            "may_follow_up": (
                action.status == Status.EFFECT_CHECKED
                and action.effect_ok in (EffectOutcome.NO, EffectOutcome.PARTLY)
                and may_manage
            ),
            "is_late": action.is_overdue(),
            "check_late": action.is_effect_check_overdue(),
            "effect_links": effect_links(user, action),
        },
    )


@login_only
def action_detail(request, pk):
    action = _visible_action(
        request, pk, Action.objects.select_related("unit", "owner", "created_by", "follow_up_of")
    )
    return _render_detail(request, action)


@login_only
@require_POST
def action_transition(request, pk):
    action = _visible_action(request, pk)
    if not services.may_progress(request.user, action):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                action,
                form.cleaned_data["to"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The action is now “%(status)s”.") % {"status": action.get_status_display()},
            )
            return redirect(action)
    if form.data.get("to") not in services.allowed_targets(action.status):
        # Not a move offered on the page (an old page, a status changed meanwhile).
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(action)
    return _render_detail(request, action, transition_form=form)


@login_only
def action_effect(request, pk):
    action = _visible_action(request, pk)
    if not services.may_progress(request.user, action):
        raise PermissionDenied
    if action.status != Status.DONE:
        messages.error(request, _("The effect can be checked once the action is done."))
        return redirect(action)
    form = EffectCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_effect_check(
                action,
                actor=request.user,
                checked_on=data["checked_on"],
                result=data["result"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The effect check was recorded."))
            return redirect(action)
    return render(request, "actions/effect_form.html", {"action": action, "form": form})


# -- creating and editing --------------------------------------------------------------------


def _initial_for_create(request):
    """Preselect the unit (?unit=) or copy an earlier action for a follow-up (?follow_up=)."""
    initial = {}
    follow_up_pk = request.GET.get("follow_up")
    if follow_up_pk:
        earlier = _visible_action(request, follow_up_pk)
        _require_manage(request.user, earlier)
        initial.update(
            follow_up_of=earlier.pk,
            unit=earlier.unit_id,
            owner=earlier.owner_id,
            title=earlier.title,
            description=earlier.description,
        )
        return initial, earlier
    units = manageable_units(request.user)
    unit_pk = request.GET.get("unit")
    if unit_pk:
        if unit_pk.isdigit() and units.filter(pk=unit_pk).exists():
            initial["unit"] = int(unit_pk)
    else:
        # Someone who manages actions in one unit only gets it chosen already.
        only = list(units.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            initial["unit"] = only[0]
    return initial, None


@requires(MANAGE)
def action_create(request):
    if request.method == "POST":
        form = ActionCreateForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.create_action(
                    actor=request.user,
                    form_token=data["form_token"],
                    follow_up_of=data.get("follow_up_of"),
                    **{name: data[name] for name in FORM_FIELDS},
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if action.just_created:
                    messages.success(request, _("The action was created."))
                return redirect(action)
        earlier = form.cleaned_data.get("follow_up_of") if hasattr(form, "cleaned_data") else None
    else:
        initial, earlier = _initial_for_create(request)
        form = ActionCreateForm(initial=initial, actor=request.user)
    return render(
        request, "actions/form.html", {"form": form, "action": None, "follow_up_of": earlier}
    )


@login_only
def action_edit(request, pk):
    # Looked up first: people who may not see the action get 404 like for an unknown one.
    action = _visible_action(request, pk)
    _require_manage(request.user, action)
    if action.is_closed:
        messages.error(request, _("A cancelled or effect-checked action can no longer be changed."))
        return redirect(action)
    form = versioning.stamp(_edit_form(request, action, request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            # The stored action, locked, is what the person's page is compared with.
            with versioning.guard(
                form,
                lambda: _edit_form(request, Action.objects.select_for_update().get(pk=action.pk)),
            ):
                services.update_action(
                    action,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in FORM_FIELDS},
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The action was saved."))
            for warning in form.warnings:
                messages.warning(request, warning)
            return redirect(action)
    return render(
        request,
        "actions/form.html",
        {"form": form, "action": action},
        status=versioning.status(form),
    )


def _edit_form(request, action, data=None):
    initial = {name: getattr(action, name) for name in FORM_FIELDS}
    return ActionForm(data, initial=initial, actor=request.user, action=action)
