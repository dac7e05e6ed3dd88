from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Yearly reports")

    def ready(self):
        from auditlog.registry import auditlog

        # inbox: Mina uppgifter; reminders: the e-mails before a report's due date.
        from reports import inbox, models, registrations, reminders, verbs  # noqa: F401

        for model in (
            models.Report,
            models.Chapter,
            models.Comment,
            models.PublishedVersion,
            models.WordTemplate,
            models.ReportReminder,
        ):
            auditlog.register(model)
