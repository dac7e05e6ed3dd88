from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Deviations")

    def ready(self):
        from auditlog.registry import auditlog

        from deviations import open_cases, verbs  # noqa: F401  (open_cases: closing a unit)
        from deviations.investigation.models import Cause, Investigation, TimelineEntry
        from deviations.models import (
            Attachment,
            Clock,
            Deviation,
            EventCategory,
            Track,
            TrackTransition,
        )
        from deviations.seed import ensure_causes, ensure_event_categories

        # The protected identity is masked whole in the change log, which is read more widely:
        # the log shows that it changed, never what it holds; its search hashes stay out.
        auditlog.register(
            Deviation,
            exclude_fields=[
                "submission_key",
                "affected_person_pin_hash",
                "affected_person_name_hash",
            ],
            mask_fields=["affected_person"],
            mask_callable="core.crypto.mask_whole",
        )
        auditlog.register(Track, m2m_fields={"investigators"})
        auditlog.register(TrackTransition)
        auditlog.register(Clock)
        auditlog.register(Attachment)
        auditlog.register(Cause)
        auditlog.register(EventCategory)
        auditlog.register(Investigation, m2m_fields={"causes"})
        auditlog.register(TimelineEntry)
        from deviations.authority.models import AuthorityContact, AuthorityNotification

        auditlog.register(AuthorityNotification, exclude_fields=["updated_at"])
        auditlog.register(AuthorityContact)
        post_migrate.connect(ensure_causes, sender=self)
        post_migrate.connect(ensure_event_categories, sender=self)
        from accounts.need_to_know import register_source

        # Actions and other records made from a lex Sarah or lex Maria track follow its rule.
        register_source(Track, lambda user: Track.objects.not_readable_by(user))
        from deviations.clocks import recompute_for_holidays
        from legal.signals import holidays_changed

        holidays_changed.connect(recompute_for_holidays, dispatch_uid="deviation-clocks")

        # The daily summary of new reports (deviations/arrival.py).
        from deviations.arrival import arrival_digest_task
        from notifications.tasks import register_periodic

        register_periodic("arrival_digest", arrival_digest_task)

        # Mina uppgifter's sections and the clocks' deadline reminders (notifications).
        from deviations import (  # noqa: F401
            clock_reminders,
            inbox,
            registrations,  # noqa: F401  (the menu, the start page, load_demo)
        )
