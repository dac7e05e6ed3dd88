"""Form widgets and choice fields for long option lists.

A large municipality has hundreds of units and a thousand people: a select drawn through a
template per option, from a model instance per option, took longer than the rest of the page.
These draw Django's own markup, option for option, from the few values each label needs.
"""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _escaped(value):
    """conditional_escape without its lazy-string wrapper, which cost more than the escaping."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class QuickSelect(forms.Select):
    """A select drawn without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{_escaped(option_value)}"'
            f"{' selected' if str(option_value) in chosen else ''}>{_escaped(label)}</option>"
            for option_value, label in self.choices
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe(options)
        )


class ValueChoices(ModelChoiceIterator):
    """The options from the values their labels need (the field's `label_fields`, passed to its
    `label_from_values`) rather than from model instances."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (pk, self.field.label_from_values(*values))


class QuickNodeChoiceField(forms.ModelChoiceField):
    """Org nodes by name, drawn quickly."""

    widget = QuickSelect
    iterator = ValueChoices
    label_fields = ("name",)

    def label_from_instance(self, obj):
        return obj.name

    def label_from_values(self, name):
        return name


class TreeNodeChoiceField(QuickNodeChoiceField):
    """Org nodes by name, indented by their level in the tree."""

    label_fields = ("depth", "name")

    def label_from_instance(self, obj):
        return self.label_from_values(obj.depth, obj.name)

    def label_from_values(self, depth, name):
        return "\u00a0\u00a0" * depth + name
