from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from auditlog.registry import auditlog

        from audit.models import AccessReview

        auditlog.register(AccessReview, m2m_fields={"entries"})
