"""Demo routines for `load_demo` (development only).

Made through the services, as real use would: routines approved before Hjulet are published
with `publish_imported` (so their acknowledgment rounds start), one routine is approved and
published in Hjulet by the department manager, one is in review with a named reviewer, one is a
draft, and one is past its review date. The demo processes (processes/demo.py) link to them.
Running it again changes nothing: each routine is looked up by its title and level first.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from legal.models import RegulationSection
from organisation.models import OrgNode
from routines.demo_data import IN_APP, OVERDUE, PUBLISHED, REVIEW, ROUTINES
from routines.models import Routine
from routines.services.draft import create_routine
from routines.services.publish import publish, publish_imported
from routines.services.review import add_comment, approve, submit_for_review


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
    """Create the demo routines that do not exist yet. Returns the routines by key (also those
    that existed)."""
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
        routine = create_routine(
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
    return routines


def _advance(routine, stage, approved_as, users, today):
    version = routine.versions.get(number=1)
    if stage == PUBLISHED:
        publish_imported(
            version,
            actor=None,
            approved_as=approved_as,
            approved_on=today - datetime.timedelta(days=120),
            effective_from=today - datetime.timedelta(days=110),
        )
    elif stage == OVERDUE:
        # Approved 14 months ago with a 12-month interval: the review date has passed.
        publish_imported(
            version,
            actor=None,
            approved_as=approved_as,
            approved_on=today - datetime.timedelta(days=430),
            effective_from=today - datetime.timedelta(days=425),
        )
    elif stage == IN_APP:
        approve(version, actor=users["adam"], note="Fastställd på ledningsgruppen.")
        publish(version, actor=users["adam"])
    elif stage == REVIEW:
        submit_for_review(
            version,
            actor=users["eva"],
            reviewers=[users["kalle"]],
            note="Kalle, kan du som kvalitetsombud läsa igenom före APT?",
        )
        add_comment(
            version,
            actor=users["kalle"],
            text="Lägg gärna till var återsamlingsplatsen är.",
        )
