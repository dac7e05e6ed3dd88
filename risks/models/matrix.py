"""The risk matrix (riskmatris): likelihood × consequence, configured per organisation.

One matrix per organisation root node (`root`); the matrix without a root is the default every
organisation without its own uses (risks/data/default_matrix.json: the common Swedish 4×4,
sannolikhet and konsekvens 1–4, risk value = the product, high at 8 or more or at the highest
consequence). A matrix names its axis steps (lowest first) and its risk levels, each with the
lowest risk value that reaches it, a label and a colour; `top_consequence_level` is the level
every event of the highest consequence reaches whatever its value.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Score:
    """One scored event: its value, the level reached, and how the level is shown."""

    likelihood: int
    consequence: int
    value: int
    level: str
    label: str
    colour: str
    rank: int  # 0 for the lowest level


class RiskMatrix(models.Model):
    root = models.OneToOneField(
        "organisation.OrgNode",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risk_matrix",
        verbose_name=_("organisation"),
        help_text=_("Empty: the default matrix of every organisation without its own."),
    )
    name = models.CharField(_("name"), max_length=120)
    likelihood_labels = models.JSONField(
        _("likelihood steps"), help_text=_("The names of the steps, lowest first.")
    )
    consequence_labels = models.JSONField(
        _("consequence steps"), help_text=_("The names of the steps, lowest first.")
    )
    levels = models.JSONField(
        _("risk levels"),
        help_text=_(
            'Lowest first: [{"code": "low", "label": "Låg", "min": 1, "colour": "#2e7d32"}, …]; '
            "a level is reached at its lowest risk value."
        ),
    )
    top_consequence_level = models.CharField(
        _("level at the highest consequence"),
        max_length=30,
        blank=True,
        help_text=_("The code of the level every event of the highest consequence reaches."),
    )
    is_example = models.BooleanField(_("example to edit"), default=False)

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")

    def __str__(self):
        return self.name

    @property
    def likelihood_size(self):
        return len(self.likelihood_labels)

    @property
    def consequence_size(self):
        return len(self.consequence_labels)

    def clean(self):
        errors = {}
        for name in ("likelihood_labels", "consequence_labels"):
            value = getattr(self, name)
            if not isinstance(value, list) or not 2 <= len(value) <= 10:
                errors[name] = _("Give between 2 and 10 steps.")
        levels = self.levels
        if not isinstance(levels, list) or not levels:
            errors["levels"] = _("Give at least one risk level.")
        else:
            previous = 0
            for level in levels:
                if not isinstance(level, dict) or not {"code", "label", "min", "colour"} <= set(
                    level
                ):
                    errors["levels"] = _("Each level needs a code, a label, a minimum, a colour.")
                    break
                if not COLOUR.match(str(level["colour"])):
                    errors["levels"] = _("Colours are written #rrggbb.")
                    break
                if not isinstance(level["min"], int) or level["min"] <= previous:
                    errors["levels"] = _("The minimums must rise from the lowest level up.")
                    break
                previous = level["min"]
            codes = {str(level.get("code")) for level in levels if isinstance(level, dict)}
            if self.top_consequence_level and self.top_consequence_level not in codes:
                errors["top_consequence_level"] = _("Name one of the levels' codes.")
        if errors:
            raise ValidationError(errors)

    def score(self, likelihood, consequence):
        """The event's value (likelihood × consequence), its level and colour."""
        if not (1 <= likelihood <= self.likelihood_size):
            raise ValueError("likelihood outside the matrix")
        if not (1 <= consequence <= self.consequence_size):
            raise ValueError("consequence outside the matrix")
        value = likelihood * consequence
        rank = 0
        for index, level in enumerate(self.levels):
            if value >= level["min"]:
                rank = index
        if self.top_consequence_level and consequence == self.consequence_size:
            top = self.level_rank(self.top_consequence_level)
            rank = max(rank, top)
        level = self.levels[rank]
        return Score(
            likelihood, consequence, value, level["code"], level["label"], level["colour"], rank
        )

    def level_rank(self, code):
        for index, level in enumerate(self.levels):
            if level["code"] == code:
                return index
        return 0

    def level_label(self, code):
        for level in self.levels:
            if level["code"] == code:
                return level["label"]
        return code

    def grid(self, counts=None):
        """Rows of the heat map, highest consequence first: (consequence, label, cells); each
        cell is (likelihood, score, count) with the count of events in `counts`."""
        counts = counts or {}
        rows = []
        for consequence in range(self.consequence_size, 0, -1):
            cells = [
                (
                    likelihood,
                    self.score(likelihood, consequence),
                    counts.get((likelihood, consequence), 0),
                )
                for likelihood in range(1, self.likelihood_size + 1)
            ]
            rows.append((consequence, self.consequence_labels[consequence - 1], cells))
        return rows


def matrix_for(node):
    """The matrix of the node's organisation, or the default one."""
    found = {
        m.root_id: m
        for m in RiskMatrix.objects.filter(models.Q(root_id=node.root_id) | models.Q(root=None))
    }
    return found.get(node.root_id) or found.get(None)
