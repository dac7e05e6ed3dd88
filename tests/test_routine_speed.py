"""The routine pages at a large municipality's scale (issue 10 point 10).

The acknowledgment counts the database keeps (AcknowledgmentCount, migration 0004) must equal a
count of the tasks after every way of writing them, also when rounds and acknowledgments run at
the same time; the overview must show what it showed before its rows were drawn in code; and
the lists must read the same number of queries whatever the number of rows.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.urls import reverse

from accounts.models import Role, User
from core.widgets import QuickSelect
from organisation.models import NodeKind
from organisation.services import create_node
from routines import acknowledgments
from routines.models import Acknowledgment, AcknowledgmentCount, Routine
from routines.search import search
from tests.cast import _assign, _user
from tests.routines_s_helpers import routine_in_force

POSTGRES = connection.vendor == "postgresql"


def kept():
    """{(version_id, unit_id): asked} as the database keeps it."""
    return {(c.version_id, c.unit_id): c.asked for c in AcknowledgmentCount.objects.all()}


def counted():
    """{(version_id, unit_id): tasks} counted from the tasks themselves."""
    rows = Acknowledgment.objects.values_list("version_id", "unit_id").annotate(n=Count("*"))
    return {(version_id, unit_id): n for version_id, unit_id, n in rows.order_by()}


def kept_open():
    """{(version_id, unit_id): open tasks} as the database keeps it (zeros left out)."""
    rows = AcknowledgmentCount.objects.filter(open__gt=0)
    return {(c.version_id, c.unit_id): c.open for c in rows}


def counted_open():
    """{(version_id, unit_id): open tasks} counted from the tasks themselves."""
    rows = (
        Acknowledgment.objects.filter(acknowledged_at__isnull=True)
        .values_list("version_id", "unit_id")
        .annotate(n=Count("*"))
    )
    return {(version_id, unit_id): n for version_id, unit_id, n in rows.order_by()}


def same():
    return kept() == counted() and kept_open() == counted_open()


def staff(username, unit, first="", last=""):
    person = _user(username, first, last)
    _assign(person, "staff_member", unit)
    return person


# -- the kept counts ---------------------------------------------------------------------------


def test_the_counts_follow_every_way_tasks_are_written(cast):
    routine = routine_in_force(cast, unit=cast.dept, title="Bemötande")
    version = routine.current_version
    assert same()
    assert kept()[(version.pk, cast.unit_a.pk)] == 2  # Sara and Maja at unit A
    before = kept()

    assert kept_open()[(version.pk, cast.unit_a.pk)] == 2

    # Acknowledging takes one from the open tasks, not from those asked.
    acknowledgments.acknowledge(Acknowledgment.objects.get(user=cast.same_unit), cast.same_unit)
    assert kept() == before and same()
    assert kept_open()[(version.pk, cast.unit_a.pk)] == 1
    # An acknowledgment removed (by hand, in the database) opens the task again.
    Acknowledgment.objects.filter(user=cast.same_unit).update(acknowledged_at=None)
    assert kept_open()[(version.pk, cast.unit_a.pk)] == 2 and same()
    acknowledgments.acknowledge(Acknowledgment.objects.get(user=cast.same_unit), cast.same_unit)

    # A new person gets the tasks in force (the role assignment's receiver).
    newcomer = staff("newcomer", cast.unit_b)
    assert kept()[(version.pk, cast.unit_b.pk)] == before[(version.pk, cast.unit_b.pk)] + 1
    assert same()

    # A second round adds nothing twice; a duplicate bulk insert is ignored.
    assert acknowledgments.start_round(version) == 0
    duplicate = Acknowledgment(version=version, user=newcomer, unit=cast.unit_b)
    Acknowledgment.objects.bulk_create([duplicate], ignore_conflicts=True)
    assert same()

    # A task moved to another unit moves its count; an acknowledged one moves as acknowledged.
    Acknowledgment.objects.filter(user=newcomer).update(unit=cast.unit_a)
    Acknowledgment.objects.filter(user=cast.same_unit).update(unit=cast.unit_b)
    assert same()
    Acknowledgment.objects.filter(user=cast.same_unit).update(unit=cast.unit_a)
    assert same()
    assert kept()[(version.pk, cast.unit_a.pk)] == 3

    # A person removed takes their tasks, and an emptied pair leaves no row.
    Acknowledgment.objects.filter(version=version, unit=cast.unit_b).delete()
    assert (version.pk, cast.unit_b.pk) not in kept()
    newcomer.delete()
    assert same()
    assert kept()[(version.pk, cast.unit_a.pk)] == 2

    # A routine removed takes its versions, tasks and counts.
    Routine.objects.filter(pk=routine.pk).delete()
    assert kept() == counted() == {}


def test_a_new_version_is_counted_apart(cast):
    from routines.services.draft import new_version, update_draft
    from routines.services.publish import publish
    from routines.services.review import approve

    routine = routine_in_force(cast, title="Nyckelhantering")
    first = routine.current_version
    draft = new_version(routine, actor=cast.manager_a)
    update_draft(draft, actor=cast.manager_a, body="<p>Nya kodlåset.</p>")
    approve(draft, actor=cast.manager_a)
    publish(draft, actor=cast.manager_a)
    assert kept() == counted()
    assert kept()[(first.pk, cast.unit_a.pk)] == kept()[(draft.pk, cast.unit_a.pk)] == 2


@pytest.mark.skipif(not POSTGRES, reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_rounds_and_acknowledgments_at_the_same_time_keep_the_counts(cast):
    routine = routine_in_force(cast, unit=cast.dept, title="Bemötande")
    version = routine.current_version
    people = [_user(f"p{i:02}") for i in range(24)]
    waiting = list(Acknowledgment.objects.filter(version=version))
    expected = counted()
    key = (version.pk, cast.unit_a.pk)
    expected[key] = expected.get(key, 0) + len(people)
    start = threading.Barrier(6)
    errors = []

    def add(batch):
        # Each writer holds the pair's row a while, so the others must wait for its commit.
        try:
            start.wait()
            with transaction.atomic():
                Acknowledgment.objects.bulk_create(
                    [Acknowledgment(version=version, user=p, unit=cast.unit_a) for p in batch]
                )
                time.sleep(0.05)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def answer(tasks):
        try:
            start.wait()
            for task in tasks:
                acknowledgments.acknowledge(task, task.user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(people[i::4],)) for i in range(4)]
    threads += [threading.Thread(target=answer, args=(waiting[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert kept() == counted() == expected
    assert kept_open() == counted_open()
    assert not Acknowledgment.objects.filter(pk__in=[t.pk for t in waiting], acknowledged_at=None)


# -- the overview ------------------------------------------------------------------------------


def _crowd(cast, count):
    """`count` staff at unit A, named so that their order by name is known: Ö… sorts last."""
    names = [("Åsa", f"Berg {i:02}") for i in range(count - 1)] + [("Olle", "Öst")]
    return [
        staff(f"crowd{i:02}", cast.unit_a, first, last) for i, (first, last) in enumerate(names)
    ]


def test_the_overview_names_the_first_by_name_and_counts_the_rest(cast, login):
    crowd = _crowd(cast, 13)
    routine = routine_in_force(cast, title="Nyckelhantering")
    rows, total, per_unit, named = acknowledgments.overview(cast.dept, Routine.objects.all())
    assert named  # one unit with tasks: its names
    ((row_routine, tally),) = rows
    assert row_routine.pk == routine.pk and row_routine.unit_name == "Enhet A"
    assert tally.asked == 15 and tally.acknowledged == 0
    everyone = sorted(
        [*crowd, cast.same_unit, cast.manager_a],
        key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.username),
    )
    assert [p.username for p in tally.missing] == [u.username for u in everyone[:10]]
    assert [str(p) for p in tally.missing] == [str(u) for u in everyone[:10]]
    assert tally.missing_count == 15 and tally.more_missing == 5
    assert total.missing_count == 15 and per_unit[0].unit == cast.unit_a

    page = login(cast.parent_manager).get(
        reverse("routines:acknowledgments"), {"unit": cast.dept.pk}
    )
    html = page.content.decode()
    first_ten = "".join(f"<li>{u}</li>" for u in everyone[:10])
    assert f'<ul class="plain-list">{first_ten}<li class="muted">och 5 till</li></ul>' in html
    assert "<summary>15 personer</summary>" in html
    # Each routine's reminder submits the page's one reminder form with the routine.
    table = html[html.index('id="acknowledgment-routines"') :]
    table = table[: table.index("</table>")]
    assert 'id="remind-form"' in html and "csrfmiddlewaretoken" not in table
    assert f'<button type="submit" form="remind-form" name="routine" value="{routine.pk}"' in html
    assert "Påminn om ”Nyckelhantering”" in html
    assert f'<a href="{reverse("routines:read", args=[routine.pk])}">Nyckelhantering</a>' in html


def test_a_department_overview_counts_and_each_unit_names(cast, login):
    routine = routine_in_force(cast, unit=cast.dept, title="Bemötande")
    acknowledgments.acknowledge(Acknowledgment.objects.get(user=cast.sibling), cast.sibling)
    rows, total, per_unit, named = acknowledgments.overview(cast.dept, Routine.objects.all())
    assert not named  # two units with tasks: counted, not named
    tasks = Acknowledgment.objects.all()
    asked, still_open = tasks.count(), tasks.filter(acknowledged_at=None).count()
    ((_row, tally),) = rows
    assert tally.missing == [] and tally.missing_count == still_open
    assert (tally.asked, tally.acknowledged) == (asked, asked - still_open)
    by_unit = {t.unit.pk: (t.asked, t.acknowledged, t.waiting) for t in per_unit}
    assert by_unit[cast.unit_a.pk] == (2, 0, 2) and by_unit[cast.unit_b.pk] == (1, 1, 0)
    assert cast.dept.pk in by_unit  # the department manager is asked too
    assert (total.asked, total.acknowledged, total.waiting) == (asked, 1, still_open)

    client = login(cast.parent_manager)
    html = client.get(reverse("routines:acknowledgments"), {"unit": cast.dept.pk}).content
    html = html.decode()
    assert f"Skicka en påminnelse om de {still_open} kvittenser som saknas" in html
    assert "personer</summary>" not in html and str(cast.same_unit) not in html
    unit_link = reverse("routines:acknowledgments") + f"?unit={cast.unit_a.pk}"
    assert f'<a href="{unit_link}">Enhet A</a>' in html
    # The department's own row does not link to the page it is on.
    dept_link = reverse("routines:acknowledgments") + f"?unit={cast.dept.pk}"
    assert f'<a href="{dept_link}">' not in html
    assert f'name="routine" value="{routine.pk}"' in html
    # The unit's own overview names who has not acknowledged.
    html = client.get(unit_link).content.decode()
    assert "<summary>2 personer</summary>" in html and str(cast.same_unit) in html


def test_the_overview_escapes_what_people_wrote(cast, login):
    staff("mallory", cast.unit_a, "<b>Mallory</b>", "&Co")
    routine_in_force(cast, title="Rutin <script>x</script>")
    html = (
        login(cast.parent_manager)
        .get(reverse("routines:acknowledgments"), {"unit": cast.dept.pk})
        .content.decode()
    )
    assert "<script>x</script>" not in html and "<b>Mallory</b>" not in html
    assert "Rutin &lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;Mallory&lt;/b&gt; &amp;Co" in html


def test_the_department_overview_reads_as_many_queries_for_more_units_and_people(
    cast, login, django_assert_max_num_queries
):
    routine_in_force(cast, unit=cast.dept, title="Bemötande")
    client = login(cast.parent_manager)
    url = reverse("routines:acknowledgments")
    client.get(url, {"unit": cast.dept.pk})
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"unit": cast.dept.pk})
    for i in range(4):
        unit = create_node(actor=None, kind=NodeKind.UNIT, name=f"Enhet {i}", parent=cast.dept)
        for j in range(3):
            staff(f"u{i}p{j}", unit)
        routine_in_force(cast, unit=unit, title=f"Rutin {i}", actor=cast.parent_manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"unit": cast.dept.pk})
    html = response.content.decode()
    assert html.count("<tr data-pk=") == 5
    assert all(f"Enhet {i}</a></th>" in html for i in range(4))


# -- the register and the search ---------------------------------------------------------------


def test_the_register_reads_as_many_queries_for_more_routines_units_and_owners(
    cast, login, django_assert_max_num_queries
):
    routine_in_force(cast, title="Rutin 0")
    client = login(cast.parent_manager)
    url = reverse("routines:register")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(1, 8):
        unit = create_node(actor=None, kind=NodeKind.UNIT, name=f"Enhet {i}", parent=cast.dept)
        owner = _user(f"owner{i}", "Ägare", f"{i}")
        _assign(owner, "unit_manager", unit, subtree=True)
        routine_in_force(cast, unit=unit, title=f"Rutin {i}", actor=owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 8
    # The filter's choices: every unit and owner, one option each.
    assert all(f">Enhet {i}</option>" in html for i in range(1, 8))
    assert all(f">Ägare {i}</option>" in html for i in range(1, 8))


def test_the_quick_select_draws_what_django_draws():
    choices = [("", "Alla <enheter>"), (1, 'Enhet "A"'), (2, "B & C")]
    for value in (None, "", "1", 2):
        quick = QuickSelect(choices=choices).render("unit", value, attrs={"id": "id_unit"})
        assert quick.startswith('<select name="unit" id="id_unit">')
        assert '<option value="">Alla &lt;enheter&gt;</option>' in quick.replace(" selected", "")
        assert "Enhet &quot;A&quot;" in quick and "B &amp; C" in quick
        selected = "" if value is None else str(value)
        assert quick.count(" selected") == 1
        assert f'<option value="{selected}" selected>' in quick


@pytest.mark.skipif(not POSTGRES, reason="the stored vector is PostgreSQL's")
def test_the_search_ranks_by_the_vector_the_database_keeps(cast):
    once = routine_in_force(cast, title="A", body="<p>Larmet testas. Sedan kaffe.</p>")
    thrice = routine_in_force(cast, title="B", body="<p>Larmet, larmet och larmet igen.</p>")
    assert list(search(Routine.objects.all(), "larmet")) == [thrice, once]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector = to_tsvector('swedish', search_text) "
            "FROM routines_routineversion WHERE id = %s",
            [thrice.current_version_id],
        )
        assert cursor.fetchone() == (True,)


def test_the_search_page_reads_as_many_queries_for_more_hits(
    cast, login, django_assert_max_num_queries
):
    routine_in_force(cast, title="Larm 0", body="<p>Larmet testas.</p>")
    client = login(cast.same_unit)
    url = reverse("routines:mine")
    client.get(url, {"q": "larm"})
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"q": "larm"})
    for i in range(1, 6):
        routine_in_force(
            cast,
            unit=cast.dept,
            title=f"Larm {i}",
            body="<p>Larmet testas.</p>",
            roles=[Role.objects.get(code="staff_member")],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "larm"})
    html = response.content.decode()
    assert html.count('class="routine-row"') == 6
    assert html.count("Medarbetare</td>") == 5  # the roles named, read in one query


def test_a_person_named_on_the_overview_reads_like_the_user(cast):
    person = acknowledgments.Person(
        cast.same_unit.pk, "same", cast.same_unit.first_name, cast.same_unit.last_name
    )
    assert str(person) == str(cast.same_unit) == "Sara Samma"
    nameless = acknowledgments.Person(1, "anon", "", "")
    assert str(nameless) == str(User(username="anon")) == "anon"
