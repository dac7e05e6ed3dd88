"""The register extract on a phone and a desktop: search, a refused number, the result; one
<h1>, no console errors, no axe violations, nothing wider than the screen."""

from datetime import timedelta

import pytest

from tests.browser.conftest import log_in, page_problems, watch_console

NUMBER = "19121212-1212"


@pytest.mark.parametrize("width", [390, 1366])
def test_register_extract_pages_pass_axe(new_context, live_server, demo, width):
    from django.utils import timezone

    from accounts.models import User
    from deviations import services
    from organisation.models import NodeKind, OrgNode

    unit = OrgNode.objects.filter(kind=NodeKind.UNIT).order_by("path").first()
    reporter = User.objects.get(username="karin")
    deviation = services.report(
        actor=reporter,
        unit=unit,
        occurred_at=timezone.now() - timedelta(hours=3),
        description="Brukaren föll i hallen vid kvällsrundan.",
        immediate_action="Sjuksköterskan kontaktades.",
        service_user_affected="yes",
        affected_person=f"Greta Garbo {NUMBER}",
    )
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, live_server.url, "karin")  # quality developer
    problems = []

    def check(label, response):
        problems.extend(f"{label}: {p}" for p in page_problems(page, response, console))
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{label}: {scroll}px wide at {width}px")

    console = watch_console(page)
    check("search", page.goto(live_server.url + "/privacy/"))

    form = page.locator("#privacy-search-form")
    form.locator("input[name=term]").fill("19121212-1213")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    check("refused number", navigation.value)
    assert page.locator(".error-summary").count() == 1
    assert page.locator("input[name=term]").input_value() == "19121212-1213"  # kept

    form = page.locator("#privacy-search-form")
    form.locator("input[name=term]").fill(NUMBER)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    check("result", navigation.value)
    assert NUMBER not in page.url
    body = page.content()
    assert deviation.reference in body and "Greta Garbo" in body

    check("search with history", page.goto(live_server.url + "/privacy/"))
    assert page.locator("#privacy-recent tbody tr").count() == 1
    assert problems == []
