from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risk analyses")

    def ready(self):
        from auditlog.registry import auditlog

        from risks import models, open_cases, verbs  # noqa: F401  (verbs: wording)
        from risks.seed import ensure_risk_data

        auditlog.register(models.RiskAnalysis, exclude_fields=["form_token"])
        auditlog.register(models.RiskEvent, exclude_fields=["form_token"])
        auditlog.register(models.Participant, exclude_fields=["form_token"])
        for model in (
            models.RiskMatrix,
            models.ParticipantFunction,
            models.FunctionRule,
            models.RiskAnalysisTransition,
            models.RiskReminder,
        ):
            auditlog.register(model)
        post_migrate.connect(ensure_risk_data, sender=self)

        # Mina uppgifter; the review reminders (a source of the notifications' reminder run).
        from risks import (  # noqa: F401
            inbox,
            kept_figures,  # the statistics are counted again when what they count changes
            registrations,  # noqa: F401  (the menu, the start page, load_demo)
            reminders,
        )
