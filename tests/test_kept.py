"""Figures kept until what they count changes (core/kept.py)."""

import pytest
from django.db import transaction

from core.kept import changed, kept, kept_each

pytestmark = pytest.mark.django_db


def test_figures_are_counted_again_only_after_their_topic_changes():
    counted = []

    def count():
        counted.append(1)
        return len(counted)

    assert kept(("a",), "key", count) == 1
    assert kept(("a",), "key", count) == 1
    changed("b")
    assert kept(("a",), "key", count) == 1
    changed("a")
    assert kept(("a",), "key", count) == 2
    assert kept(("a",), "other key", count) == 3


def test_a_change_rolled_back_leaves_the_figures_kept_for_the_rows_that_stayed():
    assert kept(("a",), "k", lambda: "first") == "first"
    with pytest.raises(RuntimeError), transaction.atomic():
        changed("a")
        assert kept(("a",), "k", lambda: "inside") == "inside"
        raise RuntimeError
    assert kept(("a",), "k", lambda: "again") == "first"


def test_parts_not_kept_are_counted_together():
    calls = []

    def count(missing):
        calls.append(sorted(missing))
        return {part: f"{part} counted" for part in missing}

    parts = {year: (("all", f"y{year}"), ("page", year)) for year in (2024, 2025, 2026)}
    assert kept_each(parts, count) == {y: f"{y} counted" for y in (2024, 2025, 2026)}
    changed("y2026")
    kept_each(parts, count)
    changed("all")
    kept_each(parts, count)
    assert calls == [[2024, 2025, 2026], [2026], [2024, 2025, 2026]]
