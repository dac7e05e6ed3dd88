"""The access log is read by the loggkontroll role alone (issue 8): the old key, which the system
administrator held through "every key but the case keys", is removed. The new key,
audit.review_access_log, is created and given to its default roles by the seed after migrate."""

from django.db import migrations


def remove_old_key(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Permission.objects.filter(key="audit.view_access_log").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("audit", "0002_loggkontroll")]

    operations = [migrations.RunPython(remove_old_key, migrations.RunPython.noop)]
