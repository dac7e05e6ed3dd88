from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from auditlog.registry import auditlog

        # The wording of the holiday events (recorded on an organisation's top node).
        from legal import holidays  # noqa: F401
        from notifications.models import ArrivalSetting, DigestClaim, Reminder
        from notifications.reminders import send_reminders_task
        from notifications.tasks import register_periodic

        auditlog.register(Reminder)
        auditlog.register(ArrivalSetting)
        auditlog.register(DigestClaim)
        # The deadline reminders of every registered reminder source, in one run.
        register_periodic("send_reminders", send_reminders_task)

        from notifications import registrations, verbs  # noqa: F401  (the menu, the start page)
