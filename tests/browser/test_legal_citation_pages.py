"""The law a case cites, and the register's counterparts, in a browser at phone and desktop width.

The quality developer opens a lex Sarah case at a SoL unit (the law in force: SoL 2025:400
27 kap), the register page of SOSFS 2011:9 with its counterparts in SoL 2025:400, and the edit
form with the law area and the counterpart of each section. axe runs on every page, and no page
scrolls sideways.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, page_problems, watch_console

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}


def _lex_sarah_case():
    from accounts.models import User
    from deviations import services
    from legal.rules import TrackKind
    from organisation.models import OrgNode

    now = timezone.now()
    deviation = services.report(
        actor=User.objects.get(username="anna"),
        unit=OrgNode.objects.get(name="Hemtjänst Norr"),
        occurred_at=now - timedelta(hours=3),
        description="Brukaren lämnades ensam i duschen trots att två ska hjälpa till.",
        immediate_action="Hjälpte brukaren upp.",
        service_user_affected="yes",
        hint_lex_sarah=True,
    )
    services.triage(deviation, actor=User.objects.get(username="eva"), kinds=[TrackKind.LEX_SARAH])
    return deviation


def _visit(page, url, console, width):
    response = page.goto(url)
    assert page_problems(page, response, console) == [], url
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide in a {width}px window"


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_case_and_the_register_cite_the_law_in_force(size, new_context, live_server, demo):
    from legal.models import Regulation
    from legal.seed import ensure_rules

    ensure_rules()
    viewport = VIEWPORTS[size]
    page = new_context(viewport=viewport).new_page()
    console = watch_console(page)
    base = live_server.url
    deviation = _lex_sarah_case()
    log_in(page, base, "karin")

    _visit(page, f"{base}/deviations/{deviation.pk}/", console, viewport["width"])
    cited = page.locator(".track .legal-references").first.text_content()
    assert cited.strip() == "SoL (2025:400) 27 kap 2–6 §§"
    assert "ej verifierat" not in page.content()

    sosfs = Regulation.objects.get(code="sosfs-2011-9")
    _visit(page, f"{base}/laws/{sosfs.pk}/", console, viewport["width"])
    counterparts = page.locator("#sections-table td.counterpart").all_text_contents()
    assert counterparts and all("SoL (2025:400) 5 kap 1–2 §§" in c for c in counterparts)
    assert page.locator("#citation-rule").count() == 1

    _visit(page, f"{base}/laws/{sosfs.pk}/edit/", console, viewport["width"])
    assert page.locator("select[name=law_area]").count() == 1
    assert page.locator("select[name=sections-0-counterpart]").count() == 1
