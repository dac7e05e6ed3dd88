"""Object URLs of the process register: a process of unit A, its activity and collaboration."""

from processes import services
from processes.models import Activity, Collaboration, Process


def _process(c):
    return Process.objects.filter(unit=c.unit_a).first() or services.create_process(
        actor=None, unit=c.unit_a, name="Inskrivning", purpose="Syfte", owner=c.manager_a
    )


def _activity(c):
    process = _process(c)
    return Activity.objects.filter(process=process).first() or services.add_activity(
        process, actor=None, name="Första samtalet", responsible_note="Kontaktperson"
    )


def _collaboration(c):
    process = _process(c)
    return Collaboration.objects.filter(process=process).first() or services.add_collaboration(
        process, actor=None, kind="region", partner="Vårdcentralen"
    )


OBJECT_URLS = {
    "processes:detail": (lambda c: {"pk": _process(c).pk}, "get", True),
    "processes:edit": (lambda c: {"pk": _process(c).pk}, "get", True),
    "processes:deactivate": (lambda c: {"pk": _process(c).pk}, "post", True),
    "processes:reactivate": (lambda c: {"pk": _process(c).pk}, "post", True),
    "processes:activity_add": (lambda c: {"pk": _process(c).pk}, "get", True),
    "processes:activity_edit": (lambda c: {"pk": _activity(c).pk}, "get", True),
    "processes:activity_move": (lambda c: {"pk": _activity(c).pk}, "post", True),
    "processes:activity_remove": (lambda c: {"pk": _activity(c).pk}, "post", True),
    "processes:collaboration_add": (lambda c: {"pk": _process(c).pk}, "get", True),
    "processes:collaboration_edit": (lambda c: {"pk": _collaboration(c).pk}, "get", True),
    "processes:collaboration_remove": (lambda c: {"pk": _collaboration(c).pk}, "post", True),
}
