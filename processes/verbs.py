"""The wording of the process register's domain events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("processes.created", _("Process created by %(actor)s"))
register("processes.updated", _("Process details changed by %(actor)s"))
register("processes.deactivated", _("Process taken out of use by %(actor)s"))
register("processes.reactivated", _("Process taken into use again by %(actor)s"))
register("processes.activity_added", _("Activity “%(activity)s” added by %(actor)s"))
register("processes.activity_updated", _("Activity “%(activity)s” changed by %(actor)s"))
register(
    "processes.activity_moved",
    _("Activity “%(activity)s” moved to step %(position)s by %(actor)s"),
)
register("processes.activity_removed", _("Activity “%(activity)s” removed by %(actor)s"))
register(
    "processes.routines_linked",
    _("Routines of activity “%(activity)s” set to “%(routines)s” by %(actor)s"),
)
register("processes.collaboration_added", _("Collaboration with %(partner)s added by %(actor)s"))
register(
    "processes.collaboration_updated", _("Collaboration with %(partner)s changed by %(actor)s")
)
register(
    "processes.collaboration_removed", _("Collaboration with %(partner)s removed by %(actor)s")
)
