"""Loggkontroll in the browser: the quality auditor reviews reads on a phone and on a desktop;
every page passes axe and fits the screen."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, page_problems, watch_console

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def _reads():
    """Reads of a report in March 2026: office hours, a night and a refused attempt."""
    from accounts.models import User
    from audit.models import AccessLog
    from audit.services import log_read
    from deviations import services
    from organisation.models import OrgNode

    reporter = User.objects.get(username="anna")
    unit = reporter.assignments.first().node
    deviation = services.report(
        actor=reporter,
        unit=OrgNode.objects.get(pk=unit.pk),
        occurred_at=timezone.now(),
        description="Fall i korridoren",
        immediate_action="Hjälpte upp",
        service_user_affected="yes",
    )
    day = datetime.date(2026, 3, 2)
    readers = list(User.objects.exclude(username__in=["anna", "rita"])[:3])
    for number, hour in enumerate((9, 10, 23, 14)):
        row = log_read(readers[number % 3], deviation, denied=number == 3)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 5)))
        AccessLog.objects.filter(pk=row.pk).update(at=at)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_auditor_reviews_a_sample(new_context, live_server, demo, axe_check, size):
    _reads()
    viewport = SIZES[size]
    page = new_context(viewport=viewport).new_page()
    console = watch_console(page)
    log_in(page, live_server.url, "rita")
    response = page.goto(
        f"{live_server.url}/audit/log-review/?period_from=2026-03-01&period_to=2026-03-31"
    )
    assert page_problems(page, response, console) == []
    assert page.locator(".review-person-row").count() == 3
    assert page.locator(".review-person-row .badge").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the review page is {width}px wide"

    with page.expect_navigation() as navigation:
        page.locator("#review-draw button").click()
    response = navigation.value
    assert "/audit/log-review/" in urlsplit(page.url).path
    assert page_problems(page, response, console) == []
    assert page.locator(".review-sample-row").count() == 4
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the sample page is {width}px wide"

    page.locator("#id_comment").fill("Nattläsningen gällde en larmutryckning.")
    with page.expect_navigation():
        page.locator("#review-comment button[type=submit]").click()
    assert page.locator("#review-result").is_visible()
    axe_check(page)
