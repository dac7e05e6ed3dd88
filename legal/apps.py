from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Laws and regulations")

    def ready(self):
        from auditlog.registry import auditlog

        from legal.models import Applicability, Regulation, RegulationSection
        from legal.seed import ensure_register

        auditlog.register(Regulation)
        auditlog.register(RegulationSection)
        auditlog.register(Applicability)
        post_migrate.connect(ensure_register, sender=self)
