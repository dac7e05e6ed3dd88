"""The page where a person chooses their e-mail about new reports, at phone and desktop width.

The unit manager opens it from the user menu, sends it with no choice (refused, in Swedish),
then chooses the daily summary; axe runs on every state, and no page scrolls sideways.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import log_in, page_problems, watch_console

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
URL = "/tasks/settings/"


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide in a {width}px window"


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_choice_of_e_mail_about_new_reports(size, new_context, live_server, demo, axe_check):
    from accounts.models import User
    from notifications.arrivals import choice_of
    from notifications.models import ArrivalChoice

    viewport = VIEWPORTS[size]
    page = new_context(viewport=viewport).new_page()
    console = watch_console(page)
    base = live_server.url
    log_in(page, base, "eva")
    # The user menu links to the page.
    assert page.locator(f".user-menu a[href='{URL}']").count() == 1

    response = page.goto(base + URL)
    assert page_problems(page, response, console) == []
    _fits(page, viewport["width"])
    form = page.locator("#arrival-settings")
    assert form.locator("input[name=choice][value=serious]").is_checked()

    # No choice at all: refused in Swedish, nothing stored.
    page.evaluate(
        "document.querySelectorAll('#arrival-settings input[name=choice]')"
        ".forEach(input => { input.checked = false; })"
    )
    _submit(page, form)
    assert page.locator(".error-summary").count() == 1
    assert "Välj ett av alternativen." in page.locator(".error-summary").inner_text()
    axe_check(page)
    _fits(page, viewport["width"])

    # The daily summary: saved, said so, and shown as chosen.
    form.locator("input[name=choice][value=digest]").check()
    _submit(page, form)
    assert urlsplit(page.url).path == URL
    assert page.locator(".message--success").count() == 1
    assert form.locator("input[name=choice][value=digest]").is_checked()
    axe_check(page)
    _fits(page, viewport["width"])
    assert choice_of(User.objects.get(username="eva")) == ArrivalChoice.DIGEST
