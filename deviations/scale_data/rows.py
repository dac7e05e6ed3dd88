"""The rows of a chunk of generated reports, by table, and their columns."""

from actions.models import Action
from audit.models import Event
from deviations.authority.models import AuthorityNotification
from deviations.investigation.models import Investigation
from deviations.models import Clock, Deviation, Track, TrackTransition

TABLES = (
    "deviations",
    "tracks",
    "transitions",
    "clocks",
    "investigations",
    "causes",
    "investigators",
    "actions",
    "notifications",
    "events",
)


def empty():
    """A fresh list of rows for each table."""
    return {name: [] for name in TABLES}


def write(w, rows):
    """Write the chunk's rows with the BulkWriter `w`, parents before children."""
    w.write(
        Deviation,
        [
            "id",
            "reference",
            "unit_id",
            "reported_by_id",
            "reported_at",
            "aware_at",
            "occurred_at",
            "place",
            "description",
            "immediate_action",
            "service_user_affected",
            "category_id",
            "affected_person",
            "hint_lex_sarah",
            "hint_health_care",
            "hint_data_breach",
            "work_environment",
            "status",
            "closed_at",
        ],
        rows["deviations"],
    )
    w.write(
        Track,
        [
            "id",
            "deviation_id",
            "kind",
            "state",
            "reason",
            "serious",
            "serious_decided_at",
            "investigation_started_at",
            "created_at",
            "created_by_id",
            "closed_at",
        ],
        rows["tracks"],
    )
    w.write(Track.investigators.through, ["track_id", "user_id"], rows["investigators"])
    w.write(
        TrackTransition,
        ["track_id", "action", "from_state", "to_state", "actor_id", "at", "note"],
        rows["transitions"],
    )
    w.write(
        Clock,
        ["deviation_id", "track_id", "rule_id", "started_at", "due_at", "met_at"],
        rows["clocks"],
    )
    w.write(
        Investigation,
        [
            "id",
            "track_id",
            "participants",
            "cause_analysis",
            "person_informed_on",
            "person_heard_on",
            "not_informed_reason",
            "conclusion",
            "decision",
            "decided_by_id",
            "decided_at",
            "no_action_reason",
            "updated_at",
        ],
        rows["investigations"],
    )
    w.write(Investigation.causes.through, ["investigation_id", "cause_id"], rows["causes"])
    w.write(
        Action,
        [
            "source_type_id",
            "source_id",
            "source_label",
            "unit_id",
            "title",
            "owner_id",
            "due_date",
            "status",
            "completed_at",
            "planned_effect_check_date",
            "effect_checked_at",
            "effect_result",
            "effect_ok",
            "created_at",
            "created_by_id",
        ],
        rows["actions"],
    )
    w.write(
        AuthorityNotification,
        [
            "id",
            "track_id",
            "recipient",
            "state",
            "decision",
            "not_notify_reason",
            "created_at",
            "created_by_id",
            "sent_at",
            "channel",
            "sent_by_id",
            "unit_name",
            "own_reference",
        ],
        rows["notifications"],
    )
    w.write(
        Event,
        ["content_type_id", "object_id", "verb", "params", "actor_id", "created_at"],
        rows["events"],
    )
