"""The whole deviation loop in a browser, as issue 3 describes it.

A care worker reports from a phone; the unit manager triages into lex Sarah and a breach;
the investigator records causes, informs the person and judges the case serious; the IVO
package downloads; the breach clock shows 72 hours; an action is created and closed with an
effect check; the case closes; statistics count it. axe runs on every page visited.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation

from tests.browser.conftest import log_in, page_problems, watch_console

PHONE = {"width": 375, "height": 740}


def visit(page, url, axe_check, console):
    response = page.goto(url)
    assert response.status < 400, url
    problems = page_problems(page, response, console)
    assert not problems, problems
    axe_check(page)


def submit(page, form, button="button[type=submit]"):
    with page.expect_navigation():
        form.locator(button).first.click()


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_report_triage_investigate_notify_act_close(phone, page, live_server, demo, axe_check):
    from deviations.models import Clock, Deviation, Track

    base = live_server.url
    # 1. A care worker reports from a phone-sized window.
    console = watch_console(phone)
    log_in(phone, base, "anna")
    visit(phone, base + "/deviations/report/", axe_check, console)
    form = phone.locator("#report-form")
    form.locator("textarea[name=description]").fill(
        "Brukaren lämnades ensam i duschen och halkade. Personuppgifter om brukaren låg framme."
    )
    form.locator("textarea[name=immediate_action]").fill("Hjälpte upp, ringde sjuksköterskan.")
    form.locator("input[name=service_user_affected][value=yes]").check()
    form.locator("input[name=hint_lex_sarah]").check()
    submit(phone, form)
    assert "/deviations/report/received/" in phone.url
    axe_check(phone)
    deviation = Deviation.objects.get()
    assert deviation.reference in phone.content()

    # 2. The unit manager triages into lex Sarah and a breach.
    console = watch_console(page)
    log_in(page, base, "eva")
    visit(page, f"{base}/deviations/{deviation.pk}/", axe_check, console)
    visit(page, f"{base}/deviations/{deviation.pk}/triage/", axe_check, console)
    form = page.locator("main form").first
    form.locator("input[name=kinds][value=lex_sarah]").check()
    form.locator("input[name=kinds][value=data_breach]").check()
    submit(page, form)
    assert urlsplit(page.url).path == f"/deviations/{deviation.pk}/"
    axe_check(page)
    # The breach clock shows 72 hours from awareness.
    imy = Clock.objects.get(rule__code="data-breach-imy")
    assert imy.due_at - imy.started_at == timedelta(hours=72)
    from legal.deadlines import deadline_when

    with translation.override("sv"):
        local_due = deadline_when(imy.due_at, imy.rule.unit)
    assert local_due in page.content()
    assert re.search(r"2 (dagar|days) 2[23] (timmar|hours)", page.content())

    # 3. The investigator (quality developer) records causes, informs the person, judges it.
    page.context.clear_cookies()
    log_in(page, base, "karin")
    visit(page, f"{base}/deviations/{deviation.pk}/", axe_check, console)
    sarah = Track.objects.get(kind="lex_sarah")
    page.locator(f"form[action='/deviations/tracks/{sarah.pk}/move/'] button").click()
    page.wait_for_load_state()
    serious = page.locator(f"form[action='/deviations/tracks/{sarah.pk}/serious/']")
    serious.locator("input[value=yes]").check()
    submit(page, serious)
    visit(page, f"{base}/deviations/tracks/{sarah.pk}/investigation/", axe_check, console)
    form = page.locator("#investigation-form")
    form.locator("input[name=causes]").first.check()
    form.locator("textarea[name=cause_analysis]").fill("Genomförandeplanen var inte känd.")
    today = timezone.localdate().isoformat()
    form.locator("input[name=person_informed_on]").fill(today)
    form.locator("input[name=person_heard_on]").fill(today)
    form.locator("textarea[name=conclusion]").fill("Rutinen för dusch var inte känd.")
    form.locator("textarea[name=decision]").fill("Anmäls till IVO. Rutinen gås igenom på APT.")
    submit(page, form)
    axe_check(page)
    sarah.refresh_from_db()
    assert sarah.serious and sarah.state == "investigating"
    assert sarah.clocks.filter(rule__code="lex-sarah-ivo").exists()

    # 5. An action from the investigation, done and checked for effect.
    form = page.locator(f"form[action='/deviations/tracks/{sarah.pk}/action/']")
    form.locator("input[name=title]").fill("Gå igenom duschrutinen på APT")
    from accounts.models import User

    form.locator("select[name=owner]").select_option(str(User.objects.get(username="karin").pk))
    form.locator("input[name=due_date]").fill(today)
    submit(page, form)
    action_link = page.locator("#actions-heading ~ ul a").first
    with page.expect_navigation():
        action_link.click()
    axe_check(page)
    for step in ("in_progress", "done"):
        submit(page, page.locator(f"#move-{step}"))
    effect = page.locator("#effect-form")
    effect.locator("input[name=checked_on]").fill(today)
    effect.locator("input[name=outcome]").first.check()
    effect.locator("textarea[name=result]").fill("Alla på APT kände till rutinen efteråt.")
    submit(page, effect)
    axe_check(page)
    from actions.models import Action

    assert Action.objects.get().status == "effect_checked"

    # 4. The IVO notification: drafted from the case, the package downloads, sent.
    visit(page, f"{base}/deviations/tracks/{sarah.pk}/notification/new/", axe_check, console)
    submit(page, page.locator("#option-ivo_lex_sarah form"))
    axe_check(page)
    content = page.locator("#notification-form")
    if content.locator("select[name=event_kind]").count():
        content.locator("select[name=event_kind]").select_option("occurred")
    else:
        content.locator("input[name=event_kind][value=occurred]").check()
    for name in ("consequences", "measures_taken", "what_happened", "investigation_status"):
        field = content.locator(f"textarea[name={name}]")
        if field.count() and not field.input_value().strip():
            field.fill("Brukaren halkade men skadades inte. Rutinen gås igenom.")
    submit(page, content)
    package = page.request.get(base + page.locator("#package-pdf").get_attribute("href"))
    assert package.status == 200 and package.body().startswith(b"%PDF")
    docx = page.request.get(base + page.locator("#package-docx").get_attribute("href"))
    assert docx.status == 200 and docx.body().startswith(b"PK")
    sent = page.locator("#record-sent form")
    sent.locator("select[name=send-channel]").select_option("e_service")
    submit(page, sent)
    axe_check(page)
    from deviations.authority.models import AuthorityNotification

    assert AuthorityNotification.objects.get(track=sarah).state == "sent", page.content()
    assert sarah.clocks.get(rule__code="lex-sarah-ivo").met_at is not None

    # 6. Decide and close the lex Sarah track.
    visit(page, f"{base}/deviations/tracks/{sarah.pk}/investigation/", axe_check, console)
    for label in ("decide", "close"):
        submit(
            page,
            page.locator(
                f"form[action='/deviations/tracks/{sarah.pk}/move/']:has(input[value={label}])"
            ),
        )
    sarah.refresh_from_db()
    assert sarah.state == "closed", page.content()

    # The breach track: judged low risk, IMY documented as not notified, investigated, closed.
    breach = Track.objects.get(kind="data_breach")
    visit(page, f"{base}/deviations/{deviation.pk}/", axe_check, console)
    submit(page, page.locator(f"form[action='/deviations/tracks/{breach.pk}/move/']"))
    judged = page.locator(f"form[action='/deviations/tracks/{breach.pk}/serious/']")
    judged.locator("input[value=no]").check()
    submit(page, judged)
    visit(page, f"{base}/deviations/tracks/{breach.pk}/notification/new/", axe_check, console)
    submit(page, page.locator("#option-imy form"))
    decline = page.locator("#record-not-notified form")
    decline.locator("textarea[name=decline-reason]").fill(
        "Listan hämtades inom en timme och ingen obehörig bedöms ha läst den."
    )
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, decline)
    axe_check(page)
    visit(page, f"{base}/deviations/tracks/{breach.pk}/investigation/", axe_check, console)
    form = page.locator("#investigation-form")
    form.locator("input[name=causes]").nth(3).check()
    form.locator("textarea[name=conclusion]").fill("Listan skulle inte ha skrivits ut.")
    form.locator("textarea[name=decision]").fill("Inga utskrifter av brukarlistor.")
    form.locator("textarea[name=no_action_reason]").fill("Beslutet är åtgärden; följs upp på APT.")
    submit(page, form)
    for label in ("decide", "close"):
        submit(
            page,
            page.locator(
                f"form[action='/deviations/tracks/{breach.pk}/move/']:has(input[value={label}])"
            ),
        )
    deviation.refresh_from_db()
    assert deviation.status == "closed", page.content()
    visit(page, f"{base}/deviations/{deviation.pk}/", axe_check, console)

    # 7. Statistics count it: one report, one deviation, lex Sarah notified to IVO.
    visit(page, f"{base}/analysis/", axe_check, console)
    assert page.locator("#figure-reports .key-figure").inner_text().strip() == "1"
    assert page.locator("#figure-deviations .key-figure").inner_text().strip() == "1"
    notified = page.locator("#figure-notified-lex_sarah .key-figure").inner_text()
    assert notified.replace("\xa0", " ").strip() in ("100 %", "100%")
    # Every detail table opened is as accessible as the rest, and on a phone's width nothing
    # makes the page scroll sideways.
    tables = page.locator("details.figure-table")
    for i in range(tables.count()):
        if tables.nth(i).get_attribute("open") is None:
            tables.nth(i).locator("summary").click()
    assert page.locator("details.figure-table:not([open])").count() == 0
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The count opens the report behind it in the register.
    with page.expect_navigation():
        page.locator("#figure-reports .key-figure a").click()
    assert urlsplit(page.url).path == "/deviations/"
    assert page.locator("#deviation-register tbody tr").count() == 1
    assert deviation.reference in page.locator("#deviation-register").inner_text()
