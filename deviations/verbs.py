from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("deviations.reported", _("Reported by %(actor)s"))
register("deviations.triaged", _("Classified as %(tracks)s by %(actor)s"))
register("deviations.track_moved", _("%(track)s: %(state)s (%(actor)s)"))
register("deviations.serious_decided", _("%(track)s judged %(verdict)s by %(actor)s"))
register("deviations.investigation_saved", _("%(track)s: investigation updated by %(actor)s"))
register("deviations.attachment_added", _("File %(name)s added by %(actor)s"))
