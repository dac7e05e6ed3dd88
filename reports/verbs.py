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
register("report.send_for_review", _("Sent for review by %(actor)s"))
register("report.back_to_draft", _("Back to the draft, by %(actor)s: %(reason)s"))
register(
    "report.approve",
    _("Approved by %(body)s %(paragraph)s, Dnr %(registry_number)s; recorded by %(actor)s"),
)
register("report.new_version", _("A new version started by %(actor)s"))
register(
    "report.word_template_set",
    _("Word template for the yearly reports “%(name)s” uploaded by %(actor)s"),
)
register(
    "report.word_template_replaced",
    _("Word template for the yearly reports replaced by “%(name)s”, by %(actor)s"),
)
register(
    "report.word_template_removed",
    _("Word template for the yearly reports “%(name)s” removed by %(actor)s"),
)
