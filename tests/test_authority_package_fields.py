"""Issue 10 point 2: each authority package holds what the authority's form asks, as data."""

import copy
import importlib
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.db import migrations
from django.urls import reverse
from pypdf import PdfReader

from deviations import services
from deviations.authority import packages, sections
from deviations.authority import services as ns
from deviations.authority.forms import NotificationContentForm
from deviations.authority.models import AuthorityNotification
from deviations.investigation import services as investigation_services
from deviations.models import Track
from legal.rules import TrackKind
from organisation.models import OrgNode, Provider, ProviderKind
from tests.test_authority_notifications import content_post, report

# The fields point 2 adds, per recipient, with the organisation's number.
LISTED = {
    "ivo_lex_sarah": [
        "organisation_number",
        "address",
        "unit_address",
        "event_place",
        "reported_at",
        "investigation_started_at",
        "decision_maker",
        "person_age_range",
        "person_sex",
        "person_service",
    ],
    "ivo_lex_maria": [
        "organisation_number",
        "address",
        "unit_address",
        "event_place",
        "reported_at",
        "investigation_started_at",
        "decision_maker",
    ],
    "imy": ["organisation_number", "address", "dpo"],
}


@pytest.fixture
def organisation(cast):
    """The board with its address, data protection officer and own-management number."""
    OrgNode.objects.filter(pk=cast.board.pk).update(
        street_address="Stadshusgatan 1",
        postcode="123 45",
        town="Exempelstad",
        dpo_name="Dora Dataskydd",
        dpo_email="dso@example.se",
        dpo_phone="010-111 22 33",
    )
    OrgNode.objects.filter(pk=cast.unit_a.pk).update(
        street_address="Norra vägen 12", postcode="123 50", town="Exempelstad"
    )
    Provider.objects.create(
        node=cast.board, kind=ProviderKind.OWN, name="Egen regi", organisation_number="212000-0000"
    )
    for person in (cast.quality, cast.parent_manager):
        person.title = "Kvalitetschef"
        person.save(update_fields=["title"])
    return cast


def worker_of(cast, recipient):
    return cast.parent_manager if recipient == "ivo_lex_maria" else cast.quality


def _track(cast, recipient):
    kind = {
        "ivo_lex_sarah": TrackKind.LEX_SARAH,
        "ivo_lex_maria": TrackKind.LEX_MARIA,
        "imy": TrackKind.DATA_BREACH,
    }[recipient]
    deviation = report(cast, place="Rum 4", hint_health_care=recipient == "ivo_lex_maria")
    maria = recipient == "ivo_lex_maria"
    (track,) = services.triage(
        deviation,
        actor=cast.manager_a,
        kinds=[kind],
        investigators=[cast.parent_manager] if maria else [],
    )
    worker = worker_of(cast, recipient)
    if recipient != "imy":
        track = investigation_services.move_track(track, "start_investigation", actor=worker)
    investigation_services.decide_serious(track, True, actor=worker)
    return Track.objects.select_related("deviation__unit").get(pk=track.pk)


def _draft(cast, recipient):
    track = _track(cast, recipient)
    worker = worker_of(cast, recipient)
    notification, _created = ns.create_notification(track, recipient, actor=worker)
    if recipient == "ivo_lex_sarah":
        ns.save_content(
            notification,
            actor=worker,
            person_age_range="80+",
            person_sex="female",
            person_service="Hemtjänst",
        )
    return AuthorityNotification.objects.get(pk=notification.pk)


def _flat(text):
    return " ".join(text.split())


def package_texts(notification):
    word = docx.Document(io.BytesIO(packages.render_docx_package(notification)))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    pdf = PdfReader(io.BytesIO(packages.render_pdf_package(notification)))
    return _flat(" ".join(parts)), _flat(" ".join(page.extract_text() for page in pdf.pages))


@pytest.mark.parametrize("recipient", sorted(LISTED))
def test_every_listed_field_is_in_the_pdf_and_the_word_package(organisation, recipient):
    notification = _draft(organisation, recipient)
    word, pdf = package_texts(notification)
    for name in LISTED[recipient]:
        label = str(sections.field_label(recipient, name))
        value = packages.display_value(notification, name)
        assert value, f"{name} is empty: the package would say 'not stated'"
        for text in (word, pdf):
            assert _flat(label) in text, name
            assert _flat(value) in text, name
    # The values come from the case and the organisation.
    assert notification.organisation_number == "212000-0000"
    assert notification.address == "Stadshusgatan 1, 123 45 Exempelstad"
    if recipient == "imy":
        assert notification.dpo == "Dora Dataskydd, dso@example.se, 010-111 22 33"
    else:
        assert notification.unit_address == "Norra vägen 12, 123 50 Exempelstad"
        assert notification.event_place == "Enhet A, Rum 4, Norra vägen 12, 123 50 Exempelstad"
        assert notification.reported_at == notification.track.deviation.reported_at
        assert notification.investigation_started_at == notification.track.investigation_started_at
        assert notification.investigation_started_at is not None
        name = worker_of(organisation, recipient).get_full_name()
        assert notification.decision_maker == f"{name}, Kvalitetschef"


def test_the_package_follows_the_form_data(organisation, monkeypatch):
    """A new form version is an edit of the data: here IMY's form drops the data protection
    officer and adds a part of its own."""
    notification = _draft(organisation, "imy")
    dpo_label = str(sections.field_label("imy", "dpo"))
    assert dpo_label in package_texts(notification)[0]
    data = copy.deepcopy(sections.FORMS)
    form = data["forms"]["imy"]
    form["sections"] = [s for s in form["sections"] if "dpo" not in s["fields"]]
    form["sections"].append({"heading": "A part of the new form", "fields": ["severity"]})
    edited = sections.load_forms(data)
    for table, new in zip(
        (sections.SECTIONS, sections.LABELS, sections.REQUIRED_TO_SEND), edited, strict=False
    ):
        monkeypatch.setitem(table, "imy", new["imy"])
    for text in package_texts(notification):
        assert dpo_label not in text and "Dora Dataskydd" not in text
        assert "A part of the new form" in text


def test_the_pseudonymised_description_refuses_a_personal_identity_number(organisation, login):
    notification = _draft(organisation, "ivo_lex_sarah")
    with pytest.raises(ValidationError) as refused:
        ns.save_content(
            notification, actor=organisation.quality, person_service="Brukare 19121212-1212"
        )
    assert "person_service" in refused.value.message_dict
    form = NotificationContentForm(
        content_post(notification, person_service="19121212-1212"),
        instance=notification,
        recipient="ivo_lex_sarah",
    )
    assert not form.is_valid() and "person_service" in form.errors
    assert AuthorityNotification.objects.get(pk=notification.pk).person_service == "Hemtjänst"


@pytest.mark.parametrize(
    ("app", "name"),
    [
        ("organisation", "0003_node_address_and_dpo"),
        ("deviations", "0007_authority_form_fields"),
    ],
)
def test_the_migrations_only_add_optional_fields(app, name):
    """Existing nodes and notifications are kept as they are: every new column is optional."""
    module = importlib.import_module(f"{app}.migrations.{name}")
    for operation in module.Migration.operations:
        assert isinstance(operation, migrations.AddField)
        assert operation.field.blank


def test_the_address_and_data_protection_officer_are_edited_and_shown(organisation, login):
    client = login(organisation.admin)
    node = organisation.board
    data = {
        "kind": node.kind,
        "name": node.name,
        "code": "",
        "description": "",
        "street_address": "Torget 2",
        "postcode": "111 22",
        "town": "Exempelby",
        "dpo_name": "Dina Ombud",
        "dpo_email": "dina@example.se",
        "dpo_phone": "010-222 33 44",
    }
    response = client.post(reverse("organisation:node_edit", args=[node.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("organisation:node_detail", args=[organisation.unit_b.pk]))
    content = page.content.decode()
    assert "Torget 2, 111 22 Exempelby" in content and "Dina Ombud" in content


@pytest.mark.django_db
def test_the_demo_packages_state_the_organisation(django_user_model):
    """The demo's own management has an organisation number, its units addresses and the board a
    data protection officer: no demo package says 'not stated' for them."""
    from organisation.demo import load_demo

    load_demo()
    own = Provider.objects.get(kind=ProviderKind.OWN)
    assert own.organisation_number.startswith("212000-")
    root = OrgNode.objects.get(parent__isnull=True, name="Socialnämnden")
    for unit in OrgNode.objects.subtree_of(root).filter(kind__in=["unit", "operation"]):
        assert unit.address(), unit.name
        assert unit.data_protection_officer() is not None, unit.name


def test_every_heading_and_label_of_the_form_data_is_marked_for_translation():
    from deviations.authority.form_messages import MESSAGES

    texts = set()
    for form in sections.FORMS["forms"].values():
        texts |= {part["heading"] for part in form["sections"]}
        texts |= set(form.get("labels", {}).values())
        assert set(form["required_to_send"]) <= {n for p in form["sections"] for n in p["fields"]}
    assert texts <= set(MESSAGES)
