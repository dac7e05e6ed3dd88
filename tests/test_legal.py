"""The register of laws and regulations, and which laws apply to each unit (issue point 5)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import Event
from legal.models import Applicability, Regulation, RegulationSection
from legal.services import coverage_for, laws_for_node, state_applicability
from organisation.models import NodeKind
from organisation.services import create_node
from retention.models import RetentionRule


def reg(code):
    return Regulation.objects.get(code=code)


def events(verb):
    return Event.objects.filter(verb=verb)


def url(name, *args):
    return reverse(f"legal:{name}", args=args)


# --- The seed ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_is_present_after_migrate():
    numbers = set(Regulation.objects.values_list("number", flat=True))
    for number in (
        "SOSFS 2011:9",
        "SOSFS 2011:5",
        "HSLF-FS 2017:41",
        "(EU) 2016/679",
        "SFS 2001:453",
        "SFS 2025:400",
        "SFS 1993:387",
        "SFS 2017:30",
        "SFS 2010:659",
    ):
        assert number in numbers
    old_sol = Regulation.objects.get(number="SFS 2001:453")
    references = list(old_sol.sections.values_list("reference", flat=True))
    assert "14 kap 2–7 §§" in references
    assert old_sol.valid_until == date(2025, 6, 30)
    assert old_sol.replaced_by == Regulation.objects.get(number="SFS 2025:400")
    new_sol = Regulation.objects.get(number="SFS 2025:400")
    # The verified numbers of the new law (legal-rules.md); no placeholder is seeded.
    verified = new_sol.sections.filter(verified=True).values_list("reference", flat=True)
    assert {"27 kap 2–6 §§", "34 kap 1–3 §§", "5 kap 1–2 §§"} <= set(verified)
    assert not RegulationSection.objects.filter(reference__startswith="(ej verifierat)").exists()
    assert reg("gdpr").sections.filter(reference="artikel 33").exists()


# --- Applicability: statements and inheritance ---------------------------------------------


def test_statement_at_department_is_inherited_by_its_units(cast):
    sol, sosfs, lss = reg("sol-2025"), reg("sosfs-2011-9"), reg("lss")
    state_applicability(cast.dept, [sol.pk, sosfs.pk], actor=cast.parent_manager)
    state_applicability(cast.unit_a, [lss.pk], {lss.pk: "Boende LSS"}, actor=cast.manager_a)

    laws_a = {law.regulation.code: law for law in laws_for_node(cast.unit_a)}
    assert set(laws_a) == {"sol-2025", "sosfs-2011-9", "lss"}
    assert laws_a["lss"].stated_here
    assert laws_a["lss"].statement.comment == "Boende LSS"
    assert not laws_a["sol-2025"].stated_here
    assert laws_a["sol-2025"].source == cast.dept
    assert laws_a["sol-2025"].statement.stated_by == cast.parent_manager

    laws_b = {law.regulation.code: law for law in laws_for_node(cast.unit_b)}
    assert set(laws_b) == {"sol-2025", "sosfs-2011-9"}
    # Nothing flows upwards.
    assert {law.regulation.code for law in laws_for_node(cast.dept)} == {"sol-2025", "sosfs-2011-9"}
    assert laws_for_node(cast.administration) == []


def test_nearest_statement_wins(cast):
    sol = reg("sol-2025")
    state_applicability(cast.dept, [sol.pk], actor=cast.parent_manager)
    state_applicability(cast.unit_a, [sol.pk], {sol.pk: "Egen"}, actor=cast.manager_a)
    (law,) = laws_for_node(cast.unit_a)
    assert law.stated_here
    assert law.statement.comment == "Egen"


def test_node_laws_page_shows_own_and_inherited(cast, login):
    state_applicability(cast.dept, [reg("sol-2025").pk], actor=cast.parent_manager)
    state_applicability(cast.unit_a, [reg("lss").pk], actor=cast.manager_a)
    response = login(cast.same_unit).get(url("node_laws", cast.unit_a.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="law-row law-row--here" data-code="lss"' in html
    assert 'class="law-row law-row--inherited" data-code="sol-2025"' in html
    assert "Avdelningen" in html
    assert 'id="node-laws-edit"' not in html  # staff cannot edit


def test_state_applicability_replaces_own_statements_and_records_one_event(cast):
    sol, lss, hsl = reg("sol-2025"), reg("lss"), reg("hsl")
    state_applicability(cast.unit_a, [sol.pk, lss.pk], actor=cast.manager_a)
    first = Applicability.objects.get(node=cast.unit_a, regulation=sol)
    state_applicability(
        cast.unit_a, [sol.pk, hsl.pk], {sol.pk: "Ny kommentar"}, actor=cast.parent_manager
    )
    rows = {a.regulation.code: a for a in Applicability.objects.filter(node=cast.unit_a)}
    assert set(rows) == {"sol-2025", "hsl"}
    # A law still stated keeps who stated it and when; the comment is updated.
    assert rows["sol-2025"].pk == first.pk
    assert rows["sol-2025"].stated_by == cast.manager_a
    assert rows["sol-2025"].comment == "Ny kommentar"
    assert rows["hsl"].stated_by == cast.parent_manager
    stated = events("legal.applicability_stated").filter(object_id=str(cast.unit_a.pk))
    assert stated.count() == 2
    assert stated.first().params["count"] == "2"
    assert stated.first().actor == cast.parent_manager


def test_a_law_no_longer_in_force_cannot_be_newly_stated_but_may_stay(cast):
    old_sol = reg("sol-2001")
    assert not old_sol.in_force_today
    with pytest.raises(ValidationError):
        state_applicability(cast.unit_a, [old_sol.pk], actor=cast.manager_a)
    assert not Applicability.objects.filter(node=cast.unit_a).exists()
    # Stated while it was in force: it stays until removed, and is marked.
    Applicability.objects.create(node=cast.unit_a, regulation=old_sol, stated_by=cast.manager_a)
    state_applicability(cast.unit_a, [old_sol.pk, reg("sol-2025").pk], actor=cast.manager_a)
    assert Applicability.objects.filter(node=cast.unit_a).count() == 2


def test_edit_form_lists_laws_in_force_and_stated_historical_laws(cast, login):
    old_sol = reg("sol-2001")
    Applicability.objects.create(node=cast.unit_a, regulation=old_sol, stated_by=cast.manager_a)
    response = login(cast.manager_a).get(url("node_laws_edit", cast.unit_a.pk))
    assert response.status_code == 200
    fields = response.context["form"].fields
    assert f"applies_{old_sol.pk}" in fields
    assert fields[f"applies_{old_sol.pk}"].initial is True
    assert f"applies_{reg('sol-2025').pk}" in fields
    assert f"applies_{reg('sosfs-2006-11').pk}" not in fields  # historical, never stated
    assert "law-choice--historical" in response.content.decode()
    page = login(cast.manager_a).get(url("node_laws", cast.unit_a.pk)).content.decode()
    assert "historical" in page


def test_manager_states_laws_through_the_form(cast, login):
    sol, lss = reg("sol-2025"), reg("lss")
    client = login(cast.manager_a)
    response = client.post(
        url("node_laws_edit", cast.unit_a.pk),
        {f"applies_{sol.pk}": "on", f"applies_{lss.pk}": "on", f"comment_{lss.pk}": "Gruppbostad"},
    )
    assert response.status_code == 302
    assert response.url == url("node_laws", cast.unit_a.pk)
    rows = {a.regulation_id: a for a in Applicability.objects.filter(node=cast.unit_a)}
    assert set(rows) == {sol.pk, lss.pk}
    assert rows[lss.pk].comment == "Gruppbostad"
    assert rows[lss.pk].stated_by == cast.manager_a
    assert events("legal.applicability_stated").filter(object_id=str(cast.unit_a.pk)).exists()


def test_invalid_statement_form_keeps_what_was_typed(cast, login):
    sol = reg("sol-2025")
    response = login(cast.manager_a).post(
        url("node_laws_edit", cast.unit_a.pk),
        {f"applies_{sol.pk}": "on", f"comment_{sol.pk}": "x" * 300},
    )
    assert response.status_code == 200
    assert "x" * 300 in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not Applicability.objects.filter(node=cast.unit_a).exists()


def test_department_manager_states_for_the_department(cast, login):
    sol = reg("sol-2025")
    response = login(cast.parent_manager).post(
        url("node_laws_edit", cast.dept.pk), {f"applies_{sol.pk}": "on"}
    )
    assert response.status_code == 302
    assert Applicability.objects.filter(node=cast.dept, regulation=sol).exists()


# --- Access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(cast, client):
    regulation = reg("sol-2025")
    for target in (
        url("register"),
        url("regulation_detail", regulation.pk),
        url("regulation_create"),
        url("regulation_edit", regulation.pk),
        url("my_units"),
        url("coverage"),
        url("node_laws", cast.unit_a.pk),
        url("node_laws_edit", cast.unit_a.pk),
    ):
        response = client.get(target)
        assert response.status_code == 302, target
        assert reverse("login") in response.url, target


def test_outsider_and_other_root_cannot_reach_a_units_laws(cast, login):
    for user in (cast.outsider, cast.other_root):
        client = login(user)
        for name in ("node_laws", "node_laws_edit"):
            response = client.get(url(name, cast.unit_a.pk))
            assert response.status_code in (403, 404), (user, name)
        response = client.post(url("node_laws_edit", cast.unit_a.pk), {})
        assert response.status_code in (403, 404)
    # other_root holds legal.view, so it is a 404 (no leak), not a 403.
    client = login(cast.other_root)
    assert client.get(url("node_laws", cast.unit_a.pk)).status_code == 404
    assert client.get(url("node_laws_edit", cast.unit_a.pk)).status_code == 404
    assert client.get(url("node_laws", 999999)).status_code == 404
    # The outsider holds no key at all.
    client = login(cast.outsider)
    for target in (url("register"), url("coverage"), url("regulation_detail", reg("lss").pk)):
        assert client.get(target).status_code == 403
    assert not Applicability.objects.exists()


def test_sibling_unit_sees_neither_the_other_units_laws_nor_its_statements(cast, login):
    lss = reg("lss")
    state_applicability(cast.unit_a, [lss.pk], actor=cast.manager_a)
    state_applicability(cast.unit_b, [lss.pk], actor=cast.parent_manager)
    client = login(cast.sibling)
    assert client.get(url("node_laws", cast.unit_a.pk)).status_code == 404
    assert client.get(url("node_laws", cast.unit_b.pk)).status_code == 200
    response = client.get(url("regulation_detail", lss.pk))
    assert response.status_code == 200
    assert [s.node for s in response.context["statements"]] == [cast.unit_b]
    coverage_nodes = [row.node for row in client.get(url("coverage")).context["rows"]]
    assert coverage_nodes == [cast.unit_b]


def test_staff_cannot_state_laws(cast, login):
    sol = reg("sol-2025")
    client = login(cast.same_unit)
    assert client.get(url("node_laws_edit", cast.unit_a.pk)).status_code == 403
    response = client.post(url("node_laws_edit", cast.unit_a.pk), {f"applies_{sol.pk}": "on"})
    assert response.status_code == 403
    assert not Applicability.objects.exists()


def test_unit_manager_cannot_state_for_the_sibling_unit_or_the_department(cast, login):
    client = login(cast.manager_a)
    assert client.get(url("node_laws_edit", cast.unit_b.pk)).status_code == 404
    assert client.get(url("node_laws_edit", cast.dept.pk)).status_code == 404


def test_only_register_managers_edit_the_register(cast, login):
    regulation = reg("sosfs-2011-5")
    for user in (cast.same_unit, cast.manager_a, cast.parent_manager):
        client = login(user)
        assert client.get(url("regulation_create")).status_code == 403
        assert client.get(url("regulation_edit", regulation.pk)).status_code == 403
        assert client.post(url("regulation_create"), {"name": "X"}).status_code == 403
    assert login(cast.quality).get(url("regulation_create")).status_code == 200
    assert login(cast.quality).get(url("regulation_edit", regulation.pk)).status_code == 200
    assert login(cast.quality).get(url("regulation_edit", 999999)).status_code == 404


# --- Coverage --------------------------------------------------------------------------------


def test_coverage_marks_units_where_nothing_is_stated(cast, login):
    state_applicability(cast.unit_a, [reg("lss").pk, reg("sol-2025").pk], actor=cast.manager_a)
    response = login(cast.parent_manager).get(url("coverage"))
    assert response.status_code == 200
    rows = {row.node: row for row in response.context["rows"]}
    assert set(rows) == {cast.dept, cast.unit_a, cast.unit_b, cast.provider_node}
    assert rows[cast.unit_a].stated_here == 2
    assert not rows[cast.unit_a].nothing_stated
    assert rows[cast.unit_b].nothing_stated
    html = response.content.decode()
    assert f'class="coverage-row coverage-row--missing" data-node="{cast.unit_b.pk}"' in html
    assert f'class="coverage-row" data-node="{cast.unit_a.pk}"' in html
    assert "nothing-stated" in html

    only_missing = login(cast.parent_manager).get(url("coverage"), {"missing": "on"})
    nodes = [row.node for row in only_missing.context["rows"]]
    assert cast.unit_b in nodes
    assert cast.unit_a not in nodes


def test_coverage_counts_inherited_laws(cast):
    state_applicability(cast.dept, [reg("sol-2025").pk], actor=cast.parent_manager)
    rows = {row.node: row for row in coverage_for(cast.parent_manager)}
    assert rows[cast.dept].stated_here == 1
    assert rows[cast.unit_b].inherited == 1
    assert not rows[cast.unit_b].nothing_stated
    assert rows[cast.unit_b].not_in_force == 0
    Applicability.objects.create(node=cast.unit_b, regulation=reg("sol-2001"))
    rows = {row.node: row for row in coverage_for(cast.parent_manager)}
    assert rows[cast.unit_b].not_in_force == 1


def test_coverage_query_count_does_not_grow_with_units(cast, login, django_assert_max_num_queries):
    sol, lss = reg("sol-2025"), reg("lss")
    state_applicability(cast.dept, [sol.pk], actor=cast.parent_manager)
    for i in range(12):
        unit = create_node(actor=None, kind=NodeKind.UNIT, name=f"Enhet {i}", parent=cast.dept)
        if i % 2:
            state_applicability(unit, [lss.pk], actor=cast.parent_manager)
    client = login(cast.parent_manager)
    with django_assert_max_num_queries(8):
        response = client.get(url("coverage"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 16


def test_my_units_lists_the_laws_of_my_unit(cast, login):
    state_applicability(cast.dept, [reg("sol-2025").pk], actor=cast.parent_manager)
    state_applicability(cast.unit_a, [reg("lss").pk], actor=cast.manager_a)
    response = login(cast.same_unit).get(url("my_units"))
    assert response.status_code == 200
    (unit,) = response.context["units"]
    assert unit["node"] == cast.unit_a
    assert {law.regulation.code for law in unit["laws"]} == {"sol-2025", "lss"}
    assert not unit["can_edit"]
    sibling = login(cast.sibling).get(url("my_units"))
    (unit,) = sibling.context["units"]
    assert unit["node"] == cast.unit_b
    assert {law.regulation.code for law in unit["laws"]} == {"sol-2025"}
    outsider = login(cast.outsider).get(url("my_units"))
    assert outsider.status_code == 200
    assert outsider.context["units"] == []


# --- The register ------------------------------------------------------------------------------


def test_register_filters(cast, login):
    client = login(cast.same_unit)
    codes = {r.code for r in client.get(url("register")).context["regulations"]}
    assert "sol-2025" in codes
    assert "sol-2001" not in codes  # not in force today
    codes = {r.code for r in client.get(url("register"), {"status": "all"}).context["regulations"]}
    assert {"sol-2001", "sosfs-2006-11", "sol-2025"} <= codes
    codes = {r.code for r in client.get(url("register"), {"kind": "eu"}).context["regulations"]}
    assert codes == {"gdpr"}
    codes = {r.code for r in client.get(url("register"), {"q": "2011:9"}).context["regulations"]}
    assert codes == {"sosfs-2011-9"}
    codes = {
        r.code
        for r in client.get(url("register"), {"q": "sol", "status": "all"}).context["regulations"]
    }
    assert {"sol-2001", "sol-2025"} <= codes


def test_register_query_count(cast, login, django_assert_max_num_queries):
    reg("sol-2025").sections.filter(reference="34 kap 1–3 §§").update(verified=False)
    client = login(cast.same_unit)
    with django_assert_max_num_queries(7):
        response = client.get(url("register"), {"status": "all"})
    assert response.status_code == 200
    assert len(response.context["regulations"]) >= 15
    assert "unverified" in response.content.decode()


def test_regulation_detail_warns_about_unverified_sections(cast, login):
    new_sol = reg("sol-2025")
    new_sol.sections.filter(reference__in=["34 kap 1–3 §§", "5 kap 1–2 §§"]).update(verified=False)
    response = login(cast.same_unit).get(url("regulation_detail", new_sol.pk))
    assert response.status_code == 200
    html = response.content.decode()
    unverified = new_sol.sections.filter(verified=False).count()
    assert unverified == 2
    assert html.count("section-row--unverified") == unverified
    assert f'href="{url("regulation_detail", reg("sol-2001").pk)}"' in html  # replaces
    old = login(cast.same_unit).get(url("regulation_detail", reg("sol-2001").pk)).content.decode()
    assert 'id="not-in-force"' in old
    assert f'href="{url("regulation_detail", new_sol.pk)}"' in old  # replaced by
    assert login(cast.same_unit).get(url("regulation_detail", 999999)).status_code == 404


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def regulation_data(**overrides):
    data = {
        "short_name": "PDL",
        "name": "Patientdatalag",
        "number": "SFS 2008:355",
        "kind": "law",
        "valid_from": "2008-07-01",
        "valid_until": "",
        "replaced_by": "",
        "notes": "",
        **management("sections", 2),
        "sections-0-reference": "3 kap",
        "sections-0-topic": "Skyldighet att föra patientjournal",
        "sections-0-valid_from": "",
        "sections-0-valid_until": "",
        "sections-0-verified": "on",
        "sections-1-reference": "",
        "sections-1-topic": "",
        "sections-1-valid_from": "",
        "sections-1-valid_until": "",
    }
    data.update(overrides)
    return data


def test_create_regulation_with_sections(cast, login):
    response = login(cast.quality).post(url("regulation_create"), regulation_data())
    assert response.status_code == 302
    regulation = Regulation.objects.get(number="SFS 2008:355")
    assert response.url == url("regulation_detail", regulation.pk)
    assert regulation.code == "sfs-2008-355"
    assert regulation.short_name == "PDL"
    assert list(regulation.sections.values_list("reference", "verified")) == [("3 kap", True)]
    event = events("legal.regulation_created").get(object_id=str(regulation.pk))
    assert event.actor == cast.quality


def test_invalid_regulation_form_keeps_typed_data(cast, login):
    data = regulation_data(
        name="Patientdatalag (ny)",
        valid_from="2020-01-01",
        valid_until="2019-01-01",
        **{"sections-1-topic": "Sammanhållen journalföring", "sections-1-reference": ""},
    )
    response = login(cast.quality).post(url("regulation_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Patientdatalag (ny)" in html
    assert "Sammanhållen journalföring" in html
    assert "error-summary" in html
    assert response.context["form"].errors["valid_until"]
    assert response.context["formset"].forms[1].errors["reference"]
    assert not Regulation.objects.filter(number="SFS 2008:355").exists()
    assert not events("legal.regulation_created").exists()


def test_duplicate_number_is_refused(cast, login):
    response = login(cast.quality).post(
        url("regulation_create"), regulation_data(number="SOSFS 2011:9")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert Regulation.objects.filter(number="SOSFS 2011:9").count() == 1


def test_edit_regulation_updates_adds_and_removes_sections(cast, login):
    new_sol = reg("sol-2025")
    # The retention rules cite a section of the new SoL of their own; this test edits the three
    # sections the register seeds.
    RetentionRule.objects.update(section=None)
    new_sol.sections.exclude(
        reference__in=["27 kap 2–6 §§", "34 kap 1–3 §§", "5 kap 1–2 §§"]
    ).delete()
    first, second, third = new_sol.sections.all()
    data = {
        "short_name": "SoL",
        "name": new_sol.name,
        "number": new_sol.number,
        "kind": "law",
        "valid_from": "2025-07-01",
        "valid_until": "",
        "replaced_by": "",
        "notes": "Kontrollerad.",
        **management("sections", 5, initial=3),
    }
    for i, section in enumerate((first, second, third)):
        data.update(
            {
                f"sections-{i}-id": str(section.pk),
                f"sections-{i}-reference": section.reference,
                f"sections-{i}-topic": section.topic,
                f"sections-{i}-valid_from": "2025-07-01",
                f"sections-{i}-valid_until": "",
            }
        )
    data["sections-0-reference"] = "X kap 1 §"
    data["sections-0-verified"] = "on"
    data["sections-2-DELETE"] = "on"
    data["sections-3-reference"] = "Y kap 2 §"
    data["sections-3-topic"] = "Nytt avsnitt"
    data["sections-3-verified"] = "on"
    response = login(cast.quality).post(url("regulation_edit", new_sol.pk), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    new_sol.refresh_from_db()
    assert new_sol.notes == "Kontrollerad."
    rows = list(new_sol.sections.values_list("pk", "reference", "verified", "order"))
    assert rows == [
        (first.pk, "X kap 1 §", True, 0),
        (second.pk, second.reference, False, 1),
        (rows[2][0], "Y kap 2 §", True, 2),
    ]
    assert not RegulationSection.objects.filter(pk=third.pk).exists()
    assert events("legal.regulation_updated").filter(object_id=str(new_sol.pk)).count() == 1


def test_regulation_cannot_be_replaced_by_itself(cast, login):
    lss = reg("lss")
    data = regulation_data(
        short_name="LSS",
        name=lss.name,
        number=lss.number,
        replaced_by=str(lss.pk),
        **management("sections", 0),
    )
    response = login(cast.quality).post(url("regulation_edit", lss.pk), data)
    assert response.status_code == 200
    lss.refresh_from_db()
    assert lss.replaced_by is None
