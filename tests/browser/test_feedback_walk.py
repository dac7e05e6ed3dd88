"""Complaints and opinions in a browser (issue 12): a member of the public gives a complaint
without logging in, on a phone-sized screen, and gets a reference and a private link; the unit
manager confirms the receipt and answers; the person reads the answer through the link. axe runs
on every page at 390 and 1366 px, and no page is wider than the phone's screen."""

import re

from tests.browser.conftest import log_in, watch_console
from tests.browser.walk_helpers import PHONE, check_both, submit, visit


def test_a_complaint_from_the_public_to_its_answer(page, live_server, demo, axe_check):
    from feedback.models import Feedback
    from organisation.models import OrgNode

    north = OrgNode.objects.get(name="Hemtjänst Norr")
    base = live_server.url
    console = watch_console(page)

    # 1. On a phone, without logging in: first a mistake, then the complaint.
    page.set_viewport_size(PHONE)
    visit(page, base + "/synpunkt/", axe_check, console)
    visit(page, base + "/synpunkt/lattlast/", axe_check, console)
    visit(page, base + "/synpunkt/", axe_check, console)
    page.set_viewport_size(PHONE)
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("select[name=about]").select_option(str(north.pk))
    page.locator("textarea[name=description]").fill("Kvällsbesöket kom två timmar för sent.")
    page.locator("input[name=wants_answer][value=yes]").check()
    page.locator("input[name=answer_by][value=email]").check()
    submit(page, page.locator("#feedback-form button[type=submit]"), axe_check)
    assert page.locator(".error-summary").count() == 1  # no e-mail address given
    assert page.locator("textarea[name=description]").input_value().startswith("Kvällsbesöket")
    page.locator("input[name=contact_email]").fill("lena@example.se")
    submit(page, page.locator("#feedback-form button[type=submit]"), axe_check)
    feedback = Feedback.objects.get(description__startswith="Kvällsbesöket")
    assert page.locator("#receipt-reference").inner_text() == feedback.reference
    link = page.locator("#receipt-link").get_attribute("href")
    private = base + re.sub(r"^https?://[^/]+", "", link)

    # 2. The unit manager confirms the receipt and answers.
    log_in(page, base, "eva")
    visit(page, base + "/feedback/", axe_check, console)
    assert page.locator(f"tr[data-pk='{feedback.pk}']").count() == 1
    visit(page, f"{base}/feedback/{feedback.pk}/", axe_check, console)
    with page.expect_navigation():
        page.locator("#step-acknowledge").click()
    check_both(page, axe_check)
    submit(page, page.locator("#step-form button[type=submit]"), axe_check)
    with page.expect_navigation():
        page.locator("#step-answer").click()
    check_both(page, axe_check)
    page.locator("textarea[name=text]").fill("Vi ringer alltid när ett besök blir sent.")
    page.locator("input[name=sent_by][value=email]").check()
    submit(page, page.locator("#step-form button[type=submit]"), axe_check)
    feedback.refresh_from_db()
    assert feedback.status == "answered"
    for step in ("deviation", "action", "note"):
        visit(page, f"{base}/feedback/{feedback.pk}/{step}/", axe_check, console)
    visit(page, base + "/feedback/statistics/", axe_check, console)
    assert page.locator("#stat-kinds").count() == 1
    visit(page, base + "/feedback/new/", axe_check, console)

    # 3. The person reads the answer through the link, logged in or not.
    page.context.clear_cookies()
    visit(page, private, axe_check, console)
    assert "Vi ringer alltid" in page.locator("#public-answer").inner_text()
