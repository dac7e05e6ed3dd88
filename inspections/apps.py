from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Self-inspections")

    def ready(self):
        from auditlog.registry import auditlog

        from inspections import models, verbs  # noqa: F401  (verbs: wording)
        from inspections.seed import ensure_methods

        auditlog.register(models.ChecklistTemplate, exclude_fields=["form_token"])
        auditlog.register(models.PlanItem, exclude_fields=["form_token"])
        auditlog.register(
            models.Execution,
            exclude_fields=["form_token", "n_yes", "n_partly", "n_no", "n_na"],
        )
        for model in (
            models.Method,
            models.Question,
            models.TemplateChange,
            models.InspectionPlan,
            models.Occasion,
            models.ExecutionTransition,
            models.Answer,
            models.Sample,
            models.Finding,
            models.FindingTransition,
            models.EffectFollowUp,
            models.InspectionReminder,
        ):
            auditlog.register(model)
        post_migrate.connect(ensure_methods, sender=self)

        from inspections import effect, inbox, open_cases, registrations, reminders  # noqa: F401
