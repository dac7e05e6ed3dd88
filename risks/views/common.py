"""What the views share: the visible analysis, the matrix and the scored events."""

from collections import Counter

from accounts.access import get_visible_or_404
from risks.models import VIEW, RiskAnalysis, RiskEvent
from risks.models.matrix import matrix_for


def visible_analysis(request, pk):
    return get_visible_or_404(
        RiskAnalysis.objects.select_related("unit", "responsible", "process"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def visible_event(request, pk):
    return get_visible_or_404(
        RiskEvent.objects.select_related("analysis__unit"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


def scored(matrix, events):
    """Each event with `score` and `residual` (Score or None) read from the matrix."""
    for event in events:
        event.score = _safe(matrix, event.likelihood, event.consequence)
        event.residual = (
            _safe(matrix, event.residual_likelihood, event.residual_consequence)
            if event.residual_likelihood
            else None
        )
    return events


def _safe(matrix, likelihood, consequence):
    try:
        return matrix.score(likelihood, consequence)
    except ValueError:  # the matrix was made smaller after the event was scored
        return None


def heat_maps(matrix, events):
    """The grid before and after the measures, each cell with its count of events."""
    before = Counter((e.likelihood, e.consequence) for e in events)
    after = Counter(
        (e.residual_likelihood, e.residual_consequence) for e in events if e.residual_likelihood
    )
    return matrix.grid(before), matrix.grid(after) if after else None


def matrix_of(analysis):
    return matrix_for(analysis.unit)
