"""Feedback and deviations together (SOSFS 2011:9 5 kap 6–8 §§): the complaints, opinions,
praise and suggestions of an aggregated analysis's period and units, beside its deviation
reports, per kind of event and per unit, so that a pattern across both is seen and decided on
in one place.

A feedback theme that is what a kind of deviation event is names that kind
(feedback.Theme.event_category), and is counted on its row; the other themes have rows of their
own. The figures are kept on the analysis with the deviations' (`snapshot`), the same for
whoever reads them: counts without personal data, of the whole subtree.
"""

from collections import Counter

from django.utils.translation import gettext as _

from feedback.models import Kind, Theme
from feedback.statistics import period_rows


def _empty():
    return {"deviations": 0, "complaints": 0, "feedback": 0}


def snapshot(scope, start, end, deviations):
    """The feedback part of an analysis's figures; `deviations` the analysis's own figures of
    the deviations (analysis.stats.Statistics) for the same scope and period."""
    rows = period_rows(scope, start, end)
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    by_kind = Counter()
    # The kinds of event by name, in the deviations' order; the themes of their own after.
    categories = {}
    for figure in deviations.categories:
        if figure.category is not None:
            categories[figure.category.pk] = {"name": str(figure.name), **_empty()}
            categories[figure.category.pk]["deviations"] = figure.count
    own_themes, not_stated = {}, {"name": _("Not stated"), **_empty()}
    not_stated["deviations"] = sum(f.count for f in deviations.categories if f.category is None)
    paths = {unit.node.pk: unit.node.path for unit in deviations.units if unit.node.pk}
    per_unit = Counter()
    per_unit_complaints = Counter()
    for row in rows:
        n, kind = row["n"], row["kind"]
        by_kind[kind] += n
        theme = themes.get(row["theme_id"])
        if theme is None:
            target = not_stated
        elif theme.event_category_id in categories:
            target = categories[theme.event_category_id]
        else:
            target = own_themes.setdefault(
                theme.pk, {"name": theme.name, **_empty(), "deviations": None}
            )
        target["feedback"] += n
        if kind == Kind.COMPLAINT:
            target["complaints"] += n
            per_unit_complaints[row["unit_id"]] += n
        per_unit[row["unit_id"]] += n
    units = []
    unit_paths = _unit_paths(per_unit, paths)
    # The scope and the units directly below it: where the two registers are read side by side.
    top = min((unit.level for unit in deviations.units), default=0)
    for unit in (u for u in deviations.units if u.level <= top + 1):
        path = paths.get(unit.node.pk)
        below = [pk for pk, own in unit_paths.items() if path and own.startswith(path)]
        feedback = sum(per_unit[pk] for pk in below)
        if unit.subtree or feedback:
            units.append(
                {
                    "name": unit.name,
                    "level": unit.level,
                    "deviations": unit.subtree,
                    "complaints": sum(per_unit_complaints[pk] for pk in below),
                    "feedback": feedback,
                }
            )
    listed = [row for row in categories.values() if row["deviations"] or row["feedback"]]
    listed += sorted(own_themes.values(), key=lambda row: row["name"])
    if not_stated["deviations"] or not_stated["feedback"]:
        listed.append(not_stated)
    return {
        "total": sum(by_kind.values()),
        "by_kind": {kind: by_kind[kind] for kind in Kind.values},
        "to_deviation": sum(row["reported"] for row in rows),
        "categories": listed,
        "units": units,
    }


def _unit_paths(per_unit, known):
    """The path of every unit that received feedback (a unit below the scope that no deviation
    counts is still in the tree the analysis covers)."""
    from organisation.models import OrgNode

    missing = [pk for pk in per_unit if pk not in known]
    found = dict(OrgNode.objects.filter(pk__in=missing).values_list("pk", "path"))
    return {pk: known.get(pk) or found.get(pk, "") for pk in per_unit}


def shown(data):
    """The kept feedback figures in the shape the analysis page shows; None when the analysis
    was saved before feedback was counted with it."""
    if not data:
        return None
    return {
        **data,
        "kinds": [(Kind(kind).label, n) for kind, n in data.get("by_kind", {}).items()],
    }
