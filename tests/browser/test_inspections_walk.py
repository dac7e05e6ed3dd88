"""Self-inspection in a browser (issue 11, point 2): a unit manager plans an egenkontroll from a
checklist of the starter library, carries it out with one "nej", makes an action of the
finding, and sees compliance and the chart. axe runs on every page at 390 and 1366 px, and no
page is wider than the phone's screen."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from tests.browser.conftest import log_in, watch_console
from tests.browser.walk_helpers import check_both, submit, visit


def test_plan_carry_out_act_and_see_compliance(page, live_server, demo, axe_check):
    from actions.models import Action
    from inspections.demo import starter_library
    from inspections.models import Execution, Finding, InspectionPlan
    from organisation.models import OrgNode

    library = starter_library(OrgNode.objects.get(name="Socialnämnden"))
    hygiene = library["hygiene"]
    north = OrgNode.objects.get(name="Hemtjänst Norr")
    base = live_server.url
    today = timezone.localdate()

    log_in(page, base, "eva")
    console = watch_console(page)
    visit(page, base + "/inspections/", axe_check, console)
    visit(page, base + "/inspections/checklists/", axe_check, console)
    visit(page, f"{base}/inspections/checklists/{hygiene.pk}/", axe_check, console)

    # 1. A plan for the unit and the year, and the hygiene round in it.
    visit(page, base + "/inspections/plans/new/", axe_check, console)
    page.locator("select[name=unit]").select_option(str(north.pk))
    submit(page, page.locator("form.panel button[type=submit]"), axe_check)
    plan = InspectionPlan.objects.get(unit=north, year=today.year)
    assert urlsplit(page.url).path == f"/inspections/plans/{plan.pk}/"
    with page.expect_navigation():
        page.locator("#item-add").click()
    check_both(page, axe_check)
    form = page.locator("#item-form")
    form.locator("select[name=template]").select_option(str(hygiene.pk))
    form.locator("select[name=responsible]").select_option(label="Eva Ek (Enhetschef)")
    form.locator("input[name=first_due]").fill(today.isoformat())
    submit(page, form.locator("button[type=submit]"), axe_check)
    assert page.locator("table.occasion-list tbody tr").count() == 1

    # 2. Carried out today: yes, no (with a comment), yes, not applicable.
    submit(page, page.locator("table.occasion-list button[type=submit]"), axe_check)
    execution = Execution.objects.get()
    questions = list(hygiene.questions.order_by("order"))
    for question, reply in zip(questions, ["yes", "no", "yes", "na"], strict=True):
        page.locator(f"input[name=reply-{question.pk}][value={reply}]").check()
    page.locator(f"#comment-{questions[1].pk}").fill("Två i personalen saknade förkläde.")
    submit(page, page.locator("#complete"), axe_check)
    execution.refresh_from_db()
    assert execution.state == "completed"
    assert page.locator("#execution-compliance-value").inner_text().strip() == "67\u00a0%"

    # 3. The "nej" is a finding; it becomes an action.
    finding = Finding.objects.get(execution=execution)
    with page.expect_navigation():
        page.locator(f"#finding-{finding.pk} a.button").click()
    check_both(page, axe_check)
    form = page.locator("#finding-action-form")
    form.locator("select[name=owner]").select_option(label="Eva Ek (Enhetschef)")
    form.locator("input[name=due_date]").fill((today + timedelta(days=14)).isoformat())
    submit(page, form.locator("button[type=submit]"), axe_check)
    action = Action.objects.get(title=questions[1].text[:200])
    assert page.locator(f"#finding-{finding.pk} a[href='/actions/{action.pk}/']").count() == 1

    # 4. Compliance over time: the chart and its table show this year's 67 %.
    visit(
        page,
        f"{base}/inspections/results/?node={north.pk}&template={hygiene.pk}",
        axe_check,
        console,
    )
    assert page.locator("#compliance-chart").count() == 1
    assert "67\u00a0%" in page.locator("#year-table").inner_text()
    visit(page, f"{base}/actions/{action.pk}/", axe_check, console)
    assert page.locator("#effect-elsewhere").count() == 1
    visit(page, base + "/inspections/due/", axe_check, console)


def test_take_off_the_plan_and_out_of_use(page, live_server, demo, axe_check):
    """A unit manager takes a self-inspection off the plan (the reason first refused when
    empty, nothing typed lost) and takes the unit's own checklist out of use."""
    from inspections.models import PlanItem
    from inspections.services.checklist import create_template
    from inspections.services.plan import add_item, create_plan
    from organisation.models import OrgNode

    north = OrgNode.objects.get(name="Hemtjänst Norr")
    eva = north.assignments.get(user__username="eva").user
    today = timezone.localdate()
    checklist = create_template(
        actor=None,
        unit=north,
        title="Nyckelhantering",
        method=hygiene_method(),
        questions=["Kvitteras nycklarna?"],
    )
    plan = create_plan(actor=None, unit=north, year=today.year)
    item = add_item(
        plan, actor=None, template=checklist, responsible=eva, first_due=today + timedelta(days=5)
    )
    base = live_server.url
    log_in(page, base, "eva")
    console = watch_console(page)

    visit(page, f"{base}/inspections/items/{item.pk}/edit/", axe_check, console)
    with page.expect_navigation():
        page.locator("#item-remove").click()
    check_both(page, axe_check)
    assert "1" in page.locator("#remove-going").inner_text()
    submit(page, page.locator("#item-remove-form button[type=submit]"), axe_check)
    assert page.locator(".error-summary").count() == 1
    page.locator("textarea[name=reason]").fill("Planerad två gånger")
    submit(page, page.locator("#item-remove-form button[type=submit]"), axe_check)
    assert urlsplit(page.url).path == f"/inspections/plans/{plan.pk}/"
    assert not PlanItem.objects.filter(pk=item.pk).exists()

    visit(page, f"{base}/inspections/checklists/{checklist.pk}/", axe_check, console)
    with page.expect_navigation():
        page.locator("#template-in-use").click()
    check_both(page, axe_check)
    page.locator("textarea[name=reason]").fill("Ersätts av förvaltningens checklista")
    submit(page, page.locator("#template-in-use-form button[type=submit]"), axe_check)
    assert page.locator("#out-of-use-note").count() == 1


def hygiene_method():
    from inspections.models import Method

    return Method.objects.get(code="observation")
