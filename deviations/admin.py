"""The kinds of event in the Django admin (shell/admin_site.py lets only system.admin in).

The catalogue is data: the shipped rows (deviations/data/event_categories.json) are edited here,
and an organisation, a provider or a unit gets categories of its own by naming its node. Changes
are kept by the field-level change log (auditlog).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.free_text import FreeTextMixin
from deviations.models import EventCategory
from legal.models import LawArea


class EventCategoryForm(FreeTextMixin, forms.ModelForm):
    # Shown to every reporter: no personal identity number belongs in them.
    free_text_fields = ("name", "description")
    law_areas = forms.MultipleChoiceField(
        label=_("law areas"),
        choices=LawArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The law areas where the category is offered; none means all."),
    )

    class Meta:
        model = EventCategory
        fields = ("name", "code", "description", "order", "is_active", "law_areas", "node")


@admin.register(EventCategory)
class EventCategoryAdmin(admin.ModelAdmin):
    form = EventCategoryForm
    list_display = ("name", "code", "order", "is_active", "node")
    list_filter = ("is_active",)
    list_editable = ("order", "is_active")
    search_fields = ("name", "code")
    ordering = ("order", "name")
    list_select_related = ("node",)
