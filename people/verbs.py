"""Event wordings of user administration and two-factor authentication (the verbs keep their
`accounts.` names: they are stored in the events)."""

from django.utils.translation import gettext_lazy as _

from audit import verbs

verbs.register("accounts.user_reactivated", _("Account reactivated by %(actor)s"))
verbs.register("accounts.invitation_sent", _("Invitation sent by %(actor)s"))
verbs.register("accounts.two_factor_enabled", _("Two-factor authentication turned on"))
verbs.register("accounts.two_factor_disabled", _("Two-factor authentication turned off"))
verbs.register("accounts.two_factor_reset", _("Two-factor authentication reset by %(actor)s"))
verbs.register("accounts.backup_codes_renewed", _("New backup codes made"))
