"""The wording of self-inspection's audit events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("inspections.template_created", _("Checklist created by %(actor)s"))
register("inspections.template_adapted", _("Checklist adapted for the unit by %(actor)s"))
register("inspections.question_added", _("Question added by %(actor)s: %(question)s"))
register("inspections.question_changed", _("Question changed by %(actor)s: %(question)s"))
register("inspections.question_removed", _("Question removed by %(actor)s: %(question)s"))
register("inspections.plan_created", _("Plan of self-inspection created by %(actor)s"))
register("inspections.item_added", _("%(subject)s added to the plan by %(actor)s"))
register("inspections.execution_started", _("Self-inspection started by %(actor)s"))
register("inspections.answers_saved", _("Answers saved by %(actor)s"))
register("inspections.sample_drawn", _("Sample of %(drawn)s records drawn by %(actor)s"))
register("inspections.execution_completed", _("Self-inspection completed by %(actor)s"))
register("inspections.finding_added", _("Finding recorded by %(actor)s"))
register("inspections.finding_action", _("Action made of a finding by %(actor)s"))
register("inspections.finding_closed", _("Finding closed by %(actor)s: %(reason)s"))
register(
    "inspections.effect_handed_over",
    _("Effect to be followed up in the self-inspection “%(checklist)s” by %(actor)s"),
)
register("inspections.effect_recorded", _("Effect of the action “%(action)s” recorded"))
register(
    "inspections.item_changed",
    _("%(subject)s changed by %(actor)s (responsible: %(responsible)s)"),
)
register("inspections.template_retired", _("Checklist taken out of use by %(actor)s"))
register("inspections.template_restored", _("Checklist taken into use again by %(actor)s"))
register(
    "inspections.item_removed",
    _("%(subject)s taken off the plan by %(actor)s: %(reason)s"),
)
