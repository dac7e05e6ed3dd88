"""Import of existing routines: real PDF and Word files with an index, including bad rows.

The documents are in tests/fixtures/routines/ (made by make.py there). The unit manager of
Enhet A imports; the report is checked row by row.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Event
from legal.models import RegulationSection
from routines.importing.importer import ALREADY, IMPORTED, REJECTED, run_import
from routines.importing.legal import LegalMatcher
from routines.models import Routine, VersionState

FIXTURES = Path(__file__).parent / "fixtures" / "routines"
HEADER = [
    "Filnamn",
    "Titel",
    "Enhet",
    "Ägare",
    "Roller",
    "Lagrum",
    "Granskningsintervall",
    "Fastställd_av",
    "Fastställd_datum",
    "Gäller_från",
    "Kvittens",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # The imported documents are stored: keep them out of the development media folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def index_rows(cast):
    approved = ("Enhetschef Maja Chef", "2024-03-15", "2024-04-01")
    return [
        # 2: good, PDF; two legal references, in force on the effective date
        [
            "avvikelsehantering.pdf",
            "Rutin för avvikelsehantering",
            "Enhet A",
            "manager_a",
            "Medarbetare",
            "SoL 14 kap 2 §; SOSFS 2011:9 5 kap 4 §",
            "24",
            *approved,
            "ja",
        ],
        # 3: good, Word; unit in other case, owner by e-mail, defaults for the rest; the
        # old law's section is not in force on the default effective date (today): a warning
        [
            "lakemedelshantering.docx",
            "Läkemedelshantering",
            "enhet a",
            "manager_a@cast.test",
            "",
            "SoL 14 kap 2 §",
            "",
            "Enhetschef Maja Chef",
            "2024-01-10",
            "",
            "",
        ],
        # 4: unknown unit and unknown owner
        [
            "nyckelhantering.docx",
            "Nyckelhantering",
            "Enhet Ö",
            "ingen.alls",
            "",
            "",
            "",
            *approved,
            "ja",
        ],
        # 5: a unit outside the importer's units
        [
            "brandskydd.pdf",
            "Rutin för brandskydd",
            "Enhet B",
            "manager_a",
            "",
            "",
            "",
            *approved,
            "nej",
        ],
        # 6: the file was not uploaded
        ["saknas.pdf", "Rutin som saknas", "Enhet A", "manager_a", "", "", "", *approved, ""],
        # 7: a "PDF" that is text
        ["trasig.pdf", "Trasig rutin", "Enhet A", "manager_a", "", "", "", *approved, ""],
        # 8: a bad date and an unknown role
        [
            "lex-sarah.pdf",
            "Rutin för lex Sarah",
            "Enhet A",
            "manager_a",
            "Trollkarl",
            "",
            "",
            "Enhetschef Maja Chef",
            "15 mars",
            "",
            "",
        ],
    ]


UPLOADED = [
    "avvikelsehantering.pdf",
    "lakemedelshantering.docx",
    "nyckelhantering.docx",
    "brandskydd.pdf",
    "trasig.pdf",
    "lex-sarah.pdf",
    "samverkan-utskrivning.docx",  # named by no row
]


def documents():
    return [SimpleUploadedFile(name, (FIXTURES / name).read_bytes()) for name in UPLOADED]


def csv_index(cast, delimiter=";", bom=True):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(index_rows(cast))
    text = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile("index.csv", text.encode("utf-8"), content_type="text/csv")


def xlsx_index(cast):
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([h.upper() for h in HEADER])
    for row in index_rows(cast):
        # Dates as real Excel dates where the row has a good one.
        sheet.append(
            [
                datetime.date.fromisoformat(v) if isinstance(v, str) and v[:2] == "20" else v
                for v in row
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("index.xlsx", out.getvalue())


def by_row(report):
    return {r.row: r for r in report.rows}


def check_report(report):
    rows = by_row(report)
    assert {n: r.status for n, r in rows.items()} == {
        2: IMPORTED,
        3: IMPORTED,
        4: REJECTED,
        5: REJECTED,
        6: REJECTED,
        7: REJECTED,
        8: REJECTED,
    }
    assert rows[2].warnings == []
    assert len(rows[3].warnings) == 1 and "SoL 14 kap 2 §" in rows[3].warnings[0]
    assert rows[4].reasons == [
        "okänd enhet ”Enhet Ö” (ange enhetens kod eller exakta namn)",
        "okänd ägare ”ingen.alls” (ange användarnamn eller e-postadress för ett aktivt konto)",
    ]
    assert rows[5].reasons == ["du får inte importera rutiner för ”Enhet B” (utanför dina enheter)"]
    assert rows[6].reasons == ["filen ”saknas.pdf” finns inte bland de uppladdade filerna"]
    # The reason is the text reader's own message about the file (routines/text.py).
    assert len(rows[7].reasons) == 1 and "trasig.pdf" in rows[7].reasons[0]
    assert rows[8].reasons == [
        "okänd roll ”Trollkarl”",
        "”15 mars” i fastställd_datum är inget datum (skriv det som 2024-03-15)",
    ]
    assert report.unlisted_files == ["samverkan-utskrivning.docx"]


@pytest.mark.parametrize("make_index", [csv_index, xlsx_index], ids=["csv", "xlsx"])
def test_import_reports_every_row_and_publishes_the_good_ones(cast, make_index):
    report = run_import(actor=cast.manager_a, index_file=make_index(cast), files=documents())
    check_report(report)
    assert Routine.objects.count() == 2
    deviation_routine = Routine.objects.get(title="Rutin för avvikelsehantering")
    version = deviation_routine.current_version
    assert version.state == VersionState.PUBLISHED
    assert version.approved_as == "Enhetschef Maja Chef"
    assert str(version.effective_from) == "2024-04-01"
    assert deviation_routine.review_interval_months == 24
    assert list(deviation_routine.roles.values_list("code", flat=True)) == ["staff_member"]
    assert set(deviation_routine.legal_sections.values_list("reference", flat=True)) == {
        "14 kap 2–7 §§",
        "5 kap 4–5 §§",
    }
    # The words of the documents are in the searchable text.
    assert "dosett är orörd" in version.search_text
    word_version = Routine.objects.get(title="Läkemedelshantering").current_version
    assert "signeringslistan" in word_version.search_text
    assert word_version.routine.owner == cast.manager_a
    assert word_version.routine.requires_acknowledgment is True
    assert word_version.routine.review_interval_months == 12
    event = Event.objects.get(verb="routines.import_run")
    assert event.params["imported"] == "2" and event.params["rejected"] == "5"


def test_imported_text_is_found_by_search(cast):
    from routines.search import search

    run_import(actor=cast.manager_a, index_file=csv_index(cast), files=documents())
    found = search(Routine.objects.all(), "signeringslistan")
    assert [r.title for r in found] == ["Läkemedelshantering"]


def test_a_second_import_of_the_same_batch_duplicates_nothing(cast):
    run_import(actor=cast.manager_a, index_file=csv_index(cast), files=documents())
    again = run_import(
        actor=cast.manager_a,
        index_file=csv_index(cast, delimiter=",", bom=False),
        files=documents(),
    )
    rows = by_row(again)
    assert rows[2].status == rows[3].status == ALREADY
    assert rows[2].routine.title == "Rutin för avvikelsehantering"
    assert Routine.objects.count() == 2
    assert again.rejected and all(r.row >= 4 for r in again.rejected)


def test_same_title_with_another_document_is_refused(cast):
    run_import(actor=cast.manager_a, index_file=csv_index(cast), files=documents())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerow(
        [
            "brandskydd.pdf",
            "Rutin för avvikelsehantering",
            "Enhet A",
            "manager_a",
            "",
            "",
            "",
            "Enhetschef Maja Chef",
            "2024-03-15",
            "",
            "",
        ]
    )
    index = SimpleUploadedFile("index.csv", out.getvalue().encode("utf-8"))
    files = [SimpleUploadedFile("brandskydd.pdf", (FIXTURES / "brandskydd.pdf").read_bytes())]
    report = run_import(actor=cast.manager_a, index_file=index, files=files)
    [row] = report.rows
    assert row.status == REJECTED
    assert "finns redan" in row.reasons[0]
    assert Routine.objects.count() == 2


def test_the_page_imports_and_shows_the_report(cast, login):
    client = login(cast.manager_a)
    assert client.get(reverse("routines:import")).status_code == 200
    response = client.post(
        reverse("routines:import"), {"index": csv_index(cast), "documents": documents()}
    )
    assert response.status_code == 200
    page = response.content.decode()
    routine = Routine.objects.get(title="Läkemedelshantering")
    assert f'href="{routine.get_absolute_url()}"' in page
    assert "samverkan-utskrivning.docx" in page
    assert "Okänd enhet ”Enhet Ö”" in page
    assert response.context["report"].rejected[0].row == 4


def test_a_broken_index_imports_nothing_and_says_why(cast, login):
    client = login(cast.manager_a)
    index = SimpleUploadedFile("index.csv", b"Titel;Enhet\nX;Enhet A\n")
    response = client.post(reverse("routines:import"), {"index": index, "documents": documents()})
    assert response.status_code == 400
    assert "saknar kolumnen/kolumnerna filnamn, ägare" in response.content.decode()
    assert not Routine.objects.exists()


def test_people_without_routines_manage_are_refused(cast, login):
    for who in (cast.same_unit, cast.sibling, cast.outsider):
        client = login(who)
        assert client.get(reverse("routines:import")).status_code == 403
        response = client.post(
            reverse("routines:import"), {"index": csv_index(cast), "documents": documents()}
        )
        assert response.status_code == 403
        assert client.get(reverse("routines:import_template", args=["csv"])).status_code == 403
    assert not Routine.objects.exists()


def test_example_index_downloads_and_reads_back(cast, login):
    from routines.importing.index import read_index

    client = login(cast.manager_a)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("routines:import_template", args=[fmt]))
        assert response.status_code == 200
        upload = SimpleUploadedFile(f"exempel.{fmt}", response.content)
        index = read_index(upload, upload.name)
        [(number, row)] = index.rows
        assert number == 2
        assert row["title"] == "Rutin för brandskydd" and row["owner"] == "manager_a"
    assert client.get(reverse("routines:import_template", args=["pdf"])).status_code == 404


def test_too_many_documents_are_refused_before_reading(cast, login):
    client = login(cast.manager_a)
    files = [SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4") for i in range(51)]
    response = client.post(
        reverse("routines:import"), {"index": csv_index(cast), "documents": files}
    )
    assert response.status_code == 400
    assert "högst 50 dokument" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SoL 14 kap 2 §", "14 kap 2–7 §§"),
        ("socialtjänstlagen (2001:453) 14 kap. 5 §§", "14 kap 2–7 §§"),
        ("LSS 24 c §", "24 a–f §§"),
        ("SOSFS 2011:9 4 kap 5-6 §§", "4 kap 5–6 §§"),
        ("SOSFS 2011:9 3 kap", "3 kap"),
        ("GDPR art. 33", "artikel 33"),
        ("HSL 5 kap 4 §", "5 kap 4 §"),
    ],
)
def test_legal_references_match_the_register(db, text, expected):
    import datetime

    match = LegalMatcher().match(text, datetime.date(2024, 1, 1))
    assert match.errors == []
    assert [s.reference for s in match.sections] == [expected]


@pytest.mark.parametrize("text", ["SoL 14 kap", "LSS 24 §", "Okänd lag 3 §", "PSL 9 kap 1 §"])
def test_legal_references_outside_the_register_are_refused(db, text):
    import datetime

    match = LegalMatcher().match(text, datetime.date(2024, 1, 1))
    assert match.sections == [] and len(match.errors) == 1
    assert RegulationSection.objects.exists()


def test_demo_routines_and_processes_load_twice(db):
    from deviations.demo import load_demo_deviations
    from organisation.demo import load_demo
    from processes.demo import load_demo_processes
    from processes.models import Activity, Collaboration, Process
    from routines.demo import load_demo_routines
    from routines.models import Reviewer

    load_demo()
    load_demo_deviations()
    first = load_demo_routines()
    load_demo_processes()
    counts = (Routine.objects.count(), Process.objects.count(), Activity.objects.count())
    assert load_demo_routines().keys() == first.keys()
    load_demo_processes()
    assert (Routine.objects.count(), Process.objects.count(), Activity.objects.count()) == counts
    states = {r.title: r.versions.get().state for r in Routine.objects.all()}
    assert list(states.values()).count(VersionState.PUBLISHED) == 7
    assert states["Brandskydd"] == VersionState.REVIEW
    assert states["Dokumentation i genomförandeplan"] == VersionState.DRAFT
    assert Reviewer.objects.get().user.username == "kalle"
    assert [r.title for r in Routine.objects.all() if r.review_overdue()] == ["Nyckelhantering"]
    assert set(Collaboration.objects.values_list("kind", flat=True)) == {
        "region",
        "social_insurance",
        "school",
        "police",
    }
