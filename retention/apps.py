from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention")

    def ready(self):
        from auditlog.registry import auditlog

        from notifications.tasks import register_periodic
        from retention import record_types, verbs  # noqa: F401  (fill the registries)
        from retention.models import LegalHold, RetentionRule, RetentionSetting
        from retention.seed import ensure_rules
        from retention.tasks import thin_records_task

        auditlog.register(RetentionRule)
        auditlog.register(LegalHold)
        auditlog.register(RetentionSetting)
        # After the law register: the rules refer to its sections.
        post_migrate.connect(ensure_rules, sender=self)
        # Queued on schedule; thins only once an organisation has turned the automatic run on.
        register_periodic("thin_records", thin_records_task)

        from retention import registrations  # noqa: F401  (the menu)
