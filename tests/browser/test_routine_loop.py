"""The routine loop in a browser, as issue 4 describes it.

A unit manager drafts a routine, a reviewer comments, the manager approves and publishes; a
care worker finds it by a word in its body from "Rutiner för min enhet" and acknowledges it;
the manager sees the acknowledgment rate change; a sibling unit's staff do not see the
unit-local routine; an action from a deviation revises the routine and completes when the new
version is published. axe runs on every page visited.
"""

import datetime
import re
from urllib.parse import urlsplit

from django.utils import timezone

from tests.browser.conftest import log_in, page_problems, watch_console

BODY = (
    "Nattpersonalen kontrollerar larmknapparna hos varje brukare vid passets början.\n\n"
    "Ett larm som inte fungerar anmäls genast till larmcentralen och som avvikelse."
)


def visit(page, url, axe_check, console):
    response = page.goto(url)
    problems = page_problems(page, response, console)
    assert not problems, (url, problems)
    axe_check(page)


def submit(page, form, axe_check):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    axe_check(page)


def switch_to(page, base, username):
    page.context.clear_cookies()
    log_in(page, base, username)
    return watch_console(page)


def test_draft_review_approve_publish_find_acknowledge_revise(page, live_server, demo, axe_check):
    from accounts.models import Role, RoleAssignment, User
    from actions.models import Action
    from actions.services import create_action
    from deviations import services as deviation_services
    from organisation.models import OrgNode
    from routines.models import Routine, VersionState

    base = live_server.url
    north = OrgNode.objects.get(name="Hemtjänst Norr")
    south = OrgNode.objects.get(name="Hemtjänst Söder")

    # 1. The unit manager drafts a routine for her unit and sends it to a reviewer.
    console = switch_to(page, base, "eva")
    visit(page, base + "/routines/new/", axe_check, console)
    form = page.locator("#routine-form")
    form.locator("input[name=title]").fill("Rutin för nattlig tillsyn")
    form.locator("select[name=unit]").select_option(str(north.pk))
    form.locator("textarea[name=body]").fill(BODY)
    submit(page, form, axe_check)
    routine = Routine.objects.get(title="Rutin för nattlig tillsyn")
    assert urlsplit(page.url).path == f"/routines/{routine.pk}/"
    draft = routine.versions.get()
    visit(page, f"{base}/routines/version/{draft.pk}/", axe_check, console)
    with page.expect_navigation():
        page.locator("#version-submit").click()
    axe_check(page)
    kalle = User.objects.get(username="kalle")
    form = page.locator("#step-form")
    form.locator(f"input[name=reviewers][value='{kalle.pk}']").check()
    submit(page, form, axe_check)
    draft.refresh_from_db()
    assert draft.state == VersionState.REVIEW

    # 2. The reviewer finds it in My tasks and comments.
    console = switch_to(page, base, "kalle")
    visit(page, base + "/tasks/", axe_check, console)
    with page.expect_navigation():
        page.locator(f"a[href='/routines/version/{draft.pk}/']").first.click()
    axe_check(page)
    form = page.locator("#comment-form")
    form.locator("textarea[name=text]").fill("Lägg till vem som ringer larmcentralen.")
    form.locator("input[name=done]").check()
    submit(page, form, axe_check)
    assert draft.comments.filter(author=kalle).exists()

    # 3. The manager approves and publishes it today.
    console = switch_to(page, base, "eva")
    visit(page, f"{base}/routines/version/{draft.pk}/", axe_check, console)
    assert "Lägg till vem som ringer larmcentralen." in page.content()
    for button in ("#version-approve", "#version-publish"):
        with page.expect_navigation():
            page.locator(button).click()
        axe_check(page)
        submit(page, page.locator("#step-form"), axe_check)
    routine.refresh_from_db()
    assert routine.current_version_id == draft.pk
    overview = f"{base}/routines/acknowledgments/?unit={north.pk}"
    visit(page, overview, axe_check, console)
    rate_before = page.locator("#total-rate").inner_text()

    # 4. A care worker of the unit finds it by a word of its body and acknowledges it.
    console = switch_to(page, base, "anna")
    visit(page, base + "/", axe_check, console)
    with page.expect_navigation():
        page.locator("main a[href='/routines/mine/']").first.click()
    axe_check(page)
    form = page.locator("form[role=search]")
    form.locator("input[name=q]").fill("larmknapp")
    submit(page, form, axe_check)
    results = page.locator("#routine-results")
    assert "Rutin för nattlig tillsyn" in results.inner_text()
    with page.expect_navigation():
        results.get_by_role("link", name=re.compile("Rutin för nattlig tillsyn")).first.click()
    axe_check(page)
    assert "larmknapparna" in page.content()
    with page.expect_navigation():
        page.locator("#acknowledge-button").click()
    axe_check(page)
    anna = User.objects.get(username="anna")
    assert draft.acknowledgments.get(user=anna).acknowledged_at is not None

    # 5. The manager sees the rate change.
    console = switch_to(page, base, "eva")
    visit(page, overview, axe_check, console)
    rate_after = page.locator("#total-rate").inner_text()
    assert rate_after != rate_before
    assert re.search(r"\d+ %", rate_after)

    # 6. Staff of the sibling unit see neither the routine in their list nor its page.
    sigrid = User.objects.create_user("sigrid", password="sibling-pass-2026", first_name="Sigrid")
    RoleAssignment.objects.create(
        user=sigrid, role=Role.objects.get(code="staff_member"), node=south
    )
    console = switch_to_with_password(page, base, "sigrid", "sibling-pass-2026")
    visit(page, base + "/routines/mine/", axe_check, console)
    assert "Rutin för nattlig tillsyn" not in page.content()
    visit(page, base + "/routines/mine/?q=larmknapp", axe_check, console)
    assert "Rutin för nattlig tillsyn" not in page.content()
    assert page.goto(f"{base}/routines/{routine.pk}/read/").status == 404

    # 7. An action from a deviation revises the routine and completes on publication.
    eva = User.objects.get(username="eva")
    deviation = deviation_services.report(
        actor=anna,
        unit=north,
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        description="Larmet hos brukaren fungerade inte under natten.",
        immediate_action="Extra tillsyn varje timme.",
        service_user_affected="yes",
    )
    deviation_services.triage(deviation, actor=eva, kinds=["other"])
    action = create_action(
        actor=eva,
        unit=north,
        title="Skriv in kontrollen av larmen i rutinen",
        owner=eva,
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        source=deviation.tracks.get(),
    )
    console = switch_to(page, base, "eva")
    visit(page, f"{base}/actions/{action.pk}/", axe_check, console)
    form = page.locator("#revise-form")
    form.locator("select[name=routine]").select_option(str(routine.pk))
    submit(page, form, axe_check)
    revision = routine.versions.get(number=2)
    assert revision.action_id == action.pk
    form = page.locator("#draft-form")
    form.locator("textarea[name=body]").fill(
        BODY + "\n\nEnhetschefen kontrollerar varje månad att larmen har testats."
    )
    form.locator("textarea[name=change_summary]").fill("Månatlig kontroll av larmen.")
    submit(page, form, axe_check)
    visit(page, f"{base}/routines/version/{revision.pk}/", axe_check, console)
    for button in ("#version-approve", "#version-publish"):
        with page.expect_navigation():
            page.locator(button).click()
        axe_check(page)
        submit(page, page.locator("#step-form"), axe_check)
    action.refresh_from_db()
    revision.refresh_from_db()
    assert revision.state == VersionState.PUBLISHED
    assert action.status == "done" and action.evidence == revision
    draft.refresh_from_db()
    assert draft.state == VersionState.SUPERSEDED
    # The new version asks the unit again: anna has a new task.
    assert revision.acknowledgments.filter(user=anna, acknowledged_at__isnull=True).exists()
    visit(page, f"{base}/actions/{action.pk}/", axe_check, console)
    visit(page, f"{base}/routines/{routine.pk}/diff/?a=1&b=2", axe_check, console)
    assert "Enhetschefen kontrollerar varje månad" in page.content()
    assert Action.objects.get(pk=action.pk).evidence_label


def switch_to_with_password(page, base, username, password):
    page.context.clear_cookies()
    log_in(page, base, username, password)
    return watch_console(page)
