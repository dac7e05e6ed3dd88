"""Complaints and opinions in the yearly quality report (SOSFS 2011:9 5 kap 3 §): the year's
feedback in the report's part of the organisation, counted by feedback/statistics.py (the same
figures as the statistics page), each a link to the list of exactly those rows. The patient
safety report reads the feedback marked as concerning health care. Registered in
feedback/registrations.py (core/chapters.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from core.chapters import Figure, Part, Table, share
from feedback.models import Feedback, Kind, Theme
from feedback.statistics import year_figures


def complaints(scope, year):
    return _complaints(scope, year)


def health_care_complaints(scope, year):
    """The patient safety report's chapter: the feedback that concerns health care."""
    return _complaints(scope, year, Feedback.objects.filter(health_care=True))


def _complaints(scope, year, within=None):
    now = year_figures(scope, [year - 1, year], within)
    figures, before = now[year], now[year - 1]
    listing = reverse("feedback:list")

    def link(**query):
        part = {} if within is None else {"health_care": "on"}
        query = {"show": "all", "year": year, "node": scope.pk, **part, **query}
        return listing + "?" + urlencode(query)

    with_target = figures.acknowledged_on_time + figures.acknowledged_late
    answered_target = figures.answered_on_time + figures.answered_late
    part = Part(
        heading=_("Complaints and opinions")
        if within is None
        else _("Complaints and opinions about health care")
    )
    part.figures = [
        Figure(_("Feedback received"), figures.total, url=link()),
        *(
            Figure(label, figures.by_kind[kind], url=link(kind=kind))
            for kind, label in Kind.choices
        ),
        Figure(_("Complaints about health care"), figures.health_care_complaints),
        Figure(
            _("Receipt confirmed within the target"),
            share(figures.acknowledged_on_time, with_target),
            share=True,
            note=_("%(on_time)s of %(all)s")
            % {"on_time": figures.acknowledged_on_time, "all": with_target},
        ),
        Figure(
            _("Answered within the target"),
            share(figures.answered_on_time, answered_target),
            share=True,
            note=_("%(on_time)s of %(all)s")
            % {"on_time": figures.answered_on_time, "all": answered_target},
        ),
        Figure(_("Mean days to an answer"), figures.mean_days_to_answer),
        Figure(_("Reported as deviations"), figures.to_deviation),
    ]
    themes = dict(Theme.objects.values_list("pk", "name"))
    part.tables = [
        Table(
            caption=_("Feedback per kind, and the year before"),
            columns=[_("Kind"), str(year), str(year - 1)],
            rows=[
                [label, figures.by_kind[kind], before.by_kind[kind]] for kind, label in Kind.choices
            ],
        ),
        Table(
            caption=_("Feedback per theme"),
            columns=[_("Theme"), str(year), str(year - 1)],
            rows=[
                [themes.get(pk, _("Not stated")), n, before.by_theme[pk]]
                for pk, n in sorted(figures.by_theme.items(), key=lambda item: -item[1])
            ],
        ),
    ]
    part.facts = {
        "feedback_received": figures.total,
        "complaints": figures.by_kind[Kind.COMPLAINT],
        "acknowledged_on_time_share": share(figures.acknowledged_on_time, with_target),
        "answered_on_time_share": share(figures.answered_on_time, answered_target),
    }
    return part
