"""Shared makers for the process register's tests: processes and routines made directly."""

import datetime
import itertools

from processes import services
from routines.models import Routine, RoutineVersion

_numbers = itertools.count(1)


def make_process(cast, unit=None, actor=None, name="Inskrivning", **extra):
    unit = unit or cast.unit_a
    actor = actor or cast.manager_a
    return services.create_process(
        actor=actor,
        unit=unit,
        name=name,
        purpose=extra.pop("purpose", "Att brukaren får en trygg start."),
        owner=extra.pop("owner", actor),
        **extra,
    )


def make_routine(cast, unit=None, title=None, state=None, review_on=None, owner=None):
    """A routine of `unit`; `state="published"` gives it a published current version,
    `state="draft"` only a draft; `review_on` sets its next review date."""
    number = next(_numbers)
    routine = Routine.objects.create(
        reference=f"RU-T{number:04d}",
        title=title or f"Rutin {number}",
        unit=unit or cast.unit_a,
        owner=owner or cast.manager_a,
        next_review_on=review_on,
    )
    if state is not None:
        version = RoutineVersion.objects.create(
            routine=routine, number=1, state=state, created_by=routine.owner, body="<p>Text</p>"
        )
        if state == "published":
            routine.current_version = version
            routine.save(update_fields=["current_version"])
    return routine


def published(cast, unit=None, title=None, days_to_review=180):
    review_on = datetime.date.today() + datetime.timedelta(days=days_to_review)
    return make_routine(cast, unit=unit, title=title, state="published", review_on=review_on)
