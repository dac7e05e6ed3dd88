from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "processes"
    verbose_name = _("Processes")

    def ready(self):
        from auditlog.registry import auditlog

        from processes import models, open_cases, verbs  # noqa: F401  (verbs: wording)

        auditlog.register(models.Process, exclude_fields=["form_token"])
        auditlog.register(models.Activity)
        auditlog.register(models.Collaboration)

        from processes import registrations  # noqa: F401  (the menu, load_demo)
