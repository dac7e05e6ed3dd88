"""The wording of the routines' domain events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("routines.created", _("Routine created by %(actor)s"))
register(
    "routines.draft_updated", _("Draft of version %(version)s changed by %(actor)s (%(fields)s)")
)
register("routines.version_started", _("Version %(version)s started by %(actor)s"))
register(
    "routines.submitted", _("Version %(version)s sent for review by %(actor)s to %(reviewers)s")
)
register("routines.commented", _("Comment on version %(version)s by %(actor)s"))
register("routines.review_given", _("Review of version %(version)s given by %(actor)s"))
register("routines.sent_back", _("Version %(version)s sent back to draft by %(actor)s: %(note)s"))
register("routines.approved", _("Version %(version)s approved by %(actor)s as %(approved_as)s"))
register(
    "routines.approved_outside",
    _("Version %(version)s recorded by %(actor)s as approved by %(approved_as)s, %(approved_on)s"),
)
register(
    "routines.scheduled", _("Version %(version)s to be published on %(effective_from)s (%(actor)s)")
)
register(
    "routines.published",
    _("Version %(version)s published by %(actor)s, in force from %(effective_from)s"),
)
register("routines.superseded", _("Version %(version)s superseded: %(note)s"))
register("routines.withdrawn", _("Version %(version)s withdrawn by %(actor)s: %(note)s"))
register("routines.abandoned", _("Version %(version)s abandoned by %(actor)s: %(note)s"))
register("routines.replaced", _("Version %(version)s withdrawn: %(note)s"))
register("routines.proposed", _("Proposed to %(to)s by %(actor)s"))
register("routines.proposal_adopted", _("Adopted for %(to)s by %(actor)s"))
register("routines.proposal_declined", _("Proposal to %(to)s declined by %(actor)s: %(note)s"))
register("routines.adopted", _("Created by %(actor)s from the unit's routine %(source)s"))
register("routines.linked_to_action", _("Version %(version)s linked to an action by %(actor)s"))
register("routines.revision_started", _("Revision of routine %(routine)s started by %(actor)s"))
register(
    "routines.imported",
    _("Imported by %(actor)s from “%(file)s” (row %(row)s of the list “%(index)s”)"),
)
register(
    "routines.import_run",
    _(
        "Routines imported by %(actor)s from the list “%(index)s”: %(imported)s new, "
        "%(already)s already here, %(rejected)s refused, %(unlisted)s files not listed"
    ),
)
