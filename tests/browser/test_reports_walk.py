"""The yearly report in a browser (issue 13, first increments): the quality developer writes
last year's quality report for the administration; the page shows the writing's progress and
then the chapters with the figures and proposed verdicts; a verdict is overridden with a
reason; two authors write different chapters at once; the unit manager sees none of it.
axe runs on every page at 390 and 1366 px, and no page is wider than the phone's screen."""

from django.utils import timezone

from tests.browser.conftest import log_in, watch_console
from tests.browser.walk_helpers import check_both, submit, visit


def test_the_quality_developer_writes_last_years_report(page, live_server, demo, axe_check):
    from organisation.models import OrgNode
    from reports.models import Report

    base = live_server.url
    console = watch_console(page)
    scope = OrgNode.objects.get(name="Socialförvaltningen")
    log_in(page, base, "karin")
    visit(page, base + "/reports/", axe_check, console)
    assert page.locator("#no-reports").count() == 1
    with page.expect_navigation():
        page.locator("#report-new").click()
    check_both(page, axe_check)
    form = page.locator("#report-form")
    assert form.locator("select[name=year]").input_value() == str(timezone.localdate().year - 1)
    form.locator("select[name=scope]").select_option(str(scope.pk))
    submit(page, form.locator("button[type=submit]"), axe_check)
    report = Report.objects.get()
    assert page.url.endswith(report.get_absolute_url())
    # Written in the background (at once on this test server): the progress says so, and the
    # chapters are there, each with what the regulation asks and a proposed verdict or none.
    page.wait_for_selector("#report-contents")
    assert page.locator(".report-chapter").count() == report.chapters.count() == 10
    complaints = page.locator("#chapter-53")
    assert "Klagomål och synpunkter" in complaints.inner_text()
    assert complaints.locator("a").count() >= 1  # a figure opens the rows behind it
    # A verdict overridden: refused without a reason, what was chosen kept; then with one.
    chapter = report.chapters.get(code="5:6-8")
    other = "partly" if chapter.proposed != "partly" else "meets"
    form = page.locator(f"#verdict-{chapter.pk} form")
    form.locator(f"input[value={other}]").check()
    submit(page, form.locator("button[type=submit]"), axe_check)
    form = page.locator(f"#verdict-{chapter.pk} form")
    assert form.locator(".error-summary, .errorlist").count() >= 1
    assert form.locator(f"input[value={other}]").is_checked()
    form.locator("textarea").fill("Analysen beslutades i januari året efter.")
    submit(page, form.locator("button[type=submit]"), axe_check)
    chapter.refresh_from_db()
    assert chapter.verdict == other and chapter.overridden
    assert "Analysen beslutades i januari" in page.locator(f"#verdict-{chapter.pk}").inner_text()
    # Two authors write their chapters at once: Karin names Maria (MAS) for the complaints.
    complaints = report.chapters.get(code="5:3")
    deviations = report.chapters.get(code="5:4-5")
    visit(page, f"{base}/reports/{report.pk}/chapters/{complaints.pk}/authors/", axe_check, console)
    page.locator("#chapter-form label", has_text="Maria").click()
    submit(page, page.locator("#chapter-form button[type=submit]"), axe_check)
    assert [a.username for a in complaints.authors.all()] == ["maria"]
    other = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    maria = other.new_page()
    log_in(maria, base, "maria")
    visit(maria, f"{base}/reports/{report.pk}/chapters/{complaints.pk}/text/", axe_check, console)
    visit(page, f"{base}/reports/{report.pk}/chapters/{deviations.pk}/text/", axe_check, console)
    maria.locator("textarea[name=narrative]").fill("Klagomålen gällde oftast sena kvällsbesök.")
    page.locator("textarea[name=narrative]").fill("Alla lex Sarah-ärenden utreddes i tid.")
    submit(maria, maria.locator("#chapter-form button[type=submit]"), axe_check)
    submit(page, page.locator("#chapter-form button[type=submit]"), axe_check)
    other.close()
    complaints.refresh_from_db()
    deviations.refresh_from_db()
    assert complaints.narrative == "Klagomålen gällde oftast sena kvällsbesök."
    assert deviations.narrative == "Alla lex Sarah-ärenden utreddes i tid."
    assert "sena kvällsbesök" in page.locator(f"#text-{complaints.pk}").inner_text()
    with page.expect_navigation():
        page.locator("#report-rewrite").click()
    check_both(page, axe_check)
    # Review, then the board's decision with § and Dnr: a published version that stays.
    with page.expect_navigation():
        page.locator("#report-review").click()
    check_both(page, axe_check)
    with page.expect_navigation():
        page.locator("#report-approve").click()
    check_both(page, axe_check)
    form = page.locator("#step-form")
    form.locator("input[name=decision_body]").fill("Socialnämnden")
    form.locator("input[name=decision_date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=paragraph]").fill("§ 79")
    form.locator("input[name=registry_number]").fill("SN 2026-511")
    submit(page, form.locator("button[type=submit]"), axe_check)
    version = report.versions.get()
    assert page.url.endswith(version.get_absolute_url())
    assert "SN 2026-511" in page.locator("#version-decision").inner_text()
    assert "sena kvällsbesök" in page.locator("#chapter-53").inner_text()
    for link, ending in (("#version-docx", ".docx"), ("#version-pdf", ".pdf")):
        with page.expect_download() as download:
            page.locator(link).click()
        assert download.value.suggested_filename.endswith(ending)
        assert download.value.path().stat().st_size > 1000
    visit(page, base + report.get_absolute_url(), axe_check, console)
    assert page.locator("#report-new-version").count() == 1
    assert page.locator("#report-rewrite").count() == 0  # locked once approved
    visit(page, base + "/reports/", axe_check, console)
    assert page.locator(f"tr[data-pk='{report.pk}']").count() == 1

    # The published version for anyone who asks, without login.
    page.context.clear_cookies()
    visit(page, f"{base}/berattelser/", axe_check, console)
    visit(page, f"{base}/berattelser/{report.pk}/{version.number}/", axe_check, console)
    assert "SN 2026-511" in page.locator("#public-decision").inner_text()
    log_in(page, base, "eva")
    response = page.goto(base + report.get_absolute_url())
    assert response.status == 404
