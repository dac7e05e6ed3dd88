"""The rule data an administrator edits: the methods of self-inspection of the general advice
(inspections/data/methods.json loads the missing ones after migrate; edits here are kept)."""

from django.contrib import admin

from inspections.models import Method


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "draws_sample", "order")
    list_editable = ("order",)
    ordering = ("order", "name")
