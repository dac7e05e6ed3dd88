from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("deviations.reported", _("Reported by %(actor)s"))
register("deviations.triaged", _("Classified as %(tracks)s by %(actor)s"))
register(
    "deviations.aware_changed",
    _("When the organisation became aware changed from %(old)s to %(new)s by %(actor)s"),
)
register("deviations.category_set", _("Kind of event set to %(new)s by %(actor)s"))
register(
    "deviations.category_changed",
    _("Kind of event changed from %(old)s to %(new)s by %(actor)s"),
)
register("deviations.track_moved", _("%(track)s: %(state)s (%(actor)s)"))
register("deviations.serious_decided", _("%(track)s judged %(verdict)s by %(actor)s"))
register("deviations.investigation_saved", _("%(track)s: investigation updated by %(actor)s"))
register("deviations.attachment_added", _("File %(name)s added by %(actor)s"))
register("deviations.notification_created", _("%(recipient)s: notification drafted by %(actor)s"))
register("deviations.notification_saved", _("%(recipient)s: notification updated by %(actor)s"))
register("deviations.notification_sent", _("%(recipient)s: sent by %(actor)s (%(channel)s)"))
register(
    "deviations.notification_not_notified",
    _("%(recipient)s: documented as not notified by %(actor)s"),
)
register(
    "deviations.notification_reconsidered",
    _("%(recipient)s: decision not to notify reconsidered by %(actor)s"),
)
register(
    "deviations.notification_registry_number",
    _("%(recipient)s: registry number %(registry_number)s recorded by %(actor)s"),
)
register("deviations.notification_contact", _("%(recipient)s: %(kind)s recorded by %(actor)s"))
