from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Yearly reports")

    def ready(self):
        from auditlog.registry import auditlog

        from reports import models, registrations, verbs  # noqa: F401

        for model in (models.Report, models.Chapter, models.Comment, models.PublishedVersion):
            auditlog.register(model)
