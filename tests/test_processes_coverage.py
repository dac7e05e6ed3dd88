"""Coverage: per activity and collaboration whether a routine exists, is published and is
within its review date; totals; the printable page; bounded queries."""

import datetime

from django.urls import reverse

from processes import services
from processes.coverage import Status, coverage
from processes.models import Process
from tests.test_processes_makers import make_process, make_routine, published

TODAY = datetime.date(2026, 6, 1)


def _activity(process, name, routines=()):
    return services.add_activity(
        process, actor=process.owner, name=name, responsible_note="X", routines=routines
    )


def _published(cast, review_on, **extra):
    return make_routine(cast, state="published", review_on=review_on, **extra)


def test_each_activity_status(cast):
    process = make_process(cast)
    _activity(process, "Ingen rutin")
    _activity(process, "Utkast", [make_routine(cast, state="draft")])
    _activity(process, "Ingen version alls", [make_routine(cast)])
    _activity(process, "Passerad", [_published(cast, TODAY - datetime.timedelta(days=1))])
    _activity(process, "Täckt", [_published(cast, TODAY)])
    _activity(process, "Utan granskningsdatum", [_published(cast, None)])
    result = coverage(Process.objects.all(), today=TODAY)
    (row,) = result.rows
    assert [(a.activity.name, a.status) for a in row.activities] == [
        ("Ingen rutin", Status.NO_ROUTINE),
        ("Utkast", Status.NOT_PUBLISHED),
        ("Ingen version alls", Status.NOT_PUBLISHED),
        ("Passerad", Status.REVIEW_PASSED),
        ("Täckt", Status.COVERED),
        ("Utan granskningsdatum", Status.COVERED),
    ]
    assert row.activities_total == 6 and row.activities_covered == 2
    assert row.status_counts == {
        Status.NO_ROUTINE: 1,
        Status.NOT_PUBLISHED: 2,
        Status.REVIEW_PASSED: 1,
        Status.COVERED: 2,
    }
    assert not row.fully_covered


def test_withdrawn_routine_is_not_published(cast):
    from django.utils import timezone

    routine = _published(cast, TODAY)
    process = make_process(cast)
    _activity(process, "Steg", [routine])
    routine.withdrawn_at = timezone.now()
    routine.save()
    (row,) = coverage(Process.objects.all(), today=TODAY).rows
    assert row.activities[0].status == Status.NOT_PUBLISHED


def test_the_weakest_routine_decides(cast):
    process = make_process(cast)
    good = _published(cast, TODAY)
    late = _published(cast, TODAY - datetime.timedelta(days=30))
    _activity(process, "Två rutiner", [good, late])
    (row,) = coverage(Process.objects.all(), today=TODAY).rows
    item = row.activities[0]
    assert item.status == Status.REVIEW_PASSED
    assert {(s.routine, s.status) for s in item.routines} == {
        (good, Status.COVERED),
        (late, Status.REVIEW_PASSED),
    }


def test_collaboration_statuses_and_expired_agreements(cast):
    none = make_process(cast, name="Utan samverkan")
    _activity(none, "Steg", [_published(cast, TODAY)])
    lacking = make_process(cast, name="Saknar rutin")
    services.add_collaboration(lacking, actor=cast.manager_a, kind="school", partner="Skolan")
    services.add_collaboration(
        lacking,
        actor=cast.manager_a,
        kind="police",
        partner="Polisen",
        routine=make_routine(cast, state="draft"),
    )
    covered = make_process(cast, name="Har rutin")
    services.add_collaboration(
        covered,
        actor=cast.manager_a,
        kind="region",
        partner="Regionen",
        routine=_published(cast, TODAY - datetime.timedelta(days=1)),
        agreement="Överenskommelse",
        agreement_valid_until=TODAY - datetime.timedelta(days=1),
    )
    services.add_collaboration(
        covered,
        actor=cast.manager_a,
        kind="internal",
        internal_unit=cast.unit_b,
        routine=_published(cast, TODAY),
        agreement_valid_until=TODAY,
    )
    result = coverage(Process.objects.order_by("name"), today=TODAY)
    rows = {row.process.name: row for row in result}
    assert not rows["Utan samverkan"].has_collaboration
    assert not rows["Utan samverkan"].lacks_collaboration_routine
    assert rows["Utan samverkan"].fully_covered
    assert rows["Saknar rutin"].lacks_collaboration_routine
    assert [c.status for c in rows["Saknar rutin"].collaborations] == [
        Status.NOT_PUBLISHED,
        Status.NO_ROUTINE,
    ]  # ordered by partner: Polisen, Skolan
    har = rows["Har rutin"]
    assert har.has_collaboration and not har.lacks_collaboration_routine
    assert [(c.collaboration.partner, c.agreement_expired) for c in har.collaborations] == [
        ("Enhet B", False),
        ("Regionen", True),
    ]
    assert har.expired_agreements == 1 and not har.fully_covered
    totals = result.totals
    assert totals.processes == 3
    assert totals.processes_without_collaboration == 1
    assert totals.processes_lacking_collaboration_routine == 1
    assert totals.expired_agreements == 1


def test_totals_share(cast):
    process = make_process(cast)
    _activity(process, "Täckt", [_published(cast, TODAY)])
    _activity(process, "Ingen")
    other = make_process(cast, name="Andra")
    _activity(other, "Täckt", [_published(cast, TODAY)])
    _activity(other, "Utkast", [make_routine(cast, state="draft")])
    totals = coverage(Process.objects.all(), today=TODAY).totals
    assert (totals.activities, totals.activities_covered) == (4, 2)
    assert totals.share_covered == 0.5
    assert coverage(Process.objects.none()).totals.share_covered is None


def test_coverage_queries_are_bounded(cast, django_assert_max_num_queries):
    for i in range(6):
        process = make_process(cast, name=f"P{i}")
        for j in range(4):
            _activity(process, f"S{j}", [_published(cast, TODAY), make_routine(cast)])
        services.add_collaboration(
            process,
            actor=cast.manager_a,
            kind="police",
            partner="Polisen",
            routine=_published(cast, TODAY),
        )
    with django_assert_max_num_queries(5):
        result = coverage(Process.objects.all(), today=TODAY)
        assert result.totals.activities == 24


# -- the page --------------------------------------------------------------------------------


def test_coverage_page(cast, login):
    process = make_process(cast)
    _activity(process, "Steg ett", [published(cast, title="Publicerad rutin")])
    _activity(process, "Steg två")
    b_process = make_process(cast, unit=cast.unit_b, actor=cast.parent_manager, name="B-process")
    _activity(b_process, "B-steg")
    response = login(cast.manager_a).get(reverse("processes:coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Publicerad rutin" in page and "Ingen rutin" in page
    assert "Publicerad, inom granskningsdatum" in page
    assert "B-process" not in page
    assert reverse("processes:detail", args=[process.pk]) in page
    assert 'class="panel filter-form no-print"' in page and "data-print" in page
    assert "<caption>" in page and 'scope="col"' in page
    assert response.context["coverage"].totals.activities == 2


def test_coverage_page_filters_by_node(cast, login):
    make_process(cast, name="A-process")
    make_process(cast, unit=cast.unit_b, actor=cast.parent_manager, name="B-process")
    client = login(cast.parent_manager)
    names = lambda r: [row.process.name for row in r.context["coverage"]]  # noqa: E731
    assert sorted(names(client.get(reverse("processes:coverage")))) == ["A-process", "B-process"]
    assert names(client.get(reverse("processes:coverage"), {"node": cast.unit_b.pk})) == [
        "B-process"
    ]


def test_coverage_page_is_for_those_who_follow_up_routines(cast, login):
    assert login(cast.same_unit).get(reverse("processes:coverage")).status_code == 403
    assert login(cast.outsider).get(reverse("processes:coverage")).status_code == 403


def test_coverage_page_query_count(cast, login, django_assert_max_num_queries):
    client = login(cast.parent_manager)

    def add(count):
        for i in range(count):
            process = make_process(cast, name=f"P{i}", actor=cast.parent_manager)
            _activity(process, "S", [published(cast)])
            services.add_collaboration(
                process, actor=cast.parent_manager, kind="police", partner="Polisen"
            )

    add(2)
    with django_assert_max_num_queries(25) as first:
        client.get(reverse("processes:coverage"))
    add(8)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("processes:coverage"))
    assert response.context["coverage"].totals.processes == 10
