from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Complaints and opinions")

    def ready(self):
        from auditlog.registry import auditlog

        from feedback import models, verbs  # noqa: F401  (verbs: wording)
        from feedback.seed import ensure_masking_grounds, ensure_targets, ensure_themes

        # Contact details and the link's token are encrypted: the change log keeps no copy.
        auditlog.register(
            models.Feedback,
            exclude_fields=[
                "contact_name",
                "contact_email",
                "contact_phone",
                "contact_address",
                "public_token",
                "public_token_hash",
                "contact_name_hash",
                "submission_key",
            ],
        )
        for model in (
            models.FeedbackTransition,
            models.TargetRule,
            models.Theme,
            models.Note,
            models.Reminder,
            models.Attachment,
            models.MaskingGround,
        ):
            auditlog.register(model)
        auditlog.register(models.Masking, exclude_fields=["passage"])
        post_migrate.connect(ensure_targets, sender=self)
        post_migrate.connect(ensure_themes, sender=self)
        post_migrate.connect(ensure_masking_grounds, sender=self)

        from feedback import (  # noqa: F401
            inbox,
            kept_figures,  # the statistics are counted again when what they count changes
            open_cases,
            origins,
            registrations,
            reminders,
            retention,  # a record type of the retention rules
        )
