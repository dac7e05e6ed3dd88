"""Searching for one person's records and making the register extract (GDPR article 15).

Every search is kept and written as an event; every record shown or put in an extract is
written to the access log as a read, so a log review sees who looked for whom and what they saw.
"""

from django.db import transaction
from django.utils import timezone

from audit.services import log_read, record_event
from core.crypto import keyed_hash, normalise_name
from core.pin import find_personal_numbers, normalise_personal_number
from privacy.models import SearchKind, SubjectAccessSearch
from privacy.registry import find_records


def personal_number_in(term):
    """The twelve digits of the one personal identity number in the term, or ""."""
    numbers = find_personal_numbers(term)
    return normalise_personal_number(numbers[0]) if len(numbers) == 1 else ""


def _kind_and_digest(term):
    # A number given with a name ("Greta Garbo 19121212-1212") searches by the number alone.
    number = personal_number_in(term)
    if number:
        return SearchKind.PERSONAL_NUMBER, keyed_hash(number)
    return SearchKind.NAME, keyed_hash(normalise_name(term))


@transaction.atomic
def search(term, *, actor):
    """Keep the search and count what it finds now; the result is read with `records`."""
    kind, digest = _kind_and_digest(term)
    found = SubjectAccessSearch.objects.create(
        created_by=actor, kind=kind, term=term.strip(), term_hash=digest
    )
    found.result_count = len(find_records(actor, kind, digest))
    found.save(update_fields=["result_count"])
    record_event(found, "privacy.searched", actor, count=found.result_count)
    return found


def records(search, *, user, request=None):
    """The records found for this search, as they are now; each is logged as read."""
    found = find_records(user, search.kind, search.term_hash)
    for record in found:
        log_read(user, record.obj, request=request)
    return found


@transaction.atomic
def mark_exported(search, *, actor, count):
    search.exported_at = timezone.now()
    search.save(update_fields=["exported_at"])
    record_event(search, "privacy.exported", actor, count=count)
