"""The upload form of an import: the index and many documents in one input."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.uploads import SizeCheckedFileInput, max_upload_bytes, upload_size
from routines.importing.importer import MAX_FILES, check_batch

ACCEPT_DOCUMENTS = ".pdf,.docx,application/pdf"
ACCEPT_INDEX = ".xlsx,.csv"


class DocumentsField(forms.FileField):
    """Many files in one input. Each file is judged row by row in the report, not here: a bad
    document must not stop the good ones."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        files = [super(DocumentsField, self).clean(f, initial) for f in files]
        check_batch(files)
        return files


class ImportForm(forms.Form):
    index = forms.FileField(
        label=gettext_lazy("Index (Excel .xlsx or CSV)"),
        help_text=gettext_lazy("One row per document, with the columns of the example index."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_INDEX}),
    )
    documents = DocumentsField(
        label=gettext_lazy("Documents (PDF or Word .docx)"),
        help_text=lazy(
            lambda: (
                _(
                    "Choose all the documents at once (hold Ctrl or Shift). At most %(max)s "
                    "documents and %(size)s each."
                )
                % {"max": MAX_FILES, "size": upload_size("routine_document")}
            ),
            str,
        )(),
        widget=SizeCheckedFileInput(
            attrs={"accept": ACCEPT_DOCUMENTS},
            max_bytes=max_upload_bytes("routine_document"),
            # The server's own sentence (routines/text.py).
            too_big=gettext_lazy("“%(name)s” is larger than %(size)s. Choose a smaller file."),
            multiple=True,
        ),
    )
