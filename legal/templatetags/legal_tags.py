"""{{ section|citation }}: a register section as cited today, with its counterpart in the law in
force (SOSFS 2011:9 5 kap 4–5 §§, jfr SoL (2025:400) 5 kap 1–2 §§). Load the section with
select_related("regulation", "counterpart__regulation") to keep the page to one query."""

from django import template
from django.utils import timezone

from legal.citations import cite

register = template.Library()


@register.filter
def citation(section):
    if section is None:
        return ""
    return str(cite(section, timezone.localdate()))
