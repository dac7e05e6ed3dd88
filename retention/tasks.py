from django_tasks import task


@task()
def thin_records_task():
    """The scheduled thinning: does nothing until the organisation turns it on; safe to run
    twice (a second run finds nothing left)."""
    from retention.services import run_if_enabled

    run = run_if_enabled()
    return run.total if run is not None else 0
