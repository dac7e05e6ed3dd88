"""Nothing typed is lost: the report form keeps its draft in the browser through a failed
sending (the 503 page), and the Back button after filing never files the report twice.

On a 390 px phone, with an axe scan of every page.
"""

import json

import pytest
from django.db import OperationalError

from tests.browser.conftest import log_in, page_problems, watch_console

PHONE = {"width": 390, "height": 844}
REPORT = "/deviations/report/"
DESCRIPTION = "Brukaren föll i hallen när hon skulle till toaletten."
PROTECTED = "Märta 19121212-1212"


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def fill(page):
    page.fill("#id_description", DESCRIPTION)
    page.fill("#id_immediate_action", "Hjälpte henne upp och ringde sjuksköterskan.")
    page.check("input[name=service_user_affected][value=yes]")
    page.fill("#id_place", "Hallen")
    page.fill("#id_affected_person", PROTECTED)


def stored(page):
    return page.evaluate("JSON.stringify(Object.assign({}, window.localStorage))")


def send(page):
    with page.expect_navigation() as navigation:
        page.click("button.report-submit")
    return navigation.value


def test_the_draft_survives_a_failed_sending_and_is_cleared_on_the_receipt(
    phone, live_server, demo, axe_check, monkeypatch
):
    from deviations import services
    from deviations.models import Deviation

    console = watch_console(phone)
    log_in(phone, live_server.url, "anna")
    response = phone.goto(live_server.url + REPORT)
    assert page_problems(phone, response, console) == []
    fill(phone)

    def database_down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "report", database_down)
    failed = send(phone)
    assert failed.status == 503
    assert phone.locator("h1").count() == 1
    axe_check(phone)
    kept = stored(phone)
    assert DESCRIPTION in kept
    # The protected identity never reaches the browser's storage.
    assert "19121212" not in kept and "Märta" not in kept
    assert Deviation.objects.count() == 0
    console.take()  # the browser's own note of the 503 status

    monkeypatch.undo()
    with phone.expect_navigation() as navigation:
        phone.click("main a.button")  # "Try again": the form, with the text brought back
    assert page_problems(phone, navigation.value, console) == []
    assert phone.input_value("#id_description") == DESCRIPTION
    assert phone.input_value("#id_place") == "Hallen"
    assert phone.input_value("#id_affected_person") == ""
    assert phone.locator("#draft-restored").is_visible()
    axe_check(phone)

    phone.fill("#id_affected_person", PROTECTED)
    receipt = send(phone)
    assert page_problems(phone, receipt, console) == []
    assert "/received/" in phone.url
    assert Deviation.objects.count() == 1
    assert Deviation.objects.get().description == DESCRIPTION
    assert DESCRIPTION not in stored(phone)


def test_back_after_filing_files_nothing_twice(phone, live_server, demo, axe_check):
    from deviations.models import Deviation

    console = watch_console(phone)
    log_in(phone, live_server.url, "anna")
    response = phone.goto(live_server.url + REPORT)
    assert page_problems(phone, response, console) == []
    fill(phone)
    sent_key = phone.input_value("input[name=submission_key]")
    receipt = send(phone)
    assert page_problems(phone, receipt, console) == []
    assert Deviation.objects.count() == 1
    assert sent_key in json.loads(stored(phone))["hjulet:sent-keys"]

    back = phone.go_back()
    assert page_problems(phone, back, console) == []
    # The form came back empty under a new key, not filled with what was sent.
    assert phone.input_value("#id_description") == ""
    assert phone.input_value("input[name=submission_key]") != sent_key

    # Had the browser brought the sent form back from its page cache, the script empties it.
    phone.fill("#id_description", DESCRIPTION)
    phone.evaluate(
        """key => {
            document.querySelector("input[name=submission_key]").value = key;
            window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true}));
        }""",
        sent_key,
    )
    assert phone.locator("#draft-sent").is_visible()
    assert phone.input_value("#id_description") == ""
    assert phone.input_value("input[name=submission_key]") != sent_key
    axe_check(phone)

    # And sent again under the old key with the same text, the server shows the receipt.
    fill(phone)
    phone.evaluate(
        'key => { document.querySelector("input[name=submission_key]").value = key; }', sent_key
    )
    again = send(phone)
    assert page_problems(phone, again, console) == []
    assert phone.locator("#sent-again").is_visible()
    assert Deviation.objects.count() == 1

    # Under the old key with other text: "already sent", the text kept, still one report.
    phone.goto(live_server.url + REPORT)
    fill(phone)
    phone.fill("#id_description", "En annan händelse i köket.")
    phone.evaluate(
        'key => { document.querySelector("input[name=submission_key]").value = key; }', sent_key
    )
    changed = send(phone)
    assert page_problems(phone, changed, console) == []
    assert phone.locator("#already-sent").is_visible()
    assert phone.input_value("#id_description") == "En annan händelse i köket."
    assert Deviation.objects.count() == 1
    with phone.expect_navigation() as navigation:
        phone.click("button.report-submit")  # "Send as a new report"
    assert page_problems(phone, navigation.value, console) == []
    assert Deviation.objects.count() == 2
