"""The law a case cites: in force on the case's date, for the law areas of the case's unit
(issue 10, point 1). legal/citations.py picks; the case page, triage, the notification packages
and the reminder e-mails all call it, and the register is the only source."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from deviations import services
from deviations.authority import packages
from deviations.authority import services as ns
from deviations.citations import CaseLaw
from deviations.clock_reminders import render_reminder
from deviations.investigation import services as investigation_services
from deviations.models import Clock, Deviation, Track
from legal.citations import law_areas_for, references_for
from legal.models import LawArea, Regulation, RegulationSection
from legal.rules import TrackKind
from legal.seed import ensure_register
from legal.services import state_applicability
from notifications.models import ReminderKind

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DECEMBER_2026 = datetime(2026, 12, 1, 9, 30, tzinfo=STOCKHOLM)
MAY_2024 = datetime(2024, 5, 14, 9, 30, tzinfo=STOCKHOLM)

NEW_SOL = "SoL (2025:400) 27 kap 2–6 §§"
OLD_SOL = "SoL (2001:453) 14 kap 2–7 §§"
LSS = "LSS (1993:387) 24 a–f §§"


def compare(reference, counterpart):
    """The citation of a section with its counterpart, in the catalogue's words ("jfr")."""
    with translation.override("sv"):
        return _("%(reference)s, compare %(counterpart)s") % {
            "reference": reference,
            "counterpart": counterpart,
        }


def section(code, reference):
    return RegulationSection.objects.get(regulation__code=code, reference=reference)


def states(node, *codes, actor):
    ids = Regulation.objects.filter(code__in=codes).values_list("pk", flat=True)
    state_applicability(node, ids, actor=actor)


def lex_sarah_case(cast, unit, reported_at, serious=True):
    reporter = cast.same_unit if unit == cast.unit_a else cast.sibling
    deviation = services.report(
        actor=reporter,
        unit=unit,
        occurred_at=reported_at - timedelta(hours=2),
        reported_at=reported_at,
        description="Brukaren fick inte sin insats under kvällen.",
        immediate_action="Samtal med brukaren.",
        service_user_affected="yes",
    )
    (track,) = services.triage(deviation, actor=cast.parent_manager, kinds=[TrackKind.LEX_SARAH])
    track = investigation_services.move_track(track, "start_investigation", actor=cast.quality)
    if serious:
        investigation_services.decide_serious(track, True, actor=cast.quality)
    return Track.objects.select_related("deviation__unit").get(pk=track.pk)


def ivo_package(cast, track):
    notification, _created = ns.create_notification(track, "ivo_lex_sarah", actor=cast.quality)
    word = docx.Document(io.BytesIO(packages.render_docx_package(notification)))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    pdf = PdfReader(io.BytesIO(packages.render_pdf_package(notification)))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    return "\n".join(parts), pdf_text


def case_page(client, deviation):
    response = client.get(reverse("deviations:detail", args=[deviation.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- The three cases of the check ------------------------------------------------------------


def test_a_2026_case_at_a_sol_unit_cites_sol_2025_400_27_kap(cast, login):
    states(cast.unit_a, "sol-2025", "sosfs-2011-9", actor=cast.quality)
    track = lex_sarah_case(cast, cast.unit_a, DECEMBER_2026)
    assert [str(c) for c in CaseLaw(track.deviation).track(TrackKind.LEX_SARAH)] == [NEW_SOL]

    html = case_page(login(cast.parent_manager), track.deviation)
    assert NEW_SOL in html
    for wrong in ("14 kap", "24 a–f", "ej verifierat", "2001:453"):
        assert wrong not in html

    word, pdf = ivo_package(cast, track)
    assert NEW_SOL in word and NEW_SOL in pdf
    for wrong in ("14 kap", "24 a–f", "ej verifierat"):
        assert wrong not in word and wrong not in pdf


def test_a_2026_case_at_an_lss_unit_cites_lss_24(cast, login):
    states(cast.unit_b, "lss", actor=cast.quality)
    track = lex_sarah_case(cast, cast.unit_b, DECEMBER_2026)
    html = case_page(login(cast.parent_manager), track.deviation)
    assert LSS in html
    assert "27 kap" not in html and "14 kap" not in html and "SoL (" not in html
    word, pdf = ivo_package(cast, track)
    assert LSS in word and LSS in pdf
    assert "27 kap" not in word + pdf and "2025:400" not in word + pdf


def test_a_2024_case_cites_sol_2001_453_14_kap(cast, login):
    states(cast.unit_a, "sol-2025", actor=cast.quality)  # stated today, the new law
    track = lex_sarah_case(cast, cast.unit_a, MAY_2024)
    html = case_page(login(cast.parent_manager), track.deviation)
    assert OLD_SOL in html
    assert "27 kap" not in html and "2025:400" not in html
    word, pdf = ivo_package(cast, track)
    assert OLD_SOL in word and OLD_SOL in pdf and "27 kap" not in word


def test_the_changeover_day_is_the_new_law(cast):
    areas = {LawArea.SOL}
    assert [str(c) for c in references_for("lex_sarah", areas, datetime(2025, 6, 30).date())] == [
        OLD_SOL
    ]
    assert [str(c) for c in references_for("lex_sarah", areas, datetime(2025, 7, 1).date())] == [
        NEW_SOL
    ]


# --- Several law areas, none stated ----------------------------------------------------------


def test_a_unit_under_sol_and_lss_cites_both(cast, login):
    states(cast.dept, "sol-2025", actor=cast.quality)  # inherited by the units below
    states(cast.unit_a, "lss", actor=cast.quality)
    assert law_areas_for(cast.unit_a) == {LawArea.SOL, LawArea.LSS}
    track = lex_sarah_case(cast, cast.unit_a, DECEMBER_2026)
    html = case_page(login(cast.parent_manager), track.deviation)
    assert f"{NEW_SOL}; {LSS}" in html
    assert "references-assumed" not in html
    word, _pdf = ivo_package(cast, track)
    assert f"{NEW_SOL}; {LSS}" in word


def test_a_unit_that_stated_nothing_cites_every_area_and_says_so(cast, login):
    track = lex_sarah_case(cast, cast.unit_a, DECEMBER_2026)
    citations = CaseLaw(track.deviation).track(TrackKind.LEX_SARAH)
    assert [str(c) for c in citations] == [NEW_SOL, LSS] and citations.assumed
    html = case_page(login(cast.parent_manager), track.deviation)
    assert "references-assumed" in html


def test_a_track_of_one_law_area_cites_it_whatever_the_unit_states(cast):
    states(cast.unit_a, "sol-2025", actor=cast.quality)
    on = DECEMBER_2026.date()
    maria = references_for("lex_maria", law_areas_for(cast.unit_a), on)
    assert [str(c) for c in maria] == ["PSL (2010:659) 3 kap 5 §", "PSL (2010:659) 6 kap 4 §"]
    assert not maria.assumed
    breach = references_for("data_breach", law_areas_for(cast.unit_a), on)
    assert [str(c) for c in breach] == ["GDPR artikel 33", "GDPR artikel 34"]


# --- The clocks and the reminder e-mail ------------------------------------------------------


def test_the_clocks_cite_the_law_of_the_case(cast, login, settings):
    settings.SITE_URL = "https://hjulet.example.se"
    states(cast.unit_b, "lss", actor=cast.quality)
    states(cast.unit_a, "sol-2025", actor=cast.quality)
    lss_case = lex_sarah_case(cast, cast.unit_b, DECEMBER_2026)
    old_case = lex_sarah_case(cast, cast.unit_a, MAY_2024)
    for track, expected in ((lss_case, LSS), (old_case, OLD_SOL)):
        clocks = CaseLaw(track.deviation).mark_clocks(Clock.objects.filter(track=track))
        assert clocks and {c.legal_reference for c in clocks} == {expected}
        clock = clocks[0]
        _subject, body = render_reminder(clock, ReminderKind.BEFORE, _Nobody())
        assert f"({expected})" in body
    html = case_page(login(cast.parent_manager), lss_case.deviation)
    assert f'<span class="muted legal-reference">({LSS})</span>' in html
    assert "(SoL" not in html
    assert not mail.outbox  # rendering sends nothing


class _Nobody:
    people = []


# --- Unverified sections, corrections --------------------------------------------------------


def test_an_unverified_section_is_never_cited(cast, login):
    states(cast.unit_a, "sol-2025", actor=cast.quality)
    RegulationSection.objects.filter(pk=section("sol-2025", "27 kap 2–6 §§").pk).update(
        reference="(ej verifierat) lex Sarah", verified=False
    )
    track = lex_sarah_case(cast, cast.unit_a, DECEMBER_2026)
    assert list(CaseLaw(track.deviation).track(TrackKind.LEX_SARAH)) == []
    client = login(cast.parent_manager)
    html = case_page(client, track.deviation)
    assert "ej verifierat" not in html
    word, pdf = ivo_package(cast, track)
    assert "ej verifierat" not in word and "ej verifierat" not in pdf
    # The register says so where the section is kept.
    register = client.get(
        reverse("legal:regulation_detail", args=[Regulation.objects.get(code="sol-2025").pk])
    ).content.decode()
    assert "section-row--unverified" in register and 'id="citation-rule"' in register


def test_a_correction_in_the_register_changes_the_case_page_and_the_package(cast, login):
    states(cast.unit_a, "sol-2025", actor=cast.quality)
    track = lex_sarah_case(cast, cast.unit_a, DECEMBER_2026)
    client = login(cast.parent_manager)
    assert NEW_SOL in case_page(client, track.deviation)
    word, _pdf = ivo_package(cast, track)
    assert NEW_SOL in word

    new_sol = Regulation.objects.get(code="sol-2025")
    sections = list(new_sol.sections.all())
    data = {
        "short_name": new_sol.short_name,
        "name": new_sol.name,
        "number": new_sol.number,
        "kind": new_sol.kind,
        "law_area": new_sol.law_area,
        "valid_from": "2025-07-01",
        "valid_until": "",
        "replaced_by": "",
        "notes": new_sol.notes,
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(sections):
        reference = "27 kap 2–7 §§" if row.reference == "27 kap 2–6 §§" else row.reference
        data.update(
            {
                f"sections-{i}-id": str(row.pk),
                f"sections-{i}-reference": reference,
                f"sections-{i}-topic": row.topic,
                f"sections-{i}-valid_from": row.valid_from.isoformat() if row.valid_from else "",
                f"sections-{i}-valid_until": "",
                f"sections-{i}-verified": "on",
                f"sections-{i}-counterpart": "",
            }
        )
    response = login(cast.quality).post(reverse("legal:regulation_edit", args=[new_sol.pk]), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors

    corrected = "SoL (2025:400) 27 kap 2–7 §§"
    html = case_page(login(cast.parent_manager), track.deviation)
    assert corrected in html and NEW_SOL not in html
    word, pdf = ivo_package(cast, track)
    assert corrected in word and corrected in pdf and NEW_SOL not in word
    # The repealed law's section points to the corrected one, too.
    old = section("sol-2001", "14 kap 2–7 §§")
    assert old.counterpart.citation == corrected


# --- SOSFS 2011:9 and its counterpart in SoL 2025:400 ----------------------------------------


def test_sosfs_2011_9_is_cited_with_its_counterpart_in_sol_2025_400(cast, login):
    sosfs = section("sosfs-2011-9", "5 kap 4–5 §§")
    assert sosfs.counterpart == section("sol-2025", "5 kap 1–2 §§")
    with_counterpart = compare("SOSFS 2011:9 5 kap 4–5 §§", "SoL (2025:400) 5 kap 1–2 §§")
    # On a case of today at a SoL unit, and on the register's page.
    states(cast.unit_a, "sol-2025", actor=cast.quality)
    deviation = services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=DECEMBER_2026 - timedelta(hours=1),
        reported_at=DECEMBER_2026,
        description="Fel nyckel i nyckelskåpet.",
        immediate_action="–",
        service_user_affected="no",
    )
    services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.OTHER])
    client = login(cast.manager_a)
    assert with_counterpart in case_page(client, deviation)
    register = client.get(
        reverse("legal:regulation_detail", args=[sosfs.regulation_id])
    ).content.decode()
    assert "SoL (2025:400) 5 kap 1–2 §§" in register
    # Before the new law there was nothing to compare with.
    old = CaseLaw(Deviation(unit=cast.unit_a, reported_at=MAY_2024)).track(TrackKind.OTHER)
    assert [str(c) for c in old] == ["SOSFS 2011:9 5 kap 4–5 §§"]


def test_the_citation_filter_shows_the_counterpart_in_force_today(db):
    from legal.templatetags.legal_tags import citation

    with translation.override("sv"):
        assert citation(section("sosfs-2011-9", "4 kap 5–6 §§")) == compare(
            "SOSFS 2011:9 4 kap 5–6 §§", "SoL (2025:400) 5 kap 1–2 §§"
        )
        assert citation(section("sol-2001", "14 kap 2–7 §§")) == compare(OLD_SOL, NEW_SOL)
    assert citation(section("lss", "24 a–f §§")) == LSS
    # An unverified counterpart is not shown.
    RegulationSection.objects.filter(reference="5 kap 1–2 §§").update(verified=False)
    assert citation(section("sosfs-2011-9", "4 kap 5–6 §§")) == "SOSFS 2011:9 4 kap 5–6 §§"


# --- The seed and the migration of existing registers ----------------------------------------


@pytest.mark.django_db
def test_the_seed_holds_only_verified_sol_2025_400_numbers():
    new_sol = Regulation.objects.get(code="sol-2025")
    assert new_sol.law_area == LawArea.SOL
    assert set(new_sol.sections.values_list("reference", "verified")) >= {
        ("27 kap 2–6 §§", True),
        ("34 kap 1–3 §§", True),
        ("5 kap 1–2 §§", True),
    }
    assert not RegulationSection.objects.filter(reference__contains="ej verifierat").exists()
    assert section("sol-2001", "16 kap 6 f–h §§").counterpart == section(
        "sol-2025", "34 kap 1–3 §§"
    )
    assert {r.law_area for r in Regulation.objects.filter(code__in=["hsl", "psl"])} == {"hsl"}


@pytest.mark.django_db
def test_the_seed_creates_only_what_is_missing_and_keeps_corrections():
    row = section("sol-2025", "27 kap 2–6 §§")
    row.reference = "27 kap 2–7 §§"
    row.save()
    count = RegulationSection.objects.count()
    ensure_register()
    assert RegulationSection.objects.count() == count
    assert not RegulationSection.objects.filter(reference="27 kap 2–6 §§").exists()


@pytest.mark.django_db
def test_the_migration_turns_the_old_placeholders_into_verified_sections():
    migration = __import__(
        "legal.migrations.0004_verified_sol_2025_references", fromlist=["forwards"]
    )
    new_sol = Regulation.objects.get(code="sol-2025")
    lex_sarah = section("sol-2025", "27 kap 2–6 §§")
    edited = section("sol-2025", "34 kap 1–3 §§")
    RegulationSection.objects.filter(pk=lex_sarah.pk).update(
        reference="(ej verifierat) lex Sarah", verified=False
    )
    # An administrator's own wording of a placeholder is left alone.
    RegulationSection.objects.filter(pk=edited.pk).update(reference="34 kap 1 §", verified=True)
    RegulationSection.objects.update(counterpart=None)
    Regulation.objects.filter(pk=new_sol.pk).update(law_area="", notes=migration.OLD_NOTES)

    migration.forwards(django_apps, None)

    lex_sarah.refresh_from_db()
    assert (lex_sarah.reference, lex_sarah.verified) == ("27 kap 2–6 §§", True)
    assert lex_sarah.track_rules.filter(kind="lex_sarah").exists()  # the rule cites it still
    assert section("sol-2025", "34 kap 1 §").pk == edited.pk
    new_sol.refresh_from_db()
    assert new_sol.law_area == "sol" and new_sol.notes == migration.NEW_NOTES
    assert section("sol-2001", "14 kap 2–7 §§").counterpart == lex_sarah
    assert section("sosfs-2011-9", "3 kap").counterpart == section("sol-2025", "5 kap 1–2 §§")
    # Run twice, nothing changes.
    migration.forwards(django_apps, None)
    assert RegulationSection.objects.filter(reference="27 kap 2–6 §§").count() == 1


# --- No placeholder on any demo case page -----------------------------------------------------
