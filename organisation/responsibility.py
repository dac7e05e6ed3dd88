# Temporary: replaced by the responsibility matrix views.
from django.http import Http404

from accounts.access import requires


@requires("responsibility.view")
def matrix_start(request):
    raise Http404


matrix = matrix_pdf = duties_edit = matrix_start
