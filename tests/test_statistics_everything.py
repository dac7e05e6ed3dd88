"""A reader who sees every node reads the kept counts without a filter by unit (faster at a
municipality's scale); the figures must be exactly those of the filtered reading, and a reader
who does not see every node must still get only their own."""

from django.core.cache import cache

from analysis import reading
from analysis.lookups import UnitSet
from analysis.stats import of_units
from organisation.models import OrgNode
from tests.analysis_helpers import END, START, new_report, reported
from tests.cast import _assign, _user


def _reports(user):
    cache.clear()
    nodes = reading.visible_nodes(user)
    chosen = {"period_from": START, "period_to": END}
    figures = reading.read(user, nodes, chosen, compare=False).current
    return figures.reports, {f.node.name: f.subtree for f in figures.units if f.subtree}


def test_every_node_reads_without_a_filter_and_the_same_figures(cast):
    from deviations import services

    for month in (2, 3):
        new_report(cast, cast.unit_a, month)
    new_report(cast, cast.unit_b, 4)
    when = reported(5)
    services.report(
        actor=cast.other_root,
        unit=cast.other_root_node,
        reported_at=when,
        aware_at=when,
        occurred_at=when,
        description="Larmet gick inte fram.",
        immediate_action="",
        service_user_affected="yes",
    )
    everyone = _user("overall")
    _assign(everyone, "quality_developer", cast.board, subtree=True)
    _assign(everyone, "quality_developer", cast.other_root_node, subtree=True)
    one_tree = _user("one_tree")
    _assign(one_tree, "quality_developer", cast.board, subtree=True)
    assert len(reading.visible_nodes(everyone)) == OrgNode.objects.count()
    assert len(reading.visible_nodes(one_tree)) < OrgNode.objects.count()

    total, by_unit = _reports(everyone)
    assert total == 4 and by_unit["Annan nämnd"] == 1
    assert by_unit["Enhet A"] == 2 and by_unit["Enhet B"] == 1
    # The other tree's report is not counted for a reader of one tree.
    total, by_unit = _reports(one_tree)
    assert total == 3 and "Annan nämnd" not in by_unit and by_unit["Enhet A"] == 2


def test_the_filter_goes_only_for_every_node():
    assert of_units(UnitSet([1, 2], everything=True)).children == []
    assert of_units(UnitSet([1, 2])).children
