"""Complaints and opinions in a browser (issue 12): a member of the public gives a complaint
without logging in, on a phone-sized screen, and gets a reference and a private link; the unit
manager confirms the receipt, turns part of it into a deviation report that is classified as
lex Sarah, answers, and releases a masked copy; the person reads the answer through the link;
the statistics count it and the aggregated analysis shows it beside the deviations. axe runs on
every page at 390 and 1366 px, and no page is wider than the phone's screen."""

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
    visit(page, base + "/synpunkt/lattlast/skriv/", axe_check, console)
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

    # Part of it is a possible missförhållande: a deviation report, classified as lex Sarah.
    with page.expect_navigation():
        page.locator("#step-deviation").click()
    check_both(page, axe_check)
    page.locator("textarea[name=description]").fill(
        "Brukaren lämnades utan tillsyn i två timmar på kvällen."
    )
    page.locator("input[name=lex_sarah]").check()
    submit(page, page.locator("#step-form button[type=submit]"), axe_check)
    feedback.refresh_from_db()
    report = feedback.deviation
    assert report is not None and report.unit == north
    assert page.locator("#feedback-deviation a").inner_text() == report.reference
    visit(page, f"{base}/deviations/{report.pk}/triage/", axe_check, console)
    form = page.locator("main form").first
    form.locator("input[name=kinds][value=lex_sarah]").check()
    submit(page, form.locator("button[type=submit]").first, axe_check)
    assert report.tracks.filter(kind="lex_sarah").exists()
    assert feedback.reference in page.locator("main").inner_text()  # "Kommer från"
    visit(page, f"{base}/feedback/{feedback.pk}/", axe_check, console)

    with page.expect_navigation():
        page.locator("#step-answer").click()
    check_both(page, axe_check)
    page.locator("textarea[name=text]").fill("Vi ringer alltid när ett besök blir sent.")
    page.locator("input[name=sent_by][value=email]").check()
    submit(page, page.locator("#step-form button[type=submit]"), axe_check)
    feedback.refresh_from_db()
    assert feedback.status == "answered"
    for step in ("action", "note"):
        visit(page, f"{base}/feedback/{feedback.pk}/{step}/", axe_check, console)

    # A copy released as a public document, with what was marked masked.
    visit(page, f"{base}/feedback/{feedback.pk}/masking/", axe_check, console)
    page.locator("textarea[name=passage]").fill("två timmar")
    submit(page, page.locator("#masking-form button[type=submit]"), axe_check)
    assert "två timmar" not in page.locator("#masked-description").inner_text()
    assert page.locator("#masked-description .masked").count() == 1
    with page.expect_download() as copy:
        page.locator("#copy-pdf").click()
    assert copy.value.suggested_filename == f"kopia-{feedback.reference}.pdf"

    visit(page, base + "/feedback/statistics/", axe_check, console)
    assert page.locator("#stat-kinds").count() == 1
    visit(page, base + "/feedback/new/", axe_check, console)

    # 3. The person reads the answer through the link, logged in or not.
    page.context.clear_cookies()
    visit(page, private, axe_check, console)
    assert "Vi ringer alltid" in page.locator("#public-answer").inner_text()

    # 4. The statistics count it, and the aggregated analysis shows it beside the deviations.
    from django.utils import timezone

    from feedback.statistics import year_figures

    received = timezone.localtime(feedback.received_at).date()  # the organisation's day
    year = received.year
    counted = year_figures(north, [year])[year]
    assert counted.to_deviation >= 1 and counted.by_kind["complaint"] >= 1
    log_in(page, base, "karin")
    visit(page, base + "/analysis/analyses/new/", axe_check, console)
    scope = OrgNode.objects.get(pk=north.parent_id)
    form = page.locator("main form").first
    form.locator("input[name=title]").fill("Avvikelser och synpunkter i år")
    form.locator("select[name=scope]").select_option(str(scope.pk))
    form.locator("input[name=period_from]").fill(f"{year}-01-01")
    form.locator("input[name=period_to]").fill(received.isoformat())
    form.locator("textarea[name=findings]").fill("Sena besök syns både i klagomål och avvikelser.")
    submit(page, form.locator("button[type=submit]").first, axe_check)
    together = page.locator("#analysis-together")
    assert together.count() == 1
    rows = together.locator("#together-units tbody tr")
    north_row = rows.filter(has_text="Hemtjänst Norr")
    assert north_row.count() == 1
    complaints = int(north_row.locator("td").nth(1).inner_text())
    assert complaints == counted.by_kind["complaint"]
