"""A label followed by a colon, as Django's own <label> does it: no colon after a label that
already ends in punctuation ("Vad hände?", not "Vad hände?:").

    {% load labels %}<a href="#…">{{ field.label|colon }} {{ error }}</a>

Every template that writes a label before a value uses this filter instead of a literal ":"
(tests/test_defects_found_in_use.py looks for the literal).
"""

from django import template

register = template.Library()
# The punctuation after which Django's own <label> adds no colon (BoundField.label_tag);
# Swedish and English write the colon alike.
ENDS_A_LABEL = ":?.!"


@register.filter
def colon(label):
    text = str(label).rstrip()
    if text and text[-1] not in ENDS_A_LABEL:
        return text + ":"
    return text
