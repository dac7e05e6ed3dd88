"""File inputs that the browser checks before it uploads anything.

A phone on a slow connection should not spend minutes sending a photo the server then
refuses. `SizeCheckedFileInput` carries its limit (`data-max-bytes`, from
core/data/document_limits.json through `max_upload_bytes`) and the sentence to show, and
renders the small script that checks it (static/js/upload-size.js, served by the app); the
server checks the size again, whatever the browser did.
"""

from django import forms

from core.documents import limits


def max_upload_bytes(kind):
    """The largest file of `kind` ("attachment", "routine_document") anyone may upload."""
    return int(limits()["upload_max_bytes"][kind])


class SizeCheckedFileInput(forms.ClearableFileInput):
    """`too_big` is the sentence shown for a file over the limit; "%(name)s" in it becomes the
    file's name."""

    template_name = "core/widgets/size_checked_file.html"

    def __init__(self, attrs=None, *, max_bytes, too_big, multiple=False):
        self.allow_multiple_selected = multiple
        super().__init__(attrs)
        self.max_bytes = max_bytes
        self.too_big = too_big

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-max-bytes"] = str(self.max_bytes)
        context["widget"]["attrs"]["data-too-big"] = str(self.too_big)
        return context
