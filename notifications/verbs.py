"""The wording of the notifications' domain events (the history panel reads them)."""

from django.utils.translation import gettext_lazy as _

from audit.verbs import register

register(
    "notifications.arrival_choice_changed",
    _("E-mail about new reports set to “%(choice)s” by %(actor)s"),
)
