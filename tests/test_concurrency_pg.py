"""Two people at the same moment, with real threads and separate connections, on PostgreSQL.

SQLite serialises every write on the whole file, so it cannot show a lost update or a race on
a row lock: these tests run only on PostgreSQL (DATABASE_URL=postgres://…) and are skipped
otherwise. Each thread closes its connection when done.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from deviations import services
from deviations.investigation import services as investigation_services
from deviations.models import Deviation, DeviationStatus, Track
from legal.rules import TrackKind
from tests.cast import build_cast
from tests.test_versioning_forms import CASES as FORM_CASES
from tests.test_versioning_forms import _typed
from tests.versioning_helpers import opened

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite locks the whole file, so no race can be shown",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


@pytest.fixture
def pg_cast(settings):
    """The reference data that migrate seeds is emptied by every transactional test: seed it
    again, then the cast."""
    from accounts.seed import ensure_roles_and_permissions
    from deviations.seed import ensure_causes
    from legal.seed import ensure_register, ensure_rules
    from organisation.seed import ensure_services
    from routines.seed import ensure_approval_authorities

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for ensure in (
        ensure_roles_and_permissions,
        ensure_services,
        ensure_register,
        ensure_rules,
        ensure_causes,
        ensure_approval_authorities,
    ):
        ensure()
    return build_cast()


def at_once(*jobs):
    """Run the jobs in threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def new_report(cast):
    from tests.test_investigation import fields

    return services.report(actor=cast.same_unit, unit=cast.unit_a, **fields())


def triage_job(cast, pk, actor, kinds, reason=""):
    # Each thread loads the report itself, as a request would.
    return lambda: services.triage(
        Deviation.objects.get(pk=pk), actor=actor, kinds=kinds, reason=reason
    )


@pytest.mark.parametrize(
    "second",
    [[TrackKind.LEX_SARAH], [TrackKind.NOT_DEVIATION]],
    ids=["another-track", "the-same-decision"],
)
def test_two_managers_triaging_at_once_give_exactly_one_outcome(pg_cast, second):
    cast = pg_cast
    for _round in range(ROUNDS):
        deviation = new_report(cast)
        results = at_once(
            triage_job(cast, deviation.pk, cast.manager_a, [TrackKind.NOT_DEVIATION], "Ingen"),
            triage_job(cast, deviation.pk, cast.parent_manager, second, "Ingen avvikelse"),
        )
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(refused) == 1, results
        (error,) = refused
        assert isinstance(error, ValidationError) and error.code == "classified", repr(error)
        kinds = list(Track.objects.filter(deviation=deviation).values_list("kind", flat=True))
        assert len(kinds) == 1, kinds
        deviation.refresh_from_db()
        expected = (
            DeviationStatus.CLOSED
            if kinds == [TrackKind.NOT_DEVIATION]
            else DeviationStatus.TRIAGED
        )
        assert deviation.status == expected


def client_for(user):
    client = Client()
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def test_two_people_saving_the_investigation_at_once_one_saves_one_gets_the_conflict(pg_cast):
    from tests.test_investigation import open_track

    cast = pg_cast
    track, who = open_track(cast)
    url = reverse("deviations:investigation", args=[track.pk])
    first, second = client_for(who), client_for(who)  # two people, or two tabs
    for round_ in range(ROUNDS):
        mine, theirs = opened(first, url), opened(second, url)
        mine["conclusion"] = [f"Första {round_}"]
        theirs["conclusion"] = [f"Andra {round_}"]
        results = at_once(
            lambda mine=mine: first.post(url, mine), lambda theirs=theirs: second.post(url, theirs)
        )
        codes = sorted(r.status_code for r in results)
        assert codes == [302, 409], codes
        winner = "Första" if results[0].status_code == 302 else "Andra"
        stored = investigation_services.investigation_of(track).conclusion
        assert stored == f"{winner} {round_}"


def test_two_people_saving_the_routine_draft_at_once_one_saves_one_gets_the_conflict(pg_cast):
    from tests.test_routines_w_helpers import first as first_version
    from tests.test_routines_w_helpers import make

    cast = pg_cast
    routine = make(cast)
    url = reverse("routines:edit", args=[first_version(routine).pk])
    one, other = client_for(cast.manager_a), client_for(cast.manager_a)
    for round_ in range(ROUNDS):
        mine, theirs = opened(one, url), opened(other, url)
        mine["title"] = [f"Första {round_}"]
        theirs["title"] = [f"Andra {round_}"]
        results = at_once(
            lambda mine=mine: one.post(url, mine), lambda theirs=theirs: other.post(url, theirs)
        )
        codes = sorted(r.status_code for r in results)
        assert codes == [302, 409], codes
        routine.refresh_from_db()
        winner = "Första" if results[0].status_code == 302 else "Andra"
        assert routine.title == f"{winner} {round_}"


@pytest.mark.parametrize("name", sorted(FORM_CASES))
def test_every_edit_form_saved_twice_at_once_saves_one_and_shows_the_other_the_conflict(
    pg_cast, name
):
    case = FORM_CASES[name](pg_cast)
    one, other = client_for(case.user), client_for(case.user)
    mine = _typed(case, opened(one, case.url), "Första")
    theirs = _typed(case, opened(other, case.url), "Andra")
    results = at_once(lambda: one.post(case.url, mine), lambda: other.post(case.url, theirs))
    codes = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert codes == [302, 409], codes
    assert case.read() == ("Första" if results[0].status_code == 302 else "Andra")
