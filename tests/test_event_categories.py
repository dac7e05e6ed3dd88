"""Kinds of event (issue 10, point 4): the catalogue, which kinds a unit offers, the report
form's one optional tap, setting and correcting at classification, the register's filter and
rows, the exports, and need-to-know kept."""

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from deviations import services
from deviations.categories import categories_by_unit, categories_for, categories_for_register
from deviations.forms import NOT_STATED
from deviations.models import Deviation, DeviationStatus, EventCategory
from deviations.seed import EVENT_CATEGORIES_FILE, ensure_event_categories
from legal.models import Applicability, Regulation
from legal.rules import TrackKind
from tests.cast import _assign, _user

FIELDS = {
    "description": "Brukaren föll i badrummet.",
    "immediate_action": "Sjuksköterskan tittade till brukaren.",
    "service_user_affected": "yes",
}


def kind(code):
    return EventCategory.objects.get(code=code)


def codes(categories):
    return [c.code for c in categories]


def reported(cast, unit=None, who=None, category=None, **extra):
    return services.report(
        actor=who or cast.same_unit,
        unit=unit or cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        category=category,
        **{**FIELDS, **extra},
    )


def form_data(cast, **extra):
    data = {
        "unit": cast.unit_a.pk,
        "occurred_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        **FIELDS,
        "submission_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def state(node, code):
    """The node states that the regulation `code` applies to it (its law area follows)."""
    Applicability.objects.create(node=node, regulation=Regulation.objects.get(code=code))


def category_events(deviation):
    return list(
        Event.objects.filter(
            object_id=str(deviation.pk),
            verb__in=("deviations.category_set", "deviations.category_changed"),
        ).order_by("pk")
    )


# -- the catalogue ------------------------------------------------------------------------------


def test_the_shipped_catalogue_is_loaded_once_and_edits_survive(db):
    shipped = json.loads(EVENT_CATEGORIES_FILE.read_text(encoding="utf-8"))["categories"]
    stored = EventCategory.objects.filter(node__isnull=True)
    assert sorted(codes(stored)) == sorted(row["code"] for row in shipped)
    assert len(shipped) == 11
    assert kind("medication").name == "Läkemedel"
    assert kind("fall").law_areas == []
    assert set(kind("service-not-given").law_areas) == {"sol", "lss"}
    # The organisation renames one and takes one out of use: a new migrate keeps both edits.
    EventCategory.objects.filter(code="fall").update(name="Fall och fallrisk")
    EventCategory.objects.filter(code="other").update(is_active=False)
    ensure_event_categories()
    assert EventCategory.objects.filter(node__isnull=True).count() == 11
    assert kind("fall").name == "Fall och fallrisk"
    assert not kind("other").is_active


# -- which kinds a unit offers ------------------------------------------------------------------


def test_a_unit_without_law_areas_is_offered_every_kind(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        offered = categories_for(cast.unit_a)
    assert codes(offered) == codes(EventCategory.objects.filter(node__isnull=True))
    assert codes(offered)[0] == "fall" and codes(offered)[-1] == "other"


def test_the_kinds_follow_the_law_areas_stated_at_the_unit_and_above(cast):
    state(cast.unit_a, "hsl")
    state(cast.dept, "gdpr")  # no kind of event is limited to GDPR alone
    at_a = codes(categories_for(cast.unit_a))
    assert "care-treatment" in at_a and "medication" in at_a and "fall" in at_a
    assert "service-not-given" not in at_a  # SoL and LSS only
    state(cast.unit_b, "lss")
    at_b = codes(categories_for(cast.unit_b))
    assert "service-not-given" in at_b and "care-treatment" not in at_b
    # A unit below a node that states SoL has the SoL kinds too.
    state(cast.dept, "sol-2025")
    assert "service-not-given" in codes(categories_for(cast.unit_a))


def test_an_organisations_own_kind_applies_in_its_subtree_only(cast):
    own_a = EventCategory.objects.create(code="nyckelhantering", name="Nycklar", node=cast.unit_a)
    own_dept = EventCategory.objects.create(code="transport", name="Transport", node=cast.dept)
    elsewhere = EventCategory.objects.create(code="annat", name="A", node=cast.other_root_node)
    EventCategory.objects.create(code="gammal", name="Gammal", node=cast.unit_a, is_active=False)
    at_a, at_b = codes(categories_for(cast.unit_a)), codes(categories_for(cast.unit_b))
    assert own_a.code in at_a and own_a.code not in at_b
    assert own_dept.code in at_a and own_dept.code in at_b
    assert elsewhere.code not in at_a + at_b
    assert "gammal" not in at_a


def test_many_units_at_once_in_two_queries_and_as_one_at_a_time(
    cast, django_assert_max_num_queries
):
    state(cast.unit_a, "hsl")
    state(cast.unit_b, "lss")
    EventCategory.objects.create(code="egen", name="Egen", node=cast.unit_b)
    units = [cast.unit_a, cast.unit_b, cast.provider_node, cast.dept]
    with django_assert_max_num_queries(2):
        together = categories_by_unit(units)
    for unit in units:
        assert codes(together[unit.pk]) == codes(categories_for(unit))


# -- the report form ----------------------------------------------------------------------------


def test_the_form_offers_the_kinds_as_one_optional_tap(cast, login):
    response = login(cast.same_unit).get(reverse("deviations:report"))
    html = response.content.decode()
    assert 'class="event-kinds' in html and "<legend>" in html
    field = response.context["form"].fields["category"]
    assert not field.required
    assert set(field.queryset) == set(categories_for(cast.unit_a))
    # "Don't know" is no choice: an empty radio button, checked until something is tapped.
    assert 'type="radio" name="category" value="" ' in html
    assert 'value="" required' not in html


def test_a_report_with_and_without_a_kind(cast, login):
    client = login(cast.same_unit)
    fall = kind("fall")
    response = client.post(reverse("deviations:report"), form_data(cast, category=fall.pk))
    assert response.status_code == 302
    with_kind = Deviation.objects.get()
    assert with_kind.category == fall
    client.post(reverse("deviations:report"), form_data(cast, category=""))
    without = Deviation.objects.exclude(pk=with_kind.pk).get()
    assert without.category is None
    mine = client.get(reverse("deviations:mine_detail", args=[with_kind.pk])).content.decode()
    assert 'id="report-kind">Fall<' in mine


def test_the_same_form_sent_twice_files_one_report_and_a_changed_kind_is_not_lost(cast, login):
    client = login(cast.same_unit)
    data = form_data(cast, category=kind("fall").pk)
    first = client.post(reverse("deviations:report"), data)
    again = client.post(reverse("deviations:report"), data)
    assert first.status_code == again.status_code == 302
    assert "again=1" in again["Location"]
    assert Deviation.objects.count() == 1
    # The same key with another kind is other content: nothing filed, the form kept.
    changed = client.post(reverse("deviations:report"), {**data, "category": kind("medication").pk})
    assert changed.status_code == 200 and changed.context["already_sent"] is not None
    assert Deviation.objects.count() == 1
    assert changed.context["form"]["category"].value() == str(kind("medication").pk)


def test_a_kind_not_used_at_the_chosen_unit_is_refused_and_the_text_kept(cast, login):
    # The staff member reports for both units; unit B has a kind of its own.
    _assign(cast.same_unit, "staff_member", cast.unit_b)
    own_b = EventCategory.objects.create(code="egen-b", name="Bara på B", node=cast.unit_b)
    client = login(cast.same_unit)
    page = client.get(reverse("deviations:report"))
    assert own_b in page.context["form"].fields["category"].queryset
    typed = "Dörren till förrådet stod öppen hela natten."
    response = client.post(
        reverse("deviations:report"),
        form_data(cast, unit=cast.unit_a.pk, category=own_b.pk, description=typed),
    )
    assert response.status_code == 200
    assert not Deviation.objects.exists()
    form = response.context["form"]
    (error,) = form.errors.as_data()["category"]
    assert error.code == "category_not_offered"
    assert "Bara på B" in error.message and "Enhet A" in error.message
    html = response.content.decode()
    assert typed in html and 'class="error-summary"' in html
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        reported(cast, category=own_b)
    assert refused.value.error_dict["category"][0].code == "category_not_offered"
    assert reported(cast, unit=cast.unit_b, category=own_b).category == own_b


# -- classification -----------------------------------------------------------------------------


def test_classification_sets_the_kind_and_names_old_and_new_in_the_history(cast, login):
    deviation = reported(cast)
    client = login(cast.manager_a)
    page = client.get(reverse("deviations:triage", args=[deviation.pk]))
    assert page.context["form"].fields["category"].initial is None
    response = client.post(
        reverse("deviations:triage", args=[deviation.pk]),
        {"kinds": [TrackKind.OTHER], "category": kind("fall").pk},
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.category == kind("fall")
    (event,) = category_events(deviation)
    assert (event.verb, event.params) == ("deviations.category_set", {"new": "Fall"})
    assert event.actor == cast.manager_a


def test_classification_keeps_the_reporters_kind_unless_changed(cast, login):
    deviation = reported(cast, category=kind("fall"))
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    deviation.refresh_from_db()
    assert deviation.category == kind("fall") and category_events(deviation) == []
    other = reported(cast, category=kind("fall"))
    page = login(cast.manager_a).get(reverse("deviations:triage", args=[other.pk]))
    assert page.context["form"].fields["category"].initial == kind("fall").pk
    services.triage(other, actor=cast.manager_a, kinds=[TrackKind.OTHER], category=None)
    other.refresh_from_db()
    assert other.category is None
    assert category_events(other)[0].params == {"old": "Fall", "new": "–"}


def test_the_kind_is_corrected_after_classification_and_recorded(cast, login):
    deviation = reported(cast, category=kind("fall"))
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    client = login(cast.manager_a)
    case = client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    url = reverse("deviations:category", args=[deviation.pk])
    assert url in case and 'id="case-kind">Fall' in case
    form = client.get(url).context["form"]
    response = client.post(
        url,
        {"category": kind("medication").pk, "record_version": form["record_version"].value()},
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.category == kind("medication")
    assert [e.params for e in category_events(deviation)] == [{"old": "Fall", "new": "Läkemedel"}]
    # Saving the same kind again records nothing.
    assert not services.change_category(
        deviation, actor=cast.manager_a, category=kind("medication")
    )
    assert len(category_events(deviation)) == 1
    # The reporter may not correct it; nor may anyone once the case is closed.
    assert login(cast.same_unit).get(url).status_code in (403, 404)
    Deviation.objects.filter(pk=deviation.pk).update(status=DeviationStatus.CLOSED)
    assert login(cast.manager_a).get(url).status_code == 403


def test_a_kind_taken_out_of_use_may_be_kept_but_not_chosen_anew(cast):
    deviation = reported(cast, category=kind("fall"))
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    EventCategory.objects.filter(code="fall").update(is_active=False)
    from deviations.forms import CategoryForm

    form = CategoryForm({"category": kind("fall").pk}, deviation=deviation)
    assert form.is_valid(), form.errors
    other = reported(cast)
    services.triage(other, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    with pytest.raises(ValidationError):
        services.change_category(other, actor=cast.manager_a, category=kind("fall"))


# -- the register, the case, the exports --------------------------------------------------------


def register(client, **params):
    return client.get(reverse("deviations:list"), params)


def test_the_register_filters_by_kind_and_shows_it_in_the_row(cast, login):
    fall = reported(cast, category=kind("fall"))
    medication = reported(cast, category=kind("medication"))
    unstated = reported(cast)
    client = login(cast.parent_manager)
    listed = register(client, category="fall")
    assert [d.pk for d in listed.context["page"].object_list] == [fall.pk]
    html = listed.content.decode()
    assert 'class="report-meta register-kind"' in html and ">Fall</span>" in html
    listed = register(client, category=NOT_STATED)
    assert [d.pk for d in listed.context["page"].object_list] == [unstated.pk]
    listed = register(client)
    assert {d.pk for d in listed.context["page"].object_list} == {
        fall.pk,
        medication.pk,
        unstated.pk,
    }
    choices = dict(listed.context["form"].fields["category"].choices)
    assert choices[NOT_STATED] and choices["medication"] == "Läkemedel"
    # An unknown kind is an invalid filter: it filters nothing rather than everything away.
    assert register(client, category="finns-inte").context["form"].errors


def test_the_filter_offers_another_organisations_own_kinds_to_no_one_else(cast):
    EventCategory.objects.create(code="annan-org", name="Annans", node=cast.other_root_node)
    EventCategory.objects.create(code="var-enhet", name="Vår", node=cast.unit_a)
    offered = codes(categories_for_register(cast.parent_manager))
    assert "var-enhet" in offered and "annan-org" not in offered
    assert "var-enhet" not in codes(categories_for_register(cast.sibling, "deviations.report"))


def _register_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = register(client, category="fall")
    assert response.status_code == 200
    return len(queries)


def test_the_registers_queries_do_not_grow_with_its_rows(cast, login):
    client = login(cast.parent_manager)
    reported(cast, category=kind("fall"))
    few = _register_queries(client)
    for unit in (cast.unit_a, cast.unit_b) * 6:
        reported(cast, unit=unit, who=cast.parent_manager, category=kind("fall"))
        reported(cast, unit=unit, who=cast.parent_manager)
    many = _register_queries(client)
    assert many == few


def test_the_case_page_and_its_pdf_show_the_kind(cast, login):
    deviation = reported(cast, category=kind("threats-violence"))
    client = login(cast.manager_a)
    case = client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert "Hot och våld" in case
    from django.template.loader import render_to_string

    from deviations.exports.views import case_context

    html = render_to_string("deviations/case_pdf.html", case_context(cast.manager_a, deviation))
    assert "Hot och våld" in html


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_csv_and_xlsx_have_the_kind_column(cast, login):
    from openpyxl import load_workbook

    reported(cast, category=kind("hygiene-infection"))
    reported(cast)
    client = login(cast.manager_a)
    header, *rows = _csv(client.get(reverse("deviations:export", args=["csv"])))
    # The column follows the unit's (Typ av händelse once the translation is in).
    column = header.index("Enhet") + 1
    assert header[column] in ("Typ av händelse", "Kind of event")
    assert sorted(r[column] for r in rows) == ["", "Hygien och smitta"]
    filtered = client.get(reverse("deviations:export", args=["csv"]), {"category": NOT_STATED})
    _header, *rows = _csv(filtered)
    assert [r[column] for r in rows] == [""]
    response = client.get(reverse("deviations:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert header[column] == _csv(client.get(reverse("deviations:export", args=["csv"])))[0][column]
    assert sorted(r[column] or "" for r in rows) == ["", "Hygien och smitta"]


def test_need_to_know_holds_in_the_filtered_register(cast, login):
    manager_b = _user("manager_b", "Bo", "Chef")
    _assign(manager_b, "unit_manager", cast.unit_b, subtree=True)
    at_a = reported(cast, category=kind("fall"))
    at_b = reported(cast, unit=cast.unit_b, who=cast.sibling, category=kind("fall"))
    listed = register(login(manager_b), category="fall")
    assert [d.pk for d in listed.context["page"].object_list] == [at_b.pk]
    assert at_a.reference not in listed.content.decode()
    listed = register(login(cast.manager_a), category="fall")
    assert [d.pk for d in listed.context["page"].object_list] == [at_a.pk]
    rows = _csv(
        login(manager_b).get(reverse("deviations:export", args=["csv"]), {"category": "fall"})
    )
    assert [r[0] for r in rows[1:]] == [at_b.reference]


# -- demo and scale data ------------------------------------------------------------------------


@pytest.mark.django_db
def test_most_demo_cases_have_a_kind():
    from deviations.demo import load_demo_deviations
    from organisation.demo import load_demo

    load_demo()
    load_demo_deviations()
    kinds = list(Deviation.objects.values_list("category__code", flat=True))
    stated = [k for k in kinds if k]
    assert len(stated) > len(kinds) / 2 and len(stated) < len(kinds)
    assert "medication" in stated and "fall" in stated


@pytest.mark.django_db
def test_generated_reports_have_a_plausible_mix_of_kinds():
    from django.core.management import call_command

    call_command("generate_scale_data", deviations=400, units=10, years=2, seed=11)
    total = Deviation.objects.count()
    stated = Deviation.objects.filter(category__isnull=False)
    assert 0.7 * total < stated.count() < 0.9 * total
    assert stated.values("category").distinct().count() >= 8
