"""The defects found in use (issue 10, point 8), each fixed at its cause.

- a breadcrumb leads only where the person may go (accounts/templatetags/crumbs.py): every
  demo role walks its pages, and no breadcrumb link answers 403 or 404;
- no internal source code ("Seed 001 §3") on any page;
- e-mail links without SITE_URL point where development really runs;
- an action due in the past is refused when new and warned about when edited;
- a label that ends in "?" gets no colon (core/templatetags/labels.py);
- a chart without data says so instead of drawing an empty axis;
- "Lokalt mål" is what sets a deadline, not a status;
- the file size is known to the browser before the upload (core/uploads.py).
"""

import re
from collections import deque
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.access import may_open
from tests.module_data import once_for_the_module


def sv(msgid):
    """The Swedish of a msgid as the pages show it (the English until it is translated)."""
    with translation.override("sv"):
        return translation.gettext(msgid)


ROOT = Path(__file__).resolve().parent.parent
DEMO_USERS = ["anna", "kalle", "eva", "adam", "fia", "karin", "nils", "petra", "sam"]
MAX_PAGES = 45
SKIP = ("/admin/", "/static/", "/media/", "/account/logout/", "/i18n/")
DOWNLOAD = re.compile(r"(pdf|csv|xlsx|docx|excel|word|qr|png|svg)/?$", re.I)


class Links(HTMLParser):
    """The page's links, and which of them sit in a breadcrumb trail."""

    def __init__(self):
        super().__init__()
        self.links, self.crumbs, self._nav = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._nav += 1 if "breadcrumbs" in (attrs.get("class") or "") else 0
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._nav:
                self.crumbs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav:
            self._nav -= 1


def _parse(html):
    parser = Links()
    parser.feed(html)
    return parser


def _internal(href):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP) or DOWNLOAD.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _load_full_demo():
    from organisation.demo import load_demo
    from organisation.demo_registry import demo_loaders

    load_demo()
    for _name, load in demo_loaders():
        load()


@pytest.fixture(scope="module")
def _full_demo(django_db_setup, django_db_blocker):
    yield from once_for_the_module(django_db_blocker, _load_full_demo)


@pytest.fixture
def full_demo(_full_demo, db):
    """The whole demo, loaded once for the module; each test's changes are undone."""


def _walk(client):
    """Breadth first from the start page: {path: html} of the pages that answered 200."""
    queue, seen, pages = deque(["/"]), {"/"}, {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        for href in _parse(html).links:
            target = _internal(href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages


# -- breadcrumbs -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", DEMO_USERS)
def test_no_breadcrumb_leads_to_a_refusal(full_demo, username):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username), "accounts.backends.RoleBackend")
    pages = _walk(client)
    assert len(pages) > 3, f"{username} reached almost nothing"
    with_crumbs = 0
    answers, broken = {}, []
    for path, html in pages.items():
        crumbs = _parse(html).crumbs
        with_crumbs += bool(crumbs)
        for href in crumbs:
            target = _internal(href)
            if target is None:
                continue
            if target not in answers:
                answers[target] = client.get(target).status_code
            if answers[target] >= 400:
                broken.append(f"{path}: breadcrumb {target} answers {answers[target]}")
        assert "Seed " not in html, f"{path} shows an internal source code to {username}"
    assert not broken, f"{username}:\n" + "\n".join(broken)
    if username != "nils":
        assert with_crumbs, f"{username} saw no page with breadcrumbs"


def test_the_crumb_is_text_where_the_person_may_not_go(full_demo):
    """The two cases found: "Rutiner" for a care worker (403), the org tree's parents (404)."""
    from accounts.models import User
    from organisation.models import NodeKind, OrgNode
    from routines.models import Routine

    anna = User.objects.get(username="anna")
    client = Client()
    client.force_login(anna, "accounts.backends.RoleBackend")
    routine = Routine.objects.filter(current_version__isnull=False).first()
    html = client.get(reverse("routines:read", args=[routine.pk])).content.decode()
    register = reverse("routines:register")
    assert client.get(register).status_code == 403
    assert f'href="{register}"' not in html

    eva = User.objects.get(username="eva")
    client.force_login(eva, "accounts.backends.RoleBackend")
    unit = eva.assignments.filter(node__kind=NodeKind.UNIT).first().node
    html = client.get(reverse("organisation:node_detail", args=[unit.pk])).content.decode()
    crumbs = _parse(html).crumbs
    for ancestor in OrgNode.objects.filter(pk__in=[a.pk for a in unit.ancestors()]):
        url = reverse("organisation:node_detail", args=[ancestor.pk])
        answer = client.get(url).status_code
        assert (url in crumbs) == (answer == 200), (ancestor.name, answer)
        assert ancestor.name in html  # still named, as text


def test_may_open_follows_the_views_rules(full_demo):
    from accounts.models import User

    anna = User.objects.get(username="anna")
    karin = User.objects.get(username="karin")
    assert may_open(anna, reverse("shell:start"))
    assert not may_open(anna, reverse("routines:register"))
    assert may_open(karin, reverse("routines:register"))
    assert not may_open(None, reverse("shell:start"))
    assert not may_open(anna, "/no/such/page/")


# -- internal source codes -------------------------------------------------------------------


def test_no_duty_carries_an_internal_source(full_demo):
    from organisation.models import RoleDuty

    assert RoleDuty.objects.exists()
    assert not RoleDuty.objects.filter(source__icontains="seed").exists()


def test_the_migration_clears_stored_seed_notes(full_demo):
    from importlib import import_module

    from django.apps import apps

    from organisation.models import RoleDuty

    duty = RoleDuty.objects.first()
    RoleDuty.objects.filter(pk=duty.pk).update(source="Seed 001 §3 (Enhetschef)")
    other = RoleDuty.objects.exclude(pk=duty.pk).first()
    RoleDuty.objects.filter(pk=other.pk).update(source="Kommunens delegationsordning")
    migration = import_module("organisation.migrations.0002_duty_sources_without_internal_codes")
    migration.clear_internal_sources(apps, None)
    assert RoleDuty.objects.get(pk=duty.pk).source == ""
    assert RoleDuty.objects.get(pk=other.pk).source == "Kommunens delegationsordning"


def test_the_responsibility_page_and_pdf_source_name_no_seed(full_demo):
    from accounts.models import User
    from organisation.models import OrgNode

    client = Client()
    client.force_login(User.objects.get(username="karin"), "accounts.backends.RoleBackend")
    root = OrgNode.objects.filter(parent__isnull=True).first()
    html = client.get(reverse("organisation:responsibility_node", args=[root.pk])).content
    assert b"Seed" not in html and "Källa:".encode() not in html
    source = (ROOT / "organisation" / "data" / "duties.json").read_text(encoding="utf-8")
    assert '"source"' not in source, "duties.json must not put its provenance in a stored field"


# -- e-mail links without SITE_URL -------------------------------------------------------------


def test_links_without_site_url_point_where_development_runs(settings):
    from core.site import DEVELOPMENT_URL, absolute_url, site_url

    settings.SITE_URL = ""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    port = re.search(r"^PORT \?= (\d+)", makefile, re.M).group(1)
    assert f"http://127.0.0.1:{port}" == DEVELOPMENT_URL
    assert "runserver 127.0.0.1:$(PORT)" in makefile
    assert absolute_url("/tasks/") == f"http://127.0.0.1:{port}/tasks/"
    request = RequestFactory().get("/", HTTP_HOST="hjulet.local:8123")
    settings.ALLOWED_HOSTS = ["hjulet.local"]
    assert site_url(request) == "http://hjulet.local:8123"
    settings.SITE_URL = "https://hjulet.kommun.example/"
    assert site_url(request) == "https://hjulet.kommun.example"
    assert "127.0.0.1:8000" in (ROOT / "README.md").read_text(encoding="utf-8")


# -- actions due in the past -----------------------------------------------------------------


def _action_data(cast, due):
    return {
        "unit": cast.unit_a.pk,
        "title": "Byt halkmattor",
        "description": "",
        "owner": cast.manager_a.pk,
        "due_date": due.isoformat(),
        "planned_effect_check_date": "",
    }


def test_a_new_action_cannot_be_due_in_the_past(cast, login):
    from actions.models import Action

    client = login(cast.manager_a)
    yesterday = timezone.localdate() - timedelta(days=1)
    page = client.get(reverse("actions:create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {**_action_data(cast, yesterday), "form_token": token}
    response = client.post(reverse("actions:create"), data)
    assert response.status_code == 200
    made = Action.objects.filter(title="Byt halkmattor")  # the module's demo has actions too
    assert not made.exists()
    html = response.content.decode()
    assert sv("The due date has already passed. Choose today or a later date.") in html
    assert 'value="Byt halkmattor"' in html  # the input is kept
    assert f'min="{timezone.localdate().isoformat()}"' in page
    data["due_date"] = timezone.localdate().isoformat()
    assert client.post(reverse("actions:create"), data).status_code == 302
    assert made.count() == 1


def test_moving_an_action_into_the_past_warns(cast, login):
    from actions.services import create_action

    action = create_action(
        actor=cast.manager_a,
        unit=cast.unit_a,
        title="Byt halkmattor",
        owner=cast.manager_a,
        due_date=timezone.localdate() + timedelta(days=7),
    )
    client = login(cast.manager_a)
    url = reverse("actions:edit", args=[action.pk])
    page = client.get(url).content.decode()
    data = _action_data(cast, timezone.localdate() - timedelta(days=2))
    for name in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name[0]] = name[1]
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.due_date == timezone.localdate() - timedelta(days=2)
    warning = sv("The due date %(date)s has already passed: the action is overdue from now on.")
    assert warning % {"date": action.due_date.isoformat()} in response.content.decode()


# -- labels ------------------------------------------------------------------------------------


def test_a_label_ending_in_punctuation_gets_no_colon():
    from core.templatetags.labels import colon

    assert colon("Vad hände?") == "Vad hände?"
    assert colon("Enhet") == "Enhet:"
    assert colon("Klart.") == "Klart."


def test_no_template_writes_a_colon_after_a_label():
    """The cause: templates wrote "{{ field.label }}:" after labels that end in "?"."""
    pattern = re.compile(r"\{\{\s*[\w.]*label\s*\}\}\s*:")
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in ROOT.glob("*/templates/**/*.html")
        if ".venv" not in path.parts
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ] + [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in (ROOT / "templates").glob("**/*.html")
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


def test_the_report_form_error_summary_reads_vad_hande(cast, login):
    client = login(cast.same_unit)
    response = client.post(reverse("deviations:report"), {"unit": cast.unit_a.pk})
    html = response.content.decode()
    assert "Vad hände?" in html
    assert "Vad hände?:" not in html


# -- charts without data ------------------------------------------------------------------------


def test_the_cause_chart_without_data_is_a_sentence(cast, login):
    response = login(cast.manager_a).get(reverse("analysis:statistics"))
    html = response.content.decode()
    assert sv("No causes recorded in the period.") in html
    assert 'id="chart-causes"' not in html


# -- deadlines in Mina uppgifter -----------------------------------------------------------------


def test_what_sets_a_deadline_is_no_status(cast, login):
    from deviations import services
    from legal.rules import TrackKind

    deviation = services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Brukaren föll i badrummet",
        immediate_action="Hjälpte upp",
        service_user_affected="yes",
    )
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    html = login(cast.manager_a).get(reverse("notifications:inbox")).content.decode()
    section = html[html.index('id="inbox-clocks"') :]
    section = section[: section.index("</section>")]
    status_cells = re.findall(r"<td>(<span class=\"badge[^<]*</span>\s*)+", section)
    statuses = " ".join(re.findall(r'<span class="badge[^"]*">([^<]+)</span>', section))
    assert status_cells
    assert "Lokalt mål" not in statuses and "Lag" not in statuses.split()
    assert "Pågår" in statuses or "Försenad" in statuses
    assert "due-note" in section


# -- uploads --------------------------------------------------------------------------------------


def test_the_browser_knows_the_size_limit(cast, login):
    from core.documents import limits
    from deviations.reporting.attachments import MAX_ATTACHMENT_SIZE

    limit = limits()["upload_max_bytes"]["attachment"]
    assert limit == MAX_ATTACHMENT_SIZE
    html = login(cast.same_unit).get(reverse("deviations:report")).content.decode()
    field = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert f'data-max-bytes="{limit}"' in field
    assert "data-too-big=" in field and "%(name)s" in field
    assert "/static/js/upload-size.js" in html
    assert (ROOT / "static" / "js" / "upload-size.js").exists()


# -- references -----------------------------------------------------------------------------------


def test_a_reference_stays_on_one_line(cast, login):
    from deviations import services

    deviation = services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Brukaren föll i badrummet",
        immediate_action="Hjälpte upp",
        service_user_affected="yes",
    )
    html = login(cast.manager_a).get(reverse("deviations:list")).content.decode()
    assert f'<span class="ref">{deviation.reference}</span>' in html
    css = (ROOT / "static" / "css" / "hjulet.css").read_text(encoding="utf-8")
    assert re.search(r"\.ref\s*\{[^}]*white-space:\s*nowrap", css)


def test_every_form_that_makes_an_action_refuses_a_past_due_date():
    from django import forms

    from actions.forms import NewDueDateField
    from analysis.forms import MeasureForm
    from deviations.investigation.forms import TrackActionForm

    field = NewDueDateField()
    with pytest.raises(forms.ValidationError):
        field.clean((timezone.localdate() - timedelta(days=1)).isoformat())
    assert field.clean(timezone.localdate().isoformat()) == timezone.localdate()
    assert f'min="{timezone.localdate().isoformat()}"' in field.widget.render("due_date", None)
    for form in (MeasureForm, TrackActionForm):
        assert isinstance(form.base_fields["due_date"], NewDueDateField), form
