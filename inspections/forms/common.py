"""Field types shared by the forms of self-inspection."""

import uuid

from django import forms

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.title})" if obj.title else name


class OnceMixin:
    """A hidden token new on every page: the same form sent twice creates one record."""

    def add_token(self):
        self.fields["form_token"] = forms.UUIDField(widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
