"""The statistics of complaints and opinions (issue 12, point 6): counts by kind and unit with
the year before and five years, the targets met, each count a link to exactly those rows, only
what the person may see; the figures the quality report reads."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import statistics
from feedback.models import Feedback
from feedback.services.handling import acknowledge, answer
from tests.feedback_helpers import public

pytestmark = pytest.mark.django_db
URL = reverse("feedback:statistics")


@pytest.fixture
def year(today):
    return today.year


def _dataset(cast, year):
    """Unit A: two complaints (one confirmed and answered, one waiting past its target) and a
    praise; unit B: an opinion; last year in unit A: a complaint."""
    answered, _t = public(cast)
    acknowledge(answered, actor=cast.manager_a)
    answer(answered, actor=cast.manager_a, text="Svar", sent_by="email")
    waiting, _t = public(cast)
    Feedback.objects.filter(pk=waiting.pk).update(
        acknowledge_due=timezone.now() - timedelta(days=1)
    )
    public(cast, kind="praise", wants_answer=False, answer_by="")
    public(cast, about=cast.unit_b, kind="opinion")
    old, _t = public(cast)
    # Local time: in the first hour of 1 January the UTC year is still the old one.
    Feedback.objects.filter(pk=old.pk).update(
        received_at=timezone.localtime().replace(year=year - 1)
    )


def test_the_figures_of_a_year(cast, year):
    _dataset(cast, year)
    figures = statistics.year_figures(cast.dept, [year - 1, year])
    now, before = figures[year], figures[year - 1]
    assert (now.total, before.total) == (4, 1)
    assert (now.by_kind["complaint"], now.by_kind["praise"], now.by_kind["opinion"]) == (2, 1, 1)
    assert (now.acknowledged_on_time, now.acknowledged_late) == (1, 1)
    assert (now.answered_on_time, now.answered_late) == (1, 0)
    assert now.mean_days_to_answer == 0
    assert now.by_branch[cast.unit_b.path]["opinion"] == 1
    trend = statistics.totals_by_year(cast.dept, [year - 1, year])
    assert (sum(trend[year].values()), sum(trend[year - 1].values())) == (4, 1)
    # Within what a person may see: unit A's manager does not count unit B.
    within = Feedback.objects.visible_to(cast.manager_a)
    assert statistics.year_figures(cast.dept, [year], within)[year].total == 3


def test_every_count_leads_to_exactly_its_rows(cast, login, year):
    _dataset(cast, year)
    client = login(cast.parent_manager)
    html = client.get(URL, {"node": cast.dept.pk, "year": year}).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-count="(\d+)">', html)
    assert links
    for href, count in links:
        page = client.get(href.replace("&amp;", "&")).context["page"]
        assert page.paginator.count == int(count), href


def test_a_sibling_unit_and_a_staff_member_see_nothing(cast, login, year):
    _dataset(cast, year)
    assert login(cast.same_unit).get(URL).status_code == 403
    response = login(cast.manager_a).get(URL, {"node": cast.dept.pk, "year": year})
    # The department is not hers to choose: she is shown her own unit.
    assert response.context["node"] == cast.unit_a
    assert response.context["now"].total == 3


def test_the_figures_are_kept_until_feedback_of_that_year_changes(cast, login, monkeypatch, year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _dataset(cast, year)
    client = login(cast.parent_manager)
    query = {"node": cast.dept.pk, "year": year}
    assert client.get(URL, query).context["now"].total == 4
    with CaptureQueriesContext(connection) as second:
        assert login(cast.quality).get(URL, query).context["now"].total == 4
    assert not [q for q in second.captured_queries if "feedback_feedback" in q["sql"]]
    public(cast, kind="suggestion")
    asked = []
    for name in ("year_figures", "totals_by_year"):
        counted = getattr(statistics, name)
        monkeypatch.setattr(
            statistics, name, lambda n, years, w, c=counted: asked.append(years) or c(n, years, w)
        )
    assert client.get(URL, query).context["now"].by_kind["suggestion"] == 1
    # Only this year is counted again: last year and the trend's earlier years are kept.
    assert asked == [[year]]
