"""The wording of the actions' domain events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("actions.created", _("Action created by %(actor)s"))
register("actions.follow_up_created", _("Follow-up action created by %(actor)s"))
register("actions.updated", _("Action details changed by %(actor)s"))
register("actions.owner_changed", _("Owner changed to %(owner)s by %(actor)s"))
register("actions.started", _("Started by %(actor)s"))
register("actions.completed", _("Marked as done by %(actor)s"))
register(
    "actions.completed_with_evidence",
    _("Completed by %(evidence)s, recorded by %(actor)s"),
)
register("actions.cancelled", _("Cancelled by %(actor)s: %(reason)s"))
register("actions.reopened", _("Reopened by %(actor)s: %(reason)s"))
register("actions.effect_checked", _("Effect checked by %(actor)s: %(outcome)s"))
