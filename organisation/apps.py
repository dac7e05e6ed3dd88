from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation and responsibility")

    def ready(self):
        from auditlog.registry import auditlog

        from organisation.models import OrgNode, Provider, RoleDuty, Service
        from organisation.seed import ensure_services

        auditlog.register(OrgNode, m2m_fields={"services"})
        auditlog.register(Provider)
        auditlog.register(Service)
        auditlog.register(RoleDuty)
        post_migrate.connect(ensure_services, sender=self)

        from organisation import registrations  # noqa: F401  (the menu, the start page)
