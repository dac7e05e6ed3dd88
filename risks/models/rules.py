"""Which functions a risk analysis needs among its participants (the rule table is data:
risks/data/functions.json and risks/data/function_rules.json, loaded by risks/seed.py, editable
in the admin).

A rule applies always, or when the analysis has health care or the work environment in scope;
it is met when one participant has one of the rule's functions (MAS or a nurse, for instance).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantFunction(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("function in a risk analysis")
        verbose_name_plural = _("functions in risk analyses")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Condition(models.TextChoices):
    ALWAYS = "always", _("Always")
    HEALTH_CARE = "health_care", _("When health care is in scope")
    WORK_ENVIRONMENT = "work_environment", _("When the work environment is in scope")


class FunctionRule(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    condition = models.CharField(_("applies"), max_length=20, choices=Condition.choices)
    functions = models.ManyToManyField(
        ParticipantFunction,
        related_name="rules",
        verbose_name=_("functions"),
        help_text=_("One participant with one of these functions meets the rule."),
    )
    text = models.CharField(
        _("what is required"),
        max_length=200,
        help_text=_("Shown in the warning when no participant meets the rule."),
    )
    reference = models.CharField(_("basis"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("rule on required functions")
        verbose_name_plural = _("rules on required functions")
        ordering = ["code"]

    def __str__(self):
        return self.text

    def applies_to(self, analysis):
        if self.condition == Condition.HEALTH_CARE:
            return analysis.health_care_in_scope
        if self.condition == Condition.WORK_ENVIRONMENT:
            return analysis.work_environment_in_scope
        return True
