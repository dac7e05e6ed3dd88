"""Recording when the organisation became aware, in a browser at phone and desktop width.

The unit manager classifies a report as a personal data breach and says the organisation knew
80 hours before; the IMY clock moves; she then corrects the time on its own page, where a time
in the future is refused with the input kept. axe runs on every page, and no page scrolls
sideways.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, page_problems, watch_console

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}


def _report():
    from accounts.models import User
    from deviations import services
    from organisation.models import OrgNode

    now = timezone.now()
    return services.report(
        actor=User.objects.get(username="anna"),
        unit=OrgNode.objects.get(name="Hemtjänst Norr"),
        occurred_at=now - timedelta(hours=100),
        description="En lista med brukarnas namn skickades till fel mottagare.",
        immediate_action="Mottagaren ombads radera listan.",
        service_user_affected="no",
        hint_data_breach=True,
    )


def _local(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def _visit(page, url, console, width):
    response = page.goto(url)
    assert page_problems(page, response, console) == [], url
    _fits(page, width)


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide in a {width}px window"


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_triage_records_the_aware_time_and_it_can_be_corrected(
    size, new_context, live_server, demo, axe_check
):
    from deviations.models import Clock, Deviation

    viewport = VIEWPORTS[size]
    page = new_context(viewport=viewport).new_page()
    console = watch_console(page)
    deviation = _report()
    base = live_server.url
    log_in(page, base, "eva")

    # Classify: the field shows the report time; she says the organisation knew 80 hours ago.
    _visit(page, f"{base}/deviations/{deviation.pk}/triage/", console, viewport["width"])
    form = page.locator("main form").first
    field = form.locator("input[name=aware_at]")
    assert field.input_value() == _local(deviation.reported_at)
    earlier = (timezone.now() - timedelta(hours=80)).replace(second=0, microsecond=0)
    field.fill(_local(earlier))
    form.locator("input[name=kinds][value=data_breach]").check()
    _submit(page, form)
    assert urlsplit(page.url).path == f"/deviations/{deviation.pk}/"
    axe_check(page)
    _fits(page, viewport["width"])
    imy = Clock.objects.get(deviation=deviation, rule__code="data-breach-imy")
    assert imy.started_at == earlier and imy.due_at == earlier + timedelta(hours=72)
    assert page.locator(".clock--overdue").count() >= 1

    # Correct it on its own page: a time in the future is refused and the input kept.
    with page.expect_navigation():
        page.locator("#change-aware").click()
    assert urlsplit(page.url).path == f"/deviations/{deviation.pk}/aware/"
    axe_check(page)
    _fits(page, viewport["width"])
    form = page.locator("#aware-form")
    future = _local(timezone.now() + timedelta(days=2))
    form.locator("input[name=aware_at]").fill(future)
    _submit(page, form)
    assert page.locator(".error-summary").count() == 1
    assert form.locator("input[name=aware_at]").input_value() == future
    axe_check(page)
    _fits(page, viewport["width"])
    later = (timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    form.locator("input[name=aware_at]").fill(_local(later))
    _submit(page, form)
    assert urlsplit(page.url).path == f"/deviations/{deviation.pk}/"
    axe_check(page)
    assert Deviation.objects.get(pk=deviation.pk).aware_at == later
    imy.refresh_from_db()
    assert imy.due_at == later + timedelta(hours=72)
    assert page.locator(".clock--overdue").count() == 0
    assert page.locator("#aware-at").inner_text().startswith(_local(later).replace("T", " "))
