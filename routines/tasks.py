from django_tasks import task


@task()
def publish_due_task():
    """Publish the approved versions whose date of entry into force has come (idempotent)."""
    from routines.services.publish import publish_due

    return publish_due()


@task()
def send_routine_reminders_task():
    """Review-date and acknowledgment reminders (idempotent: each is claimed before sending)."""
    from routines.reminders import send_routine_reminders

    return send_routine_reminders()
