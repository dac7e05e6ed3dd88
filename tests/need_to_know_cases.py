"""Cases holding a unique marker string in every free-text field, for need-to-know tests.

Three reports of unit A: a lex Sarah case, a lex Maria case and a personal-data breach. Each
marker belongs to one kind of reader:
- "report": the report itself (what happened, where, what was done): whoever sees the report
  (deviations.view over the unit) and the person who reported it;
- "identity": who the report is about: holders of deviations.view_identity over the unit;
- "track": the investigation, its timeline, the actions made from a restricted track and the
  authority notification: the readers of the track (Track.objects.readable_by);
- "action": an action made from an unrestricted track (the breach): whoever sees the unit's
  actions.
Markers are lower-case letters only, so no free-text check takes them for a personal identity
number, and no marker is part of another.
"""

import datetime
from types import SimpleNamespace

from django.db import models
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.scoping import can
from actions.models import Action
from deviations import services
from deviations.authority import services as notification_services
from deviations.authority.models import AuthorityNotification
from deviations.investigation import services as investigation_services
from deviations.models import Deviation, Track
from legal.rules import TrackRule

INVESTIGATION_TEXT = (
    "participants",
    "cause_analysis",
    "person_view",
    "not_informed_reason",
    "conclusion",
    "decision",
)


def marker(case, field):
    return f"nk{case}{field.replace('_', '')}x"


def add_mas(cast):
    """The cast has no reader of lex Maria: a MAS over the administration."""
    if getattr(cast, "mas", None) is None:
        cast.mas = User.objects.create(
            username="mas", first_name="Mia", last_name="Sjuksköterska", email="mas@cast.test"
        )
        RoleAssignment.objects.create(
            user=cast.mas,
            role=Role.objects.get(code="mas"),
            node=cast.administration,
            include_subtree=True,
        )
    return cast.mas


def _notification_text(notification, case, markers):
    for name in notification_services.content_fields(notification.recipient):
        field = AuthorityNotification._meta.get_field(name)
        if isinstance(field, models.TextField) or (
            isinstance(field, models.CharField) and not field.choices and field.max_length >= 100
        ):
            markers[marker(case, "n" + name)] = "track"
            setattr(notification, name, marker(case, "n" + name))
    notification.save()


def _case(cast, name, kind, investigator, recipient, owner):
    markers = {}
    fields = {f: marker(name, f) for f in ("description", "immediate_action", "place")}
    markers.update(dict.fromkeys(fields.values(), "report"))
    markers[marker(name, "identity")] = "identity"
    deviation = services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        service_user_affected="yes",
        affected_person=marker(name, "identity"),
        **fields,
    )
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[kind])
    track = investigation_services.move_track(track, "start_investigation", actor=investigator)
    texts = {f: marker(name, f) for f in INVESTIGATION_TEXT}
    markers.update(dict.fromkeys(texts.values(), "track"))
    investigation_services.save_investigation(track, actor=investigator, **texts)
    markers[marker(name, "timeline")] = "track"
    investigation_services.add_timeline_entry(
        track, actor=investigator, at=timezone.now(), text=marker(name, "timeline")
    )
    # An action of an unrestricted track is ordinary work on the unit's balanslista; one of a
    # restricted track is read only by the track's readers.
    restricted = TrackRule.objects.in_force().filter(kind=kind, restricted=True).exists()
    markers[marker(name, "actiontitle")] = "track" if restricted else "action"
    markers[marker(name, "actiondescription")] = "track" if restricted else "action"
    action = investigation_services.add_track_action(
        track,
        actor=investigator,
        title=marker(name, "actiontitle"),
        description=marker(name, "actiondescription"),
        owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    investigation_services.decide_serious(track, True, actor=investigator)
    notification = notification_services.create_notification(track, recipient, actor=investigator)[
        0
    ]
    _notification_text(notification, name, markers)
    return SimpleNamespace(
        name=name,
        deviation=deviation,
        track=Track.objects.get(pk=track.pk),
        action=action,
        notification=notification,
        markers=markers,
    )


def build_cases(cast):
    """The three cases; the lex Sarah case is reported last, so the access tables' "first
    report of unit A" is it."""
    mas = add_mas(cast)
    # Each action is owned by another reader of its track: its owner is told by e-mail.
    maria = _case(cast, "maria", "lex_maria", mas, "ivo_lex_maria", mas)
    breach = _case(cast, "breach", "data_breach", cast.parent_manager, "imy", cast.manager_a)
    sarah = _case(cast, "sarah", "lex_sarah", cast.quality, "ivo_lex_sarah", cast.parent_manager)
    return [sarah, maria, breach]


def may_read(user, case, kind):
    """May this person read a marker of this kind in this case (the rule the app promises)?"""
    deviation = case.deviation
    if kind == "action":
        return Action.objects.visible_to(user).filter(pk=case.action.pk).exists()
    if kind == "track":
        return Track.objects.readable_by(user).filter(pk=case.track.pk).exists()
    sees_report = Deviation.objects.visible_to(user).filter(pk=deviation.pk).exists()
    if kind == "report":
        return sees_report or deviation.reported_by_id == user.pk
    if kind == "identity":
        return sees_report and can(user, "deviations.view_identity", deviation)
    raise ValueError(kind)


def forbidden_markers(user, cases):
    """{marker: case name} of the markers this person may not read."""
    return {
        text: case.name
        for case in cases
        for text, kind in case.markers.items()
        if not may_read(user, case, kind)
    }
