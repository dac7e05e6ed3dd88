"""The deviations chapter's closing figures (analysis/report_chapters.py `_closing`), counted in
one pass over the year's closed tracks: a track with two causes counts once, and a cause and an
action (or the reason none is needed) are counted apart. The services close a track only with
both; a record closed before that rule, or mended afterwards, may lack one."""

import pytest

from analysis import stats
from analysis.report_chapters import _closing
from deviations.investigation.models import Investigation
from deviations.models import Deviation
from legal.rules import TrackKind
from tests.analysis_helpers import END, START, classify, close_other, new_report

pytestmark = pytest.mark.django_db


def _other(cast, unit, month):
    return classify(cast, new_report(cast, unit, month), [TrackKind.OTHER])[TrackKind.OTHER]


def test_closed_tracks_with_a_cause_and_with_an_action_are_counted_apart(cast):
    both = _other(cast, cast.unit_a, 2)
    close_other(cast, both, causes=["routine-not-known", "routine-missing"], with_action=True)
    cause_only = _other(cast, cast.unit_a, 3)
    close_other(cast, cause_only, causes=["routine-not-known"], with_action=False)
    Investigation.objects.filter(track=cause_only).update(no_action_reason="")
    reason_only = _other(cast, cast.unit_b, 4)
    close_other(cast, reason_only, causes=["routine-missing"], with_action=False)
    Investigation.objects.get(track=reason_only).causes.clear()
    _other(cast, cast.unit_b, 5)  # open: not among the closed

    in_year = Deviation.objects.filter(stats.in_range(START, END))
    assert _closing(in_year, TrackKind.OTHER) == (3, 2, 2)
    in_unit_a = in_year.filter(unit=cast.unit_a)
    assert _closing(in_unit_a, TrackKind.OTHER) == (2, 2, 1)
    assert _closing(in_year, TrackKind.LEX_SARAH) == (0, 0, 0)
