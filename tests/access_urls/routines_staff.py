"""Object URLs of staff's side of routines: a routine in force at unit A and a task of its staff."""

from routines.models import Acknowledgment, Routine
from tests.routines_s_helpers import routine_in_force


def _routine(c):
    found = Routine.objects.filter(unit=c.unit_a, current_version__isnull=False).first()
    return found or routine_in_force(c, title="Nyckelhantering", body="<p>Nycklar.</p>")


def _task(c):
    routine = _routine(c)
    return Acknowledgment.objects.get(version=routine.current_version, user=c.same_unit)


OBJECT_URLS = {
    "routines:read": (lambda c: {"pk": _routine(c).pk}, "get", True),
    "routines:review": (lambda c: {"pk": _routine(c).pk}, "get", True),
    "routines:acknowledge": (lambda c: {"pk": _task(c).pk}, "post", True),
    "routines:acknowledgments_remind": (lambda c: {"unit_pk": c.unit_a.pk}, "post", True),
}
