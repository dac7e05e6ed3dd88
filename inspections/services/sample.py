"""The sample of a record review: N records drawn from a list the inspector gives.

The list is case numbers or pseudonymised ids, pasted or uploaded (one per line, or separated
by commas or semicolons); personal identity numbers are refused. The draw is
`random.Random(seed).sample(list, N)` over the list in the order given, after blanks and
repeats are dropped: the same list and the same seed always draw the same records. The seed
and the records drawn are stored with the execution.
"""

import random
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from core.pin import find_personal_numbers
from inspections.models import Execution, Sample
from inspections.services.common import person, require_execute

SEPARATORS = re.compile(r"[\n\r;,\t]+")
MAX_RECORDS = 20000


def parse_population(text):
    """The records of a pasted or uploaded list, in order, each once."""
    seen = []
    found = set()
    for part in SEPARATORS.split(text or ""):
        value = part.strip().strip('"').strip()
        if value and value not in found:
            found.add(value)
            seen.append(value[:60])
    return seen


def new_seed():
    return secrets.randbelow(2**31)


def draw(population, size, seed):
    """The same population and seed give the same records, in the order drawn."""
    population = list(population)
    return random.Random(seed).sample(population, min(size, len(population)))


@transaction.atomic
def draw_sample(execution, *, actor, text, size, seed=None):
    """Draw and store the execution's sample (once: a second draw returns the first)."""
    locked = (
        Execution.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=execution.pk)
    )
    require_execute(actor, locked)
    existing = Sample.objects.filter(execution=locked).first()
    if existing is not None:
        return existing
    if not locked.is_draft:
        raise ValidationError(_("The self-inspection is completed."), code="state")
    population = parse_population(text)
    errors = {}
    if find_personal_numbers("\n".join(population)):
        errors["population"] = _(
            "The list seems to contain personal identity numbers. Use case numbers or "
            "pseudonymised ids."
        )
    elif not population:
        errors["population"] = _("Give the records to draw from.")
    elif len(population) > MAX_RECORDS:
        errors["population"] = _("The list is too long.")
    if not size or size < 1:
        errors["size"] = _("Draw at least one record.")
    if errors:
        raise ValidationError(errors)
    seed = new_seed() if seed is None else seed
    sample = Sample.objects.create(
        execution=locked,
        population=population,
        size=size,
        seed=seed,
        drawn=draw(population, size, seed),
        drawn_by=person(actor),
    )
    record_event(
        locked, "inspections.sample_drawn", actor, drawn=len(sample.drawn), of=len(population)
    )
    return sample
