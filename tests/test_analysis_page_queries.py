"""The statistics page of deviations reads a fixed number of queries, whatever the data.

Apart from tests/test_analysis_page.py, whose tests share one dataset: this test counts the
queries of the page's first build, which must start from no data at all.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from deviations.models import Deviation
from legal.rules import TrackKind
from tests.analysis_helpers import PERIOD, STATS_URL, classify, new_report


def test_the_page_answers_in_a_fixed_number_of_queries(cast, login):
    client = login(cast.quality)

    def make(n):
        for i in range(n):
            unit = cast.unit_a if i % 2 else cast.unit_b
            deviation = new_report(cast, unit, 1 + i % 12)
            if i % 5:
                kinds = [[TrackKind.OTHER], [TrackKind.LEX_SARAH, TrackKind.DATA_BREACH]][i % 2]
                classify(cast, deviation, kinds)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STATS_URL, PERIOD).status_code == 200
        return len(queries)

    make(5)
    building = count()  # the first request counts everything
    few = count()
    make(45)
    assert Deviation.objects.count() == 50
    refreshing = count()  # recounts the changed units and months
    many = count()
    assert few == many
    # Two of them read the reader roles for the small cells; with the same period a year
    # earlier and the five years read in the same queries, one more reads the years.
    assert many <= 22, many
    # A fixed number, whatever the data: four kinds of kept counts since the counts per kind
    # of event; on PostgreSQL the build also runs ANALYZE on each of them.
    build_limit = 56 if connection.vendor == "postgresql" else 50
    assert building <= build_limit and refreshing <= 50, (building, refreshing)
