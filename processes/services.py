"""Every change to the process register goes through these functions.

Who may do what: `processes.manage` on the process's node (the node itself, or a subtree
that contains it). `actor=None` means the system itself (the demo loader, imports).

API for other modules: `create_process`, `update_process`, `deactivate_process`,
`reactivate_process`, `add_activity`, `update_activity`, `set_activity_routines`,
`move_activity`, `remove_activity`, `add_collaboration`, `update_collaboration`,
`remove_collaboration`; `linkable_routines(actor, node)` and `owner_candidates(node)` say
what may be chosen.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import record_event
from core.once import save_once
from processes.checks import (  # noqa: F401  (re-exported: callers use services.<name>)
    _check_owner,
    _check_routines,
    _check_unit,
    _clean_text,
    _from_token,
    _require_manage,
    _routine_fits,
    linkable_routines,
    may_manage,
    owner_candidates,
    sees_processes_at,
)
from processes.models import Activity, Collaboration, PartnerKind, Process
from routines.models import Routine

PROCESS_FIELDS = ("unit", "name", "purpose", "owner", "services", "legal_sections")
ACTIVITY_FIELDS = ("name", "description", "responsible_role", "responsible_note")
COLLABORATION_FIELDS = (
    "kind",
    "partner",
    "internal_unit",
    "purpose",
    "agreement",
    "agreement_valid_until",
    "routine",
)
UP, DOWN = "up", "down"


# -- processes -------------------------------------------------------------------------------


@transaction.atomic
def create_process(
    *,
    actor,
    unit,
    name,
    purpose,
    owner,
    services=(),
    legal_sections=(),
    form_token=None,
):
    """A process of `unit` (the organisation, a department or a unit). `form_token` makes the
    form safe to send twice; the returned process's `just_created` says which happened."""
    existing = _from_token(Process, form_token, actor)
    if existing is not None:
        return existing
    _check_unit(actor, unit)
    _check_owner(owner, unit)
    process = Process(
        unit=unit,
        name=_clean_text(name),
        purpose=(purpose or "").strip(),
        owner=owner,
        form_token=form_token,
    )
    process.full_clean(exclude=["form_token"])
    process = save_once(process, form_token)
    if not process.just_created:
        return process
    process.services.set(services)
    process.legal_sections.set(legal_sections)
    record_event(process, "processes.created", actor, name=process.name, unit=unit.name)
    return process


@transaction.atomic
def update_process(process, *, actor, **fields):
    """Change name, purpose, level, owner, services and legal references. A new level must
    be one the actor manages, and the linked routines must still fit it."""
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    process = Process.objects.select_for_update().select_related("unit").get(pk=process.pk)
    _require_manage(actor, process)
    unit = fields.get("unit", process.unit)
    if unit.pk != process.unit_id:
        _check_unit(actor, unit)
        linked = Routine.objects.filter(
            Q(activities__process=process) | Q(collaborations__process=process)
        ).distinct()
        misfits = [r.title for r in linked.select_related("unit") if not _routine_fits(r, unit)]
        if misfits:
            raise ValidationError(
                {
                    "unit": _("These linked routines do not apply to the new level: %(titles)s")
                    % {"titles": ", ".join(misfits)}
                }
            )
    owner = fields.get("owner", process.owner)
    if "owner" in fields or "unit" in fields:
        _check_owner(owner, unit)
    for name in ("unit", "owner"):
        if name in fields:
            setattr(process, name, fields[name])
    if "name" in fields:
        process.name = _clean_text(fields["name"])
    if "purpose" in fields:
        process.purpose = (fields["purpose"] or "").strip()
    process.full_clean(exclude=["form_token"])
    process.save()
    if "services" in fields:
        process.services.set(fields["services"])
    if "legal_sections" in fields:
        process.legal_sections.set(fields["legal_sections"])
    record_event(process, "processes.updated", actor, name=process.name)
    return process


@transaction.atomic
def deactivate_process(process, *, actor):
    """Take a process out of use: it leaves the register's default view and coverage."""
    _require_manage(actor, process)
    if process.is_active:
        Process.objects.filter(pk=process.pk).update(is_active=False)
        process.is_active = False
        record_event(process, "processes.deactivated", actor)
    return process


@transaction.atomic
def reactivate_process(process, *, actor):
    _require_manage(actor, process)
    if not process.is_active:
        Process.objects.filter(pk=process.pk).update(is_active=True)
        process.is_active = True
        record_event(process, "processes.reactivated", actor)
    return process


# -- activities ------------------------------------------------------------------------------


def _locked_process(process):
    # One writer at a time per process: positions are read and written under the lock.
    return Process.objects.select_for_update().select_related("unit").get(pk=process.pk)


def _check_responsible(responsible_role, responsible_note):
    if responsible_role is None and not _clean_text(responsible_note):
        raise ValidationError(
            {"responsible_role": _("Choose a role or describe who is responsible.")}
        )


@transaction.atomic
def add_activity(
    process,
    *,
    actor,
    name,
    description="",
    responsible_role=None,
    responsible_note="",
    routines=(),
    form_token=None,
):
    """Add an activity as the last step of the process."""
    existing = _from_token(Activity, form_token, actor)
    if existing is not None:
        return existing
    process = _locked_process(process)
    _require_manage(actor, process)
    _check_responsible(responsible_role, responsible_note)
    routines = list(routines)
    _check_routines(actor, process.unit, routines)
    last = process.activities.order_by("-position").values_list("position", flat=True).first()
    activity = Activity(
        process=process,
        position=(last or 0) + 1,
        name=_clean_text(name),
        description=(description or "").strip(),
        responsible_role=responsible_role,
        responsible_note=_clean_text(responsible_note),
        form_token=form_token,
    )
    activity.full_clean(exclude=["form_token", "process"])
    activity = save_once(activity, form_token)
    if not activity.just_created:
        return activity
    activity.routines.set(routines)
    record_event(process, "processes.activity_added", actor, activity=activity.name)
    return activity


@transaction.atomic
def update_activity(activity, *, actor, routines=None, **fields):
    """Change an activity's name, description and who is responsible; `routines` (when
    given) replaces the governing routines as `set_activity_routines` does."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    process = _locked_process(activity.process)
    _require_manage(actor, process)
    activity = Activity.objects.get(pk=activity.pk)
    for name, value in fields.items():
        if name in ("name", "responsible_note"):
            value = _clean_text(value)
        elif name == "description":
            value = (value or "").strip()
        setattr(activity, name, value)
    _check_responsible(activity.responsible_role, activity.responsible_note)
    activity.full_clean(exclude=["form_token", "process"])
    activity.save()
    record_event(process, "processes.activity_updated", actor, activity=activity.name)
    if routines is not None:
        set_activity_routines(activity, actor=actor, routines=routines)
    return activity


@transaction.atomic
def set_activity_routines(activity, *, actor, routines):
    """Name the routines that govern the activity. Linked routines the actor cannot see are
    kept: an activity edited by one manager does not lose another's links."""
    process = _locked_process(activity.process)
    _require_manage(actor, process)
    routines = list(routines)
    _check_routines(actor, process.unit, routines)
    current = list(activity.routines.all())
    if actor is not None:
        visible = set(
            Routine.objects.visible_to(actor)
            .filter(pk__in=[r.pk for r in current])
            .values_list("pk", flat=True)
        )
        routines += [r for r in current if r.pk not in visible]
    if {r.pk for r in routines} == {r.pk for r in current}:
        return activity
    activity.routines.set(routines)
    titles = ", ".join(sorted(r.title for r in routines)) or "–"
    record_event(
        process, "processes.routines_linked", actor, activity=activity.name, routines=titles
    )
    return activity


def _set_position(activity_pk, position):
    # Positions change with update(): the readable event says what moved.
    Activity.objects.filter(pk=activity_pk).update(position=position)


@transaction.atomic
def move_activity(activity, *, actor, direction):
    """Swap the activity with its neighbour above (`up`) or below (`down`). At the top or the
    bottom nothing changes. Returns the activity with its new position."""
    if direction not in (UP, DOWN):
        raise ValueError(f"Unknown direction: {direction}")
    process = _locked_process(activity.process)
    _require_manage(actor, process)
    activity = Activity.objects.get(pk=activity.pk)
    siblings = process.activities.exclude(pk=activity.pk)
    if direction == UP:
        neighbour = siblings.filter(position__lt=activity.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=activity.position).order_by("position").first()
    if neighbour is None:
        return activity
    mine, theirs = activity.position, neighbour.position
    # Through a free position: the unique constraint is deferred only where the database can.
    _set_position(activity.pk, 0)
    _set_position(neighbour.pk, mine)
    _set_position(activity.pk, theirs)
    activity.position = theirs
    record_event(
        process, "processes.activity_moved", actor, activity=activity.name, position=theirs
    )
    return activity


def _renumber(process):
    """Positions 1..n in the current order; rows only move to a free, lower position."""
    for index, (pk, position) in enumerate(
        process.activities.order_by("position", "pk").values_list("pk", "position"), start=1
    ):
        if position != index:
            _set_position(pk, index)


@transaction.atomic
def remove_activity(activity, *, actor):
    process = _locked_process(activity.process)
    _require_manage(actor, process)
    name = activity.name
    Activity.objects.filter(pk=activity.pk).delete()
    _renumber(process)
    record_event(process, "processes.activity_removed", actor, activity=name)


# -- collaboration ---------------------------------------------------------------------------


def _clean_collaboration(actor, process, values):
    kind = values.get("kind")
    internal_unit = values.get("internal_unit")
    if kind == PartnerKind.INTERNAL:
        if internal_unit is None:
            raise ValidationError({"internal_unit": _("Choose the unit you collaborate with.")})
        if internal_unit.root_id != process.unit.root_id:
            raise ValidationError(
                {"internal_unit": _("The unit must belong to the same organisation.")}
            )
        values["partner"] = _clean_text(values.get("partner")) or internal_unit.name
    else:
        values["internal_unit"] = None
        values["partner"] = _clean_text(values.get("partner"))
    if not values["partner"]:
        raise ValidationError({"partner": _("Name the partner.")})
    for name in ("purpose", "agreement"):
        values[name] = (values.get(name) or "").strip()
    routine = values.get("routine")
    if routine is not None:
        _check_routines(actor, process.unit, [routine], field="routine")
    return values


@transaction.atomic
def add_collaboration(process, *, actor, form_token=None, **values):
    """A partner of the process (4 kap 5–6 §§): kind, partner, internal unit, purpose,
    agreement and its end date, and the routine for the collaboration."""
    unknown = set(values) - set(COLLABORATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    existing = _from_token(Collaboration, form_token, actor)
    if existing is not None:
        return existing
    process = _locked_process(process)
    _require_manage(actor, process)
    values = _clean_collaboration(actor, process, dict(values))
    collaboration = Collaboration(process=process, form_token=form_token, **values)
    collaboration.full_clean(exclude=["form_token", "process"])
    collaboration = save_once(collaboration, form_token)
    if collaboration.just_created:
        record_event(process, "processes.collaboration_added", actor, partner=collaboration.partner)
    return collaboration


@transaction.atomic
def update_collaboration(collaboration, *, actor, **values):
    unknown = set(values) - set(COLLABORATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    process = _locked_process(collaboration.process)
    _require_manage(actor, process)
    collaboration = Collaboration.objects.get(pk=collaboration.pk)
    merged = {name: getattr(collaboration, name) for name in COLLABORATION_FIELDS}
    merged.update(values)
    if merged["routine"] is not None and merged["routine"].pk == collaboration.routine_id:
        # An unchanged routine stays, even one the editing person cannot see.
        keep = merged.pop("routine")
        merged = _clean_collaboration(actor, process, merged)
        merged["routine"] = keep
    else:
        merged = _clean_collaboration(actor, process, merged)
    for name, value in merged.items():
        setattr(collaboration, name, value)
    collaboration.full_clean(exclude=["form_token", "process"])
    collaboration.save()
    record_event(process, "processes.collaboration_updated", actor, partner=collaboration.partner)
    return collaboration


@transaction.atomic
def remove_collaboration(collaboration, *, actor):
    process = _locked_process(collaboration.process)
    _require_manage(actor, process)
    partner = collaboration.partner
    Collaboration.objects.filter(pk=collaboration.pk).delete()
    record_event(process, "processes.collaboration_removed", actor, partner=partner)
