import csv
import io
from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Permission, Role, RoleAssignment, User
from actions import services as action_services
from audit.models import AccessLog
from deviations import services
from deviations.exports import views as export_views
from deviations.exports.views import case_context
from deviations.investigation import services as investigation_services
from deviations.investigation.models import Cause
from deviations.models import Deviation, Track
from legal.rules import TrackKind
from organisation.models import OrgNode

SECRET = "Hemliga Brukaren 19121212"


def reported(cast, unit=None, who=None, description="Larmet fungerade inte.", **extra):
    fields = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "description": description,
        "immediate_action": "Extra tillsyn.",
        "service_user_affected": "yes",
        "affected_person": SECRET,
        **extra,
    }
    return services.report(actor=who or cast.same_unit, unit=unit or cast.unit_a, **fields)


def csv_rows(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";")), body


def export(client, fmt="csv", **params):
    return client.get(reverse("deviations:export", kwargs={"fmt": fmt}), params)


def test_csv_holds_only_visible_reports_and_never_the_identity(cast, login):
    own = reported(cast)
    sibling = reported(cast, unit=cast.unit_b, who=cast.sibling)
    rows, body = csv_rows(export(login(cast.manager_a)))
    assert [r[0] for r in rows[1:]] == [own.reference]
    assert sibling.reference not in body
    assert SECRET not in body and "19121212" not in body
    assert len(rows[0]) == len(rows[1]) == 10
    # The description is exported (managers analyse it); the identity never is.
    assert "Larmet fungerade inte." in body
    rows, body = csv_rows(export(login(cast.parent_manager)))
    assert {r[0] for r in rows[1:]} == {own.reference, sibling.reference}
    assert SECRET not in body


def test_export_takes_the_register_filter(cast, login):
    first, second = reported(cast), reported(cast)
    services.triage(first, actor=cast.manager_a, kinds=[TrackKind.NOT_DEVIATION], reason="Nej")
    client = login(cast.parent_manager)
    rows, _body = csv_rows(export(client, status="closed"))
    assert [r[0] for r in rows[1:]] == [first.reference]
    rows, _body = csv_rows(export(client, status="reported", unit=cast.unit_a.pk))
    assert [r[0] for r in rows[1:]] == [second.reference]
    rows, _body = csv_rows(export(client, unit=cast.unit_b.pk))
    assert rows[1:] == []


def test_invalid_filter_and_unknown_format(cast, login):
    client = login(cast.manager_a)
    reported(cast)
    response = export(client, reported_from="2026-05-02", reported_to="2026-05-01")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("deviations:list"))
    assert not AccessLog.objects.exists()
    assert client.get("/deviations/export.pdf").status_code == 404
    assert client.get("/deviations/export.json").status_code == 404


def test_reporter_and_outsider_may_not_export(cast, login):
    reported(cast)
    assert export(login(cast.same_unit)).status_code == 403
    assert export(login(cast.outsider), "xlsx").status_code == 403


def test_restricted_seriousness_only_for_its_readers(cast, login):
    deviation = reported(cast)
    sarah, breach = services.triage(
        deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH, TrackKind.DATA_BREACH]
    )
    investigation_services.decide_serious(sarah, True, actor=cast.quality)
    investigation_services.decide_serious(breach, False, actor=cast.manager_a)
    tracks, serious = 6, 7
    _header, row = csv_rows(export(login(cast.manager_a)))[0]
    # The unit manager reads the breach track but not lex Sarah: both tracks are named, one
    # verdict is given.
    assert row[tracks].count(",") == 1
    assert row[serious].count(":") == 1
    _header, row = csv_rows(export(login(cast.quality)))[0]
    assert row[serious].count(":") == 2


def test_csv_neutralises_formulas(cast, login):
    for text in ('=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)"):
        reported(cast, description=text)
    rows, _body = csv_rows(export(login(cast.manager_a)))
    descriptions = sorted(r[9] for r in rows[1:])
    assert descriptions == sorted(['\'=HYPERLINK("http://x")', "'+1+2", "'-3+4", "'@SUM(A1)"])


def test_xlsx_opens_with_header_dates_and_rows(cast, login):
    from openpyxl import load_workbook

    for text in ("Första", "=1+1"):
        reported(cast, description=text)
    reported(cast, unit=cast.unit_b, who=cast.sibling)
    response = export(login(cast.manager_a), "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert len(rows) == 3 and len(rows[0]) == 10
    assert all(c.font.b for c in rows[0])
    assert isinstance(rows[1][1].value, datetime)
    descriptions = {r[9].value for r in rows[1:]}
    assert descriptions == {"Första", "=1+1"}
    assert all(r[9].data_type == "s" for r in rows[1:])
    assert not any(SECRET in str(c.value) for r in rows for c in r)


def test_xlsx_is_capped_with_a_message(cast, login, monkeypatch):
    monkeypatch.setattr(export_views, "XLSX_MAX_ROWS", 1)
    reported(cast), reported(cast)
    response = export(login(cast.manager_a), "xlsx", status="reported")
    assert response.status_code == 302
    assert response["Location"] == reverse("deviations:list") + "?status=reported"
    assert not AccessLog.objects.exists()


def test_each_export_is_one_access_log_row(cast, login):
    for _ in range(3):
        reported(cast)
    csv_rows(export(login(cast.manager_a), status="reported"))
    (row,) = AccessLog.objects.all()
    assert row.user == cast.manager_a
    assert row.content_type == ContentType.objects.get_for_model(OrgNode)
    assert row.object_id == str(cast.unit_a.pk)
    assert "status=reported" in row.path and "3" in row.object_repr
    export(login(cast.parent_manager), "xlsx", unit=cast.unit_b.pk)
    assert AccessLog.objects.filter(user=cast.parent_manager, object_id=str(cast.unit_b.pk))


def test_export_query_count_does_not_grow_with_rows(cast, login):
    client = login(cast.parent_manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            csv_rows(export(client))
        return len(captured)

    for _ in range(5):
        services.triage(reported(cast), actor=cast.manager_a, kinds=[TrackKind.OTHER])
    few = queries()
    for _ in range(45):
        services.triage(
            reported(cast, unit=cast.unit_b, who=cast.sibling),
            actor=cast.parent_manager,
            kinds=[TrackKind.LEX_SARAH, TrackKind.DATA_BREACH],
        )
    assert queries() == few
    with CaptureQueriesContext(connection) as captured:
        assert export(client, "xlsx").status_code == 200
    assert len(captured) <= few + 2


# -- the case as PDF ----------------------------------------------------------------------------


def pdf(client, deviation):
    return client.get(reverse("deviations:case_pdf", kwargs={"pk": deviation.pk}))


def test_case_pdf_is_a_pdf_and_logs_the_read(cast, login):
    deviation = reported(cast)
    response = pdf(login(cast.manager_a), deviation)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert deviation.reference in response["Content-Disposition"]
    assert AccessLog.objects.filter(
        user=cast.manager_a,
        object_id=str(deviation.pk),
        content_type=ContentType.objects.get_for_model(Deviation),
    ).exists()


@pytest.mark.parametrize("who", ["outsider", "other_root", "sibling", "same_unit"])
def test_case_pdf_refuses_people_outside(cast, login, who):
    deviation = reported(cast)
    assert pdf(login(getattr(cast, who)), deviation).status_code in (403, 404)
    assert not AccessLog.objects.filter(object_id=str(deviation.pk)).exists()


def test_case_pdf_unknown_is_404(cast, login):
    client = login(cast.manager_a)
    assert client.get("/deviations/999999/case.pdf").status_code == 404


def investigated_lex_sarah(cast):
    deviation = reported(cast)
    sarah, _other = services.triage(
        deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH, TrackKind.OTHER]
    )
    sarah = investigation_services.move_track(sarah, "start_investigation", actor=cast.quality)
    investigation_services.decide_serious(sarah, True, actor=cast.quality)
    investigation_services.save_investigation(
        sarah,
        actor=cast.quality,
        causes=[Cause.objects.get(code="routine-not-known")],
        conclusion="Slutsats om rutinen",
        decision="Beslut om utbildning",
    )
    action_services.create_action(
        actor=cast.quality,
        unit=cast.unit_a,
        title="Utbilda personalen i rutinen",
        owner=cast.manager_a,
        due_date=timezone.localdate() + timedelta(days=30),
        source=Track.objects.get(pk=sarah.pk),
    )
    return deviation


def test_case_pdf_shows_restricted_tracks_to_their_readers_only(cast, login):
    deviation = investigated_lex_sarah(cast)
    as_manager = case_context(cast.manager_a, deviation)
    sarah = next(t for t in as_manager["tracks"] if t.kind == TrackKind.LEX_SARAH)
    other = next(t for t in as_manager["tracks"] if t.kind == TrackKind.OTHER)
    assert not sarah.readable and sarah.investigation_record is None and sarah.action_list == []
    assert sarah.clock_rows == [] and other.readable and other.clock_rows
    assert as_manager["show_identity"]
    verbs = {e.verb for e in as_manager["events"]}
    assert "deviations.reported" in verbs and "deviations.serious_decided" not in verbs
    html = render_to_string("deviations/case_pdf.html", as_manager)
    assert "Slutsats om rutinen" not in html and "Utbilda personalen" not in html
    assert SECRET in html

    as_quality = case_context(cast.quality, deviation)
    sarah = next(t for t in as_quality["tracks"] if t.kind == TrackKind.LEX_SARAH)
    assert sarah.readable and sarah.investigation_record.conclusion == "Slutsats om rutinen"
    assert [a.title for a in sarah.action_list] == ["Utbilda personalen i rutinen"]
    assert "deviations.serious_decided" in {e.verb for e in as_quality["events"]}
    html = render_to_string("deviations/case_pdf.html", as_quality)
    assert "Slutsats om rutinen" in html and "Utbilda personalen i rutinen" in html
    assert pdf(login(cast.quality), deviation).content.startswith(b"%PDF")


def test_case_pdf_identity_only_with_the_identity_key(cast):
    deviation = reported(cast)
    role = Role.objects.create(code="reader", name="Läsare")
    role.permissions.set(Permission.objects.filter(key="deviations.view"))
    reader = User.objects.create(username="reader")
    RoleAssignment.objects.create(user=reader, role=role, node=cast.unit_a)
    context = case_context(reader, deviation)
    assert context["show_identity"] is False and context["events"] is None
    assert SECRET not in render_to_string("deviations/case_pdf.html", context)


# -- links on the pages --------------------------------------------------------------------------


def test_register_links_to_the_exports_with_its_filter(cast, login):
    reported(cast)
    content = login(cast.manager_a).get(reverse("deviations:list"), {"status": "reported"})
    html = content.content.decode()
    assert 'id="export-csv"' in html and 'id="export-xlsx"' in html
    assert f"{reverse('deviations:export', kwargs={'fmt': 'csv'})}?status=reported" in html


def test_case_page_links_to_the_pdf(cast, login):
    deviation = reported(cast)
    html = login(cast.manager_a).get(reverse("deviations:detail", args=[deviation.pk]))
    assert reverse("deviations:case_pdf", kwargs={"pk": deviation.pk}) in html.content.decode()
