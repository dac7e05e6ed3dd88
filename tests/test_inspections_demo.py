"""The demo: the starter library marked as examples, two years of executions through the
services, an overdue occasion, actions of findings and a recorded effect; run twice, the same."""

import pytest
from django.utils import timezone

from inspections.demo import load_demo_inspections
from inspections.models import ChecklistTemplate, EffectFollowUp, Execution, Finding, Occasion

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_library_and_two_years_of_history():
    from organisation.demo import load_demo

    load_demo()
    library = load_demo_inspections()
    assert len(library) == 7
    assert all(t.is_example for t in library.values())
    assert library["lex_sarah"].questions.filter(legal_section__isnull=False).exists()
    years = set(Execution.objects.values_list("performed_on__year", flat=True))
    today = timezone.localdate()
    assert today.year - 1 in years
    assert Occasion.objects.overdue().filter(item__plan__unit__name="Hemtjänst Norr").exists()
    assert Finding.objects.filter(state="action").exists()
    assert EffectFollowUp.objects.filter(execution__isnull=False).exists()
    counts = (Execution.objects.count(), ChecklistTemplate.objects.count())
    load_demo_inspections()
    assert (Execution.objects.count(), ChecklistTemplate.objects.count()) == counts
