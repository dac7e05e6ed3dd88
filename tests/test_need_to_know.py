"""Need-to-know, proven by walking every page (issue 8, acceptance test).

Three cases of unit A (lex Sarah, lex Maria, a personal-data breach) hold a unique marker in
every free-text field (tests/need_to_know_cases.py). Every URL pattern, the Django admin
included, is requested with GET by every member of the cast; no response (HTML, CSV, and the
text inside XLSX, DOCX and PDF) and no e-mail may carry a marker its receiver may not read.

Object URLs are built from the access tables of tests/test_access.py (their objects of unit A
are the lex Sarah case, which is reported last) and, for the pages of a case, once per case.
A new page is walked the day it is added; `test_the_walk_finds_a_leaking_view` shows that a
page showing what it should not fails the walk.
"""

import datetime
import io
import logging
import re
import zipfile

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.http import HttpResponse
from django.urls import get_resolver, path, reverse
from django.utils import timezone

from accounts.access import login_only
from accounts.models import User
from accounts.need_to_know_rule import need_to_know_models
from accounts.scoping import holds
from hjulet import urls as project_urls
from notifications.reminders import send_due_reminders
from tests.need_to_know_cases import build_cases, forbidden_markers
from tests.test_access import OBJECT_URLS, _walk

LOGENTRY = "/admin/auditlog/logentry/"
# Markers searched for in the admin: one field of each kind of record of each case.
SEARCHED = ("description", "identity", "conclusion", "timeline", "actiontitle", "nwhathappened")

# Pages that render a PDF from the organisation alone (no case can be in them) and cost a second
# each: walked for the first person who reaches them, not for everyone.
CASE_FREE_HEAVY = ("organisation:responsibility_pdf",)

# The pages of one case: (url name, kwargs from the case). Each is walked for every case.
CASE_URLS = {
    "deviations:detail": lambda c: [{"pk": c.deviation.pk}],
    "deviations:case_pdf": lambda c: [{"pk": c.deviation.pk}],
    "deviations:triage": lambda c: [{"pk": c.deviation.pk}],
    "deviations:received": lambda c: [{"pk": c.deviation.pk}],
    "deviations:mine_detail": lambda c: [{"pk": c.deviation.pk}],
    "deviations:investigation": lambda c: [{"pk": c.track.pk}],
    "deviations:notification_new": lambda c: [{"pk": c.track.pk}],
    "deviations:notification_detail": lambda c: [{"pk": c.notification.pk}],
    "deviations:notification_package": lambda c: [
        {"pk": c.notification.pk, "fmt": fmt} for fmt in ("pdf", "docx")
    ],
    "deviations:export": lambda c: [{"fmt": "csv"}, {"fmt": "xlsx"}],
    "actions:detail": lambda c: [{"pk": c.action.pk}],
    "actions:edit": lambda c: [{"pk": c.action.pk}],
    "actions:effect": lambda c: [{"pk": c.action.pk}],
    "audit:history": lambda c: [
        {"content_type_id": ContentType.objects.get_for_model(obj).pk, "object_id": obj.pk}
        for obj in (c.deviation, c.action, c.notification)
    ],
}


def _get_patterns():
    """(name, route, has converters) of every named URL pattern but the admin's."""
    for route, name, pattern in _walk(get_resolver()):
        if name is None or route.startswith("admin/"):
            continue
        yield name, route, bool(pattern.pattern.converters)


def site_pages(cast, cases):
    """Every GET address of the site outside the admin."""
    pages = []
    for name, _route, has_kwargs in _get_patterns():
        if not has_kwargs:
            pages.append(reverse(name))
        elif name in CASE_URLS:
            pages += [reverse(name, kwargs=kw) for case in cases for kw in CASE_URLS[name](case)]
        elif name in OBJECT_URLS and OBJECT_URLS[name][1] == "get":
            pages.append(reverse(name, kwargs=OBJECT_URLS[name][0](cast)))
    return sorted(set(pages))


def admin_pages(cases):
    """The Django admin: index, app lists, every model's list, and the pages of its records
    (one change-log entry per kind of record, the records of the cases themselves)."""
    pages = ["/admin/"]
    labels = set()
    sensitive = {ContentType.objects.get_for_model(m).pk for m in need_to_know_models()}
    for model in admin.site._registry:
        opts = model._meta
        labels.add(opts.app_label)
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        pages.append(base)
        rows = model._base_manager.order_by("-pk")
        if model is LogEntry:
            chosen = [rows.filter(content_type_id=ct).first() for ct in sensitive]
            chosen += list(rows.exclude(content_type_id__in=sensitive)[:3])
        else:
            chosen = list(rows[:3])
        for row in filter(None, chosen):
            for suffix in ("change/", "history/", "delete/"):
                pages.append(f"{base}{row.pk}/{suffix}")
    pages += [f"/admin/{label}/" for label in sorted(labels)]
    for case in cases:
        for obj in (case.deviation, case.track, case.action, case.notification):
            ct = ContentType.objects.get_for_model(obj)
            pages.append(f"/admin/r/{ct.pk}/{obj.pk}/")
    return pages


def searches():
    """The admin lists that search: each is asked for every marker."""
    return [
        f"/admin/{m._meta.app_label}/{m._meta.model_name}/"
        for m, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    ]


def body_text(response):
    """The text a person receives: HTML, CSV and JSON as they are; PDF, DOCX and XLSX read."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF") or "pdf" in kind:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    elif content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [archive.read(n) for n in archive.namelist() if n.endswith(".xml")]
        text = re.sub(r"<[^>]+>", "", b"".join(parts).decode("utf-8", "replace"))
    else:
        text = content.decode("utf-8", "replace")
    # PDF text may break a word over a line: markers hold no spaces, so look without any too.
    return text + "\n" + re.sub(r"\s+", "", text)


def members(cast):
    return {name: value for name, value in vars(cast).items() if isinstance(value, User)}


def walk(client, user, pages, markers, search_pages=(), once=None):
    """{page: markers shown} and {page: status} of server errors, for one person.

    `once` maps the pages to walk until one person reaches them to whether one has."""
    leaks, errors = {}, {}
    once = once if once is not None else {}
    client.force_login(user, backend="accounts.backends.RoleBackend")
    for page in pages:
        if once.get(page):
            continue
        response = client.get(page)
        if page in once and response.status_code == 200:
            once[page] = True
        if response.status_code >= 500:
            errors[page] = response.status_code
            continue
        text = body_text(response)
        shown = sorted(m for m in markers if m in text)
        if shown:
            leaks[page] = shown
    for page in search_pages:
        # The change log is searched for every marker, other lists for one marker of each case.
        wanted = [m for m in markers if any(w in m for w in SEARCHED)]
        if page != LOGENTRY:
            wanted = [m for m in wanted if "description" in m]
        for text in wanted:
            response = client.get(page, {"q": text})
            if response.status_code != 200:
                break  # not this person's admin
            found = response.context["cl"].result_count
            if found:
                leaks[f"{page}?q={text}"] = [f"{found} found"]
    return leaks, errors


@pytest.fixture
def world(cast, django_capture_on_commit_callbacks):
    # Thousands of refused requests: their log lines (with tracebacks) cost more than the pages.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        cases = build_cases(cast)
    # A month on, every clock of the cases has reminded and escalated by e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(timezone.now() + datetime.timedelta(days=40))
    yield cast, cases
    logger.setLevel(level)


def test_no_page_shows_a_case_to_a_person_who_may_not_read_it(world, client):
    cast, cases = world
    pages = site_pages(cast, cases)
    assert len(pages) > 100
    once = {reverse(n, kwargs=OBJECT_URLS[n][0](cast)): False for n in CASE_FREE_HEAVY}
    report, failures = {}, {}
    for name, user in members(cast).items():
        markers = forbidden_markers(user, cases)
        if not markers:
            continue
        leaks, errors = walk(client, user, pages, markers, once=once)
        if leaks:
            report[name] = leaks
        if errors:
            failures[name] = errors
    assert report == {}, f"pages show what the person may not read: {report}"
    assert failures == {}, f"pages failed: {failures}"


def test_the_django_admin_shows_no_case(world, client):
    cast, cases = world
    pages = admin_pages(cases)
    report, failures = {}, {}
    for name, user in members(cast).items():
        markers = forbidden_markers(user, cases)
        if not holds(user, "system.admin"):
            # Sent to the admin's login page: two addresses show it, the rest would repeat it.
            leaks, errors = walk(client, user, pages[:2] + [LOGENTRY], markers)
        else:
            leaks, errors = walk(client, user, pages, markers, searches())
        if leaks:
            report[name] = leaks
        if errors:
            failures[name] = errors
    assert report == {}, f"the admin shows what the person may not read: {report}"
    assert failures == {}, f"admin pages failed: {failures}"


def test_no_email_carries_a_case_to_a_person_who_may_not_read_it(world):
    cast, cases = world
    assert mail.outbox, "the cases sent no e-mail: the test would prove nothing"
    by_address = {u.email: u for u in User.objects.all() if u.email}
    leaks = []
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        text = "\n".join(parts)
        for address in message.to + message.cc + message.bcc:
            user = by_address.get(address)
            markers = (
                forbidden_markers(user, cases)
                if user
                else {m: "" for c in cases for m in c.markers}
            )
            shown = sorted(m for m in markers if m in text)
            if shown:
                leaks.append((address, message.subject, shown))
    assert leaks == []


# The walk itself must be able to fail: a page that shows every investigation is found. -------


@login_only
def _leaking_view(request):
    from deviations.investigation.models import Investigation

    return HttpResponse(" ".join(i.conclusion for i in Investigation.objects.all()))


urlpatterns = [path("leak/", _leaking_view, name="leak"), *project_urls.urlpatterns]


@pytest.mark.urls("tests.test_need_to_know")
def test_the_walk_finds_a_leaking_view(world, client):
    cast, cases = world
    pages = site_pages(cast, cases)
    assert "/leak/" in pages
    leaks, _errors = walk(
        client, cast.same_unit, ["/leak/"], forbidden_markers(cast.same_unit, cases)
    )
    assert leaks == {"/leak/": ["nkbreachconclusionx", "nkmariaconclusionx", "nksarahconclusionx"]}
