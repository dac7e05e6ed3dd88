"""A risk analysis in a browser (issue 11, point 1): a unit manager starts a risk analysis from a
process page, adds two events, sees the warning that required functions are missing, and adds
a measure as an action, and finds it in the statistics. axe runs on every page visited, at 1366
and at 390 px.
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


def submit(page, form, console, axe_check):
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").first.click()
    check(page, navigation.value, console, axe_check)


def test_a_unit_manager_analyses_a_process(page, live_server, demo, axe_check):
    from accounts.models import User
    from actions.models import Action
    from organisation.models import OrgNode
    from processes.services import create_process
    from risks.models import RiskAnalysis, RiskEvent
    from risks.seed import ensure_risk_data

    ensure_risk_data()
    base = live_server.url
    north = OrgNode.objects.get(name="Hemtjänst Norr")
    eva = User.objects.get(username="eva")
    process = create_process(
        actor=None,
        unit=north,
        name="Läkemedelshantering i hemtjänsten",
        purpose="Rätt läkemedel i rätt tid.",
        owner=eva,
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, base, "eva")
    console = watch_console(page)

    check(page, page.goto(f"{base}/processes/{process.pk}/"), console, axe_check)
    with page.expect_navigation() as navigation:
        page.locator("#risk-analysis-start").click()
    check(page, navigation.value, console, axe_check)
    form = page.locator("main form").last
    form.locator("input[name=health_care_in_scope]").check()
    submit(page, form, console, axe_check)
    analysis = RiskAnalysis.objects.get()
    assert analysis.process == process and urlsplit(page.url).path == f"/risks/{analysis.pk}/"

    for text, likelihood, consequence in (("Fel dos ges", "2", "4"), ("Dos glöms", "3", "2")):
        with page.expect_navigation() as navigation:
            page.locator("#event-add").click()
        check(page, navigation.value, console, axe_check)
        form = page.locator("main form").last
        form.locator("input[name=description]").fill(text)
        form.locator("select[name=likelihood]").select_option(likelihood)
        form.locator("select[name=consequence]").select_option(consequence)
        submit(page, form, console, axe_check)
    assert RiskEvent.objects.filter(analysis=analysis).count() == 2
    warning = page.locator("#missing-functions")
    assert warning.is_visible() and "sjuksköterska" in warning.inner_text()
    assert page.locator("#heat-map td[data-level=high][data-count='1']").count() == 1

    with page.expect_navigation() as navigation:
        page.locator("#measure-add").click()
    check(page, navigation.value, console, axe_check)
    form = page.locator("main form").last
    form.locator("input[name=title]").fill("Dubbelsignering av vak-läkemedel")
    form.locator("select[name=owner]").select_option(str(eva.pk))
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    form.locator("input[name=due_date]").fill(due)
    submit(page, form, console, axe_check)
    action = Action.objects.get()
    assert action.source == analysis and action.unit == north
    assert page.locator("#measure-list").inner_text().count("Dubbelsignering") == 1

    # The statistics: this year's analysis with its high event.
    check(page, page.goto(f"{base}/risks/statistics/"), console, axe_check)
    assert page.locator("#stat-heat-map td[data-level=high][data-count='1']").count() == 1

    # Every page of the walk again on a phone: it fits the screen and passes axe.
    page.set_viewport_size(PHONE)
    for path in (
        f"/processes/{process.pk}/",
        f"/risks/new/?process={process.pk}",
        f"/risks/{analysis.pk}/events/new/",
        f"/risks/{analysis.pk}/measures/new/",
        f"/risks/{analysis.pk}/",
        "/risks/",
        "/risks/statistics/",
    ):
        check(page, page.goto(base + path), console, axe_check)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
