"""Kinds of event (fall, medication, …): the catalogue, a report's kind, the shipped rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from deviations.seed import ensure_event_categories


class Migration(migrations.Migration):
    dependencies = [
        ("deviations", "0007_authority_form_fields"),
        ("organisation", "0003_node_address_and_dpo"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EventCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=60, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        help_text="A short explanation shown to the person reporting.",
                        max_length=300,
                        verbose_name="description",
                    ),
                ),
                ("order", models.PositiveIntegerField(default=100, verbose_name="order")),
                ("is_active", models.BooleanField(default=True, verbose_name="in use")),
                (
                    "law_areas",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="The law areas where the category is offered; none means all.",
                        verbose_name="law areas",
                    ),
                ),
                (
                    "node",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: every organisation. Set: only in that part of the tree.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="event_categories",
                        to="organisation.orgnode",
                        verbose_name="organisation or unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "kind of event",
                "verbose_name_plural": "kinds of event",
                "ordering": ["order", "name"],
            },
        ),
        migrations.AddField(
            model_name="deviation",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deviations",
                to="deviations.eventcategory",
                verbose_name="kind of event",
            ),
        ),
        migrations.AddIndex(
            model_name="deviation",
            index=models.Index(fields=["category", "reported_at"], name="deviation_category_time"),
        ),
        migrations.RunPython(ensure_event_categories, migrations.RunPython.noop),
    ]
