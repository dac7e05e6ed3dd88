from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Actions")

    def ready(self):
        from auditlog.registry import auditlog

        from actions import open_cases, verbs  # noqa: F401  (wording; what keeps a unit open)
        from actions.models import Action, ActionTransition

        # The token only stops a form from being sent twice; the generic relations are logged
        # through their id fields and read through their labels; the reverse relations are
        # other objects' changes.
        auditlog.register(
            Action,
            exclude_fields=["form_token", "source", "evidence", "follow_ups", "transitions"],
        )
        auditlog.register(ActionTransition)

        from actions import (
            inbox,  # noqa: F401  (the actions' section of Mina uppgifter)
            registrations,  # noqa: F401  (the menu, the start page)
        )
