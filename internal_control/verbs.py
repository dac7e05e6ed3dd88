"""The wording of the internal control plans' audit events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("internal_control.plan_created", _("Internal control plan created by %(actor)s"))
register("internal_control.point_added", _("Control point “%(what)s” added by %(actor)s"))
register("internal_control.point_changed", _("Control point “%(what)s” changed by %(actor)s"))
register(
    "internal_control.drafted_from_analysis",
    _("%(count)s control points drafted from the risk analysis “%(analysis)s” by %(actor)s"),
)
register("internal_control.point_removed", _("Control point “%(what)s” removed by %(actor)s"))
register(
    "internal_control.plan_approved",
    _("Board decision %(decision)s recorded by %(actor)s"),
)
register("internal_control.plan_reopened", _("Reopened by %(actor)s: %(reason)s"))
register(
    "internal_control.result_recorded",
    _("Result “%(outcome)s” for %(date)s recorded by %(actor)s"),
)
register("internal_control.report_created", _("Report (%(period)s) created by %(actor)s"))
register(
    "internal_control.report_approved",
    _("Board decision on the report %(decision)s recorded by %(actor)s"),
)
register("internal_control.report_reopened", _("Report reopened by %(actor)s: %(reason)s"))
