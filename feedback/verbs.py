"""The wording of feedback's audit events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("feedback.submitted", _("Received through the web form"))
register("feedback.registered", _("Registered by %(actor)s (received through %(channel)s)"))
register("feedback.acknowledged", _("Receipt confirmed by %(actor)s"))
register("feedback.forwarded", _("Forwarded from %(source)s to %(target)s by %(actor)s"))
register("feedback.note_added", _("Note added by %(actor)s"))
register("feedback.answered", _("Answered by %(actor)s"))
register("feedback.praise_passed_on", _("Praise passed on to %(count)s people by %(actor)s"))
register("feedback.closed", _("Closed by %(actor)s"))
register("feedback.reopened", _("Reopened by %(actor)s"))
register("feedback.released", _("Released to its unit by %(actor)s"))
register("feedback.discarded", _("Discarded as abuse by %(actor)s"))
register("feedback.unit_moved", _("Moved from %(source)s to %(target)s by %(actor)s"))
register("feedback.deviation_opened", _("Deviation report %(deviation)s opened by %(actor)s"))
register("feedback.theme_set", _("Theme set to %(theme)s by %(actor)s"))
register("feedback.passage_masked", _("A passage marked to be masked (%(ground)s) by %(actor)s"))
register("feedback.passage_unmasked", _("A masking removed (%(ground)s) by %(actor)s"))
register("feedback.copy_released", _("A masked copy released as a public document by %(actor)s"))
