"""File inputs that the browser checks before it uploads anything.

A phone on a slow connection should not spend minutes sending a photo the server then
refuses. `SizeCheckedFileInput` carries its limit (`data-max-bytes`, from
core/data/document_limits.json through `max_upload_bytes`) and the sentence to show, and
renders the small script that checks it (static/js/upload-size.js, served by the app); the
server checks the size again, whatever the browser did.

Every text that names a limit takes the number from the same data ("%(size)s" in the message,
`megabytes`, `upload_size`, `with_upload_size`), so an edit of the data changes them all.
"""

from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy

from core.documents import limits

MEGABYTE = 1024 * 1024


def max_upload_bytes(kind):
    """The largest file of `kind` ("attachment", "routine_document") anyone may upload."""
    return int(limits()["upload_max_bytes"][kind])


def megabytes(size):
    """`size` in bytes as people read it: "10 MB", or "1,5 MB" with the language's decimal
    sign."""
    value = size / MEGABYTE
    decimals = 0 if value == round(value) else 1
    return f"{number_format(round(value, decimals), decimal_pos=decimals)} MB"


def upload_size(kind):
    """The largest file of `kind` in words: "10 MB"."""
    return megabytes(max_upload_bytes(kind))


def _with_upload_size(message, kind, values):
    return str(message) % {"name": "%(name)s", **values, "size": upload_size(kind)}


_lazy_with_upload_size = lazy(_with_upload_size, str)


def with_upload_size(message, kind, **values):
    """`message` with "%(size)s" as the limit of `kind` and the other `values` put in, for a
    help text: made when the form class is, read from the data each time it is shown.
    "%(name)s" stays for the file's name."""
    return _lazy_with_upload_size(message, kind, values)


class SizeCheckedFileInput(forms.ClearableFileInput):
    """`too_big` is the sentence shown for a file over the limit: "%(size)s" in it becomes the
    limit this input checks, "%(name)s" the file's name (in the browser)."""

    template_name = "core/widgets/size_checked_file.html"

    def __init__(self, attrs=None, *, max_bytes, too_big, multiple=False):
        self.allow_multiple_selected = multiple
        super().__init__(attrs)
        self.max_bytes = max_bytes
        self.too_big = too_big

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-max-bytes"] = str(self.max_bytes)
        context["widget"]["attrs"]["data-too-big"] = str(self.too_big) % {
            "name": "%(name)s",
            "size": megabytes(self.max_bytes),
        }
        return context
