"""State changes of retention: rules, the automatic switch, legal holds and executed runs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import can
from audit.services import record_event
from retention import engine, registry
from retention.models import (
    KEY,
    HoldKind,
    LegalHold,
    RetentionRule,
    RetentionRun,
    RetentionRunLine,
    RetentionSetting,
    ThinnedRecord,
    Thinning,
)

RULE_FIELDS = (
    "name",
    "record_type",
    "applies_to",
    "track_kind",
    "runs_from",
    "years",
    "months",
    "section",
    "reference_text",
    "action",
    "is_active",
    "order",
    "notes",
)


def _check(actor, obj=None):
    if actor is not None and not can(actor, KEY, obj):
        raise PermissionDenied


def check_rule(fields):
    """The rule's combination must make sense for its kind of record."""
    record_type = registry.get(fields.get("record_type"))
    errors = {}
    if record_type is None:
        errors["record_type"] = _("Choose a kind of record.")
    else:
        if fields.get("action") not in record_type.actions:
            errors["action"] = _("This kind of record can only be: %(allowed)s.") % {
                "allowed": ", ".join(str(Thinning(a).label).lower() for a in record_type.actions)
            }
        if fields.get("runs_from") not in record_type.events:
            errors["runs_from"] = _("This kind of record is counted only from: %(allowed)s.") % {
                "allowed": ", ".join(str(e.label).lower() for e in record_type.events)
            }
        if fields.get("track_kind") and fields["track_kind"] not in dict(record_type.kinds):
            errors["track_kind"] = _("This kind of record has no legal tracks.")
        if fields.get("applies_to", "any") != "any" and record_type.unit_lookup is None:
            errors["applies_to"] = _(
                "This kind of record belongs to no unit: the rule applies to everyone."
            )
    if not (fields.get("years") or fields.get("months")):
        errors["years"] = _("Give a period of at least one month.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_rule(rule, *, actor, **fields):
    _check(actor)
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    check_rule({name: getattr(rule, name) for name in RULE_FIELDS})
    created = rule.pk is None
    if created and not rule.code:
        rule.code = f"rule-{RetentionRule.objects.count() + 1}-{timezone.now():%Y%m%d%H%M%S}"
    rule.save()
    record_event(rule, "retention.rule_created" if created else "retention.rule_changed", actor)
    return rule


@transaction.atomic
def set_automatic(*, actor, automatic):
    _check(actor)
    setting = RetentionSetting.current()
    RetentionSetting.objects.filter(pk=setting.pk).select_for_update().get()
    setting.automatic = bool(automatic)
    setting.changed_by = actor
    setting.changed_at = timezone.now()
    setting.save()
    record_event(
        setting, "retention.automatic_on" if automatic else "retention.automatic_off", actor
    )
    return setting


@transaction.atomic
def set_hold(*, actor, kind, reason, until=None, deviation=None, unit=None):
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the records must be kept.")
    if until is not None and until < timezone.localdate():
        errors["until"] = _("The end date has passed: leave it empty to hold until lifted.")
    if kind == HoldKind.DEVIATION and deviation is None:
        errors["deviation"] = _("Give the reference of a deviation in your units.")
    if kind == HoldKind.UNIT and unit is None:
        errors["unit"] = _("Choose a unit.")
    if errors:
        raise ValidationError(errors)
    hold = LegalHold(
        kind=kind,
        deviation=deviation if kind == HoldKind.DEVIATION else None,
        unit=unit if kind == HoldKind.UNIT else None,
        reason=reason,
        until=until,
        created_by=actor,
    )
    _check(actor, hold)
    hold.save()
    record_event(hold, "retention.hold_set", actor, what=str(hold))
    return hold


@transaction.atomic
def lift_hold(hold, *, actor, reason):
    _check(actor, hold)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("The hold has already been lifted."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Say why the hold is lifted.")})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason
    hold.save()
    record_event(hold, "retention.hold_lifted", actor, what=str(hold))
    return hold


@transaction.atomic
def execute_run(*, actor=None, automatic=False, now=None):
    """Thin what the rules say now, within the person's units (everything when run by the
    schedule), and log it. Irreversible: the dry run shows the same list beforehand."""
    if actor is not None:
        _check(actor)
    # One run at a time: a second one waits here and then finds nothing left to thin.
    RetentionSetting.objects.select_for_update().filter(pk=RetentionSetting.current().pk).get()
    run = RetentionRun.objects.create(actor=actor, automatic=automatic)
    for due in engine.due_records(user=actor, now=now):
        if not due.records:
            continue
        ids = [pk for pk, _ref, _d in due.records]
        count = due.record_type.thin(ids, due.rule.action)
        if due.rule.action == Thinning.ANONYMISE:
            ThinnedRecord.objects.bulk_create(
                ThinnedRecord(record_type=due.record_type.code, object_id=pk, run=run) for pk in ids
            )
        RetentionRunLine.objects.create(
            run=run,
            rule=due.rule,
            rule_name=due.rule.name,
            record_type=due.record_type.code,
            action=due.rule.action,
            count=count,
            references=[ref for _pk, ref, _d in due.records],
        )
        run.total += count
    run.save(update_fields=["total"])
    record_event(run, "retention.run", actor, count=run.total)
    return run


def run_if_enabled():
    """The scheduled run: thins only when the organisation has turned it on."""
    if not RetentionSetting.current().automatic:
        return None
    return execute_run(actor=None, automatic=True)
