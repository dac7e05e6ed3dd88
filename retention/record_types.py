"""The record types Hjulet thins, known by app label so that retention imports no domain app."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from legal.rules import TrackKind
from retention.models import RunsFrom, Thinning
from retention.registry import RecordType, register
from retention.thinning import anonymise_actions, anonymise_deviations


def _content_type(label):
    return ContentType.objects.get_for_model(apps.get_model(label))


def _latest(first, *others):
    """The latest of these dates; an empty one counts as the first (never as unknown)."""
    return Greatest(F(first), *(Coalesce(o, F(first)) for o in others))


def newest(model_label, link, date_field):
    """The newest date among a record's related rows: one indexed subquery per relation,
    not a join of every relation at once (which multiplies the rows per record)."""
    rows = (
        apps.get_model(model_label)
        .objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(newest=Max(date_field))
        .values("newest")
    )
    return Subquery(rows)


class Deviations(RecordType):
    code = "deviation"
    label = _("Deviations, with their tracks, investigations, notifications and attachments")
    model_label = "deviations.Deviation"
    unit_lookup = "unit"
    reference_field = "reference"
    # Only anonymised: the statistics count the report, its tracks, causes and notifications.
    actions = (Thinning.ANONYMISE,)
    events = (RunsFrom.LAST_ENTRY, RunsFrom.CLOSED, RunsFrom.CREATED)
    kinds = TrackKind.choices

    def candidates(self):
        # An open case is never thinned, whatever its age.
        return super().candidates().filter(status="closed")

    def date_expression(self, event):
        if event == RunsFrom.CREATED:
            return F("reported_at")
        if event == RunsFrom.CLOSED:
            return F("closed_at")
        return _latest(
            "reported_at",
            F("closed_at"),
            newest("deviations.Track", "deviation", "closed_at"),
            newest("deviations.TrackTransition", "track__deviation", "at"),
            newest("deviations.Investigation", "track__deviation", "updated_at"),
            newest("deviations.TimelineEntry", "investigation__track__deviation", "added_at"),
            newest("deviations.AuthorityNotification", "track__deviation", "updated_at"),
            newest("deviations.AuthorityContact", "notification__track__deviation", "added_at"),
            newest("deviations.Attachment", "deviation", "uploaded_at"),
        )

    def kind_q(self, kind):
        if not kind:
            return Q()
        tracks = apps.get_model("deviations.Track").objects.filter(kind=kind)
        return Q(pk__in=tracks.values("deviation_id"))

    def held_q(self, holds):
        return Q(pk__in=holds.deviation_ids) | holds.units_q("unit")

    def reference(self, value):
        return value

    def thin(self, ids, action):
        return anonymise_deviations(ids)


class Actions(RecordType):
    code = "action"
    label = _("Actions (the balance list)")
    model_label = "actions.Action"
    unit_lookup = "unit"
    # Only anonymised: the statistics count tracks closed with an action.
    actions = (Thinning.ANONYMISE,)
    events = (RunsFrom.LAST_ENTRY, RunsFrom.CLOSED, RunsFrom.CREATED)

    def candidates(self):
        return super().candidates().filter(status__in=("effect_checked", "cancelled"))

    def date_expression(self, event):
        if event == RunsFrom.CREATED:
            return F("created_at")
        transitions = newest("actions.ActionTransition", "action", "at")
        if event == RunsFrom.CLOSED:
            return Coalesce(transitions, F("created_at"))
        return _latest("created_at", F("completed_at"), transitions)

    def held_q(self, holds):
        deviations = holds.held_deviation_ids()
        tracks = apps.get_model("deviations.Track").objects.filter(deviation_id__in=deviations)
        return (
            holds.units_q("unit")
            | Q(
                source_type=_content_type("deviations.Track"),
                source_id__in=list(tracks.values_list("pk", flat=True)),
            )
            | Q(source_type=_content_type("deviations.Deviation"), source_id__in=deviations)
        )

    def reference(self, value):
        return str(_("Action %(id)s") % {"id": value})

    def thin(self, ids, action):
        return anonymise_actions(ids)


def _held_targets(holds, field):
    """Rows about a held deviation or one of its tracks (generic content type and id)."""
    deviations = holds.held_deviation_ids()
    if not deviations:
        return Q(pk__in=[])
    tracks = apps.get_model("deviations.Track").objects.filter(deviation_id__in=deviations)
    return Q(
        content_type=_content_type("deviations.Deviation"),
        **{f"{field}__in": [str(pk) for pk in deviations]},
    ) | Q(
        content_type=_content_type("deviations.Track"),
        **{f"{field}__in": [str(pk) for pk in tracks.values_list("pk", flat=True)]},
    )


class Deleted(RecordType):
    actions = (Thinning.DELETE,)
    events = (RunsFrom.CREATED,)


class AccessLogRecords(Deleted):
    code = "access_log"
    label = _("The access log (reads of sensitive records)")
    model_label = "audit.AccessLog"

    def date_expression(self, event):
        return F("at")

    def held_q(self, holds):
        if holds.whole_access_log:
            return Q(pk__isnull=False)
        return _held_targets(holds, "object_id")


class AuditEvents(Deleted):
    code = "audit_event"
    label = _("Events in the history of records")
    model_label = "audit.Event"

    def candidates(self):
        # The log of thinning itself is kept: it is the proof of what was thinned.
        own = ContentType.objects.filter(app_label="retention")
        return super().candidates().exclude(content_type__in=own)

    def date_expression(self, event):
        return F("created_at")

    def held_q(self, holds):
        return _held_targets(holds, "object_id")


class FieldHistory(Deleted):
    code = "field_history"
    label = _("Field history (the change log of every field)")
    model_label = "auditlog.LogEntry"

    def candidates(self):
        own = ContentType.objects.filter(app_label="retention")
        return super().candidates().exclude(content_type__in=own)

    def date_expression(self, event):
        return F("timestamp")

    def held_q(self, holds):
        return _held_targets(holds, "object_pk")


for record_type in (Deviations, Actions, AccessLogRecords, AuditEvents, FieldHistory):
    register(record_type())
