"""Personal identity numbers are kept out of every free-text field (core/pin.py,
core/free_text.py): the variants people write, the numbers that only look like one, and a
check over every form of the project that each prose field is declared once."""

import contextlib
import importlib
from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from core.free_text import FreeTextMixin
from core.pin import find_personal_numbers, redact
from deviations import services
from deviations.models import Deviation

# Skatteverket's example 121212-1212, born 12 December 1912; Luhn-correct.
VARIANTS = [
    "19121212 1212",
    "19121212+1212",
    "121212/1212",
    "121212.1212",
    "12 12 12-1212",
    "121212_1212",
    "121212 1212",
    "19121212/1212",
    "19121212.1212",
    "19121212_1212",
    "12 12 12 1212",
    "121212-1212",
    "19121212-1212",
    "1212121212",
]


@pytest.mark.parametrize("written", VARIANTS)
def test_every_variant_is_found(written):
    assert find_personal_numbers(f"Brukaren ({written}) föll.") == [written]
    assert find_personal_numbers(f"{written}") == [written]


@pytest.mark.parametrize(
    "text",
    [
        "Händelsen 2026-12-02 14.30 i matsalen.",
        "Mötet 20261202 1430 i konferensrummet.",  # a timestamp, not a newborn
        "Kl 14.30 den 12/12, sedan 12.12.2026.",
        "Ring 070-123 45 67 eller 08-121 212 12.",
        "Tel 121212 1212.",  # a phone word before the number
        "Mobil 070 12 12 12-1212.",  # the tail of a longer run of pairs
        "Kostnad 121 212,12 kr och 121212.12 kr.",
        "Summa 1 212 121 212 kr.",
        "Version 1.121212.1212.3 installerades.",
        "Organisationsnummer 212000-0142.",  # month 20: never a date
        "Referens AV-2026-000415 och Dnr SN 2026/1212.",
        "Nummer 121212-1213.",  # fails Luhn
        "IP 10.121212.1212",
    ],
)
def test_ordinary_numbers_are_not_taken_for_one(text):
    assert find_personal_numbers(text, today=date(2026, 12, 2)) == []


def test_a_newborn_in_timestamp_form_is_still_found_when_the_tail_is_no_time():
    # 2026-11-30, serial 9xx: the tail 9xx-check is no time of day.
    number = "20261130 9" + _rest("2611309")
    assert find_personal_numbers(number, today=date(2026, 12, 2)) == [number]


def test_a_number_is_read_on_the_organisations_day_not_the_servers():
    """Just after midnight in Stockholm on New Year's Day (still 31 December in UTC), a child
    born that day is already a person: their number is found."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    number = "20270101 9" + _rest("2701019")
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        assert find_personal_numbers(number) == [number]


def _rest(nine_minus):
    """The last three digits that make YYMMDD + 9 + two digits Luhn-correct."""
    for serial in range(100):
        candidate = nine_minus + f"{serial:02d}"
        total = 0
        for i, char in enumerate(candidate):
            product = int(char) * (2 if i % 2 == 0 else 1)
            total += product - 9 if product > 9 else product
        check = (10 - total % 10) % 10
        return f"{serial:02d}{check}"


def test_redact_replaces_every_variant():
    text = " och ".join(VARIANTS[:6])
    assert find_personal_numbers(redact(text, "[borttaget]")) == []


# -- every form declares its prose fields -----------------------------------------------------

# Fields a person types into that are not prose about cases: searches that are never stored,
# names of things and codes, the protected identity itself.
NOT_PROSE = {
    ("ReportForm", "affected_person"),  # the protected field: where the number belongs
    ("CaseNumberForm", "registry_number"),
    ("BoardDecisionForm", "decision_body"),
    ("BoardDecisionForm", "paragraph"),
    ("BoardDecisionForm", "registry_number"),
    ("DecisionForm", "decision_body"),
    ("DecisionForm", "paragraph"),
    ("DecisionForm", "registry_number"),
    ("HolidayForm", "name"),
    ("RegulationForm", "short_name"),
    ("RegulationForm", "name"),
    ("RegulationForm", "number"),
    ("SectionForm", "reference"),
    ("SectionForm", "topic"),
    ("NodeForm", "code"),
    ("ProviderForm", "name"),
    ("ProviderForm", "organisation_number"),
    ("ProviderForm", "contract_reference"),
    ("NotificationContentForm", "contact_name"),
    ("NotificationContentForm", "contact_phone"),
    ("NotificationContentForm", "registry_number"),
    ("NotificationContentForm", "organisation_number"),
    ("NotificationContentForm", "own_reference"),
    ("HoldForm", "deviation"),  # a reference
    ("RuleForm", "name"),
    ("RuleForm", "reference_text"),
    # Feedback: how to reach the person, and the field only programs fill in (never stored).
    *(
        (form, name)
        for form in ("FeedbackFields", "PublicForm", "RegisterForm")
        for name in ("contact_name", "contact_phone", "contact_address")
    ),
    ("PublicForm", "website"),
    # Words copied from the feedback to be masked: a personal identity number among them is
    # exactly what is to be hidden (kept encrypted, shown only to the handlers).
    ("MaskForm", "passage"),
}
# Searches that are never stored, and the parts of a user account.
NOT_PROSE_NAMES = {"q", "person", "object_id", "username", "email", "password", "password1"}
NOT_PROSE_NAMES |= {"password2", "first_name", "last_name", "title", "phone", "token"}
NOT_PROSE_NAMES |= {"old_password", "new_password1", "new_password2"}
ACCOUNT_MODULES = ("accounts.admin", "people.forms")


def _project_forms():
    for config in apps.get_app_configs():
        if not config.path.startswith(str(apps.get_app_config("core").path).rsplit("/", 1)[0]):
            continue
        for module in ("forms", "authority.forms", "investigation.forms", "reporting.forms"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{config.name}.{module}")
    importlib.import_module(settings.ROOT_URLCONF)  # the views' own forms too
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    root = str(apps.get_app_config("core").path).rsplit("/", 1)[0]
    for cls in seen:
        module = importlib.import_module(cls.__module__)
        if getattr(module, "__file__", "").startswith(root) and "/.venv/" not in module.__file__:
            yield cls


def _prose_fields(cls):
    for name, field in getattr(cls, "base_fields", {}).items():
        if type(field) is not forms.CharField or isinstance(field.widget, forms.HiddenInput):
            continue
        if (cls.__name__, name) in NOT_PROSE:
            continue
        if name in NOT_PROSE_NAMES and (name != "title" or cls.__module__ in ACCOUNT_MODULES):
            continue
        if any(word in cls.__name__ for word in ("Filter", "Search", "Mixin")):
            continue  # searches are not stored; a mixin is checked in the forms built on it
        yield name


def test_every_prose_field_of_every_form_is_checked():
    missing = []
    found = 0
    for cls in _project_forms():
        declared = set(getattr(cls, "free_text_fields", ()))
        for name in _prose_fields(cls):
            found += 1
            if not issubclass(cls, FreeTextMixin) or name not in declared:
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert found > 30  # the walk reaches the modules' forms
    assert missing == [], "\n".join(sorted(missing))


# -- the forms answer with a message and keep the text ------------------------------------------


def _report(cast):
    from datetime import timedelta

    from django.utils import timezone

    return services.report(
        actor=cast.same_unit,
        unit=cast.unit_a,
        occurred_at=timezone.now() - timedelta(hours=1),
        description="Brukaren föll.",
        immediate_action="Sjuksköterska tillkallades.",
        service_user_affected="yes",
    )


def test_the_triage_reason_shown_to_the_reporter_refuses_a_number(cast, login):
    deviation = _report(cast)
    typed = "Ingen avvikelse, gäller brukaren 12 12 12-1212 som flyttat."
    response = login(cast.manager_a).post(
        reverse("deviations:triage", args=[deviation.pk]),
        {"kinds": ["not_deviation"], "reason": typed},
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["reason"]] == [
        "personal_number"
    ]
    assert typed in response.content.decode()
    assert Deviation.objects.get().tracks.count() == 0


@pytest.mark.parametrize(
    ("form_path", "data", "field"),
    [
        ("deviations.investigation.forms.TimelineForm", {"at": "2026-12-01T10:00"}, "text"),
        ("actions.forms.TransitionForm", {"to": "done"}, "reason"),
        ("actions.forms.EffectCheckForm", {"checked_on": "2026-12-01", "outcome": "yes"}, "result"),
        ("routines.forms.CommentForm", {}, "text"),
        ("routines.forms.WithdrawForm", {}, "reason"),
        ("deviations.authority.forms.NotNotifyForm", {}, "reason"),
    ],
)
@pytest.mark.parametrize("written", ["121212_1212", "19121212+1212"])
def test_forms_of_every_module_refuse_a_number(form_path, data, field, written):
    module, name = form_path.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    prefix = f"{cls.prefix}-" if getattr(cls, "prefix", None) else ""
    typed = f"Gäller {written}, se journalen."
    bound = {f"{prefix}{k}": v for k, v in {**data, field: typed}.items()}
    form = cls(bound)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()[field]] == ["personal_number"]
    assert form[field].value() == typed  # shown again as typed
    clean = cls({f"{prefix}{k}": v for k, v in {**data, field: "Tel 070-123 45 67"}.items()})
    clean.is_valid()
    assert field not in clean.errors
