"""Demo routines and processes for `load_demo` (development only).

Made through the services, as real use would: routines approved before Hjulet are published
with `publish_imported` (so their acknowledgment rounds start), one routine is approved and
published in Hjulet by the department manager, one is in review with a named reviewer, one is a
draft, and one is past its review date. Three processes with ordered activities link to them,
with partners in the region, Försäkringskassan, a school and the police. Running it again
changes nothing: each routine and process is looked up by its title and level first.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from legal.models import RegulationSection
from organisation.models import OrgNode, Service
from processes import services as process_services
from processes.models import Process
from routines import services
from routines.demo_data import IN_APP, OVERDUE, PROCESSES, PUBLISHED, REVIEW, ROUTINES
from routines.models import Routine


def _sections(references):
    wanted = []
    for code, reference in references:
        section = RegulationSection.objects.filter(
            regulation__code=code, reference=reference
        ).first()
        if section is not None:
            wanted.append(section)
    return wanted


@transaction.atomic
def load_demo_routines():
    """Create the demo routines and processes that do not exist yet. Returns the routines by
    key."""
    nodes = {n.name: n for n in OrgNode.objects.filter(is_active=True)}
    if "Hemtjänst Norr" not in nodes:
        return {}
    users = {u.username: u for u in User.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    today = timezone.localdate()
    routines = {}
    for key, title, level, owner, role_codes, legal, months, stage, approved_as, body in ROUTINES:
        unit = nodes[level]
        existing = Routine.objects.filter(unit=unit, title=title).first()
        if existing is not None:
            routines[key] = existing
            continue
        routine = services.create_routine(
            actor=users[owner],
            unit=unit,
            title=title,
            owner=users[owner],
            roles=[roles[c] for c in role_codes],
            legal_sections=_sections(legal),
            review_interval_months=months,
            body=body,
            change_summary="Första versionen.",
        )
        _advance(routine, stage, approved_as, users, today)
        routines[key] = routine
    for spec in PROCESSES:
        _process(spec, nodes, users, roles, routines)
    return routines


def _advance(routine, stage, approved_as, users, today):
    version = routine.versions.get(number=1)
    if stage == PUBLISHED:
        services.publish_imported(
            version,
            actor=None,
            approved_as=approved_as,
            approved_on=today - datetime.timedelta(days=120),
            effective_from=today - datetime.timedelta(days=110),
        )
    elif stage == OVERDUE:
        # Approved 14 months ago with a 12-month interval: the review date has passed.
        services.publish_imported(
            version,
            actor=None,
            approved_as=approved_as,
            approved_on=today - datetime.timedelta(days=430),
            effective_from=today - datetime.timedelta(days=425),
        )
    elif stage == IN_APP:
        services.approve(version, actor=users["adam"], note="Fastställd på ledningsgruppen.")
        services.publish(version, actor=users["adam"])
    elif stage == REVIEW:
        services.submit_for_review(
            version,
            actor=users["eva"],
            reviewers=[users["kalle"]],
            note="Kalle, kan du som kvalitetsombud läsa igenom före APT?",
        )
        services.add_comment(
            version,
            actor=users["kalle"],
            text="Lägg gärna till var återsamlingsplatsen är.",
        )


def _process(spec, nodes, users, roles, routines):
    name, level, owner, service_codes, purpose, activities, collaborations = spec
    unit = nodes[level]
    if Process.objects.filter(unit=unit, name=name).exists():
        return
    process = process_services.create_process(
        actor=None,
        unit=unit,
        name=name,
        purpose=purpose,
        owner=users[owner],
        services=list(Service.objects.filter(code__in=service_codes)),
    )
    for activity_name, role_code, note, keys in activities:
        process_services.add_activity(
            process,
            actor=None,
            name=activity_name,
            responsible_role=roles.get(role_code) if role_code else None,
            responsible_note=note,
            routines=[routines[k] for k in keys],
        )
    for kind, partner, about, agreement, key in collaborations:
        process_services.add_collaboration(
            process,
            actor=None,
            kind=kind,
            partner=partner,
            purpose=about,
            agreement=agreement,
            routine=routines[key] if key else None,
        )
