"""The people who classify reports hear of a new one: at once when the reporter suspects
something serious, otherwise by their own choice at once or in a daily summary."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from core.site import absolute_url
from deviations import arrival, services
from notifications.arrivals import choice_of, set_choice
from notifications.models import ArrivalChoice, DigestClaim
from notifications.tasks import PERIODIC_TASKS

DESCRIPTION = "Brukaren föll i badrummet och slog huvudet."
ACTION = "Sjuksköterska tillkallades."
PLACE = "Badrummet"
IDENTITY = "Anna Andersson 19121212-1212"


@pytest.fixture(autouse=True)
def _rule_and_hour(settings):
    settings.HJULET_DIGEST_HOUR = 0  # any hour will do
    arrival.at_once_fields.cache_clear()
    yield
    arrival.at_once_fields.cache_clear()


@pytest.fixture
def filed(cast, django_capture_on_commit_callbacks):
    """filed(**fields): file a report (as the staff member at Enhet A) and run the on-commit
    e-mails; returns the report."""

    def _file(actor=None, unit=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return services.report(
                actor=actor or cast.same_unit,
                unit=unit or cast.unit_a,
                occurred_at=timezone.now() - timedelta(hours=1),
                description=DESCRIPTION,
                immediate_action=ACTION,
                place=PLACE,
                service_user_affected="yes",
                affected_person=IDENTITY,
                **extra,
            )

    return _file


@pytest.fixture
def digest(django_capture_on_commit_callbacks):
    def _run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return arrival.send_arrival_digests(now)

    return _run


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def assert_need_to_know(message):
    for secret in (DESCRIPTION, ACTION, PLACE, IDENTITY, "Anna Andersson", "lex Sarah", "Sara"):
        assert secret not in message.subject
        assert secret not in message.body


# -- at once ---------------------------------------------------------------------------------


def test_a_suspected_lex_sarah_goes_at_once_to_the_units_triagers_only(cast, filed):
    deviation = filed(hint_lex_sarah=True)
    # The unit manager classifies at Enhet A; not the department above, not the reporter, not
    # the staff of the unit or the sibling unit, not the administrator.
    assert recipients() == ["manager_a@cast.test"]
    message = mail.outbox[0]
    assert deviation.reference in message.subject
    assert deviation.reference in message.body
    assert "Enhet A" in message.body
    assert absolute_url(deviation.get_absolute_url()) in message.body
    assert_need_to_know(message)


@pytest.mark.parametrize("hint", ["hint_health_care", "hint_data_breach"])
def test_lex_maria_and_breach_suspicions_are_told_at_once_too(cast, filed, hint):
    filed(**{hint: True})
    assert recipients() == ["manager_a@cast.test"]


def test_a_serious_report_reaches_a_summary_reader_at_once(cast, filed):
    set_choice(cast.manager_a, ArrivalChoice.DIGEST, actor=cast.manager_a)
    filed(hint_data_breach=True)
    assert recipients() == ["manager_a@cast.test"]


def test_a_unit_without_a_manager_tells_the_nearest_level_above(cast, filed):
    filed(actor=cast.sibling, unit=cast.unit_b, hint_lex_sarah=True)
    assert recipients() == ["parent@cast.test"]


def test_the_reporter_is_not_told_of_their_own_report(cast, filed):
    filed(actor=cast.manager_a, hint_lex_sarah=True)
    assert mail.outbox == []


def test_a_plain_report_sends_nothing_at_once_by_default(cast, filed):
    filed()
    assert mail.outbox == []


def test_every_new_report_at_once_by_choice(cast, filed):
    set_choice(cast.manager_a, ArrivalChoice.EVERY, actor=cast.manager_a)
    deviation = filed()
    assert recipients() == ["manager_a@cast.test"]
    assert deviation.reference in mail.outbox[0].body
    assert_need_to_know(mail.outbox[0])


def test_a_rolled_back_filing_sends_nothing(cast, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.report(
            actor=cast.same_unit,
            unit=cast.unit_a,
            occurred_at=timezone.now() - timedelta(hours=1),
            description=DESCRIPTION,
            immediate_action=ACTION,
            service_user_affected="yes",
            hint_lex_sarah=True,
        )
        raise RuntimeError
    assert callbacks == [] and mail.outbox == []


def test_which_suspicions_count_is_rule_data(cast, filed, tmp_path, monkeypatch):
    rule = tmp_path / "arrival_notice.json"
    rule.write_text(json.dumps({"at_once_when_ticked": ["hint_data_breach"]}), encoding="utf-8")
    monkeypatch.setattr(arrival, "RULE_FILE", rule)
    arrival.at_once_fields.cache_clear()
    filed(hint_lex_sarah=True)
    assert mail.outbox == []
    filed(hint_data_breach=True)
    assert recipients() == ["manager_a@cast.test"]


def test_the_rule_data_must_name_yes_no_fields(tmp_path, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    rule = tmp_path / "arrival_notice.json"
    rule.write_text(json.dumps({"at_once_when_ticked": ["description"]}), encoding="utf-8")
    monkeypatch.setattr(arrival, "RULE_FILE", rule)
    arrival.at_once_fields.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        arrival.at_once_fields()


# -- the daily summary -----------------------------------------------------------------------


def test_the_summary_is_a_registered_periodic_task():
    assert PERIODIC_TASKS["arrival_digest"] is arrival.arrival_digest_task


def test_a_plain_report_comes_once_in_the_next_summary(cast, filed, digest):
    set_choice(cast.manager_a, ArrivalChoice.DIGEST, actor=cast.manager_a)
    plain = filed()
    serious = filed(hint_lex_sarah=True)
    mail.outbox.clear()  # the serious one went at once

    assert digest() == 1
    assert recipients() == ["manager_a@cast.test"]
    message = mail.outbox[0]
    assert plain.reference in message.body and "Enhet A" in message.body
    assert serious.reference not in message.body  # told of at once already
    assert plain.get_absolute_url() in message.body
    assert_need_to_know(message)
    assert DigestClaim.objects.get(recipient=cast.manager_a).count == 1

    # A second run, a retry of the same day: nothing.
    assert digest() == 0
    # The next day with nothing new: nothing; then a new report comes alone.
    tomorrow = timezone.now() + timedelta(days=1)
    assert digest(tomorrow) == 0
    assert len(mail.outbox) == 1
    later = filed()
    assert digest(tomorrow + timedelta(minutes=1)) == 1
    assert later.reference in mail.outbox[-1].body
    assert plain.reference not in mail.outbox[-1].body


def test_only_those_who_chose_the_summary_get_one(cast, filed, digest):
    filed()
    assert digest() == 0
    assert mail.outbox == []
    set_choice(cast.parent_manager, ArrivalChoice.DIGEST, actor=cast.parent_manager)
    filed()  # Enhet A is the unit manager's: the department manager is not responsible
    assert digest() == 0
    assert DigestClaim.objects.count() == 0


def test_the_claim_stops_an_overlapping_run(cast, filed, digest):
    set_choice(cast.manager_a, ArrivalChoice.DIGEST, actor=cast.manager_a)
    filed()
    day = timezone.localdate()
    DigestClaim.objects.create(
        recipient=cast.manager_a, day=day, since=timezone.now(), until=timezone.now()
    )
    assert digest() == 0
    assert mail.outbox == []


def test_no_summary_before_the_hour(cast, filed, digest, settings):
    settings.HJULET_DIGEST_HOUR = 24  # never reached
    set_choice(cast.manager_a, ArrivalChoice.DIGEST, actor=cast.manager_a)
    filed()
    assert digest() == 0


# -- the choice --------------------------------------------------------------------------------


def test_the_default_is_serious_reports_only(cast):
    assert choice_of(cast.manager_a) == ArrivalChoice.SERIOUS


def test_only_the_person_changes_their_choice(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        set_choice(cast.manager_a, ArrivalChoice.EVERY, actor=cast.admin)
    assert choice_of(cast.manager_a) == ArrivalChoice.SERIOUS


def test_the_settings_page_saves_the_choice(cast, login):
    client = login(cast.manager_a)
    url = reverse("notifications:settings")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<input type="radio"[^>]*value="serious"[^>]*checked', html)
    assert html.count("checked") == 1
    assert f'href="{url}"' in html  # the user menu links to it
    response = client.post(url, {"choice": "digest"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert choice_of(cast.manager_a) == ArrivalChoice.DIGEST
    assert "Ditt val har sparats." in response.content.decode()
    event = Event.objects.get(verb="notifications.arrival_choice_changed")
    assert event.actor == cast.manager_a and event.object_id == str(cast.manager_a.pk)


@pytest.mark.parametrize("data", [{"choice": "everything"}, {}])
def test_the_settings_page_refuses_bad_input_in_swedish_and_keeps_it(cast, login, data):
    set_choice(cast.manager_a, ArrivalChoice.EVERY, actor=cast.manager_a)
    client = login(cast.manager_a)
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["choice"] == ["Välj ett av alternativen."]
    assert form.data.get("choice") == data.get("choice")  # the input as given, not replaced
    assert "error-summary" in response.content.decode()
    assert choice_of(cast.manager_a) == ArrivalChoice.EVERY


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("notifications:settings"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_user_menu_offers_the_setting_only_to_those_who_get_the_e_mails(cast, login):
    url = reverse("notifications:settings")
    assert f'href="{url}"' in login(cast.manager_a).get(reverse("shell:start")).content.decode()
    for person in (cast.same_unit, cast.log_reviewer):
        assert f'href="{url}"' not in login(person).get(reverse("shell:start")).content.decode()
