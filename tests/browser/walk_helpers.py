"""What the module walks share: every page at a phone's and a desktop's width, with axe at
both and no page wider than the phone's screen."""

from tests.browser.conftest import page_problems

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def check_both(page, axe_check):
    page.set_viewport_size(PHONE)
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)
    page.set_viewport_size(DESKTOP)
    axe_check(page)


def visit(page, url, axe_check, console):
    response = page.goto(url)
    problems = page_problems(page, response, console)
    assert not problems, (url, problems)
    check_both(page, axe_check)


def submit(page, button, axe_check):
    with page.expect_navigation():
        button.click()
    check_both(page, axe_check)
