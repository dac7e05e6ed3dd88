from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def log_sensitive_read(sender, user, obj, request=None, denied=False, **kwargs):
    """Receiver of accounts.signals.sensitive_read: one line of the access log."""
    from audit.services import log_read

    log_read(user, obj, request=request, denied=denied)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from auditlog.registry import auditlog

        from accounts.signals import sensitive_read
        from audit.models import AccessReview

        auditlog.register(AccessReview, m2m_fields={"entries"})
        sensitive_read.connect(log_sensitive_read, dispatch_uid="audit.log_sensitive_read")

        from audit import registrations  # noqa: F401  (the menu, the start page)
