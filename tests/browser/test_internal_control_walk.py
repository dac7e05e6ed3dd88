"""The internal control plan in a browser (issue 11, point 4): the quality developer drafts the
board's plan from the yearly risk- och väsentlighetsanalys, records the board's decision and
downloads the plan as PDF. axe runs on every page visited, at 1366 and at 390 px.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from tests.browser.conftest import log_in, page_problems, watch_console

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def check(page, response, console, axe_check):
    problems = page_problems(page, response, console)
    assert not problems, (page.url, problems)
    axe_check(page)


def go(page, locator, console, axe_check):
    with page.expect_navigation() as navigation:
        locator.click()
    check(page, navigation.value, console, axe_check)


def _yearly_analysis():
    """The board's yearly analysis, decided: two high risks and one low."""
    from accounts.models import User
    from organisation.models import OrgNode
    from risks.services.analysis import create_analysis, move
    from risks.services.events import add_event

    analysis = create_analysis(
        actor=None,
        unit=OrgNode.objects.get(name="Socialnämnden"),
        title="Risk- och väsentlighetsanalys",
        subject_kind="yearly",
        responsible=User.objects.get(username="karin"),
        review_on=timezone.localdate() + timedelta(days=200),
    )
    for text, likelihood, consequence in (
        ("Delegeringar går ut utan att förnyas", 3, 4),
        ("Genomförandeplaner följs inte upp", 1, 2),
        ("Lex Sarah-rapporter utreds för sent", 2, 4),
    ):
        add_event(
            analysis, actor=None, description=text, likelihood=likelihood, consequence=consequence
        )
    move(analysis, "assessed", actor=None)
    move(analysis, "decided", actor=None)
    return analysis


def test_the_plan_is_drafted_from_the_risk_analysis_and_exported(
    page, live_server, demo, axe_check
):
    from internal_control.models import InternalControlPlan
    from internal_control.seed import ensure_methods
    from risks.seed import ensure_risk_data

    ensure_risk_data()
    ensure_methods()
    _yearly_analysis()
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    log_in(page, base, "karin")
    console = watch_console(page)

    check(page, page.goto(f"{base}/internal-control/"), console, axe_check)
    go(page, page.locator("#plan-create"), console, axe_check)
    go(page, page.locator("main form button[type=submit]"), console, axe_check)
    plan = InternalControlPlan.objects.get()
    assert urlsplit(page.url).path == f"/internal-control/{plan.pk}/"

    go(page, page.locator("#plan-draft"), console, axe_check)
    legends = page.locator("fieldset.draft-row legend").all_inner_texts()
    assert [text.split(":")[0] for text in legends] == [
        "Delegeringar går ut utan att förnyas",
        "Lex Sarah-rapporter utreds för sent",
        "Genomförandeplaner följs inte upp",
    ]
    chosen = page.locator("fieldset.draft-row input[type=checkbox]")
    assert [chosen.nth(i).is_checked() for i in range(3)] == [True, True, False]
    go(page, page.locator("#draft-submit"), console, axe_check)
    assert list(plan.control_points.values_list("risk_value", flat=True)) == [12, 8]
    assert "Delegeringar" in page.locator("#control-points").inner_text()
    # The draft page on a phone, with the risk left to choose.
    page.set_viewport_size(PHONE)
    check(page, page.goto(f"{base}/internal-control/{plan.pk}/draft/"), console, axe_check)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    check(page, page.goto(f"{base}/internal-control/{plan.pk}/"), console, axe_check)

    form = page.locator("form:has(#approve)")
    form.locator("input[name=decision_paragraph]").fill("45")
    form.locator("input[name=diary_number]").fill("SN 2026/123")
    form.locator("input[name=decided_on]").fill(timezone.localdate().isoformat())
    go(page, page.locator("#approve"), console, axe_check)
    assert "SN 2026/123" in page.locator("#plan-decision").inner_text()

    with page.expect_download() as download:
        page.locator("#plan-pdf").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # The pages again on a phone: they fit the screen and pass axe.
    row = plan.control_points.first().reporting_dates.first()
    page.set_viewport_size(PHONE)
    for path in (
        "/internal-control/",
        "/internal-control/new/",
        f"/internal-control/{plan.pk}/",
        f"/internal-control/results/{row.pk}/",
        "/internal-control/overdue/",
    ):
        check(page, page.goto(base + path), console, axe_check)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.set_viewport_size(DESKTOP)
    check(page, page.goto(f"{base}/internal-control/results/{row.pk}/"), console, axe_check)
