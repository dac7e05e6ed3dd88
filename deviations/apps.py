from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Deviations")

    def ready(self):
        from auditlog.registry import auditlog

        from deviations import verbs  # noqa: F401
        from deviations.models import (
            Attachment,
            Cause,
            Clock,
            Deviation,
            Investigation,
            TimelineEntry,
            Track,
            TrackTransition,
        )
        from deviations.seed import ensure_causes

        # The protected identity is masked in the change log: the log is read more widely.
        auditlog.register(
            Deviation, exclude_fields=["submission_key"], mask_fields=["affected_person"]
        )
        auditlog.register(Track, m2m_fields={"investigators"})
        auditlog.register(TrackTransition)
        auditlog.register(Clock)
        auditlog.register(Attachment)
        auditlog.register(Cause)
        auditlog.register(Investigation, m2m_fields={"causes"})
        auditlog.register(TimelineEntry)
        from deviations.notifications import AuthorityContact, AuthorityNotification

        auditlog.register(AuthorityNotification, exclude_fields=["updated_at"])
        auditlog.register(AuthorityContact)
        post_migrate.connect(ensure_causes, sender=self)
        from deviations.clock_refresh import recompute_for_holidays
        from legal.signals import holidays_changed

        holidays_changed.connect(recompute_for_holidays, dispatch_uid="deviation-clocks")
