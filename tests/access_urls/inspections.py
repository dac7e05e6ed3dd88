"""Object URLs of self-inspection: a checklist, plan, execution and finding of unit A."""

from inspections.models import ChecklistTemplate, Execution, Finding, InspectionPlan


def _checklist(c):
    from tests.inspections_helpers import template

    return ChecklistTemplate.objects.filter(unit=c.unit_a).first() or template(c, node=c.unit_a)


def _execution(c):
    from tests.inspections_helpers import execute, plan_item

    found = Execution.objects.filter(unit=c.unit_a).first()
    if found:
        return found
    return execute(c, ["yes", "no", "na"], item=plan_item(c, _checklist(c)))


def _plan(c):
    _execution(c)
    return InspectionPlan.objects.get(unit=c.unit_a)


def _finding(c):
    return Finding.objects.filter(execution=_execution(c)).first()


def _occasion(c):
    return _plan(c).items.first().occasions.first()


def _action(c):
    import datetime

    from actions.models import Action
    from actions.services import create_action

    return Action.objects.filter(unit=c.unit_a).first() or create_action(
        actor=None, unit=c.unit_a, title="Åtgärd", owner=c.manager_a, due_date=datetime.date.today()
    )


OBJECT_URLS = {
    "inspections:plan": (lambda c: {"pk": _plan(c).pk}, "get", True),
    "inspections:item_add": (lambda c: {"pk": _plan(c).pk}, "get", True),
    "inspections:item_edit": (lambda c: {"pk": _plan(c).items.first().pk}, "get", True),
    "inspections:item_remove": (lambda c: {"pk": _plan(c).items.first().pk}, "get", True),
    "inspections:template": (lambda c: {"pk": _checklist(c).pk}, "get", True),
    "inspections:template_adapt": (lambda c: {"pk": _checklist(c).pk}, "get", True),
    "inspections:template_in_use": (lambda c: {"pk": _checklist(c).pk}, "get", True),
    "inspections:question_add": (lambda c: {"pk": _checklist(c).pk}, "get", True),
    "inspections:question_edit": (
        lambda c: {"pk": _checklist(c).questions.first().pk},
        "get",
        True,
    ),
    "inspections:question_remove": (
        lambda c: {"pk": _checklist(c).questions.first().pk},
        "post",
        True,
    ),
    "inspections:execution_start": (lambda c: {"pk": _occasion(c).pk}, "post", True),
    "inspections:execution": (lambda c: {"pk": _execution(c).pk}, "get", True),
    "inspections:sample_draw": (lambda c: {"pk": _execution(c).pk}, "post", True),
    "inspections:finding_add": (lambda c: {"pk": _execution(c).pk}, "post", True),
    "inspections:finding_action": (lambda c: {"pk": _finding(c).pk}, "get", True),
    "inspections:finding_close": (lambda c: {"pk": _finding(c).pk}, "post", True),
    "inspections:follow_up": (lambda c: {"pk": _action(c).pk}, "get", True),
}
