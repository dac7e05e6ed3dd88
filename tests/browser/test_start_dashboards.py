"""Every demo role's start page and every group of its menu, on a phone (390 px) and a desktop
(1366 px): axe clean (each start page, and each menu group open once), nothing wider than the
screen, the figures are links that open.

One test per width loads the whole demo (organisation, deviations, routines, processes) once and
walks every demo login (organisation/demo.py USERS) in a fresh browser context.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import axe_violations, log_in, watch_console

WIDTHS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 900},
}


def _too_wide(page):
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


# The elements that reach past the window's right edge, to say what is too wide.
WIDE = """w => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > w + 1)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''))
  .join(', ')"""


def _check(page, console, what, problems, scan=True):
    scroll, client = _too_wide(page)
    if scroll > client:
        wide = page.evaluate(WIDE, client)
        problems.append(f"{what}: {scroll}px wide in a {client}px window ({wide})")
    if scan:
        problems.extend(f"{what}: {line}" for line in axe_violations(page))
    problems.extend(f"{what}: {line}" for line in console.take())


def _open_menu(page, phone):
    toggle = page.locator(".nav-toggle")
    if phone and toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


@pytest.fixture
def full_demo(demo):
    from organisation.demo_registry import demo_loaders

    for _name, load in demo_loaders():
        load()
    return demo


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_role_start_page_and_menu_group(new_context, live_server, full_demo, width):
    from organisation.demo import USERS

    phone = width == "phone"
    problems = []
    figures_seen = 0
    # Every start page is scanned; an open menu group is the same page with one template's
    # list shown, so each group is scanned open once per width, for the first person who has
    # it (the others still open and close it by keyboard and must fit the screen).
    scanned_groups = set()
    for username, *_rest in USERS:
        context = new_context(viewport=WIDTHS[width], is_mobile=phone, has_touch=phone)
        page = context.new_page()
        console = watch_console(page)
        log_in(page, live_server.url, username)
        assert urlsplit(page.url).path == "/", username
        assert page.locator("h1").count() == 1
        _check(page, console, f"{username} start", problems)

        # Each figure is a link to a page the person may open.
        links = page.locator(".figure a")
        figures_seen += links.count()
        for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")[:3]:
            response = context.request.get(live_server.url + href)
            if response.status >= 400:
                problems.append(f"{username}: figure link {href} answers {response.status}")

        # Each menu group opens, by keyboard, and fits the screen open.
        _open_menu(page, phone)
        groups = page.locator("details[data-menu-group]")
        for i in range(groups.count()):
            group = groups.nth(i)
            summary = group.locator("summary")
            summary.focus()
            page.keyboard.press("Enter")
            label = summary.inner_text().strip()
            if group.get_attribute("open") is None:
                problems.append(f"{username}: the group {label} does not open with Enter")
                continue
            items = group.locator(".menu-group__items a")
            if items.count() < 2 or not items.first.is_visible():
                problems.append(f"{username}: the group {label} shows no entries")
            _check(page, console, f"{username} menu {label}", problems, label not in scanned_groups)
            scanned_groups.add(label)
            page.keyboard.press("Escape")
            if group.get_attribute("open") is not None:
                problems.append(f"{username}: Escape does not close the group {label}")
        context.close()
    assert figures_seen > len(USERS), "the demo's start pages show almost no figures"
    assert not problems, "\n".join(problems)


def test_the_board_member_sees_the_analyses_and_the_year(page, live_server, full_demo):
    log_in(page, live_server.url, "nils")
    names = page.locator(".figure").evaluate_all("els => els.map(e => e.dataset.figure)")
    assert "analysis.waiting_for_decision" in names
    assert "analysis.reports_this_year" in names
    assert "Du har ingen roll" not in page.content()
    with page.expect_navigation():
        page.locator('[data-figure="analysis.reports_this_year"] a').click()
    assert urlsplit(page.url).path == "/analysis/"


def test_the_menu_group_of_the_current_page_is_marked(page, live_server, full_demo):
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + "/accounts/users/")
    current = page.locator(".menu-group--current")
    assert current.count() == 1
    assert current.locator('a[aria-current="page"]').count() == 1
    # A click elsewhere closes an open group; opening one closes the other.
    groups = page.locator("details[data-menu-group]")
    if groups.count() >= 2:
        groups.nth(0).locator("summary").click()
        groups.nth(1).locator("summary").click()
        assert groups.nth(0).get_attribute("open") is None
        page.mouse.click(10, page.viewport_size["height"] - 10)  # far from the open list
        assert groups.nth(1).get_attribute("open") is None
