"""The statistics of complaints and opinions: a part of the organisation and a year, the figures
of feedback/statistics.py, each count a link to the list showing exactly those rows (scoped as
always: only what the person may see is counted)."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.access import requires
from accounts.scoping import WHOLE_SUBTREE, scope_signature
from core.forms import PartAndYearForm
from feedback import statistics
from feedback.models import VIEW, Feedback, Kind, Status, Theme
from organisation.models import OrgNode

TREND_YEARS = 5


def _share(part, whole):
    return round(100 * part / whole) if whole else None


@requires(VIEW)
def statistics_page(request):
    user = request.user
    this_year = timezone.localdate().year
    nodes = OrgNode.objects.visible_to(user, VIEW).order_by("path")
    form = PartAndYearForm(request.GET or None, nodes=nodes, this_year=this_year)
    node, year = None, this_year
    if form.is_bound and form.is_valid():
        node, year = form.cleaned_data["node"], form.cleaned_data["year"] or this_year
    if node is None:
        node = nodes.order_by("depth", "path").first()
        form = PartAndYearForm(
            initial={"node": node, "year": year}, nodes=nodes, this_year=this_year
        )
    context = {"form": form, "node": node, "year": year}
    if node is not None:
        scope = scope_signature(user, VIEW, node)
        # Someone who sees the whole subtree needs no narrowing to what they may see.
        within = None if scope == WHOLE_SUBTREE else Feedback.objects.visible_to(user, VIEW)
        context.update(_figures(node, year, within, nodes, scope))
    return render(request, "feedback/statistics.html", context)


def _figures(node, year, within, nodes, scope):
    trend_years = list(range(year - TREND_YEARS + 1, year + 1))
    figures, trend = statistics.kept_figures(node, [year - 1, year], trend_years, within, scope)
    now, before = figures[year], figures[year - 1]
    listing = reverse("feedback:list")

    def link(**query):
        return listing + "?" + urlencode({"show": "all", "year": year, "node": node.pk, **query})

    kinds = [
        {
            "label": label,
            "now": now.by_kind[kind],
            "before": before.by_kind[kind],
            "link": link(kind=kind),
        }
        for kind, label in Kind.choices
    ]
    themes = [
        {
            "label": theme.name,
            "now": now.by_theme[theme.pk],
            "before": before.by_theme[theme.pk],
            "link": link(theme=theme.pk),
        }
        for theme in Theme.objects.all()
        if now.by_theme[theme.pk] or before.by_theme[theme.pk]
    ]
    outcomes = [
        (Status(status).label, now.by_status[status])
        for status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.ANSWERED, Status.CLOSED)
    ]
    children = list(nodes.filter(parent=node).order_by("name", "pk"))
    cut = len(node.path) + 9
    units = []
    for child in children:
        counts = now.by_branch.get(child.path[:cut], {})
        total = sum(counts.values())
        if total:
            units.append(
                {
                    "node": child,
                    "total": total,
                    "complaints": counts.get(Kind.COMPLAINT, 0),
                    "praise": counts.get(Kind.PRAISE, 0),
                    "link": listing
                    + "?"
                    + urlencode({"show": "all", "year": year, "node": child.pk}),
                }
            )
    units.sort(key=lambda row: (-row["total"], row["node"].name))
    return {
        "now": now,
        "before": before,
        "kinds": kinds,
        "themes": themes,
        "themes_unstated": (before.by_theme[None], now.by_theme[None]),
        "link_all": link(),
        "outcomes": outcomes,
        "units": units,
        "acknowledged_share": _share(
            now.acknowledged_on_time, now.acknowledged_on_time + now.acknowledged_late
        ),
        "answered_share": _share(now.answered_on_time, now.answered_on_time + now.answered_late),
        "previous_year": year - 1,
        "trend": [
            (
                y,
                sum(trend[y].values()),
                trend[y][Kind.COMPLAINT],
                trend[y][Kind.PRAISE],
                listing + "?" + urlencode({"show": "all", "year": y, "node": node.pk}),
            )
            for y in reversed(trend_years)
        ],
    }
