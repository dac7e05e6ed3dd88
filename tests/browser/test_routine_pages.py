"""Every page of the processes and routines module, filled with the demo's routines and
processes, for the people who use it: one <h1>, no console errors, no axe violations."""

import pytest

from tests.browser.conftest import log_in, page_problems, watch_console


def check(page, url):
    console = watch_console(page)
    response = page.goto(url)
    return [f"{url}: {p}" for p in page_problems(page, response, console)]


@pytest.mark.parametrize("width", [390, 1366])
def test_process_and_routine_pages_pass_axe(new_context, live_server, demo, width):
    from processes.demo import load_demo_processes
    from processes.models import Process
    from routines.demo import load_demo_routines
    from routines.models import Routine, VersionState

    load_demo_routines()
    load_demo_processes()
    base = live_server.url
    process = Process.objects.filter(activities__isnull=False).first()
    activity = process.activities.first()
    collaboration = process.collaborations.first()
    published = Routine.objects.filter(current_version__isnull=False).first()
    in_review = Routine.objects.get(versions__state=VersionState.REVIEW)
    review_version = in_review.versions.get(state=VersionState.REVIEW)
    # On a phone as on a desktop: axe found duplicate landmarks only at phone width.
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    problems = []

    log_in(page, base, "karin")  # quality developer: writes, follows up and imports
    for path in (
        "/processes/",
        f"/processes/{process.pk}/",
        f"/processes/{process.pk}/edit/",
        f"/processes/{process.pk}/activities/new/",
        f"/processes/activities/{activity.pk}/edit/",
        f"/processes/{process.pk}/collaborations/new/",
        "/processes/new/",
        "/processes/coverage/",
        "/routines/register/",
        "/routines/new/",
        f"/routines/{published.pk}/",
        f"/routines/{published.pk}/print/",
        f"/routines/version/{review_version.pk}/",
        "/routines/import/",
        "/routines/reviews/",
        "/routines/acknowledgments/",
        "/routines/mine/",
        "/routines/mine/?q=brand",
        f"/routines/{published.pk}/read/",
        f"/routines/{published.pk}/propose/",
    ):
        problems += check(page, base + path)
    if collaboration is not None:
        from django.urls import reverse

        edit = reverse("processes:collaboration_edit", args=[collaboration.pk])
        problems += check(page, base + edit)

    page.context.clear_cookies()
    log_in(page, base, "anna")  # a care worker reads and acknowledges
    for path in ("/routines/mine/", f"/routines/{published.pk}/read/", "/tasks/"):
        problems += check(page, base + path)
    assert problems == [], "\n".join(problems)
