"""Closing a unit that still holds open cases, on a phone and a desktop: the refusal lists the
cases, offers the units that can take over, and moving them lets the unit close."""

import pytest

from tests.browser.conftest import axe_violations, log_in, watch_console


@pytest.mark.parametrize("width", [390, 1366])
def test_refusal_move_and_close(new_context, live_server, demo, width):
    from django.utils import timezone

    from accounts.models import User
    from deviations import services
    from deviations.models import Deviation, DeviationStatus
    from organisation.models import NodeKind, OrgNode

    reporter = User.objects.get(username="anna")  # the demo's staff member
    unit = reporter.assignments.filter(node__kind=NodeKind.UNIT).first().node
    services.report(
        actor=reporter,
        unit=unit,
        occurred_at=timezone.now(),
        description="Fall i korridoren",
        immediate_action="Hjälp upp",
        service_user_affected="yes",
    )
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, live_server.url, "karin")  # quality developer: organisation.manage
    page.on("dialog", lambda dialog: dialog.accept())
    problems = []

    console = watch_console(page)

    def look(where):
        # The refusal answers 409 (the unit was not closed), so the page is checked here
        # rather than by page_problems, which treats any status over 400 as a failure.
        # The browser reports the refusal's own 409 as a console error: that one is expected.
        problems.extend(f"{where}: {p}" for p in console.take() if "(Conflict)" not in p)
        problems.extend(f"{where}: {p}" for p in axe_violations(page))
        if page.locator("h1").count() != 1:
            problems.append(f"{where}: not one <h1>")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{where}: {scroll}px wide at {width}px")

    page.goto(f"{live_server.url}/organisation/{unit.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Avsluta enheten").click()
    assert page.locator("#open-cases li").count() >= 1
    look("refusal")
    target = page.locator("#move-cases select option").nth(1)
    page.locator("#move-cases select").select_option(target.get_attribute("value"))
    with page.expect_navigation():
        page.locator("#move-cases button[type=submit]").click()
    look("after moving")
    assert not Deviation.objects.filter(unit=unit).exclude(status=DeviationStatus.CLOSED).exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Avsluta enheten").click()
    assert problems == []
    if not OrgNode.objects.get(pk=unit.pk).is_active:
        return
    # Other open cases (a routine in force) may still hold it: the page says which.
    assert page.locator("#open-cases li").count() >= 1
