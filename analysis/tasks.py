from django_tasks import task


@task()
def refresh_statistics_task():
    """Bring the kept counts of the statistics up to date (idempotent; cheap when nothing
    changed). Run every few minutes so that a statistics request rarely has to count."""
    from analysis import buckets

    buckets.refresh()
