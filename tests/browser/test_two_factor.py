"""Two-factor authentication in the browser: the setup page with its QR code, the backup codes
and the code asked for at the next login, on a phone and on a desktop, with axe on each page."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import LOGIN_PATH, page_problems, watch_console

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def _app_code(username):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token())


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide in a {width}px window"


@pytest.mark.parametrize("size", SIZES)
def test_set_up_and_log_in_with_a_code(new_context, live_server, demo, size):
    from organisation.demo import DEMO_PASSWORD

    viewport = SIZES[size]
    page = new_context(viewport=viewport).new_page()
    console = watch_console(page)
    base = live_server.url

    page.goto(base + LOGIN_PATH)
    page.locator("main form input[name=username]").fill("anna")
    page.locator("main form input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    console.take()

    response = page.goto(base + "/account/two-factor/setup/")
    assert page_problems(page, response, console) == []
    assert page.locator("main svg").count() == 1, "the QR code is drawn in the page"
    _fits(page, viewport["width"])

    page.locator("input[name=token]").fill(_app_code("anna"))
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert page_problems(page, navigation.value, console) == []
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    _fits(page, viewport["width"])

    # A new session (the menu with "Log out" is folded on a phone): the code comes first.
    page.context.clear_cookies()
    page.goto(base + LOGIN_PATH)
    page.locator("main form input[name=username]").fill("anna")
    page.locator("main form input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    response = page.goto(base + "/")
    assert urlsplit(page.url).path == "/account/two-factor/verify/"
    assert page_problems(page, response, console) == []
    _fits(page, viewport["width"])

    page.locator("input[name=token]").fill(codes[0])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert urlsplit(page.url).path == "/"
