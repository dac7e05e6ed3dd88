"""Rows the core keeps for every module."""

from django.db import models


class FigureState(models.Model):
    """The state of a kind of figures (core/kept.py): a new token whenever a record they are
    counted from changes, so figures kept under an older token are never read again."""

    topic = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.topic
