import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_word_template"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("before", "Before the deadline"),
                            ("due", "At the deadline"),
                            ("escalation", "Overdue, to the next manager up"),
                        ],
                        max_length=20,
                    ),
                ),
                ("about", models.DateField()),
                ("claimed_at", models.DateTimeField()),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reports.report",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder of a yearly report",
                "verbose_name_plural": "reminders of yearly reports",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "kind", "about", "recipient"),
                        name="unique_report_reminder",
                    )
                ],
            },
        ),
    ]
