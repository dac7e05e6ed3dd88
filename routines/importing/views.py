"""Import of existing routines: the upload form, the report, and the example index.

The report is the answer to the upload itself (no stored batch): it lists the imported rows
with links, the rejected rows with every reason, and the uploaded files the index did not name.
The work is done in routines/importing/importer.py.
"""

import io

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import requires
from accounts.scoping import grants
from core.csv import writer as csv_writer
from organisation.models import OrgNode
from routines.importing.forms import ImportForm
from routines.importing.importer import IMPORT, run_import
from routines.importing.index import COLUMNS, TEMPLATE_HEADERS


def _form_page(request, form, status=200):
    return render(
        request,
        "routines/import_form.html",
        {"form": form, "columns": column_help()},
        status=status,
    )


@requires(IMPORT)
def import_routines(request):
    """The upload form; a POST imports the batch and answers with its report."""
    if request.method != "POST":
        return _form_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        report = run_import(
            actor=request.user,
            index_file=form.cleaned_data["index"],
            files=form.cleaned_data["documents"],
        )
    except ValidationError as invalid:
        form.add_error("index", invalid)
        return _form_page(request, form, status=400)
    return render(request, "routines/import_report.html", {"report": report})


# -- the example index -----------------------------------------------------------------------


def column_help():
    """(column, required, what to write) for the form page and the workbook's second sheet."""
    notes = {
        "file": _("The document's file name exactly as uploaded, e.g. brandskydd.pdf."),
        "title": _("The routine's title."),
        "unit": _("The unit's code or exact name; the routine applies to it and below."),
        "owner": _("The owner's user name or e-mail address."),
        "roles": _("Role codes or names, separated by commas; empty means everyone."),
        "legal": _("Legal references separated by semicolons, e.g. SoL 14 kap 2 §."),
        "interval": _("Months between reviews, 1–60; empty means 12."),
        "approved_as": _("Who approved the document, e.g. Enhetschef Anna Berg."),
        "approved_on": _("The date of the approval, e.g. 2024-03-15."),
        "effective_from": _("The date the routine applies from; empty means today."),
        "acknowledge": _("ja or nej: must staff acknowledge having read it? Empty means ja."),
    }
    required_fields = {"approved_as", "approved_on"}
    return [
        (TEMPLATE_HEADERS[key], required or key in required_fields, notes[key])
        for key, (required, _aliases) in COLUMNS.items()
    ]


def _example_row(user):
    held = sorted(grants(user, IMPORT), key=lambda g: len(g.path), reverse=True)
    unit = OrgNode.objects.filter(pk=held[0].node_id).first() if held else None
    values = {
        "file": "brandskydd.pdf",
        "title": "Rutin för brandskydd",
        "unit": (unit.code or unit.name) if unit else "Hemtjänst Norr",
        "owner": user.username,
        "roles": "",
        "legal": "SOSFS 2011:9 4 kap 2 §",
        "interval": 12,
        "approved_as": "Enhetschef Anna Berg",
        "approved_on": "2024-03-15",
        "effective_from": "2024-04-01",
        "acknowledge": "ja",
    }
    return [values[key] for key in COLUMNS]


@requires(IMPORT)
def import_template(request, fmt):
    headers = [TEMPLATE_HEADERS[key] for key in COLUMNS]
    row = _example_row(request.user)
    if fmt == "csv":
        out = io.StringIO()
        # Semicolons and a BOM: what Excel with Swedish settings opens without questions.
        writer = csv_writer(out)
        writer.writerow(headers)
        writer.writerow(row)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="rutiner-index.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    return _workbook(headers, row)


def _workbook(headers, row):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Index"
    sheet.append(headers)
    sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip(
        "ABCDEFGHIJK", (22, 30, 22, 16, 16, 26, 12, 26, 16, 14, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet(_("Instructions")[:31])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for name, required, note in column_help():
        guide.append([name, _("yes") if required else _("no"), note])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="rutiner-index.xlsx"'
    return response
