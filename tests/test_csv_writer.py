"""Every CSV goes through core/csv.py, which neutralises formulas (issue 8, point 10)."""

import ast
import csv
import io
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from core.csv import safe_cell, writer
from deviations import services

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "static", ".git", "bench"}


def test_formula_cells_get_an_apostrophe_and_numbers_stay_numbers():
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    for text in ("+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-cmd|' /C calc'!A0"):
        assert safe_cell(text) == "'" + text
    assert safe_cell(-5) == -5
    assert safe_cell("-5") == "-5"
    assert safe_cell("-1,5") == "-1,5"
    assert safe_cell(None) == ""
    assert safe_cell("Enhet A") == "Enhet A"


def test_streaming_and_file_writers_use_semicolons():
    line = writer().writerow(["a", "=1+1", 3])
    assert line == "a;'=1+1;3\r\n"
    out = io.StringIO()
    writer(out).writerows([["x", "@y"]])
    assert out.getvalue() == "x;'@y\r\n"


def _app_files():
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & SKIPPED_DIRS or path == ROOT / "core" / "csv.py":
            continue
        yield path


def _uses_csv_writer(tree):
    names = ("writer", "DictWriter")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in names
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "csv"
            and any(alias.name in names for alias in node.names)
        ):
            return True
    return False


def test_no_app_code_writes_csv_past_the_one_writer():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _app_files()
        if _uses_csv_writer(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], f"write CSV with core.csv.writer instead: {offenders}"


def test_the_check_finds_a_direct_writer():
    assert _uses_csv_writer(ast.parse("import csv\nw = csv.writer(out)"))
    assert _uses_csv_writer(ast.parse("from csv import DictWriter"))
    assert not _uses_csv_writer(ast.parse("from core.csv import writer"))


def test_a_unit_named_as_a_formula_is_neutralised_in_the_statistics_csv(cast, login):
    evil = '=HYPERLINK("http://evil.test","Klicka")'
    cast.unit_a.name = evil
    cast.unit_a.save(update_fields=["name"])
    services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now(),
        description="Fall i korridoren",
        immediate_action="Hjälpte upp",
        service_user_affected="yes",
    )
    today = timezone.localdate().isoformat()
    response = login(cast.quality).get(
        reverse("analysis:statistics_csv"), {"period_from": today, "period_to": today}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8").lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'" + evil in cells
    assert evil not in cells
