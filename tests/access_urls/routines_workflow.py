"""Object URLs of the routine workflow (the first part of routines/urls.py), with objects of
unit A."""


def _routine(c):
    """A routine of unit A: version 1 published, version 2 a draft (made once per test)."""
    from routines.models import Routine
    from routines.services.draft import create_routine, new_version
    from routines.services.publish import publish
    from routines.services.review import approve

    found = Routine.objects.filter(unit=c.unit_a, title="Rutin A").first()
    if found:
        return found
    routine = create_routine(
        actor=c.manager_a, unit=c.unit_a, title="Rutin A", owner=c.manager_a, body="<p>Text</p>"
    )
    version = routine.versions.get()
    approve(version, actor=c.manager_a)
    publish(version, actor=c.manager_a)
    new_version(routine, actor=c.manager_a)
    return routine


def _draft(c):
    from routines.models import RoutineVersion

    return RoutineVersion.objects.get(routine=_routine(c), number=2)


def _file_version(c):
    """Version 1 of a routine of unit A uploaded as a PDF document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from routines.models import RoutineVersion
    from routines.services.draft import create_routine

    found = RoutineVersion.objects.filter(routine__title="Dokumentrutin").first()
    if found:
        return found
    from weasyprint import HTML

    pdf = HTML(string="<p>Rutin som dokument</p>").write_pdf()
    routine = create_routine(
        actor=c.manager_a,
        unit=c.unit_a,
        title="Dokumentrutin",
        owner=c.manager_a,
        file=SimpleUploadedFile("rutin.pdf", pdf),
    )
    return routine.versions.get()


def _proposal(c):
    from routines.models import Proposal
    from routines.services.loop import propose

    found = Proposal.objects.filter(routine__title="Rutin A").first()
    return found or propose(_routine(c), actor=c.manager_a, motivation="Bra för alla")


def _action(c):
    import datetime

    from actions.models import Action
    from actions.services import create_action

    return Action.objects.filter(unit=c.unit_a).first() or create_action(
        actor=None, unit=c.unit_a, title="Åtgärd", owner=c.manager_a, due_date=datetime.date.today()
    )


OBJECT_URLS = {
    "routines:detail": (lambda c: {"pk": _routine(c).pk}, "get", True),
    "routines:print": (lambda c: {"pk": _routine(c).pk}, "get", True),
    "routines:diff": (lambda c: {"pk": _routine(c).pk}, "get", True),
    "routines:new_version": (lambda c: {"pk": _routine(c).pk}, "post", True),
    "routines:propose": (lambda c: {"pk": _routine(c).pk}, "get", True),
    "routines:proposal": (lambda c: {"pk": _proposal(c).pk}, "get", True),
    "routines:version": (lambda c: {"pk": _draft(c).pk}, "get", True),
    "routines:download": (lambda c: {"pk": _file_version(c).pk}, "get", True),
    "routines:edit": (lambda c: {"pk": _draft(c).pk}, "get", True),
    "routines:submit": (lambda c: {"pk": _draft(c).pk}, "get", True),
    "routines:comment": (lambda c: {"pk": _draft(c).pk}, "post", True),
    "routines:send_back": (lambda c: {"pk": _draft(c).pk}, "post", True),
    "routines:approve": (lambda c: {"pk": _draft(c).pk}, "get", True),
    "routines:publish": (lambda c: {"pk": _draft(c).pk}, "get", True),
    "routines:withdraw": (lambda c: {"pk": _draft(c).pk}, "get", True),
    "routines:revise": (lambda c: {"pk": _action(c).pk}, "post", True),
}
