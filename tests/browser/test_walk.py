"""Each role logs in through the form and walks every page it can reach from the start page.

Breadth first to depth 2 (the start page, the pages it and the main menu link to, and the
pages those link to), at most MAX_PAGES pages per role. Every page must answer below 400, have
exactly one <h1>, log no console errors (content-security-policy violations among them) and pass
axe's WCAG 2.1 A/AA rules. Links to downloads (PDF, CSV, Excel, Word) are fetched instead and
must answer 200. A role's problems are reported together, page by page.
"""

import re
from collections import deque
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.browser.conftest import LOGIN_PATH, log_in, page_problems, watch_console

MAX_DEPTH = 2
MAX_PAGES = 25
MAX_DOWNLOADS = 10
# Pages of one shape (/laws/<n>/, /organisation/<n>/edit/) are alike: two of each are enough,
# so the page budget goes to different kinds of page.
MAX_PER_SHAPE = 2

# Demo users (organisation/demo.py) and the roles they hold.
ROLES = [
    "anna",  # staff member, Hemtjänst Norr
    "eva",  # unit manager, Hemtjänst Norr
    "karin",  # quality developer, the administration
    "nils",  # board member
    "petra",  # provider representative, Ekbackens särskilda boende
    "sam",  # system administrator
]

SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/account/logout/", "/i18n/")
DOWNLOAD = re.compile(r"(\.(pdf|csv|xlsx|docx)|/(pdf|csv|xlsx|excel|docx|word))/?$", re.I)
DOWNLOAD_QUERY = re.compile(r"(^|&)(format|export)=(pdf|csv|xlsx|docx)(&|$)", re.I)


def _links(page):
    """Absolute URLs of the page's links, with whether they are marked as downloads."""
    return page.eval_on_selector_all(
        "a[href]", "els => els.map(e => [e.href, e.hasAttribute('download')])"
    )


def _classify(url, download, origin):
    """('page' | 'download' | None, normalised URL) for one link."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != origin:
        return None, url  # mailto:, tel:, other sites
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None, url
    clean = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    if download or DOWNLOAD.search(path) or DOWNLOAD_QUERY.search(parts.query):
        return "download", clean
    return "page", clean


def _shape(url):
    parts = urlsplit(url)
    keys = sorted(q.split("=")[0] for q in parts.query.split("&") if q)
    return re.sub(r"\d+", "<n>", parts.path), tuple(keys)


def walk(page, base_url, start_path, *, logged_in=True):
    """Visit the pages; returns (visited URLs, downloads checked, {url: [problems]})."""
    origin = urlsplit(base_url).netloc
    console = watch_console(page)
    queue = deque([(base_url + start_path, 0)])
    queued = {base_url + start_path}
    visited, downloads, problems = [], [], {}
    shapes = {}
    while queue and len(visited) < MAX_PAGES:
        url, depth = queue.popleft()
        # Errors that arrived after the previous page was checked belong to that page.
        late = console.take()
        if (
            late
            and visited
            and not any(p.startswith("HTTP ") for p in problems.get(visited[-1], []))
        ):
            problems.setdefault(visited[-1], []).extend(late)
        response = page.goto(url)
        visited.append(url)
        found = page_problems(page, response, console, logged_in=logged_in)
        if found:
            problems[url] = found
        if depth >= MAX_DEPTH or (response is not None and response.status >= 400):
            continue
        if urlsplit(page.url).path == LOGIN_PATH and logged_in:
            continue
        for href, is_download in _links(page):
            kind, clean = _classify(href, is_download, origin)
            if kind is None or clean in queued:
                continue
            shape = (kind, *_shape(clean))
            if shapes.get(shape, 0) >= MAX_PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queued.add(clean)
            if kind == "page":
                queue.append((clean, depth + 1))
            elif len(downloads) < MAX_DOWNLOADS:
                downloads.append(clean)
                answer = page.request.get(clean)
                content_type = answer.headers.get("content-type", "")
                if answer.status != 200:
                    problems[clean] = [f"download answered HTTP {answer.status}"]
                elif content_type.startswith("text/html"):
                    problems[clean] = [f"download answered an HTML page ({content_type})"]
    page.wait_for_timeout(200)  # a last page's late errors
    late = console.take()
    if late and visited:
        problems.setdefault(visited[-1], []).extend(late)
    return visited, downloads, problems


def _report(who, visited, problems):
    lines = [f"{who}: {len(problems)} of {len(visited)} pages/downloads have problems"]
    for url, found in problems.items():
        lines.append(f"  {urlsplit(url).path}{'?' + urlsplit(url).query if '?' in url else ''}")
        lines += [f"    - {p}" for p in found]
    return "\n".join(lines)


@pytest.mark.parametrize("username", ROLES)
def test_role_walks_every_page(page, live_server, demo, username):
    response = log_in(page, live_server.url, username)
    assert response is not None and response.status == 200
    assert urlsplit(page.url).path == "/", f"{username} did not land on the start page"
    visited, downloads, problems = walk(page, live_server.url, "/")
    print(f"{username}: {len(visited)} pages, {len(downloads)} downloads")
    for url in visited + downloads:
        print("  ", urlsplit(url).path, urlsplit(url).query)
    # The menu alone has a start page, a page or two and the password change.
    assert len(visited) >= 2, f"{username} reached no page beyond the start page"
    assert not problems, _report(username, visited + downloads, problems)


def test_anonymous_walks_the_public_pages(page, live_server, demo):
    response = page.goto(live_server.url + "/")
    assert urlsplit(page.url).path == LOGIN_PATH, "the start page must ask for a login"
    assert response.status == 200
    visited, downloads, problems = walk(page, live_server.url, LOGIN_PATH, logged_in=False)
    assert len(visited) >= 2, "the password reset page should be linked from the login page"
    assert not problems, _report("anonymous", visited + downloads, problems)


def test_the_checks_catch_problems(page, live_server):
    """The walk's checks can fail: a page with known faults, served under the app's CSP."""
    from core.middleware import CSP

    faulty = (
        "<!doctype html><html lang='sv'><head><title>Fel</title></head><body><main>"
        "<h1>Ett</h1><h1>Två</h1><img src='/static/img/hjulet.svg'>"
        "<script>document.title = 'inline';</script></main></body></html>"
    )
    url = live_server.url + "/faulty-page/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            body=faulty,
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": CSP},
        ),
    )
    console = watch_console(page)
    problems = page_problems(page, page.goto(url), console, logged_in=False)
    text = "\n".join(problems)
    assert "2 <h1> elements" in text
    assert "CSP violation" in text
    assert "axe image-alt" in text

    missing = page_problems(page, page.goto(live_server.url + "/no-such-page/"), console)
    assert missing == ["HTTP 404"]
