"""Themes of feedback (issue 12, point 6): a catalogue that is data, shared with the deviations'
kinds of event where they overlap; set at the confirmation, at registration or on its own,
filtered in the list and counted in the statistics."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import Event
from feedback import statistics
from feedback.models import Theme
from feedback.services import handling
from tests.feedback_helpers import public, registered

pytestmark = pytest.mark.django_db


def test_the_catalogue_names_the_deviations_kind_where_they_overlap():
    conduct = Theme.objects.get(code="bemotande")
    assert conduct.event_category is not None and conduct.event_category.code == "conduct"
    assert Theme.objects.get(code="mat").event_category is None


def test_a_theme_is_set_counted_and_filtered(cast, login):
    meals = Theme.objects.get(code="mat")
    conduct = Theme.objects.get(code="bemotande")
    first, _token = public(cast)
    handling.acknowledge(first, actor=cast.manager_a, theme=meals)
    second = registered(cast, theme=conduct)
    public(cast)  # not stated
    assert first.theme == meals and second.theme == conduct
    assert Event.objects.filter(verb="feedback.theme_set").count() == 1
    handling.set_theme(first, actor=cast.manager_a, theme=conduct)
    figures = statistics.year_figures(cast.dept, [first.received_at.year])[first.received_at.year]
    assert figures.by_theme[conduct.pk] == 2 and figures.by_theme[None] == 1
    client = login(cast.manager_a)
    page = client.get(reverse("feedback:list"), {"show": "all", "theme": conduct.pk})
    assert page.context["page"].paginator.count == 2
    retired = Theme.objects.create(code="gammal", name="Gammalt", is_active=False)
    with pytest.raises(ValidationError):
        handling.set_theme(first, actor=cast.manager_a, theme=retired)
    response = client.post(reverse("feedback:theme", args=[first.pk]), {"theme": meals.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.theme == meals
