"""The rule data an administrator edits: the matrices, the functions and the rules."""

from django.contrib import admin

from risks.models import FunctionRule, ParticipantFunction, RiskMatrix


@admin.register(RiskMatrix)
class RiskMatrixAdmin(admin.ModelAdmin):
    list_display = ("name", "root", "is_example")


@admin.register(ParticipantFunction)
class ParticipantFunctionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")


@admin.register(FunctionRule)
class FunctionRuleAdmin(admin.ModelAdmin):
    list_display = ("text", "condition", "is_active")
    filter_horizontal = ("functions",)
