"""Swedish full-text search of routines in force.

PostgreSQL stems with the Swedish snowball stemmer (and matches the beginning of each word);
SQLite matches the beginning of each word only. The tables below are the ones documented in
docs/rutiner-for-medarbetare.md: each row is (word in the text, word searched, found on
PostgreSQL, found on SQLite).
"""

import pytest
from django.db import connection
from django.urls import reverse

from routines.models import Routine
from routines.search import fts_expression, search
from routines.services.draft import new_version, update_draft
from routines.services.publish import publish
from routines.services.review import approve
from tests.routines_s_helpers import routine_in_force

POSTGRES = connection.vendor == "postgresql"

# Inflections the Swedish stemmer joins: found on PostgreSQL whichever form is searched; on
# SQLite only when the searched form is the beginning of the written one.
STEMMED = [
    ("rutinerna", "rutin", True, True),
    ("rutin", "rutinerna", True, False),
    ("rutinen", "rutiner", True, False),
    ("avvikelserna", "avvikelse", True, True),
    ("avvikelse", "avvikelser", True, False),
    ("brukarna", "brukare", True, False),
    ("dosetter", "dosetten", True, False),
    ("rapporterade", "rapportera", True, True),
    ("rapporterar", "rapporterat", True, False),
    ("delegeringar", "delegeringen", True, False),
    ("genomförandeplanen", "genomförandeplaner", True, False),
    # A compound is one word: the beginning of it is matched on both.
    ("läkemedelshantering", "läkemedel", True, True),
]

# Forms the stemmer does not join: strong verbs, umlaut plurals, a vowel dropped before the
# ending, and the definite neuter -et. Searching the base form still finds the -et form by its
# beginning; searching the inflected form does not find the base.
NOT_STEMMED = [
    ("händer", "hand", False, False),
    ("fötter", "fot", False, False),
    ("böcker", "bok", False, False),
    ("skrev", "skriva", False, False),
    ("gick", "gå", False, False),
    ("läkemedlen", "läkemedel", False, False),
    ("nycklar", "nyckel", False, False),
    ("larm", "larmet", False, False),
    ("larmet", "larm", True, True),
]


def found(cast, written, searched):
    routine_in_force(cast, title="Rutin för arbetet", body=f"<p>Om {written} i vardagen.</p>")
    other = routine_in_force(cast, title="Annat", body="<p>Ingenting om detta.</p>")
    hits = list(search(Routine.objects.visible_to(cast.same_unit), searched))
    assert other not in hits
    return bool(hits)


@pytest.mark.parametrize("written,searched,on_postgres,on_sqlite", STEMMED + NOT_STEMMED)
def test_swedish_inflections(cast, written, searched, on_postgres, on_sqlite):
    expected = on_postgres if POSTGRES else on_sqlite
    assert found(cast, written, searched) is expected


def test_the_title_matches_and_ranks_first(cast):
    in_title = routine_in_force(cast, title="Brandskydd", body="<p>Utrymning.</p>")
    in_body = routine_in_force(
        cast, title="Rutin för natten", body="<p>Brandskydd kontrolleras.</p>"
    )
    hits = list(search(Routine.objects.all(), "brandskydd"))
    assert hits == [in_title, in_body]


def test_all_words_are_needed(cast):
    both = routine_in_force(cast, title="A", body="<p>Delegering av läkemedel.</p>")
    routine_in_force(cast, title="B", body="<p>Delegering av insulin.</p>")
    assert list(search(Routine.objects.all(), "delegering läkemedel")) == [both]


def test_an_empty_query_or_syntax_only_finds_nothing(cast):
    routine_in_force(cast, title="Rutin", body="<p>Text</p>")
    assert list(search(Routine.objects.all(), "   ")) == []
    assert list(search(Routine.objects.all(), '"*" - ( )')) == []
    assert fts_expression('rutin" OR x*') == '"rutin"* "or"* "x"*'


@pytest.mark.skipif(not POSTGRES, reason="websearch syntax is PostgreSQL's")
def test_postgres_websearch_syntax(cast):
    keys = routine_in_force(cast, title="Nycklar", body="<p>Nyckelskåpet låses varje kväll.</p>")
    alarm = routine_in_force(cast, title="Larm", body="<p>Larmet testas varje kväll.</p>")
    assert set(search(Routine.objects.all(), "kväll -larmet")) == {keys}
    assert set(search(Routine.objects.all(), '"låses varje kväll"')) == {keys}
    assert set(search(Routine.objects.all(), "nyckelskåpet or larmet")) == {keys, alarm}


def test_only_the_version_in_force_is_searched(cast):
    routine = routine_in_force(cast, title="Nyckelhantering", body="<p>Gamla skåpet.</p>")
    version = new_version(routine, actor=cast.manager_a)
    update_draft(version, actor=cast.manager_a, body="<p>Nya kodlåset.</p>")
    assert list(search(Routine.objects.all(), "kodlåset")) == []
    assert list(search(Routine.objects.all(), "skåpet")) == [routine]


def test_a_superseded_version_leaves_the_index(cast):
    routine = routine_in_force(cast, title="Nyckelhantering", body="<p>Gamla skåpet.</p>")
    version = new_version(routine, actor=cast.manager_a)
    update_draft(version, actor=cast.manager_a, body="<p>Nya kodlåset.</p>")
    approve(version, actor=cast.manager_a)
    publish(version, actor=cast.manager_a)
    assert list(search(Routine.objects.all(), "kodlåset")) == [routine]
    assert list(search(Routine.objects.all(), "skåpet")) == []


def test_search_returns_only_what_the_person_may_see(cast, login):
    routine_in_force(cast, title="Enhet A:s nattrutin", body="<p>Nattpatrullen ringer.</p>")
    assert list(search(Routine.objects.visible_to(cast.sibling), "nattpatrullen")) == []
    assert list(search(Routine.objects.visible_to(cast.other_root), "nattpatrullen")) == []
    page = login(cast.sibling).get(reverse("routines:mine"), {"q": "nattpatrullen"})
    assert b"nattrutin" not in page.content
    page = login(cast.same_unit).get(reverse("routines:mine"), {"q": "nattpatrullen"})
    assert b"nattrutin" in page.content
