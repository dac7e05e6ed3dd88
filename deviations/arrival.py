"""The people who classify reports hear of a new one: at once, or in a daily summary.

When a report is filed (deviations/services.py `report`), the people responsible for
classifying it (deviations/responsibility.py: the holders of `deviations.triage` over the unit,
nearest level first) are e-mailed once the filing commits:

- at once, whatever they chose, when the reporter ticked a suspicion that the rule data
  (data/arrival_notice.json, `at_once_when_ticked`) names: lex Sarah, health care involved
  (lex Maria), personal data exposed;
- otherwise at once only to those who chose "every new report" (notifications.arrivals);
- those who chose the daily summary get one e-mail a day listing the other new reports
  (`send_arrival_digests`, the periodic task `arrival_digest`, registered from
  DeviationsConfig.ready()).

The e-mails name a report by its reference and unit only, never what happened or who it
concerns, and link to the case page. The reporter is never told of their own report.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, reduce
from operator import or_
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from core.site import absolute_url
from deviations.models import Deviation
from deviations.responsibility import Resolver
from notifications.arrivals import (
    choices_for,
    claim_and_send_digest,
    digest_day,
    digest_windows,
    hears_at_once,
)
from notifications.services import queue_email

RULE_FILE = Path(__file__).parent / "data" / "arrival_notice.json"


@cache
def at_once_fields():
    """The report's yes/no fields whose tick makes the report an at-once e-mail (rule data)."""
    names = tuple(json.loads(RULE_FILE.read_text(encoding="utf-8"))["at_once_when_ticked"])
    for name in names:
        try:
            field = Deviation._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise ImproperlyConfigured(
                f"{RULE_FILE.name}: the report has no field {name!r}"
            ) from error
        if not isinstance(field, models.BooleanField):
            raise ImproperlyConfigured(f"{RULE_FILE.name}: {name!r} is not a yes/no field")
    return names


def is_serious(deviation):
    """Whether the reporter ticked a suspicion that the rule data sends at once."""
    return any(getattr(deviation, name) for name in at_once_fields())


def serious_q():
    names = at_once_fields()
    return reduce(or_, (Q(**{name: True}) for name in names)) if names else Q(pk__in=[])


@dataclass(frozen=True)
class Arrival:
    """A new report as the Resolver reads a clock: no track, so the key is deviations.triage."""

    deviation: Deviation
    track = None
    track_id = None

    @property
    def pk(self):
        return self.deviation.pk


def _render(template, context):
    """Subject or body, in the organisation's language whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return loader.render_to_string(template, context)


def _entry(deviation):
    return {
        "reference": deviation.reference,
        "unit": deviation.unit.name,
        "link": absolute_url(deviation.get_absolute_url()),
    }


def render_arrival(deviation, serious):
    context = {
        **_entry(deviation),
        "serious": serious,
        "settings_link": absolute_url(reverse("notifications:settings")),
    }
    subject = _render("deviations/arrival_subject.txt", context)
    return " ".join(subject.split()), _render("deviations/arrival_email.txt", context)


def render_digest(deviations, day):
    context = {
        "items": [_entry(d) for d in deviations],
        "count": len(deviations),
        "day": day.isoformat(),
        "settings_link": absolute_url(reverse("notifications:settings")),
    }
    subject = _render("deviations/arrival_digest_subject.txt", context)
    return " ".join(subject.split()), _render("deviations/arrival_digest_email.txt", context)


def notify_arrival(deviation):
    """E-mail the people who classify the new report, on commit (call inside the filing)."""
    serious = is_serious(deviation)
    arrival = Arrival(deviation)
    people = [
        person
        for person in Resolver([arrival]).resolve(arrival).people
        if person.pk != deviation.reported_by_id and person.email
    ]
    if not serious:
        choices = choices_for([person.pk for person in people])
        people = [person for person in people if hears_at_once(choices[person.pk], serious)]
    if not people:
        return 0
    subject, body = render_arrival(deviation, serious)
    for person in people:
        queue_email(subject=subject, body=body, to=[person.email])
    return len(people)


def send_arrival_digests(now=None):
    """Send the daily summaries due at `now` and not sent today; returns how many."""
    now = now or timezone.now()
    day = digest_day(now)
    if day is None:
        return 0
    windows = digest_windows(day, now)
    if not windows:
        return 0
    reports = list(
        Deviation.objects.filter(reported_at__gt=min(windows.values()), reported_at__lte=now)
        .exclude(serious_q())
        .select_related("unit")
        .order_by("reported_at", "pk")
    )
    if not reports:
        return 0
    arrivals = [Arrival(d) for d in reports]
    resolve = Resolver(arrivals).resolve
    lists, people = defaultdict(list), {}
    for arrival in arrivals:
        deviation = arrival.deviation
        for person in resolve(arrival).people:
            since = windows.get(person.pk)
            if since is None or person.pk == deviation.reported_by_id:
                continue
            if deviation.reported_at > since:
                lists[person.pk].append(deviation)
                people[person.pk] = person
    sent = 0
    for user_id, deviations in lists.items():
        subject, body = render_digest(deviations, day)
        if claim_and_send_digest(
            people[user_id],
            day,
            since=windows[user_id],
            until=now,
            count=len(deviations),
            subject=subject,
            body=body,
        ):
            sent += 1
    return sent


@task()
def arrival_digest_task():
    """The periodic run of the daily summaries (idempotent: one claim per person and day)."""
    return send_arrival_digests()
