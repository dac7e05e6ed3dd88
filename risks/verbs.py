"""The wording of the risk analyses' domain events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("risks.created", _("Risk analysis started by %(actor)s"))
register("risks.updated", _("Risk analysis changed by %(actor)s: %(fields)s"))
register("risks.assessed", _("Risk analysis marked as assessed by %(actor)s"))
register("risks.decided", _("Risk analysis decided by %(actor)s"))
register("risks.closed", _("Risk analysis closed by %(actor)s"))
register("risks.reopened", _("Risk analysis reopened by %(actor)s: %(reason)s"))
register("risks.reviewed", _("Risk analysis reviewed by %(actor)s; next review %(next)s"))
register("risks.participant_added", _("Participant %(name)s (%(function)s) added by %(actor)s"))
register("risks.participant_removed", _("Participant %(name)s (%(function)s) removed by %(actor)s"))
register("risks.event_added", _("Event “%(event)s” (%(level)s) added by %(actor)s"))
register("risks.event_updated", _("Event “%(event)s” (%(level)s) changed by %(actor)s"))
register("risks.event_removed", _("Event “%(event)s” removed by %(actor)s"))
register(
    "risks.residual_scored",
    _("Risk after the measures for “%(event)s” (%(level)s) recorded by %(actor)s"),
)
register("risks.measure_added", _("Measure “%(title)s” added by %(actor)s"))
