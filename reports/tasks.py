from django_tasks import task


@task()
def write_report_task(report_pk):
    """Write a report's chapters from the registers (reports/services/writer.py)."""
    from reports.services.writer import write

    write(report_pk)
