"""On a phone the main menu folds behind a button; it opens, and its links work."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import log_in, page_problems, watch_console

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_staff_member_opens_the_menu_on_a_phone(phone, live_server, demo, axe_check):
    console = watch_console(phone)
    log_in(phone, live_server.url, "anna")
    assert urlsplit(phone.url).path == "/"

    toggle = phone.locator(".nav-toggle")
    nav = phone.locator("#main-nav")
    assert toggle.is_visible()
    assert nav.is_hidden(), "the menu should be folded on a phone"
    assert toggle.get_attribute("aria-expanded") == "false"
    axe_check(phone)

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    axe_check(phone)

    # Follow the first menu entry that leads away from the start page.
    links = nav.locator("ul a:not([aria-current])")
    assert links.count() >= 1, "the staff member's menu has nothing but the start page"
    link = links.first
    target = link.get_attribute("href")
    with phone.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert urlsplit(phone.url).path == urlsplit(target).path
    assert page_problems(phone, response, console) == []
    # The page fits the screen: nothing wider than the viewport.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{phone.url} is {width}px wide on a {PHONE['width']}px phone"


def test_routines_for_my_unit_fit_a_phone(phone, live_server, demo, axe_check):
    """The care worker's list of routines is one block per routine on a phone, not a table
    wider than the screen."""
    from routines.demo import load_demo_routines

    load_demo_routines()
    console = watch_console(phone)
    log_in(phone, live_server.url, "anna")
    response = phone.goto(live_server.url + "/routines/mine/")
    assert page_problems(phone, response, console) == []
    assert phone.locator(".routine-row").count() >= 3
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the list is {width}px wide on a {PHONE['width']}px phone"
    wrap = phone.locator(".table-wrap:has(table.routine-list)").first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the list scrolls sideways"
