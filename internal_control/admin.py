"""The rule data an administrator edits: the control methods (seeded from data/methods.json)."""

from django.contrib import admin

from internal_control.models import ControlMethod


@admin.register(ControlMethod)
class ControlMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "is_active")
