"""The retention pages on a phone and a desktop: one <h1>, no console errors, no axe
violations, nothing wider than the screen; the dry run lists references only."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, page_problems, watch_console


@pytest.mark.parametrize("width", [390, 1366])
def test_dry_run_page_passes_axe(new_context, live_server, demo, width):
    from organisation.models import NodeKind, OrgNode
    from retention.seed import ensure_rules
    from tests.test_retention import MARKER, make_deviation

    ensure_rules()
    unit = OrgNode.objects.filter(kind=NodeKind.UNIT).order_by("path").first()
    # Closed in 2019, past the years of every rule.
    closed = timezone.make_aware(datetime.datetime(2019, 6, 14, 12))
    make_deviation(unit, "AV-2019-000099", closed_at=closed)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, live_server.url, "karin")  # quality developer
    problems = []
    for path in (
        "/retention/",
        "/retention/print/",
        "/retention/rules/",
        "/retention/holds/",
        "/retention/runs/",
    ):
        console = watch_console(page)
        response = page.goto(live_server.url + path)
        problems += [f"{path}: {p}" for p in page_problems(page, response, console)]
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{path}: {scroll}px wide at {width}px")
    assert problems == []
    page.goto(live_server.url + "/retention/")
    body = page.content()
    assert "AV-2019-000099" in body and MARKER not in body
