"""The wording of the privacy module's domain events."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register("privacy.searched", _("Search for one person's records by %(actor)s (%(count)s found)"))
register("privacy.exported", _("Register extract of %(count)s records made by %(actor)s"))
