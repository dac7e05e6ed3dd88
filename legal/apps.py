from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Laws and regulations")

    def ready(self):
        from auditlog.registry import auditlog

        from legal.models import Applicability, Regulation, RegulationSection
        from legal.rules import DeadlineRule, Holiday, TrackRule
        from legal.seed import ensure_register, ensure_rules

        auditlog.register(Regulation)
        auditlog.register(RegulationSection)
        auditlog.register(Applicability)
        auditlog.register(TrackRule, m2m_fields={"sections", "reader_roles"})
        auditlog.register(DeadlineRule)
        auditlog.register(Holiday)
        post_migrate.connect(ensure_register, sender=self)
        # After the register and the roles: the rules refer to both.
        post_migrate.connect(ensure_rules, sender=self)

        from legal import registrations  # noqa: F401  (the menu, the start page)
