"""Keys that did two things are split (issue 8): each role keeps exactly the powers it had
and should have.

- routines.import: importing routines approved before Hjulet used to ride on routines.manage
  (follow-up). Roles that follow up and also approve routines keep it; the quality auditor,
  who only follows up, does not. Publishing and withdrawing now belong to the approving role
  alone (code, no data change).
- legal.manage_holidays: the holidays that deadlines count with used to ride on
  organisation.manage; every role that had it keeps it.
"""

from django.db import migrations

# (new key, the keys a role must hold today to be given it)
SPLITS = [
    ("routines.import", ("routines.manage", "routines.approve")),
    ("legal.manage_holidays", ("organisation.manage",)),
]


def split(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Role = apps.get_model("accounts", "Role")
    for new_key, required in SPLITS:
        permission, _ = Permission.objects.get_or_create(key=new_key)
        roles = Role.objects.all()
        for key in required:
            roles = roles.filter(pk__in=Role.objects.filter(permissions__key=key).values("pk"))
        for role in roles:
            role.permissions.add(permission)


def unsplit(apps, schema_editor):
    Permission = apps.get_model("accounts", "Permission")
    Permission.objects.filter(key__in=[key for key, _ in SPLITS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(split, unsplit)]
