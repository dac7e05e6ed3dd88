"""The published report for anyone who asks (issue 13, point 4): a public page without login
of each published version, holding no person's name or personal identity number; a draft is
not public."""

import datetime

import pytest
from django.urls import reverse

from reports.models import Chapter
from reports.services import chapters as together
from reports.services import decision, writing
from reports.services.judging import judge
from tests.analysis_helpers import YEAR, new_report

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_approved_version_without_personal_data(
    cast, client, django_capture_on_commit_callbacks
):
    new_report(cast, cast.unit_a, 3)
    with django_capture_on_commit_callbacks(execute=True):
        report = writing.start_report(
            actor=cast.quality, kind="quality", scope=cast.unit_a.parent, year=YEAR
        )
    focus = Chapter.objects.get(report=report, code="focus")
    together.set_authors(focus, actor=cast.quality, authors=[cast.parent_manager])
    # A number that slipped past the form's check is still not shown.
    together.write_text(
        focus, actor=cast.parent_manager, narrative="Rutinerna först. Gäller 19121212-1212."
    )
    judge(focus, actor=cast.quality, verdict="partly", reason="Rutinerna är inte kända av alla.")
    assert client.get(reverse("reports_public:version", args=[report.pk, 1])).status_code == 404
    decision.send_for_review(report, actor=cast.quality)
    version = decision.approve(
        report,
        actor=cast.quality,
        decision_body="Socialnämnden",
        decision_date=datetime.date(2026, 4, 25),
        paragraph="79",
        registry_number="SN 2023-511",
    )
    url = reverse("reports_public:version", args=[report.pk, version.number])
    page = client.get(url)  # no login
    body = page.content.decode()
    assert page.status_code == 200 and "SN 2023-511" in body and "Rutinerna först." in body
    assert "Rutinerna är inte kända av alla." in body
    assert "19121212-1212" not in body and "1212-1212" not in body
    for person in (cast.quality, cast.parent_manager, cast.manager_a, cast.same_unit):
        assert person.get_full_name() not in body and f">{person.username}<" not in body
    assert "/deviations/" not in body and "/analysis/" not in body  # no links into the registers
    listing = client.get(reverse("reports_public:index")).content.decode()
    assert url in listing
    assert client.get(reverse("reports_public:version", args=[report.pk, 2])).status_code == 404
