"""The default duties were stored with an internal note of where their text came from
("Seed 001 §3 (Enhetschef)"), printed as "Källa:" on every responsibility page and its PDF.
Clear those notes; a source the organisation wrote itself is kept."""

from django.db import migrations


def clear_internal_sources(apps, schema_editor):
    RoleDuty = apps.get_model("organisation", "RoleDuty")
    RoleDuty.objects.filter(source__istartswith="seed ").update(source="")


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [migrations.RunPython(clear_internal_sources, migrations.RunPython.noop)]
