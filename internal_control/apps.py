from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InternalControlConfig(AppConfig):
    name = "internal_control"
    verbose_name = _("Internal control")

    def ready(self):
        from auditlog.registry import auditlog

        from internal_control import models, verbs  # noqa: F401  (verbs: wording)
        from internal_control.seed import ensure_methods

        for model in (models.InternalControlPlan, models.ControlPoint, models.ControlResult):
            auditlog.register(model, exclude_fields=["form_token"])
        auditlog.register(models.InternalControlReport, exclude_fields=["form_token"])
        for model in (
            models.ControlMethod,
            models.ReportingDate,
            models.PlanTransition,
            models.ReportTransition,
            models.ControlReminder,
        ):
            auditlog.register(model)
        post_migrate.connect(ensure_methods, sender=self)

        # Mina uppgifter; the reminders of reporting dates; the menu, start page and demo.
        from internal_control import inbox, registrations, reminders  # noqa: F401
