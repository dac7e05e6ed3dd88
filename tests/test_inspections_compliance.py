"""Compliance arithmetic: ej aktuellt left out, delvis shown apart, roll-up weighted by answers;
the sample draw is reproducible."""

import pytest

from inspections import compliance
from inspections.compliance import Counts
from inspections.models import Execution, Occasion, Sample
from inspections.services.execution import start_execution
from inspections.services.sample import draw, draw_sample, parse_population
from tests.inspections_helpers import execute, plan_item, template

pytestmark = pytest.mark.django_db


def test_not_applicable_is_left_out_and_partly_is_shown_apart():
    counts = Counts(yes=3, partly=1, no=1, na=5)
    assert counts.answered == 5
    assert counts.compliance == pytest.approx(0.6)
    assert counts.partly_share == pytest.approx(0.2)
    assert Counts(na=4).compliance is None
    assert compliance.percent(None) is None
    assert compliance.percent(2 / 3) == 67


def test_the_roll_up_is_weighted_by_answers_not_by_executions():
    small = Counts(yes=1, no=0)  # 100 %
    large = Counts(yes=1, no=3)  # 25 %
    assert (small + large).compliance == pytest.approx(2 / 5)  # not (100 + 25) / 2


def test_an_execution_keeps_its_counts_and_the_tree_sums_them(cast):
    checklist = template(cast, questions=["a", "b", "c", "d"])
    item_a = plan_item(cast, checklist)
    execute(cast, ["yes", "yes", "no", "na"], item=item_a)
    item_b = plan_item(cast, checklist, unit=cast.unit_b, responsible=cast.parent_manager)
    execute(cast, ["partly", "no", "na", "na"], item=item_b)
    first = Execution.objects.get(unit=cast.unit_a)
    assert (first.n_yes, first.n_partly, first.n_no, first.n_na) == (2, 0, 1, 1)
    assert compliance.of_execution(first).compliance == pytest.approx(2 / 3)
    everything = compliance.total(Execution.objects.all())
    assert (everything.yes, everything.partly, everything.no, everything.na) == (2, 1, 2, 3)
    assert everything.compliance == pytest.approx(2 / 5)
    per_unit = compliance.by_unit(Execution.objects.all(), [cast.unit_a, cast.unit_b, cast.dept])
    assert per_unit[cast.unit_a.pk].compliance == pytest.approx(2 / 3)
    assert per_unit[cast.unit_b.pk].compliance == 0
    assert per_unit[cast.dept.pk].answered == 5
    # Per question: the first question was "yes" in A and "partly" in B.
    first_question = checklist.questions.order_by("order").first()
    year = first.performed_on.year
    per_question = compliance.by_question(Execution.objects.all())
    assert per_question[(first_question.pk, year)].compliance == pytest.approx(0.5)
    assert Occasion.objects.filter(done_on__isnull=False).count() == 2


def test_drafts_do_not_count(cast):
    item = plan_item(cast)
    start_execution(actor=None, occasion=item.occasions.first())
    assert compliance.total(Execution.objects.all()).answered == 0


def test_the_same_list_and_seed_draw_the_same_sample():
    population = [f"DNR-{i}" for i in range(200)]
    assert draw(population, 10, 42) == draw(list(population), 10, 42)
    assert draw(population, 10, 42) != draw(population, 10, 43)
    assert len(set(draw(population, 10, 42))) == 10
    assert draw(population[:3], 10, 1) and len(draw(population[:3], 10, 1)) == 3


def test_the_drawn_sample_is_stored_with_its_seed_and_can_be_repeated(cast):
    item = plan_item(cast)
    execution = start_execution(actor=cast.manager_a, occasion=item.occasions.first())
    text = "A-1\nA-2; A-3, A-4\nA-2\n\n" + "\n".join(f"B-{i}" for i in range(30))
    sample = draw_sample(execution, actor=cast.manager_a, text=text, size=5)
    assert parse_population(text)[:4] == ["A-1", "A-2", "A-3", "A-4"]
    assert len(sample.population) == 34  # the repeat of A-2 dropped
    stored = Sample.objects.get(execution=execution)
    assert stored.drawn == draw(parse_population(text), 5, stored.seed)
    # A second draw for the same execution keeps the first.
    again = draw_sample(execution, actor=cast.manager_a, text="X-1\nX-2", size=1)
    assert again.pk == sample.pk and again.drawn == sample.drawn


def test_a_list_with_personal_identity_numbers_is_refused(cast):
    from django.core.exceptions import ValidationError

    item = plan_item(cast)
    execution = start_execution(actor=cast.manager_a, occasion=item.occasions.first())
    with pytest.raises(ValidationError):
        draw_sample(execution, actor=cast.manager_a, text="19121212-1212\nA-1", size=1)
