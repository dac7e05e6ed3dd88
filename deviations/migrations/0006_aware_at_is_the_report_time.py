"""When the organisation became aware: until now nothing recorded it, and each report took the
moment its row was written, a trifle after the report time. Those reports get their report
time; a time set on purpose (more than a minute away from it) is kept."""

from datetime import timedelta

from django.db import migrations
from django.db.models import F


def to_report_time(apps, schema_editor):
    Deviation = apps.get_model("deviations", "Deviation")
    near = timedelta(minutes=1)
    Deviation.objects.filter(
        aware_at__gt=F("reported_at") - near, aware_at__lt=F("reported_at") + near
    ).exclude(aware_at=F("reported_at")).update(aware_at=F("reported_at"))


class Migration(migrations.Migration):
    dependencies = [("deviations", "0005_track_kind_index")]

    operations = [migrations.RunPython(to_report_time, migrations.RunPython.noop)]
