"""The prefill of the authorities' forms: every prefilled field is a named source in the data."""

import copy

from deviations.authority import sections
from deviations.authority import services as ns
from deviations.authority.sources import SOURCES
from organisation.models import OrgNode
from tests.test_authority_notifications import breach, lex_sarah


def test_every_source_the_form_data_names_exists_for_a_field_of_that_form():
    named = set()
    for recipient, form in sections.FORMS["forms"].items():
        fields = {name for part in form["sections"] for name in part["fields"]}
        prefill = form["prefill"]
        assert set(prefill.values()) <= set(SOURCES), recipient
        assert set(prefill) <= fields, recipient
        # What the case answers at sending (discovered_at) is never typed, so never prefilled.
        assert not set(prefill) & set(sections.FROM_CASE), recipient
        named |= set(prefill.values())
    assert named == set(SOURCES)  # no source that no form uses


def test_a_form_prefills_exactly_what_its_data_names(cast, monkeypatch):
    """A new version of IMY's form asks for the unit and no longer prefills the contact's phone:
    an edit of the data, no code."""
    OrgNode.objects.filter(pk=cast.unit_a.pk).update(
        street_address="Norra vägen 12", postcode="123 50", town="Exempelstad"
    )
    cast.parent_manager.phone = "010-123 45 67"
    cast.parent_manager.save(update_fields=["phone"])
    track = breach(cast, serious=True)
    assert ns.prefill(track, "imy", cast.parent_manager)["contact_phone"] == "010-123 45 67"

    data = copy.deepcopy(sections.FORMS)
    form = data["forms"]["imy"]
    form["sections"].append({"heading": "The unit", "fields": ["unit_name", "unit_address"]})
    form["prefill"].update(unit_name="unit_name", unit_address="unit_address")
    del form["prefill"]["contact_phone"]
    edited_sections, _labels, _required, edited_prefill, _versions = sections.load_forms(data)
    monkeypatch.setitem(sections.SECTIONS, "imy", edited_sections["imy"])
    monkeypatch.setitem(sections.PREFILL, "imy", edited_prefill["imy"])

    notification, created = ns.create_notification(track, "imy", actor=cast.parent_manager)
    assert created
    assert notification.unit_name == "Enhet A"
    assert notification.unit_address == "Norra vägen 12, 123 50 Exempelstad"
    assert notification.contact_phone == ""
    assert notification.contact_name == "Per Avdelning"


def test_a_prefilled_field_the_form_does_not_ask_for_stays_empty(cast, monkeypatch):
    track = lex_sarah(cast)
    monkeypatch.setitem(
        sections.PREFILL, "ivo_lex_sarah", {**sections.PREFILL["ivo_lex_sarah"], "dpo": "dpo"}
    )
    values = ns.prefill(track, "ivo_lex_sarah", cast.quality)
    assert "dpo" not in values
    assert set(values) <= set(sections.content_fields("ivo_lex_sarah"))


def test_the_letter_names_the_contact_person_as_the_contact_fields_do(cast):
    cast.parent_manager.phone = "010-123 45 67"
    cast.parent_manager.save(update_fields=["phone"])
    track = breach(cast, serious=True)
    values = ns.prefill(track, "people_concerned", cast.parent_manager)
    contact = " ".join(values[name] for name in ("contact_name", "contact_phone", "contact_email"))
    assert contact == "Per Avdelning 010-123 45 67 parent@cast.test"
    assert contact in values["message"]
    assert track.deviation.description in values["message"]
