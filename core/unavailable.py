"""A database that cannot be reached answers 503 with a calm page, not a 500.

The page is rendered without the database (no menu, no user, no context processors) and tells
the person that what they typed is kept on their device: the report form's draft lives in the
browser (static/js/report-draft.js) and comes back when the form is opened again. A view's
transaction has rolled back by the time the exception arrives here, so nothing half-saved stays.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as plain_server_error

logger = logging.getLogger("hjulet.unavailable")
RETRY_AFTER_SECONDS = 30


def unavailable_response(request):
    retry = request.path if request.method in ("GET", "POST") else "/"
    body = render_to_string("503.html", {"retry_url": retry})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def is_database_down(exception):
    return isinstance(exception, (OperationalError, InterfaceError))


def server_error(request):
    """handler500: the exceptions middleware raises reach no process_exception, only this."""
    if is_database_down(sys.exc_info()[1]):
        return unavailable_response(request)
    return plain_server_error(request)


class DatabaseUnavailableMiddleware:
    """Last in MIDDLEWARE, so its process_exception sees a view's exception first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_down(exception):
            return None
        logger.error(
            "Database unavailable during %s %s",
            request.method,
            request.path,
            exc_info=(type(exception), exception, exception.__traceback__),
        )
        return unavailable_response(request)
