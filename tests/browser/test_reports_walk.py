"""The yearly report in a browser (issue 13): the quality developer writes last year's quality
report for the socialnämnd; the page shows the writing's progress and then the chapters with
the figures and proposed verdicts; a verdict is overridden with a reason; two authors write
different chapters at once (the MAS of the administration writes one chapter of the board's
report); the board approves with § and Dnr; the published version stays the same after a new
deviation of that year is recorded, while a new version counts it; DOCX, PDF and the public
page open; the unit manager sees none of it. axe runs on every page at 390 and 1366 px, and no
page is wider than the phone's screen."""

import datetime

from django.utils import timezone

from tests.browser.conftest import log_in, watch_console
from tests.browser.walk_helpers import check_both, submit, visit


def test_the_quality_developer_writes_last_years_report(page, live_server, demo, axe_check):
    from organisation.models import OrgNode
    from reports.models import Report

    base = live_server.url
    console = watch_console(page)
    scope = OrgNode.objects.get(name="Socialnämnden")
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

    # A deviation of the report's year recorded after the decision: the published version
    # keeps its figures; a new version, written again, counts it.
    visit(page, base + version.get_absolute_url(), axe_check, console)
    published = page.locator("#chapter-54-5").inner_text()
    _late_deviation(report.year)
    visit(page, base + version.get_absolute_url(), axe_check, console)
    assert page.locator("#chapter-54-5").inner_text() == published
    visit(page, base + report.get_absolute_url(), axe_check, console)
    with page.expect_navigation():
        page.locator("#report-new-version").click()
    check_both(page, axe_check)
    with page.expect_navigation():
        page.locator("#report-rewrite").click()
    page.wait_for_selector("#report-contents")
    assert page.locator("#chapter-54-5").inner_text() != published
    assert report.chapters.get(code="5:4-5").facts["reports"] == 1

    # The published version for anyone who asks, without login.
    page.context.clear_cookies()
    visit(page, f"{base}/berattelser/", axe_check, console)
    visit(page, f"{base}/berattelser/{report.pk}/{version.number}/", axe_check, console)
    assert "SN 2026-511" in page.locator("#public-decision").inner_text()
    log_in(page, base, "eva")
    response = page.goto(base + report.get_absolute_url())
    assert response.status == 404


def _late_deviation(year):
    from accounts.models import User
    from deviations import services
    from organisation.models import OrgNode

    when = datetime.datetime(year, 11, 20, 10, 0, tzinfo=timezone.get_current_timezone())
    services.report(
        actor=User.objects.get(username="anna"),
        unit=OrgNode.objects.get(name="Hemtjänst Norr"),
        reported_at=when,
        aware_at=when,
        occurred_at=when - datetime.timedelta(hours=1),
        description="Larmet fungerade inte under natten.",
        immediate_action="Larmet byttes.",
        service_user_affected="yes",
    )


def test_the_mas_writes_the_patient_safety_report(page, live_server, demo, axe_check):
    """PSL 3 kap 10 §: the MAS writes last year's patient safety report for the administration,
    from the health-care part of the registers (the units that have stated the health-care
    law), on the same pages; the PDF downloads."""
    from organisation.models import OrgNode
    from reports.models import Report

    base = live_server.url
    console = watch_console(page)
    scope = OrgNode.objects.get(name="Socialförvaltningen")
    log_in(page, base, "maria")
    visit(page, base + "/reports/new/", axe_check, console)
    form = page.locator("#report-form")
    form.locator("input[value=patient_safety]").check()
    form.locator("select[name=scope]").select_option(str(scope.pk))
    submit(page, form.locator("button[type=submit]"), axe_check)
    report = Report.objects.get(kind="patient_safety")
    page.wait_for_selector("#report-contents")
    assert page.locator(".report-chapter").count() == report.chapters.count() == 10
    assert "Patientsäkerhetsberättelse" in page.locator("h1").inner_text()
    maria = page.locator("#chapter-ps-7")
    assert "lex Maria" in maria.inner_text() and "3 kap 5 §" in maria.inner_text()
    assert "1 mars" in page.locator("#chapter-ps-1").inner_text()
    with page.expect_download() as download:
        page.locator("#report-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    # A unit manager does not read the administration's report.
    page.context.clear_cookies()
    log_in(page, base, "eva")
    assert page.goto(base + report.get_absolute_url()).status == 404


def test_the_work_around_the_reports(page, live_server, demo, axe_check, tmp_path):
    """The quality developer finds the chapters to write from the start page, gives the board's
    reports the municipality's Word template; the MAS, named author of a chapter, finds it in
    Mina uppgifter and reads the board's report for it. axe at 390 and 1366 px on every page."""
    from docx import Document

    from accounts.models import User
    from organisation.models import OrgNode
    from reports.models import WordTemplate
    from reports.services import chapters, writing

    base = live_server.url
    console = watch_console(page)
    board = OrgNode.objects.get(name="Socialnämnden")
    karin, maria = User.objects.get(username="karin"), User.objects.get(username="maria")
    report = writing.start_report(
        actor=karin, kind="quality", scope=board, year=timezone.localdate().year - 1
    )
    report.refresh_from_db()
    complaints = report.chapters.get(code="5:3")
    chapters.set_authors(complaints, actor=karin, authors=[maria])

    log_in(page, base, "karin")
    visit(page, base + "/", axe_check, console)
    figure = page.locator("[data-figure='reports.to_write'] a")
    assert figure.locator(".figure__count").inner_text() == str(report.chapters.count() - 1)
    with page.expect_navigation():
        figure.click()
    check_both(page, axe_check)
    assert page.locator("#chapter-list tbody tr").count() == report.chapters.count() - 1

    # The municipality's Word template, for the board and everything below it.
    template = Document()
    template.styles["Heading 1"].font.name = "Georgia"
    path = tmp_path / "kommunens-mall.docx"
    template.save(path)
    visit(page, base + "/reports/word-templates/", axe_check, console)
    form = page.locator("#word-template-choose")
    form.locator("select").select_option(str(board.pk))
    submit(page, form.locator("button[type=submit]"), axe_check)
    page.locator("#word-template-form input[type=file]").set_input_files(str(path))
    submit(page, page.locator("#word-template-form button[type=submit]"), axe_check)
    assert WordTemplate.objects.get().node == board
    assert page.locator("#word-template-current").count() == 1
    visit(page, base + report.get_absolute_url(), axe_check, console)
    with page.expect_download() as download:
        page.locator("#report-docx").click()
    written = Document(str(download.value.path()))
    assert written.styles["Heading 1"].font.name == "Georgia"

    # The MAS: her chapter in Mina uppgifter, and the board's report readable for it.
    page.context.clear_cookies()
    log_in(page, base, "maria")
    visit(page, base + "/tasks/", axe_check, console)
    task = page.locator("#inbox-report_chapters tr", has_text=complaints.title)
    with page.expect_navigation():
        task.locator("a").click()
    check_both(page, axe_check)
    assert page.url.endswith(f"/reports/{report.pk}/chapters/{complaints.pk}/text/")
    visit(page, base + report.get_absolute_url(), axe_check, console)
    assert page.locator("#report-contents").count() == 1
