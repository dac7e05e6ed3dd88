"""The plan and the report as documents a board secretary files: PDF (WeasyPrint, through
organisation/pdf.py) and DOCX (python-docx), with the same content: the board, the year, the
board's decision (§, Dnr, date) once approved, the control points (what, risk value, method,
frequency, responsible, reporting dates) and, for a report, the results with comments and
actions."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from internal_control.report_figures import plan_rows
from organisation.pdf import render_pdf


def context(plan, report=None):
    until = report.ends_on if report is not None else None
    subject = report or plan
    if report is not None:
        title = _("Report on internal control %(year)s, %(period)s") % {
            "year": plan.year,
            "period": report.get_period_display(),
        }
    else:
        title = _("Internal control plan %(year)s") % {"year": plan.year}
    return {
        "title": title,
        "plan": plan,
        "report": report,
        "board": plan.board.name,
        "approved": subject.status == "approved",
        "decision": subject,
        "rows": plan_rows(plan, until=until),
        "generated_at": timezone.localtime(),
    }


def render_plan_pdf(plan, report=None):
    return render_pdf("internal_control/document_pdf.html", context(plan, report))


def _dates(row):
    return ", ".join(d.due_on.isoformat() for d in row.dates)


def _risk(point):
    if point.risk_value is None:
        return "–"
    return f"{point.risk_value} ({point.risk_level_label or point.risk_level})"


def _header_row(table, labels):
    for cell, text in zip(table.rows[0].cells, labels, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True


def render_plan_docx(plan, report=None):
    from docx import Document
    from docx.shared import Pt

    ctx = context(plan, report)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = ctx["title"]
    doc.core_properties.author = ctx["board"]
    doc.add_heading(ctx["title"], level=0)
    doc.add_paragraph(ctx["board"])
    subject = ctx["decision"]
    if ctx["approved"]:
        doc.add_paragraph(
            _("Approved by the board %(date)s, § %(paragraph)s, Dnr %(dnr)s.")
            % {
                "date": subject.decided_on.isoformat(),
                "paragraph": subject.decision_paragraph,
                "dnr": subject.diary_number,
            }
        )
    else:
        doc.add_paragraph(_("Draft: not yet approved by the board."))
    if report is not None and report.summary:
        doc.add_heading(_("Summary and assessment"), level=1)
        doc.add_paragraph(report.summary)
    doc.add_heading(_("Control points"), level=1)
    labels = (
        _("No."),
        _("What is controlled"),
        _("Risk value"),
        _("Method"),
        _("Frequency"),
        _("Responsible"),
        _("Reporting dates"),
    )
    table = doc.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    _header_row(table, labels)
    for row in ctx["rows"]:
        p = row.point
        values = (
            str(p.position),
            p.what,
            _risk(p),
            p.method.name,
            p.get_frequency_display(),
            p.responsible.get_full_name() or p.responsible.username,
            _dates(row),
        )
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    if report is not None:
        doc.add_heading(_("Results"), level=1)
        labels = (_("Control point"), _("Reporting date"), _("Result"), _("Comment"), _("Actions"))
        table = doc.add_table(rows=1, cols=len(labels))
        table.style = "Table Grid"
        _header_row(table, labels)
        for row in ctx["rows"]:
            for d in row.dates:
                values = (
                    f"{row.point.position}. {row.point.what}",
                    d.due_on.isoformat(),
                    d.result.get_outcome_display() if d.result else _("Not reported"),
                    d.result.comment if d.result else "",
                    "; ".join(
                        _("%(title)s (due %(date)s, %(status)s)")
                        % {
                            "title": a.title,
                            "date": a.due_date.isoformat(),
                            "status": a.get_status_display(),
                        }
                        for a in d.actions
                    ),
                )
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    cell.text = text
    doc.add_paragraph(
        _("Printed from Hjulet %(when)s.")
        % {"when": ctx["generated_at"].strftime("%Y-%m-%d %H:%M")}
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
