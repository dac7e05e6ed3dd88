"""Lists and pages that say what they are about (issue 10, point 7): an excerpt of what happened
in the register and "Mina rapporter", a readable report event in the case history, demo history
times that agree with the report times, the deadline of a case the person may not open, and the
routine's acknowledgment after its text."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from audit.history import history_for
from audit.models import Event
from deviations import services
from deviations.models import Deviation
from deviations.templatetags.deviation_tags import excerpt
from legal.rules import TrackKind
from tests.routines_s_helpers import routine_in_force

LONG = (
    "Brukaren hade inte fått sina kvällsmediciner eftersom dosetten stod kvar i skåpet och "
    "ingen i kvällspersonalen visste att den skulle delas ut."
)
IDENTITY = "Signe Skyddad 19400101"


def reported(cast, description=LONG, unit=None, who=None):
    return services.report(
        actor=who or cast.same_unit,
        unit=unit or cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description=description,
        immediate_action="Ringde sjuksköterskan.",
        service_user_affected="yes",
        affected_person=IDENTITY,
    )


def test_excerpt_is_cut_on_a_word():
    assert excerpt("Kort text.") == "Kort text."
    cut = excerpt(LONG)
    assert cut.endswith("…") and len(cut) <= 81
    assert LONG.startswith(cut[:-1]) and LONG[len(cut) - 1] == " "
    assert excerpt("  rad ett\n\nrad två ") == "rad ett rad två"


def test_register_shows_what_happened_as_the_case_page_does(cast, login):
    readable = reported(cast, description="Larmet på rum 4 fungerade inte under natten.")
    restricted = reported(cast, description="Brukaren lämnades ensam i duschen och halkade.")
    services.triage(restricted, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    client = login(cast.manager_a)
    page = client.get(reverse("deviations:list")).content.decode()
    assert "Larmet på rum 4 fungerade inte under natten." in page
    # The report is the manager's to read (the case page shows it); the investigation is not.
    assert "Brukaren lämnades ensam i duschen" in page and IDENTITY not in page
    assert "Brukaren lämnades ensam i duschen" in (
        client.get(restricted.get_absolute_url()).content.decode()
    )
    # The lex Sarah clock counts: the manager sees its deadline and why the case stays shut.
    assert "data-clock-restricted" in page
    page = login(cast.quality).get(reverse("deviations:list")).content.decode()
    assert "data-clock-restricted" not in page
    assert readable.reference in page and IDENTITY not in page


def test_case_page_explains_the_deadline_of_a_restricted_track(cast, login):
    deviation = reported(cast)
    (track,) = services.triage(deviation, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    page = login(cast.manager_a).get(reverse("deviations:detail", args=[deviation.pk]))
    assert f'id="restricted-deadline-{track.pk}"' in page.content.decode()
    page = login(cast.quality).get(reverse("deviations:detail", args=[deviation.pk]))
    assert "restricted-deadline" not in page.content.decode()


def test_register_query_count_is_flat(cast, login, django_assert_max_num_queries):
    first = reported(cast)
    services.triage(first, actor=cast.manager_a, kinds=[TrackKind.LEX_SARAH])
    client = login(cast.manager_a)
    client.get(reverse("deviations:list"))  # warm the caches (content types, rules)
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("deviations:list"))
    for n in range(19):
        deviation = reported(cast)
        kind = TrackKind.LEX_SARAH if n % 2 else TrackKind.OTHER
        services.triage(deviation, actor=cast.manager_a, kinds=[kind])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("deviations:list"))
    assert response.context["page"].paginator.count == 20


def test_my_reports_show_an_excerpt(cast, login, django_assert_max_num_queries):
    reported(cast)
    client = login(cast.same_unit)
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("deviations:mine"))
    for _ in range(19):
        reported(cast)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("deviations:mine")).content.decode()
    assert page.count(excerpt(LONG)) == 20 and IDENTITY not in page


def test_history_of_a_new_report_is_one_readable_event(cast):
    deviation = reported(cast)
    rows = history_for(deviation, user=cast.manager_a)
    assert len(rows) == 1
    (row,) = rows
    assert row.source == "event" and str(cast.same_unit) in row.message
    assert row.changes == []


def test_demo_history_times_agree_with_the_report_times(db):
    from deviations.demo import load_demo_deviations
    from organisation.demo import load_demo

    load_demo()
    load_demo_deviations()
    now = timezone.now()
    for deviation in Deviation.objects.all():
        events = Event.objects.filter(object_id=str(deviation.pk), verb="deviations.reported")
        assert [e.created_at for e in events] == [deviation.reported_at]
        for row in history_for(deviation):
            assert deviation.reported_at <= row.at <= deviation.reported_at + timedelta(hours=1)
            assert row.at <= now
        for track in deviation.tracks.all():
            for transition in track.transitions.all():
                assert deviation.reported_at <= transition.at <= now


def test_routine_page_puts_the_acknowledgment_after_the_text(cast, login):
    routine = routine_in_force(
        cast, title="Nyckelhantering", body="<p>Nycklar lämnas i nyckelskåpet.</p>"
    )
    page = login(cast.same_unit).get(reverse("routines:read", args=[routine.pk])).content.decode()
    assert page.index('id="routine-body"') < page.index('id="acknowledge-panel"')
    assert page.index("Nycklar lämnas i nyckelskåpet.") < page.index('id="acknowledge-button"')
