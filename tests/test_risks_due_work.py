"""Due work of the risk analyses: Mina uppgifter, the start-page figures and the demo."""

from django.urls import reverse

from notifications.inbox import sections_for
from risks.models import RiskAnalysis, Status
from risks.services.analysis import move, update_analysis
from risks.services.events import add_event
from tests.risks_helpers import later, make_analysis


def _decided(cast, days, **extra):
    analysis = make_analysis(cast, **extra)
    add_event(analysis, actor=None, description="Fall", likelihood=2, consequence=2)
    move(analysis, Status.ASSESSED, actor=None)
    update_analysis(analysis, actor=None, review_on=later(30))
    move(analysis, Status.DECIDED, actor=None)
    RiskAnalysis.objects.filter(pk=analysis.pk).update(review_on=later(days))
    return analysis


def test_my_tasks_list_analyses_in_progress_and_reviews_due(cast):
    working = make_analysis(cast, title="Pågår")
    late = _decided(cast, -2, title="Sen översyn")
    _decided(cast, 200, title="Långt borta")
    make_analysis(cast, title="Någon annans", responsible=cast.parent_manager, actor=None)
    section = {s.key: s for s in sections_for(cast.manager_a)}["risks"]
    assert [i.case for i in section.items] == [late.title, working.title]
    assert section.items[0].overdue


def test_each_start_figure_is_the_row_count_of_the_register_it_opens(cast, login):
    make_analysis(cast, title="Pågår")
    _decided(cast, -2, title="Sen")
    _decided(cast, -5, title="Senare", unit=cast.unit_b, actor=None, responsible=cast.sibling)
    for person, expected in ((cast.manager_a, (1, 1)), (cast.parent_manager, (0, 2))):
        client = login(person)
        shown = {
            f.name: f
            for group in client.get(reverse("shell:start")).context["figure_groups"]
            for f in group.figures
        }
        counts = []
        for name in ("risks.waiting", "risks.reviews_overdue"):
            figure = shown.get(name)
            count = figure.count if figure else 0
            if figure:
                page = client.get(figure.url)
                assert page.context["page"].paginator.count == count
            counts.append(count)
        assert tuple(counts) == expected


def test_an_analysis_not_closed_keeps_its_unit_open_and_moves_with_the_cases(cast):
    from organisation.open_cases import movers, open_cases

    analysis = make_analysis(cast)
    labels = [c.label for c in open_cases(cast.unit_a)]
    assert any("risk" in label.lower() for label in labels)
    for mover in movers():
        if mover.__module__ == "risks.open_cases":
            assert mover(cast.unit_a, cast.unit_b, None) == 1
    analysis.refresh_from_db()
    assert analysis.unit == cast.unit_b
