from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = _("Routines")

    def ready(self):
        from auditlog.registry import auditlog

        from routines import models, open_cases, verbs  # noqa: F401  (verbs: wording)
        from routines.seed import ensure_approval_authorities

        # The extracted words are derived from the text or the document: logging them would
        # copy every routine into the change log a second time.
        auditlog.register(models.RoutineVersion, exclude_fields=["search_text", "form_token"])
        auditlog.register(models.Routine, exclude_fields=["adoptions", "versions"])
        for model in (
            models.ApprovalAuthority,
            models.VersionTransition,
            models.Reviewer,
            models.ReviewComment,
            models.Proposal,
            models.Acknowledgment,
            # Written by the database's triggers, never through the ORM: nothing to log, but
            # every model of the app is registered.
            models.AcknowledgmentCount,
            models.RoutineReview,
            models.RoutineReminder,
            models.ReferenceSequence,
        ):
            auditlog.register(model)
        post_migrate.connect(ensure_approval_authorities, sender=self)

        from notifications.tasks import register_periodic
        from routines import hooks  # noqa: F401  (search index, acknowledgments, inbox)
        from routines.tasks import publish_due_task, send_routine_reminders_task

        register_periodic("publish_routines", publish_due_task)
        register_periodic("routine_reminders", send_routine_reminders_task)

        from routines import registrations  # noqa: F401  (the menu, the start page, load_demo)
