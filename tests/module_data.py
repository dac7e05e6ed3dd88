"""Data that every test of one module reads, made once for the module.

Loading the demo costs seconds and even the small cast costs a fifth of a second on
PostgreSQL; made again for each of a thousand tests, that was most of the suite's time.
`once_for_the_module` makes the data inside a transaction that stays open for the module; each
test then runs in a savepoint inside it (pytest-django's `db`), so what a test changes is
undone before the next one, and the module's data is rolled back after its last test.

    @pytest.fixture(scope="module")
    def _demo(django_db_setup, django_db_blocker):
        yield from once_for_the_module(django_db_blocker, load_the_demo)

    @pytest.fixture
    def demo(_demo, db):
        return _demo

The data stays until the module's last test, also for the tests that do not ask for it: they
must not count on empty tables. Only for modules whose tests use `db`: a `transactional_db`
test empties the tables and commits, which inside the open transaction cannot work.
Between the tests the database stays blocked, so a test without `db` still cannot reach it.
"""

import sys

from django.db import transaction
from django.test.utils import override_settings

# The same fast hasher as tests/conftest.py gives each test: its settings fixture is per test.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def once_for_the_module(django_db_blocker, build):
    """A generator for a module-scoped fixture: yields what `build()` returns."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                data = build()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        try:
            yield data
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
