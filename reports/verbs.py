"""The wording of the yearly reports' audit events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("report.started", _("Report started by %(actor)s"))
register("report.written", _("Written from the registers"))
register("report.failed", _("Could not be written from the registers"))
register("report.rewritten", _("Written again from the registers, asked by %(actor)s"))
register("report.confirmed", _("Verdict of “%(chapter)s” confirmed (%(verdict)s) by %(actor)s"))
register(
    "report.overridden",
    _("Verdict of “%(chapter)s” changed to %(verdict)s, with a reason, by %(actor)s"),
)
register("report.authors_set", _("Authors of “%(chapter)s” set to %(names)s by %(actor)s"))
register("report.text_written", _("Text of “%(chapter)s” written by %(actor)s"))
register("report.commented", _("Comment on “%(chapter)s” by %(actor)s"))
