"""System checks of the permission layer."""

from django.core.checks import Error, Tags, register

from accounts.signals import sensitive_read


@register(Tags.security)
def check_sensitive_reads_are_logged(app_configs, **kwargs):
    if sensitive_read.has_listeners():
        return []
    return [
        Error(
            "No receiver is connected to accounts.signals.sensitive_read: reads of sensitive "
            "records, and refused attempts at them, would not be written to the access log.",
            hint="Install the audit app, whose AppConfig.ready() connects the receiver.",
            obj="accounts.signals.sensitive_read",
            id="accounts.E001",
        )
    ]
